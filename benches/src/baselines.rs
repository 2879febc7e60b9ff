//! Floors written by hand, which the benches compare the libraries against.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::workload::BUCKETS;

/// The floor of a 10-bucket histogram, written by hand with raw atomics: a branch-free count
/// of the bounds below the value, one `fetch_add` on that bucket and a compare-and-swap loop
/// adding to the sum (the count is the buckets' total, as in oxios-metrics). It handles no
/// NaN and writes no exposition.
pub struct RawHistogram {
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum: AtomicU64,
}

impl RawHistogram {
    /// Every bucket and the sum at zero.
    pub const fn new() -> Self {
        RawHistogram {
            buckets: [const { AtomicU64::new(0) }; BUCKETS.len() + 1],
            sum: AtomicU64::new(0),
        }
    }

    /// Records `value`.
    #[inline]
    pub fn observe(&self, value: f64) {
        let index: usize = BUCKETS
            .iter()
            .map(|&bound| usize::from(bound < value))
            .sum();
        self.buckets[index].fetch_add(1, Ordering::Relaxed);
        let mut current = self.sum.load(Ordering::Relaxed);
        loop {
            let next = (f64::from_bits(current) + value).to_bits();
            match self.sum.compare_exchange_weak(
                current,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(actual) => current = actual,
            }
        }
    }
}

impl Default for RawHistogram {
    fn default() -> Self {
        Self::new()
    }
}
