//! When a reused exposition buffer gives memory back.
//!
//! A reused `Vec<u8>` keeps the capacity of the largest exposition it ever held, so one huge
//! scrape (a burst of series, since removed) would pin that memory for good. [`RecentSizes`]
//! remembers the sizes of the last [`RECENT`] expositions; a buffer whose capacity exceeds
//! [`KEEP_FACTOR`] times the largest of them (and [`KEEP_FLOOR`]) is shrunk to twice that
//! size. Steady scrapes stay well inside the bound (a growing `Vec` has less than twice its
//! length), so trimming never costs them an allocation.

/// How many expositions the size history covers.
pub(crate) const RECENT: usize = 8;

/// A buffer may keep this many times the largest recent exposition.
pub(crate) const KEEP_FACTOR: usize = 4;

/// Capacity any buffer may keep whatever the recent sizes (small registries are not worth
/// trimming).
pub(crate) const KEEP_FLOOR: usize = 64 * 1024;

/// The sizes of the last [`RECENT`] expositions written into reused buffers.
#[derive(Debug, Default)]
pub(crate) struct RecentSizes {
    recent: [usize; RECENT],
    next: usize,
}

impl RecentSizes {
    /// No history yet.
    pub(crate) const fn new() -> Self {
        RecentSizes {
            recent: [0; RECENT],
            next: 0,
        }
    }

    /// Remembers an exposition of `len` bytes, forgetting the oldest.
    pub(crate) fn record(&mut self, len: usize) {
        self.recent[self.next] = len;
        self.next = (self.next + 1) % RECENT;
    }

    /// Shrinks `buffer` if it keeps much more than the recent expositions needed.
    pub(crate) fn trim(&self, buffer: &mut Vec<u8>) {
        let largest = self.recent.iter().copied().max().unwrap_or(0);
        let keep = largest.saturating_mul(KEEP_FACTOR).max(KEEP_FLOOR);
        if buffer.capacity() > keep {
            buffer.shrink_to(largest.saturating_mul(2).max(KEEP_FLOOR));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_buffer_shrinks_once_the_history_forgets_the_large_exposition() {
        let mut sizes = RecentSizes::new();
        let mut buffer: Vec<u8> = Vec::with_capacity(8 << 20);
        sizes.record(8 << 20);
        sizes.trim(&mut buffer);
        assert!(buffer.capacity() >= 8 << 20, "still recent: kept");
        for _ in 0..RECENT {
            sizes.record(1000);
        }
        sizes.trim(&mut buffer);
        assert!(buffer.capacity() <= 2 * KEEP_FLOOR, "{}", buffer.capacity());
    }

    #[test]
    fn steady_sizes_keep_their_buffer() {
        let mut sizes = RecentSizes::new();
        let mut buffer: Vec<u8> = Vec::with_capacity(3 << 20);
        for _ in 0..3 * RECENT {
            sizes.record(2 << 20);
            sizes.trim(&mut buffer);
            assert!(buffer.capacity() >= 3 << 20);
        }
    }
}
