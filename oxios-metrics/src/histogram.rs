//! Histograms: observations counted into fixed buckets.
//!
//! Each bucket has its own counter, incremented once per observation that falls in it (not
//! cumulatively); the scrape adds them up. `_count` is that total, so in every scrape the
//! `+Inf` bucket equals `_count` and the buckets never decrease, however many threads observe
//! while it runs. `_sum` is a separate atomic: a scrape that races an observation may show that
//! observation in `_sum` before its bucket, or the other way round, never a torn value.
//!
//! **NaN** observations are counted in the `+Inf` bucket and in `_count` but not added to
//! `_sum`: the observation is not lost, and one NaN does not turn the sum of every other
//! observation into NaN for the rest of the process (OpenMetrics parsers refuse a NaN `_sum`,
//! and a poisoned sum cannot recover). Infinities go to the first bucket that holds them
//! (`+Inf` for `+∞`, the first bucket for `-∞`) and make `_sum` infinite.
//!
//! **Negative values.** OpenMetrics treats `_sum` as a counter: it must not be negative or
//! NaN, and a histogram with a bucket bound below zero must not expose it. So in OpenMetrics a
//! series whose sum is not a counter — a bucket bound below zero, or a negative observation
//! seen since the series was created — is written without `_sum` and `_count` (the `+Inf`
//! bucket still carries the count). The text format 0.0.4 and the read-back methods always
//! have both.
//!
//! Bucket bounds come from a `const` (checked at compile time by the derive, or by
//! [`Buckets::checked`]) or from configuration at run time ([`Buckets::from_vec`],
//! [`Buckets::linear`], [`Buckets::exponential`]), returning an error for bad bounds, never
//! panicking and never leaking: run-time bounds are reference counted.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::counter::add_f64;
use crate::encode::{ClassicHistogram, MetricEncoder, WriteLabels};
use crate::metric::configured_metric;

/// The most finite bucket bounds a histogram may have. Bucket counters live inline in the
/// histogram (no allocation, const construction), so their number has a ceiling; the derive
/// rejects larger sets at compile time.
pub const MAX_BUCKETS: usize = 32;

/// The Prometheus default buckets, used when none are declared.
pub const DEFAULT_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Why a set of bucket bounds was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BucketsError {
    /// No bounds at all.
    Empty,
    /// More than [`MAX_BUCKETS`] bounds.
    TooMany,
    /// A bound is NaN or infinite (`+Inf` is always added; it is not declared).
    NotFinite {
        /// The position of the offending bound.
        index: usize,
    },
    /// A bound is not greater than the one before it (unsorted or duplicated).
    NotIncreasing {
        /// The position of the offending bound.
        index: usize,
    },
}

impl std::fmt::Display for BucketsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BucketsError::Empty => write!(f, "a histogram needs at least one bucket bound"),
            BucketsError::TooMany => write!(f, "a histogram has at most {MAX_BUCKETS} bucket bounds"),
            BucketsError::NotFinite { index } => {
                write!(f, "bucket bound #{index} is not finite (`+Inf` is added by itself)")
            }
            BucketsError::NotIncreasing { index } => write!(
                f,
                "bucket bound #{index} is not greater than the one before it: bounds must be sorted and distinct"
            ),
        }
    }
}

impl std::error::Error for BucketsError {}

/// Checked bucket upper bounds (inclusive: an observation equal to a bound counts in its bucket).
///
/// Cloning is cheap: constant bounds are borrowed and run-time bounds shared.
#[derive(Clone, Debug, PartialEq)]
pub struct Buckets {
    bounds: Bounds,
}

#[derive(Clone, Debug)]
enum Bounds {
    Static(&'static [f64]),
    Shared(Arc<[f64]>),
}

impl PartialEq for Bounds {
    fn eq(&self, other: &Bounds) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Bounds {
    fn as_slice(&self) -> &[f64] {
        match self {
            Bounds::Static(bounds) => bounds,
            Bounds::Shared(bounds) => bounds,
        }
    }
}

/// Checks bounds: non-empty, at most [`MAX_BUCKETS`], finite, strictly increasing.
const fn check_bounds(bounds: &[f64]) -> Result<(), BucketsError> {
    if bounds.is_empty() {
        return Err(BucketsError::Empty);
    }
    if bounds.len() > MAX_BUCKETS {
        return Err(BucketsError::TooMany);
    }
    let mut index = 0;
    while index < bounds.len() {
        if !bounds[index].is_finite() {
            return Err(BucketsError::NotFinite { index });
        }
        if index > 0 && bounds[index] <= bounds[index - 1] {
            return Err(BucketsError::NotIncreasing { index });
        }
        index += 1;
    }
    Ok(())
}

impl Buckets {
    /// The Prometheus default set.
    pub const DEFAULT: Buckets = Buckets {
        bounds: Bounds::Static(DEFAULT_BUCKETS),
    };

    /// Checks `bounds`: non-empty, at most [`MAX_BUCKETS`], finite, strictly increasing.
    ///
    /// ```
    /// use oxios_metrics::{Buckets, BucketsError};
    /// assert!(Buckets::new(&[0.1, 1.0]).is_ok());
    /// assert_eq!(Buckets::new(&[1.0, 1.0]), Err(BucketsError::NotIncreasing { index: 1 }));
    /// ```
    pub const fn new(bounds: &'static [f64]) -> Result<Buckets, BucketsError> {
        match check_bounds(bounds) {
            Ok(()) => Ok(Buckets {
                bounds: Bounds::Static(bounds),
            }),
            Err(error) => Err(error),
        }
    }

    /// Checks bounds read at run time (from configuration, say) and keeps them: the same rules
    /// as [`new`](Self::new), an error instead of a panic, and no leak (the bounds are
    /// reference counted and freed with the last histogram using them).
    ///
    /// ```
    /// use oxios_metrics::{Buckets, BucketsError, Family, Histogram, TimedOutcome};
    /// let configured = vec![0.05, 0.2, 1.0];
    /// let buckets = Buckets::from_vec(configured)?;
    /// let latency = Histogram::with_buckets(buckets.clone());
    /// let by_outcome: Family<TimedOutcome, Histogram> = Family::with_config(buckets);
    /// latency.observe(0.1);
    /// by_outcome.get(TimedOutcome::Ok).observe(0.1);
    /// assert_eq!(latency.buckets()[1], (0.2, 1));
    /// assert_eq!(Buckets::from_vec(vec![1.0, 0.5]), Err(BucketsError::NotIncreasing { index: 1 }));
    /// # Ok::<(), BucketsError>(())
    /// ```
    pub fn from_vec(bounds: Vec<f64>) -> Result<Buckets, BucketsError> {
        check_bounds(&bounds)?;
        Ok(Buckets {
            bounds: Bounds::Shared(bounds.into()),
        })
    }

    /// `count` bounds `start, start + width, ...`, checked as [`from_vec`](Self::from_vec)
    /// does (`width` must be positive, `count` between 1 and [`MAX_BUCKETS`]).
    pub fn linear(start: f64, width: f64, count: usize) -> Result<Buckets, BucketsError> {
        if count == 0 {
            return Err(BucketsError::Empty);
        }
        if count > MAX_BUCKETS {
            return Err(BucketsError::TooMany);
        }
        Buckets::from_vec((0..count).map(|step| start + width * step as f64).collect())
    }

    /// `count` bounds `start, start × factor, ...`, checked as [`from_vec`](Self::from_vec)
    /// does (`start` must be positive and `factor` above 1 for the bounds to increase).
    pub fn exponential(start: f64, factor: f64, count: usize) -> Result<Buckets, BucketsError> {
        if count == 0 {
            return Err(BucketsError::Empty);
        }
        if count > MAX_BUCKETS {
            return Err(BucketsError::TooMany);
        }
        let mut bound = start;
        let mut bounds = Vec::with_capacity(count);
        for _ in 0..count {
            bounds.push(bound);
            bound *= factor;
        }
        Buckets::from_vec(bounds)
    }

    /// Like [`new`](Self::new), for `const` and `static` initialisers: invalid bounds stop
    /// the build there with the reason. Called at run time with invalid bounds it panics, so
    /// use [`new`](Self::new) for bounds that are not constants.
    ///
    /// ```
    /// use oxios_metrics::{Buckets, Histogram};
    /// static LATENCY: Histogram = Histogram::with_buckets(Buckets::checked(&[0.01, 0.1, 1.0]));
    /// # assert_eq!(LATENCY.buckets().len(), 4);
    /// ```
    pub const fn checked(bounds: &'static [f64]) -> Buckets {
        match check_bounds(bounds) {
            Ok(()) => Buckets {
                bounds: Bounds::Static(bounds),
            },
            Err(BucketsError::Empty) => panic!("a histogram needs at least one bucket bound"),
            Err(BucketsError::TooMany) => {
                panic!("a histogram has at most MAX_BUCKETS (32) bucket bounds")
            }
            Err(BucketsError::NotFinite { .. }) => panic!("bucket bounds must be finite"),
            Err(BucketsError::NotIncreasing { .. }) => {
                panic!("bucket bounds must be sorted and distinct")
            }
        }
    }

    /// The finite upper bounds, ascending.
    pub fn bounds(&self) -> &[f64] {
        self.bounds.as_slice()
    }

    /// The index of the bucket `value` falls in (`bounds().len()` is the `+Inf` bucket).
    ///
    /// It is the number of bounds below `value`, counted without a branch per bound: with
    /// observations that vary, a scan that stops early or a binary search mispredicts about
    /// once per call, which costs more than comparing all (at most [`MAX_BUCKETS`]) bounds.
    #[inline]
    fn index_of(&self, value: f64) -> usize {
        let bounds = self.bounds();
        if value.is_nan() {
            return bounds.len();
        }
        bounds
            .iter()
            .fold(0, |below, &bound| below + usize::from(bound < value))
    }
}

/// The counters of one histogram series.
#[derive(Debug)]
pub struct HistogramCells {
    counts: [AtomicU64; MAX_BUCKETS + 1],
    sum_bits: AtomicU64,
    /// A negative value was observed: `_sum` is no longer a counter (see the module docs).
    negative_seen: AtomicBool,
}

impl HistogramCells {
    /// Puts the series back to zero (a dynamic family reusing a removed series' slot).
    pub(crate) fn reset(&self) {
        for count in &self.counts {
            count.store(0, Ordering::Relaxed);
        }
        self.sum_bits.store(0, Ordering::Relaxed);
        self.negative_seen.store(false, Ordering::Relaxed);
    }

    /// Zeroed cells.
    pub const fn new() -> Self {
        HistogramCells {
            counts: [const { AtomicU64::new(0) }; MAX_BUCKETS + 1],
            sum_bits: AtomicU64::new(0),
            negative_seen: AtomicBool::new(false),
        }
    }
}

impl Default for HistogramCells {
    fn default() -> Self {
        Self::new()
    }
}

/// A point-in-time read of a histogram series.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Snapshot {
    counts: [u64; MAX_BUCKETS + 1],
    sum: f64,
    negative_seen: bool,
}

/// A histogram with one set of buckets.
///
/// ```
/// use oxios_metrics::{Buckets, Histogram};
/// static SIZES: Histogram = Histogram::with_buckets(Buckets::checked(&[0.005, 0.01, 1.0]));
/// for value in [0.005, 0.5, 2.0] {
///     SIZES.observe(value);
/// }
/// assert_eq!(SIZES.buckets(), vec![(0.005, 1), (0.01, 1), (1.0, 2), (f64::INFINITY, 3)]);
/// assert_eq!(SIZES.count(), 3);
/// assert_eq!(SIZES.sum(), 2.505);
/// ```
#[derive(Debug)]
pub struct Histogram {
    buckets: Buckets,
    cells: HistogramCells,
}

impl Histogram {
    /// A histogram with the Prometheus default buckets.
    pub const fn new() -> Self {
        Histogram::with_buckets(Buckets::DEFAULT)
    }

    /// A histogram with the given buckets.
    pub const fn with_buckets(buckets: Buckets) -> Self {
        Histogram {
            buckets,
            cells: HistogramCells::new(),
        }
    }

    /// The reference form shared with family members, through which every operation goes.
    #[inline]
    pub fn as_ref(&self) -> HistogramRef<'_> {
        HistogramRef {
            buckets: &self.buckets,
            cells: &self.cells,
        }
    }

    /// Records one observation.
    #[inline]
    pub fn observe(&self, value: f64) {
        self.as_ref().observe(value);
    }

    /// Starts a timer that records the elapsed seconds when dropped (or stopped).
    pub fn start_timer(&self) -> HistogramTimer<'_> {
        self.as_ref().start_timer()
    }

    /// The number of observations.
    pub fn count(&self) -> u64 {
        self.as_ref().count()
    }

    /// The sum of observations.
    pub fn sum(&self) -> f64 {
        self.as_ref().sum()
    }

    /// Cumulative counts per upper bound, ending with `(f64::INFINITY, count)`.
    pub fn buckets(&self) -> Vec<(f64, u64)> {
        self.as_ref().buckets()
    }
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

/// A histogram series: a plain [`Histogram`] or one member of a
/// [`Family`](crate::Family) of histograms.
#[derive(Clone, Copy, Debug)]
pub struct HistogramRef<'a> {
    buckets: &'a Buckets,
    cells: &'a HistogramCells,
}

impl<'a> HistogramRef<'a> {
    /// Records one observation (see the module documentation for NaN and infinities).
    #[inline]
    pub fn observe(self, value: f64) {
        let index = self.buckets.index_of(value);
        self.cells.counts[index].fetch_add(1, Ordering::Relaxed);
        if value < 0.0 {
            self.cells.negative_seen.store(true, Ordering::Relaxed);
        }
        if !value.is_nan() {
            add_f64(&self.cells.sum_bits, value);
        }
    }

    /// Starts a timer that records the elapsed seconds when dropped (or stopped).
    ///
    /// ```
    /// use oxios_metrics::Histogram;
    /// static STEP: Histogram = Histogram::new();
    /// {
    ///     let _timer = STEP.start_timer();
    ///     // ... the timed block ...
    /// }
    /// assert_eq!(STEP.count(), 1);
    /// ```
    pub fn start_timer(self) -> HistogramTimer<'a> {
        HistogramTimer {
            histogram: Some(self),
            start: Instant::now(),
        }
    }

    /// The number of observations.
    pub fn count(self) -> u64 {
        self.snapshot().counts.iter().sum()
    }

    /// The sum of observations.
    pub fn sum(self) -> f64 {
        f64::from_bits(self.cells.sum_bits.load(Ordering::Relaxed))
    }

    /// Cumulative counts per upper bound, ending with `(f64::INFINITY, count)`.
    pub fn buckets(self) -> Vec<(f64, u64)> {
        let snapshot = self.snapshot();
        let bounds = self.buckets.bounds();
        let mut cumulative = 0u64;
        (0..=bounds.len())
            .map(|index| {
                cumulative += snapshot.counts[index];
                (
                    bounds.get(index).copied().unwrap_or(f64::INFINITY),
                    cumulative,
                )
            })
            .collect()
    }

    /// The finite bucket bounds.
    pub fn bounds(self) -> &'a [f64] {
        self.buckets.bounds()
    }

    pub(crate) fn snapshot(self) -> Snapshot {
        let mut counts = [0u64; MAX_BUCKETS + 1];
        for (slot, cell) in counts
            .iter_mut()
            .zip(&self.cells.counts[..=self.buckets.bounds().len()])
        {
            *slot = cell.load(Ordering::Relaxed);
        }
        Snapshot {
            counts,
            sum: self.sum(),
            negative_seen: self.cells.negative_seen.load(Ordering::Relaxed),
        }
    }

    fn encode_with(self, labels: &dyn WriteLabels, encoder: &mut MetricEncoder<'_>) {
        self.with_classic(|histogram| encoder.classic_histogram(labels, histogram));
    }

    /// Calls `write` with a snapshot of this series as the encoder takes it; the one place
    /// that decides what a histogram series writes, whether through `encode_with` or from a
    /// family's kept line prefixes.
    #[inline]
    fn with_classic<R>(self, write: impl FnOnce(&ClassicHistogram<'_>) -> R) -> R {
        let snapshot = self.snapshot();
        let bounds = self.buckets.bounds();
        // Whether `_sum` is a counter (bounds below zero included) is the encoder's to judge.
        write(&ClassicHistogram {
            bounds,
            counts: &snapshot.counts[..=bounds.len()],
            sum: snapshot.sum,
            exemplars: &[],
            created: None,
            negative_observations: snapshot.negative_seen,
        })
    }
}

/// Records the seconds since it was started into a histogram when dropped.
#[must_use = "the timer records when dropped; bind it with `let _timer = ...`"]
#[derive(Debug)]
pub struct HistogramTimer<'a> {
    histogram: Option<HistogramRef<'a>>,
    start: Instant,
}

impl HistogramTimer<'_> {
    /// Records now and returns the seconds recorded.
    pub fn observe_duration(mut self) -> f64 {
        let seconds = self.start.elapsed().as_secs_f64();
        if let Some(histogram) = self.histogram.take() {
            histogram.observe(seconds);
        }
        seconds
    }

    /// Drops the timer without recording.
    pub fn discard(mut self) {
        self.histogram = None;
    }
}

impl Drop for HistogramTimer<'_> {
    fn drop(&mut self) {
        if let Some(histogram) = self.histogram.take() {
            histogram.observe(self.start.elapsed().as_secs_f64());
        }
    }
}

configured_metric!(Histogram: Histogram, series HistogramCells, config Buckets = Buckets::DEFAULT,
    handle HistogramRef { buckets }, classic bounds / with_classic);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_is_inclusive_and_nan_goes_to_inf() {
        static H: Histogram = Histogram::with_buckets(Buckets::checked(&[0.005, 0.01, 1.0]));
        for value in [0.005, 0.5, 2.0] {
            H.observe(value);
        }
        assert_eq!(
            H.buckets(),
            vec![(0.005, 1), (0.01, 1), (1.0, 2), (f64::INFINITY, 3)]
        );
        H.observe(f64::NAN);
        assert_eq!(H.buckets().last(), Some(&(f64::INFINITY, 4)));
        assert_eq!(H.count(), 4);
        assert_eq!(H.sum(), 2.505, "NaN is counted but not summed");
    }

    #[test]
    fn binary_search_path_matches_scan() {
        let many: &'static [f64] = &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        let buckets = Buckets::new(many).unwrap();
        for (value, expected) in [
            (0.5, 0),
            (1.0, 0),
            (1.5, 1),
            (10.0, 9),
            (10.5, 10),
            (f64::NAN, 10),
        ] {
            assert_eq!(buckets.index_of(value), expected, "value {value}");
        }
        assert_eq!(buckets.index_of(f64::NEG_INFINITY), 0);
        assert_eq!(buckets.index_of(f64::INFINITY), 10);
    }

    #[test]
    fn invalid_buckets_are_errors() {
        assert_eq!(Buckets::new(&[]), Err(BucketsError::Empty));
        assert_eq!(
            Buckets::new(&[2.0, 1.0]),
            Err(BucketsError::NotIncreasing { index: 1 })
        );
        assert_eq!(
            Buckets::new(&[f64::NAN]),
            Err(BucketsError::NotFinite { index: 0 })
        );
        assert_eq!(
            Buckets::new(&[1.0, f64::INFINITY]),
            Err(BucketsError::NotFinite { index: 1 })
        );
        static MANY: [f64; 33] = {
            let mut bounds = [0.0; 33];
            let mut index = 0;
            while index < 33 {
                bounds[index] = index as f64;
                index += 1;
            }
            bounds
        };
        assert_eq!(Buckets::new(&MANY), Err(BucketsError::TooMany));
    }
}
