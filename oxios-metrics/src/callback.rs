//! Metrics whose value is computed when scraped.
//!
//! The function runs during the scrape, with no lock of the registry held: it may take time
//! (a scrape served over HTTP renders off the server's accept loop), and it may itself use
//! the registry. It should not block forever: the scrape waits for it.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::desc::MetricType;
use crate::encode::{MetricEncoder, NoLabels, SampleValue};
use crate::metric::{EncodeMetric, Metric};

/// Where a callback metric reads its value: a plain function (const-constructible, for
/// `static`s) or a closure over instance state.
#[derive(Clone)]
enum Read {
    Function(fn() -> f64),
    Closure(Arc<dyn Fn() -> f64 + Send + Sync>),
}

impl Read {
    fn call(&self) -> f64 {
        match self {
            Read::Function(read) => read(),
            Read::Closure(read) => read(),
        }
    }
}

impl fmt::Debug for Read {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Read::Function(read) => write!(f, "Function({read:p})"),
            Read::Closure(_) => f.write_str("Closure"),
        }
    }
}

/// A gauge read from a function at every scrape (queue lengths, pool sizes, uptime).
///
/// ```
/// use oxios_metrics::CallbackGauge;
/// static CORES: CallbackGauge = CallbackGauge::new(|| 2.0);
/// assert_eq!(CORES.get(), 2.0);
///
/// // Per instance: a closure over the instance's state.
/// let queue = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(7));
/// let depth = {
///     let queue = queue.clone();
///     CallbackGauge::from_fn(move || queue.load(std::sync::atomic::Ordering::Relaxed) as f64)
/// };
/// assert_eq!(depth.get(), 7.0);
/// ```
#[derive(Debug, Clone)]
pub struct CallbackGauge {
    read: Read,
}

impl CallbackGauge {
    /// A gauge whose value is `read()`.
    pub const fn new(read: fn() -> f64) -> Self {
        CallbackGauge {
            read: Read::Function(read),
        }
    }

    /// A gauge whose value is `read()`, a closure (over the state of one instance, say).
    pub fn from_fn(read: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        CallbackGauge {
            read: Read::Closure(Arc::new(read)),
        }
    }

    /// Calls the function.
    pub fn get(&self) -> f64 {
        self.read.call()
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
/// A reading that cannot be a counter's value (NaN or negative) is not written: the scrape
/// shows the last valid reading instead (0 before the first), as a
/// [`FloatCounter`](crate::FloatCounter) ignores such amounts — OpenMetrics parsers refuse a
/// whole scrape over one NaN or negative counter.
///
/// ```
/// use oxios_metrics::CallbackCounter;
/// static PAGE_FAULTS: CallbackCounter = CallbackCounter::new(|| 42.0);
/// assert_eq!(PAGE_FAULTS.get(), 42.0);
/// ```
#[derive(Debug)]
pub struct CallbackCounter {
    read: Read,
    /// The last reading that was a valid counter value, as `f64` bits.
    last_valid: AtomicU64,
}

impl CallbackCounter {
    /// A counter whose value is `read()`.
    pub const fn new(read: fn() -> f64) -> Self {
        CallbackCounter {
            read: Read::Function(read),
            last_valid: AtomicU64::new(0),
        }
    }

    /// A counter whose value is `read()`, a closure (over the state of one instance, say).
    pub fn from_fn(read: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        CallbackCounter {
            read: Read::Closure(Arc::new(read)),
            last_valid: AtomicU64::new(0),
        }
    }

    /// Calls the function (the raw reading, whatever it is).
    pub fn get(&self) -> f64 {
        self.read.call()
    }

    /// The value a scrape writes: the reading if it is a valid counter value, else the last
    /// valid one.
    pub fn value(&self) -> f64 {
        let reading = self.get();
        if reading >= 0.0 {
            // `+ 0.0` turns -0.0 into 0.0.
            let reading = reading + 0.0;
            self.last_valid.store(reading.to_bits(), Ordering::Relaxed);
            reading
        } else {
            f64::from_bits(self.last_valid.load(Ordering::Relaxed))
        }
    }
}

impl EncodeMetric for CallbackCounter {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        encoder.sample("_total", &NoLabels, SampleValue::Float(self.value()));
    }
}

impl Metric for CallbackCounter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicI64;

    #[test]
    fn invalid_readings_show_the_last_valid_one() {
        let reading = Arc::new(AtomicI64::new(5));
        let counter = {
            let reading = reading.clone();
            CallbackCounter::from_fn(move || match reading.load(Ordering::Relaxed) {
                -1 => f64::NAN,
                value => value as f64,
            })
        };
        assert_eq!(counter.value(), 5.0);
        reading.store(-1, Ordering::Relaxed);
        assert_eq!(counter.value(), 5.0, "NaN is not written");
        reading.store(-7, Ordering::Relaxed);
        assert_eq!(counter.value(), 5.0, "a negative reading is not written");
        reading.store(2, Ordering::Relaxed);
        assert_eq!(counter.value(), 2.0, "a decrease is a reset, and valid");
    }
}
