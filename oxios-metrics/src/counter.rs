//! Counters: values that only go up.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::desc::MetricType;
use crate::encode::{MetricEncoder, NoLabels, SampleValue, WriteLabels};
use crate::metric::{EncodeMetric, FamilyMember, Metric};

/// A `u64` counter. `inc` and `add` are one relaxed atomic add.
///
/// The value wraps to 0 after `u64::MAX` (2^64 - 1); Prometheus reads a decrease as a counter
/// reset, so `rate()` stays correct across the wrap.
///
/// ```
/// use oxios_metrics::Counter;
/// static REQUESTS: Counter = Counter::new();
/// REQUESTS.inc();
/// REQUESTS.add(2);
/// assert_eq!(REQUESTS.get(), 3);
/// ```
#[derive(Debug, Default)]
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    /// A counter at zero.
    pub const fn new() -> Self {
        Counter {
            value: AtomicU64::new(0),
        }
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.value.fetch_add(1, Ordering::Relaxed);
    }

    /// Adds `amount`.
    #[inline]
    pub fn add(&self, amount: u64) {
        self.value.fetch_add(amount, Ordering::Relaxed);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}

impl EncodeMetric for Counter {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        Counter::encode_series(self, &(), &NoLabels, encoder);
    }
}

impl Metric for Counter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
}

#[diagnostic::do_not_recommend]
impl FamilyMember for Counter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
    type Series = Counter;
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW_SERIES: Counter = Counter::new();
    type Config = ();
    const DEFAULT_CONFIG: () = ();
    type Handle<'a> = &'a Counter;

    fn reset(series: &Counter) {
        series.value.store(0, Ordering::Relaxed);
    }

    #[inline]
    fn handle<'a>(series: &'a Counter, _: &'a ()) -> &'a Counter {
        series
    }

    const SINGLE_SAMPLE_SUFFIX: Option<&'static str> = Some("_total");

    #[inline]
    fn single_sample(series: &Counter, _: &()) -> Option<SampleValue> {
        Some(SampleValue::Unsigned(series.get()))
    }

    fn encode_series(
        series: &Counter,
        _: &(),
        labels: &dyn WriteLabels,
        encoder: &mut MetricEncoder<'_>,
    ) {
        encoder.counter(labels, SampleValue::Unsigned(series.get()), None, None);
    }
}

/// An `f64` counter, for amounts that are not whole (seconds of CPU, dollars spent).
///
/// Negative, NaN and infinite amounts are ignored: a counter only goes up, and one bad
/// amount must not poison the total.
///
/// ```
/// use oxios_metrics::FloatCounter;
/// static COST: FloatCounter = FloatCounter::new();
/// COST.add(0.25);
/// COST.add(-1.0); // ignored
/// assert_eq!(COST.get(), 0.25);
/// ```
#[derive(Debug, Default)]
pub struct FloatCounter {
    bits: AtomicU64,
}

impl FloatCounter {
    /// A counter at zero.
    pub const fn new() -> Self {
        FloatCounter {
            bits: AtomicU64::new(0),
        }
    }

    /// Adds one.
    pub fn inc(&self) {
        self.add(1.0);
    }

    /// Adds `amount` if it is finite and not negative.
    pub fn add(&self, amount: f64) {
        if amount.is_finite() && amount > 0.0 {
            add_f64(&self.bits, amount);
        }
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> f64 {
        f64::from_bits(self.bits.load(Ordering::Relaxed))
    }
}

/// Adds to an `f64` stored as bits, with a compare-and-swap loop (there is no atomic float add).
#[inline]
pub(crate) fn add_f64(bits: &AtomicU64, amount: f64) {
    let mut current = bits.load(Ordering::Relaxed);
    loop {
        let next = (f64::from_bits(current) + amount).to_bits();
        match bits.compare_exchange_weak(current, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return,
            Err(actual) => current = actual,
        }
    }
}

impl EncodeMetric for FloatCounter {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        FloatCounter::encode_series(self, &(), &NoLabels, encoder);
    }
}

impl Metric for FloatCounter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
}

#[diagnostic::do_not_recommend]
impl FamilyMember for FloatCounter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
    type Series = FloatCounter;
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW_SERIES: FloatCounter = FloatCounter::new();
    type Config = ();
    const DEFAULT_CONFIG: () = ();
    type Handle<'a> = &'a FloatCounter;

    fn reset(series: &FloatCounter) {
        series.bits.store(0, Ordering::Relaxed);
    }

    #[inline]
    fn handle<'a>(series: &'a FloatCounter, _: &'a ()) -> &'a FloatCounter {
        series
    }

    const SINGLE_SAMPLE_SUFFIX: Option<&'static str> = Some("_total");

    #[inline]
    fn single_sample(series: &FloatCounter, _: &()) -> Option<SampleValue> {
        Some(SampleValue::Float(series.get()))
    }

    fn encode_series(
        series: &FloatCounter,
        _: &(),
        labels: &dyn WriteLabels,
        encoder: &mut MetricEncoder<'_>,
    ) {
        encoder.counter(labels, SampleValue::Float(series.get()), None, None);
    }
}
