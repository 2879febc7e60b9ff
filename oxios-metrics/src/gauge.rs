//! Gauges: values that go up and down.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use crate::counter::add_f64;
use crate::desc::MetricType;
use crate::encode::{MetricEncoder, NoLabels, SampleValue, WriteLabels};
use crate::metric::{EncodeMetric, FamilyMember, Metric};

/// An `i64` gauge.
///
/// `inc`/`dec`/`add`/`sub` wrap on overflow (two's complement), as the atomic does.
///
/// ```
/// use oxios_metrics::Gauge;
/// static RUNNING: Gauge = Gauge::new();
/// RUNNING.set(3);
/// RUNNING.dec();
/// assert_eq!(RUNNING.get(), 2);
/// ```
#[derive(Debug, Default)]
pub struct Gauge {
    value: AtomicI64,
}

impl Gauge {
    /// A gauge at zero.
    pub const fn new() -> Self {
        Gauge {
            value: AtomicI64::new(0),
        }
    }

    /// Sets the value.
    #[inline]
    pub fn set(&self, value: i64) {
        self.value.store(value, Ordering::Relaxed);
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.value.fetch_add(1, Ordering::Relaxed);
    }

    /// Subtracts one.
    #[inline]
    pub fn dec(&self) {
        self.value.fetch_sub(1, Ordering::Relaxed);
    }

    /// Adds `amount` (which may be negative).
    #[inline]
    pub fn add(&self, amount: i64) {
        self.value.fetch_add(amount, Ordering::Relaxed);
    }

    /// Subtracts `amount`.
    #[inline]
    pub fn sub(&self, amount: i64) {
        self.value.fetch_sub(amount, Ordering::Relaxed);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> i64 {
        self.value.load(Ordering::Relaxed)
    }
}

impl EncodeMetric for Gauge {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        Gauge::encode_series(self, &(), &NoLabels, encoder);
    }
}

impl Metric for Gauge {
    const METRIC_TYPE: MetricType = MetricType::Gauge;
}

#[diagnostic::do_not_recommend]
impl FamilyMember for Gauge {
    const METRIC_TYPE: MetricType = MetricType::Gauge;
    type Series = Gauge;
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW_SERIES: Gauge = Gauge::new();
    type Config = ();
    const DEFAULT_CONFIG: () = ();
    type Handle<'a> = &'a Gauge;

    fn reset(series: &Gauge) {
        series.value.store(0, Ordering::Relaxed);
    }

    #[inline]
    fn handle<'a>(series: &'a Gauge, _: &'a ()) -> &'a Gauge {
        series
    }

    const SINGLE_SAMPLE_SUFFIX: Option<&'static str> = Some("");

    #[inline]
    fn single_sample(series: &Gauge, _: &()) -> Option<SampleValue> {
        Some(SampleValue::Signed(series.get()))
    }

    fn encode_series(
        series: &Gauge,
        _: &(),
        labels: &dyn WriteLabels,
        encoder: &mut MetricEncoder<'_>,
    ) {
        encoder.sample("", labels, SampleValue::Signed(series.get()));
    }
}

/// An `f64` gauge. Any value may be set, NaN and infinities included; they are written as
/// `NaN`, `+Inf` and `-Inf`.
///
/// ```
/// use oxios_metrics::FloatGauge;
/// static TEMPERATURE: FloatGauge = FloatGauge::new();
/// TEMPERATURE.set(21.5);
/// TEMPERATURE.add(-0.5);
/// assert_eq!(TEMPERATURE.get(), 21.0);
/// ```
#[derive(Debug, Default)]
pub struct FloatGauge {
    bits: AtomicU64,
}

impl FloatGauge {
    /// A gauge at zero.
    pub const fn new() -> Self {
        FloatGauge {
            bits: AtomicU64::new(0),
        }
    }

    /// Sets the value.
    #[inline]
    pub fn set(&self, value: f64) {
        self.bits.store(value.to_bits(), Ordering::Relaxed);
    }

    /// Adds `amount` (which may be negative).
    pub fn add(&self, amount: f64) {
        add_f64(&self.bits, amount);
    }

    /// Adds one.
    pub fn inc(&self) {
        self.add(1.0);
    }

    /// Subtracts one.
    pub fn dec(&self) {
        self.add(-1.0);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> f64 {
        f64::from_bits(self.bits.load(Ordering::Relaxed))
    }
}

impl EncodeMetric for FloatGauge {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        FloatGauge::encode_series(self, &(), &NoLabels, encoder);
    }
}

impl Metric for FloatGauge {
    const METRIC_TYPE: MetricType = MetricType::Gauge;
}

#[diagnostic::do_not_recommend]
impl FamilyMember for FloatGauge {
    const METRIC_TYPE: MetricType = MetricType::Gauge;
    type Series = FloatGauge;
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW_SERIES: FloatGauge = FloatGauge::new();
    type Config = ();
    const DEFAULT_CONFIG: () = ();
    type Handle<'a> = &'a FloatGauge;

    fn reset(series: &FloatGauge) {
        series.bits.store(0, Ordering::Relaxed);
    }

    #[inline]
    fn handle<'a>(series: &'a FloatGauge, _: &'a ()) -> &'a FloatGauge {
        series
    }

    const SINGLE_SAMPLE_SUFFIX: Option<&'static str> = Some("");

    #[inline]
    fn single_sample(series: &FloatGauge, _: &()) -> Option<SampleValue> {
        Some(SampleValue::Float(series.get()))
    }

    fn encode_series(
        series: &FloatGauge,
        _: &(),
        labels: &dyn WriteLabels,
        encoder: &mut MetricEncoder<'_>,
    ) {
        encoder.sample("", labels, SampleValue::Float(series.get()));
    }
}
