//! Metrics whose value is computed when scraped.

use crate::desc::MetricType;
use crate::encode::{MetricEncoder, NoLabels, SampleValue};
use crate::metric::{EncodeMetric, Metric};

/// A gauge read from a function at every scrape (queue lengths, pool sizes, uptime).
///
/// ```
/// use oxios_metrics::CallbackGauge;
/// static CORES: CallbackGauge = CallbackGauge::new(|| 2.0);
/// assert_eq!(CORES.get(), 2.0);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CallbackGauge {
    read: fn() -> f64,
}

impl CallbackGauge {
    /// A gauge whose value is `read()`.
    pub const fn new(read: fn() -> f64) -> Self {
        CallbackGauge { read }
    }

    /// Calls the function.
    pub fn get(&self) -> f64 {
        (self.read)()
    }
}

impl EncodeMetric for CallbackGauge {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        encoder.sample("", &NoLabels, SampleValue::Float(self.get()));
    }
}

impl Metric for CallbackGauge {
    const METRIC_TYPE: MetricType = MetricType::Gauge;
}

/// A counter read from a function at every scrape (a total kept elsewhere, such as a
/// kernel's or a dependency's own count). The function must not decrease between scrapes
/// except on a reset.
///
/// ```
/// use oxios_metrics::CallbackCounter;
/// static PAGE_FAULTS: CallbackCounter = CallbackCounter::new(|| 42.0);
/// assert_eq!(PAGE_FAULTS.get(), 42.0);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CallbackCounter {
    read: fn() -> f64,
}

impl CallbackCounter {
    /// A counter whose value is `read()`.
    pub const fn new(read: fn() -> f64) -> Self {
        CallbackCounter { read }
    }

    /// Calls the function.
    pub fn get(&self) -> f64 {
        (self.read)()
    }
}

impl EncodeMetric for CallbackCounter {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        encoder.sample("_total", &NoLabels, SampleValue::Float(self.get()));
    }
}

impl Metric for CallbackCounter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
}
