//! A classic histogram that keeps the latest exemplar of each bucket.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::SystemTime;

use super::{ExemplarCell, ExemplarError, ExemplarSnapshot};
use crate::counter::add_f64;
use crate::encode::{ClassicHistogram, MetricEncoder, WriteLabels};
use crate::histogram::{Buckets, MAX_BUCKETS};
use crate::metric::configured_metric;

/// The counters and exemplars of one histogram series.
#[derive(Debug)]
pub struct ExemplarHistogramCells {
    counts: [AtomicU64; MAX_BUCKETS + 1],
    sum_bits: AtomicU64,
    /// A negative value was observed: `_sum` is no longer a counter (OpenMetrics).
    negative_seen: AtomicBool,
    exemplars: [ExemplarCell; MAX_BUCKETS + 1],
}

impl ExemplarHistogramCells {
    /// Puts the series back to zero (a dynamic family reusing a removed series' slot).
    pub(crate) fn reset(&self) {
        for count in &self.counts {
            count.store(0, Ordering::Relaxed);
        }
        self.sum_bits.store(0, Ordering::Relaxed);
        self.negative_seen.store(false, Ordering::Relaxed);
        for exemplar in &self.exemplars {
            exemplar.clear();
        }
    }

    /// Zeroed counters, no exemplars.
    pub const fn new() -> Self {
        ExemplarHistogramCells {
            counts: [const { AtomicU64::new(0) }; MAX_BUCKETS + 1],
            sum_bits: AtomicU64::new(0),
            negative_seen: AtomicBool::new(false),
            exemplars: [const { ExemplarCell::new() }; MAX_BUCKETS + 1],
        }
    }
}

impl Default for ExemplarHistogramCells {
    fn default() -> Self {
        Self::new()
    }
}

/// A histogram (with the rules of [`Histogram`](crate::Histogram): inclusive bounds, NaN in
/// `+Inf` and not in `_sum`, no `_sum`/`_count` in OpenMetrics once a value or bound is
/// negative) whose buckets each keep the exemplar of the latest observation recorded with one.
/// An exemplar's value is its observation, so it lies inside its bucket's bounds.
///
/// About 6 KiB per series (33 exemplar cells); `observe` without an exemplar costs what
/// `Histogram::observe` does.
///
/// ```
/// use oxios_metrics::{Buckets, ExemplarHistogram};
/// static LATENCY: ExemplarHistogram = ExemplarHistogram::with_buckets(Buckets::checked(&[0.1, 1.0]));
/// LATENCY.observe(0.05);
/// LATENCY.observe_with_exemplar(0.5, &[("trace_id", "abc")]).unwrap();
/// assert_eq!(LATENCY.count(), 2);
/// assert!(LATENCY.exemplar(0).is_none());
/// assert_eq!(LATENCY.exemplar(1).unwrap().value(), 0.5);
/// ```
#[derive(Debug)]
pub struct ExemplarHistogram {
    buckets: Buckets,
    cells: ExemplarHistogramCells,
}

impl ExemplarHistogram {
    /// A histogram with the Prometheus default buckets.
    pub const fn new() -> Self {
        Self::with_buckets(Buckets::DEFAULT)
    }

    /// A histogram with the given buckets.
    pub const fn with_buckets(buckets: Buckets) -> Self {
        ExemplarHistogram {
            buckets,
            cells: ExemplarHistogramCells::new(),
        }
    }

    /// The reference form shared with family members.
    #[inline]
    pub fn as_ref(&self) -> ExemplarHistogramRef<'_> {
        ExemplarHistogramRef {
            buckets: &self.buckets,
            cells: &self.cells,
        }
    }

    /// Records one observation.
    #[inline]
    pub fn observe(&self, value: f64) {
        self.as_ref().observe(value);
    }

    /// Records one observation and keeps `labels` as its bucket's exemplar, timestamped now.
    pub fn observe_with_exemplar(
        &self,
        value: f64,
        labels: &[(&str, &str)],
    ) -> Result<(), ExemplarError> {
        self.as_ref().observe_with_exemplar(value, labels)
    }

    /// Records one observation and keeps `labels` as its bucket's exemplar, timestamped `at`.
    pub fn observe_with_exemplar_at(
        &self,
        value: f64,
        labels: &[(&str, &str)],
        at: SystemTime,
    ) -> Result<(), ExemplarError> {
        self.as_ref().observe_with_exemplar_at(value, labels, at)
    }

    /// The number of observations.
    pub fn count(&self) -> u64 {
        self.as_ref().count()
    }

    /// The sum of observations.
    pub fn sum(&self) -> f64 {
        self.as_ref().sum()
    }

    /// The exemplar of bucket `index` (`bounds().len()` is `+Inf`), if any.
    pub fn exemplar(&self, index: usize) -> Option<ExemplarSnapshot> {
        self.as_ref().exemplar(index)
    }
}

impl Default for ExemplarHistogram {
    fn default() -> Self {
        Self::new()
    }
}

/// An exemplar histogram series: a plain [`ExemplarHistogram`] or a family member.
#[derive(Clone, Copy, Debug)]
pub struct ExemplarHistogramRef<'a> {
    buckets: &'a Buckets,
    cells: &'a ExemplarHistogramCells,
}

impl ExemplarHistogramRef<'_> {
    #[inline]
    fn index_of(self, value: f64) -> usize {
        let bounds = self.buckets.bounds();
        if value.is_nan() {
            return bounds.len();
        }
        bounds
            .iter()
            .fold(0, |below, &bound| below + usize::from(bound < value))
    }

    #[inline]
    fn record(self, value: f64) -> usize {
        let index = self.index_of(value);
        self.cells.counts[index].fetch_add(1, Ordering::Relaxed);
        if value < 0.0 {
            self.cells.negative_seen.store(true, Ordering::Relaxed);
        }
        if !value.is_nan() {
            add_f64(&self.cells.sum_bits, value);
        }
        index
    }

    /// Records one observation.
    #[inline]
    pub fn observe(self, value: f64) {
        self.record(value);
    }

    /// Records one observation and keeps `labels` as its bucket's exemplar, timestamped now.
    /// The observation is always recorded; a refused label set leaves the bucket's previous
    /// exemplar in place.
    pub fn observe_with_exemplar(
        self,
        value: f64,
        labels: &[(&str, &str)],
    ) -> Result<(), ExemplarError> {
        self.observe_with_exemplar_at(value, labels, SystemTime::now())
    }

    /// Records one observation and keeps `labels` as its bucket's exemplar, timestamped `at`.
    pub fn observe_with_exemplar_at(
        self,
        value: f64,
        labels: &[(&str, &str)],
        at: SystemTime,
    ) -> Result<(), ExemplarError> {
        let index = self.record(value);
        self.cells.exemplars[index]
            .record(labels, value, at)
            .map(|_| ())
    }

    /// The number of observations.
    pub fn count(self) -> u64 {
        self.cells.counts[..=self.buckets.bounds().len()]
            .iter()
            .map(|count| count.load(Ordering::Relaxed))
            .fold(0, u64::wrapping_add)
    }

    /// The sum of observations.
    pub fn sum(self) -> f64 {
        f64::from_bits(self.cells.sum_bits.load(Ordering::Relaxed))
    }

    /// The exemplar of bucket `index`, if any.
    pub fn exemplar(self, index: usize) -> Option<ExemplarSnapshot> {
        self.cells
            .exemplars
            .get(index)
            .filter(|_| index <= self.buckets.bounds().len())?
            .snapshot()
    }

    fn encode_with(self, labels: &dyn WriteLabels, encoder: &mut MetricEncoder<'_>) {
        let bounds = self.buckets.bounds();
        let mut counts = [0u64; MAX_BUCKETS + 1];
        for (slot, cell) in counts.iter_mut().zip(&self.cells.counts[..=bounds.len()]) {
            *slot = cell.load(Ordering::Relaxed);
        }
        let histogram = ClassicHistogram {
            bounds,
            counts: &counts[..=bounds.len()],
            sum: self.sum(),
            exemplars: &[],
            created: None,
            negative_observations: self.cells.negative_seen.load(Ordering::Relaxed),
        };
        // Each bucket's exemplar is copied and rendered on the stack as it is written.
        encoder.classic_histogram_with(labels, &histogram, |index| {
            self.exemplar(index).map(|exemplar| exemplar.render())
        });
    }
}

configured_metric!(ExemplarHistogram: Histogram, series ExemplarHistogramCells, config Buckets = Buckets::DEFAULT,
    handle ExemplarHistogramRef { buckets });
