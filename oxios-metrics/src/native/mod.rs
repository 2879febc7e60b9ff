//! Native histograms: Prometheus' exponential sparse histograms.
//!
//! Bucket `i` at schema `s` counts observations in `(base^(i-1), base^i]`, with
//! `base = 2^(2^-s)`: schema 3 (the default) has 8 buckets per power of two, each about 9%
//! wider than the one before, whatever the values' scale, so no bucket bounds need choosing.
//! Negative observations have buckets of their own, mirrored; observations with
//! `|v| <= zero_threshold` go to the zero bucket.
//!
//! Memory is fixed (about 8.6 KiB per series, inline, so a histogram is built in `const`
//! context and lives in a `static`). The bucket limit bounds how many buckets each sign
//! spans: an observation that would go past it halves the resolution (the schema drops by
//! one, adjacent buckets merge, counts stay exact) instead of growing.
//!
//! * **NaN** has no native bucket and is not added to `sum` (one NaN would make the sum NaN
//!   for the rest of the process); it is counted apart ([`NativeSnapshot::nan_count`]), and
//!   in the text formats in `+Inf` and `_count`, as [`Histogram`](crate::Histogram) counts
//!   it. The native `count` leaves it out, so it always equals the zero bucket plus the
//!   buckets, as the Prometheus server requires of a native histogram whose sum is not NaN.
//! * **±Inf** take the bucket after the one holding `±f64::MAX`; **-0.0** and **0** are in
//!   the zero bucket; **subnormals** get their exact bucket (`5e-324` is bucket `-1074` at
//!   schema 0) unless the zero threshold covers them (the default, 2^-128, does).
//!
//! **Exposition.** Protobuf carries a native histogram whole: schema, zero threshold and
//! count, the spans and deltas of both signs, and the classic buckets alongside when they
//! are kept (Prometheus then chooses which to ingest). OpenMetrics 2.0 writes it as one
//! composite value. The other text formats cannot carry native buckets: there a native
//! histogram writes its classic buckets if it has them, otherwise only `+Inf`, `_sum` and
//! `_count` (as client_golang does); keep classic buckets so text scrapers still see a
//! distribution. [`NativeHistogram::snapshot`] gives everything
//! `io.prometheus.client.Histogram` holds to encoders of one's own.
//!
//! `observe` takes no lock, allocates nothing and waits for nothing: an atomic add to the sum
//! and one compare-and-swap on the bucket (plus one add for a classic bucket), as many
//! read-modify-writes as a classic histogram's. How scrapes and schema reductions stay exact
//! while observers run is described in `native/cells.rs`.

mod cells;
mod config;
mod index;
mod snapshot;

pub(crate) use config::native_builders;

pub use cells::NativeCells;
pub use config::{
    NativeConfig, NativeConfigError, DEFAULT_SCHEMA, DEFAULT_ZERO_THRESHOLD, NATIVE_MAX_BUCKETS,
};
pub use index::{bucket_upper_bound, MAX_SCHEMA, MIN_SCHEMA};
pub use snapshot::{BucketSpan, NativeBuckets, NativeSnapshot};

use crate::encode::{MetricEncoder, WriteLabels};
use crate::histogram::Buckets;
use crate::metric::configured_metric;

/// The bucket index of `value` at `schema` (by magnitude: `-v` has the index of `v`), or
/// `None` for NaN and 0, which have no exponential bucket.
///
/// ```
/// use oxios_metrics::native::bucket_index;
/// assert_eq!(bucket_index(1.0, 0), Some(0));       // (0.5, 1]
/// assert_eq!(bucket_index(1.5, 0), Some(1));       // (1, 2]
/// assert_eq!(bucket_index(2.0, 3), Some(8));       // 8 buckets per power of two
/// assert_eq!(bucket_index(f64::NAN, 3), None);
/// ```
pub fn bucket_index(value: f64, schema: i8) -> Option<i32> {
    let magnitude = value.abs();
    if magnitude.is_nan() || magnitude == 0.0 || !(MIN_SCHEMA..=MAX_SCHEMA).contains(&schema) {
        return None;
    }
    Some(index::bucket_index(magnitude, schema))
}

/// A native histogram.
///
/// ```
/// use oxios_metrics::NativeHistogram;
/// static LATENCY: NativeHistogram = NativeHistogram::new().with_schema(3).with_max_buckets(100);
/// LATENCY.observe(0.25);
/// LATENCY.observe(-3.0);
/// LATENCY.observe(0.0);
/// let snapshot = LATENCY.snapshot();
/// assert_eq!((snapshot.count(), snapshot.zero_count(), snapshot.sum()), (3, 1, -2.75));
/// assert_eq!(snapshot.positive().iter().collect::<Vec<_>>(), vec![(-16, 1)]); // 0.25 = 2^-2
/// assert_eq!(snapshot.negative().iter().collect::<Vec<_>>(), vec![(13, 1)]);  // 3 in (2^(12/8), 2^(13/8)]
/// ```
#[derive(Debug)]
pub struct NativeHistogram {
    config: NativeConfig,
    cells: NativeCells,
}

impl NativeHistogram {
    /// A native histogram with the default options ([`NativeConfig::DEFAULT`]).
    pub const fn new() -> Self {
        Self::with_config(NativeConfig::DEFAULT)
    }

    /// A native histogram with `config`.
    pub const fn with_config(config: NativeConfig) -> Self {
        NativeHistogram {
            config,
            cells: NativeCells::new(),
        }
    }

    native_builders!();

    /// The reference form shared with family members.
    #[inline]
    pub fn as_ref(&self) -> NativeHistogramRef<'_> {
        NativeHistogramRef {
            config: &self.config,
            cells: &self.cells,
        }
    }

    /// Records one observation (see the [module documentation](crate::native) for NaN,
    /// infinities and zeros).
    #[inline]
    pub fn observe(&self, value: f64) {
        self.as_ref().observe(value);
    }

    /// A consistent read of every counter.
    pub fn snapshot(&self) -> NativeSnapshot {
        self.as_ref().snapshot()
    }
}

impl Default for NativeHistogram {
    fn default() -> Self {
        Self::new()
    }
}

/// A native histogram series: a plain [`NativeHistogram`] or one member of a
/// [`Family`](crate::Family) of them.
#[derive(Clone, Copy, Debug)]
pub struct NativeHistogramRef<'a> {
    config: &'a NativeConfig,
    cells: &'a NativeCells,
}

impl<'a> NativeHistogramRef<'a> {
    /// Records one observation.
    #[inline]
    pub fn observe(self, value: f64) {
        self.cells.observe(self.config, value);
    }

    /// Every observation counted so far, each in exactly one bucket. Taking it starts a new
    /// epoch of the series' counters; observers are never blocked by it, a concurrent
    /// snapshot of the same series waits for it.
    pub fn snapshot(self) -> NativeSnapshot {
        self.cells.snapshot(self.config)
    }

    /// The options.
    pub fn config(self) -> &'a NativeConfig {
        self.config
    }

    fn encode_with(self, labels: &dyn WriteLabels, encoder: &mut MetricEncoder<'_>) {
        self.snapshot().encode(labels, &[], encoder);
    }
}

configured_metric!(NativeHistogram: Histogram, series NativeCells, config NativeConfig = NativeConfig::DEFAULT,
    handle NativeHistogramRef { config });
