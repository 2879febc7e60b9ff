//! One series of a facade family: the value behind a `metrics::Counter`, `Gauge` or
//! `Histogram` handle. Each is shared (`Arc`) between the family that writes it and every
//! handle given out, so recording through a handle is an atomic operation with no lookup.
//! Values are converted to the family's base unit as they are recorded.

use metrics::{CounterFn, GaugeFn, HistogramFn};
use parking_lot::Mutex;

use crate::counter::{Counter, FloatCounter};
use crate::desc::MetricType;
use crate::encode::{MetricEncoder, WriteLabels};
use crate::gauge::FloatGauge;
use crate::histogram::{Buckets, Histogram, HistogramCells};
use crate::metric::FamilyMember;

/// What every facade series can do: be created from its family's settings and write itself.
pub(crate) trait Cell: Send + Sync + 'static {
    /// What the series of one family share (the unit factor, a histogram's buckets).
    type Config: Clone + Send + Sync + 'static;
    const METRIC_TYPE: MetricType;

    fn new(config: &Self::Config) -> Self;

    fn encode(&self, labels: &dyn WriteLabels, encoder: &mut MetricEncoder<'_>);
}

/// A counter in the family's base unit: whole when the unit factor is a whole number (or
/// there is no unit), a float otherwise (milliseconds counted as seconds).
pub(crate) struct CounterCell {
    value: CounterValue,
    /// Serialises `absolute` calls, so two of them cannot both add the difference they saw;
    /// increments never take it.
    raising: Mutex<()>,
}

enum CounterValue {
    Whole { counter: Counter, factor: u64 },
    Float { counter: FloatCounter, factor: f64 },
}

/// A counter's unit factor, and whether it is whole.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CounterConfig {
    pub(crate) factor: f64,
    pub(crate) whole: bool,
}

impl Cell for CounterCell {
    type Config = CounterConfig;
    const METRIC_TYPE: MetricType = MetricType::Counter;

    fn new(config: &CounterConfig) -> Self {
        let value = if config.whole {
            // The whole factors are powers of 1024 (at most 2^40), exact as integers.
            CounterValue::Whole {
                counter: Counter::new(),
                factor: config.factor as u64,
            }
        } else {
            CounterValue::Float {
                counter: FloatCounter::new(),
                factor: config.factor,
            }
        };
        CounterCell {
            value,
            raising: Mutex::new(()),
        }
    }

    fn encode(&self, labels: &dyn WriteLabels, encoder: &mut MetricEncoder<'_>) {
        match &self.value {
            CounterValue::Whole { counter, .. } => {
                <Counter as FamilyMember>::encode_series(counter, &(), labels, encoder)
            }
            CounterValue::Float { counter, .. } => {
                <FloatCounter as FamilyMember>::encode_series(counter, &(), labels, encoder)
            }
        }
    }
}

impl CounterFn for CounterCell {
    fn increment(&self, value: u64) {
        match &self.value {
            CounterValue::Whole { counter, factor } => counter.add(value.saturating_mul(*factor)),
            CounterValue::Float { counter, factor } => counter.add(value as f64 * factor),
        }
    }

    fn absolute(&self, value: u64) {
        // Under the lock no other `absolute` runs; an increment racing it is still added, so
        // the result is what some order of the two calls gives.
        let _raising = self.raising.lock();
        match &self.value {
            CounterValue::Whole { counter, factor } => {
                let target = value.saturating_mul(*factor);
                let current = counter.get();
                if target > current {
                    counter.add(target - current);
                }
            }
            CounterValue::Float { counter, factor } => {
                let target = value as f64 * factor;
                let current = counter.get();
                if target > current {
                    counter.add(target - current);
                }
            }
        }
    }
}

/// A gauge in the family's base unit.
pub(crate) struct GaugeCell {
    gauge: FloatGauge,
    factor: f64,
}

impl Cell for GaugeCell {
    type Config = f64;
    const METRIC_TYPE: MetricType = MetricType::Gauge;

    fn new(factor: &f64) -> Self {
        GaugeCell {
            gauge: FloatGauge::new(),
            factor: *factor,
        }
    }

    fn encode(&self, labels: &dyn WriteLabels, encoder: &mut MetricEncoder<'_>) {
        <FloatGauge as FamilyMember>::encode_series(&self.gauge, &(), labels, encoder);
    }
}

impl GaugeFn for GaugeCell {
    fn increment(&self, value: f64) {
        self.gauge.add(value * self.factor);
    }

    fn decrement(&self, value: f64) {
        self.gauge.add(-(value * self.factor));
    }

    fn set(&self, value: f64) {
        self.gauge.set(value * self.factor);
    }
}

/// A histogram series with the family's buckets, observing values in the base unit.
pub(crate) struct HistogramCell {
    cells: HistogramCells,
    buckets: Buckets,
    factor: f64,
}

/// A histogram family's buckets and unit factor.
#[derive(Clone, Debug)]
pub(crate) struct HistogramConfig {
    pub(crate) buckets: Buckets,
    pub(crate) factor: f64,
}

impl Cell for HistogramCell {
    type Config = HistogramConfig;
    const METRIC_TYPE: MetricType = MetricType::Histogram;

    fn new(config: &HistogramConfig) -> Self {
        HistogramCell {
            cells: HistogramCells::new(),
            buckets: config.buckets.clone(),
            factor: config.factor,
        }
    }

    fn encode(&self, labels: &dyn WriteLabels, encoder: &mut MetricEncoder<'_>) {
        <Histogram as FamilyMember>::encode_series(&self.cells, &self.buckets, labels, encoder);
    }
}

impl HistogramFn for HistogramCell {
    fn record(&self, value: f64) {
        <Histogram as FamilyMember>::handle(&self.cells, &self.buckets)
            .observe(value * self.factor);
    }
}
