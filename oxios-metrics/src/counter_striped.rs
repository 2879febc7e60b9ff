//! A counter split over cache lines, for the few counters many threads increment at once.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::desc::MetricType;
use crate::encode::{MetricEncoder, NoLabels, SampleValue, WriteLabels};
use crate::metric::{EncodeMetric, FamilyMember, Metric};

/// How many cells a [`StripedCounter`] has. A power of two, so a thread's cell is a mask of its
/// number; threads beyond it share cells (still far fewer threads per line than one counter).
pub const STRIPES: usize = 8;

/// One cell on a line of its own. 128 bytes rather than 64 because recent x86 cores fetch
/// lines in adjacent pairs, so two cells 64 bytes apart would still be contended.
#[derive(Debug, Default)]
#[repr(align(128))]
struct Stripe(AtomicU64);

/// A `u64` counter for hot paths that several threads hit at the same time.
///
/// A plain [`Counter`](crate::Counter) is one atomic: when threads on different cores increment
/// it at once, its cache line moves between them on every increment, and each `inc` costs a
/// cross-core transfer instead of a local add. A striped counter gives each thread one of
/// [`STRIPES`] cells on separate cache lines (threads are numbered in the order they first
/// increment any striped counter), so concurrent increments stay local; reading it (`get`, a
/// scrape) adds the cells up.
///
/// **Memory:** [`STRIPES`] × 128 bytes = 1 KiB per counter, against 8 bytes for a
/// [`Counter`](crate::Counter); in a [`Family`](crate::Family) that is 1 KiB per series. Use it
/// for the handful of counters that many threads increment concurrently, not by default.
/// On one thread it costs what a `Counter` does plus a thread-local read.
///
/// The value wraps to 0 after `u64::MAX`, like a `Counter`. `get` is not one atomic snapshot:
/// increments that race with it may or may not be counted, as with any concurrent read.
///
/// ```
/// use oxios_metrics::StripedCounter;
/// static REQUESTS: StripedCounter = StripedCounter::new();
/// std::thread::scope(|scope| {
///     for _ in 0..4 {
///         scope.spawn(|| {
///             for _ in 0..1000 {
///                 REQUESTS.inc();
///             }
///         });
///     }
/// });
/// REQUESTS.add(2);
/// assert_eq!(REQUESTS.get(), 4002);
/// ```
#[derive(Debug, Default)]
pub struct StripedCounter {
    stripes: [Stripe; STRIPES],
}

/// This thread's cell index: taken from a process-wide count at the first increment, so the
/// first [`STRIPES`] threads that increment each get a cell of their own.
#[inline]
fn stripe_of_this_thread() -> usize {
    const UNASSIGNED: usize = usize::MAX;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static STRIPE: Cell<usize> = const { Cell::new(UNASSIGNED) };
    }
    // `try_with` fails only while the thread's locals are being destroyed; an increment from
    // a destructor then goes to cell 0 rather than panicking.
    STRIPE
        .try_with(|stripe| {
            let index = stripe.get();
            if index != UNASSIGNED {
                return index;
            }
            let index = NEXT.fetch_add(1, Ordering::Relaxed) % STRIPES;
            stripe.set(index);
            index
        })
        .unwrap_or(0)
}

impl StripedCounter {
    /// A counter at zero.
    pub const fn new() -> Self {
        StripedCounter {
            stripes: [const { Stripe(AtomicU64::new(0)) }; STRIPES],
        }
    }

    /// Adds one to this thread's cell.
    #[inline]
    pub fn inc(&self) {
        self.add(1);
    }

    /// Adds `amount` to this thread's cell.
    #[inline]
    pub fn add(&self, amount: u64) {
        self.stripes[stripe_of_this_thread() & (STRIPES - 1)]
            .0
            .fetch_add(amount, Ordering::Relaxed);
    }

    /// The current value: the cells added up (wrapping, as the counter does).
    pub fn get(&self) -> u64 {
        self.stripes.iter().fold(0u64, |total, stripe| {
            total.wrapping_add(stripe.0.load(Ordering::Relaxed))
        })
    }
}

impl EncodeMetric for StripedCounter {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        StripedCounter::encode_series(self, &(), &NoLabels, encoder);
    }
}

impl Metric for StripedCounter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
}

#[diagnostic::do_not_recommend]
impl FamilyMember for StripedCounter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
    type Series = StripedCounter;
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW_SERIES: StripedCounter = StripedCounter::new();
    type Config = ();
    const DEFAULT_CONFIG: () = ();
    type Handle<'a> = &'a StripedCounter;

    fn reset(series: &StripedCounter) {
        for stripe in &series.stripes {
            stripe.0.store(0, Ordering::Relaxed);
        }
    }

    #[inline]
    fn handle<'a>(series: &'a StripedCounter, _: &'a ()) -> &'a StripedCounter {
        series
    }

    const SINGLE_SAMPLE_SUFFIX: Option<&'static str> = Some("_total");

    #[inline]
    fn single_sample(series: &StripedCounter, _: &()) -> Option<SampleValue> {
        Some(SampleValue::Unsigned(series.get()))
    }

    fn encode_series(
        series: &StripedCounter,
        _: &(),
        labels: &dyn WriteLabels,
        encoder: &mut MetricEncoder<'_>,
    ) {
        encoder.sample("_total", labels, SampleValue::Unsigned(series.get()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_is_on_its_own_pair_of_lines() {
        assert_eq!(std::mem::align_of::<Stripe>(), 128);
        assert_eq!(std::mem::size_of::<StripedCounter>(), STRIPES * 128);
        assert!(STRIPES.is_power_of_two());
    }

    #[test]
    fn threads_take_distinct_cells_and_the_sum_wraps() {
        let counter = StripedCounter::new();
        std::thread::scope(|scope| {
            for _ in 0..STRIPES {
                scope.spawn(|| counter.add(u64::MAX / 4));
            }
        });
        let expected = (0..STRIPES).fold(0u64, |t, _| t.wrapping_add(u64::MAX / 4));
        assert_eq!(counter.get(), expected);
        let used = counter
            .stripes
            .iter()
            .filter(|stripe| stripe.0.load(Ordering::Relaxed) != 0)
            .count();
        assert!(used >= 2, "{used} cell(s) used by {STRIPES} threads");
        <StripedCounter as FamilyMember>::reset(&counter);
        assert_eq!(counter.get(), 0);
    }
}
