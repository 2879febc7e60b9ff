//! A group that fails its checks: only the derive's errors are reported, not errors from
//! the code that uses the group.
use oxios_metrics::{Counter, Gauge, Histogram, Metrics, Registry};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Requests.
    pub requests_total: Counter,
    pub connections: Gauge,
    /// Latency.
    #[metric(unit = "milliseconds", buckets = [1.0, 0.5])]
    pub latency: Histogram,
}

static METRICS: AppMetrics = AppMetrics::new();

fn main() {
    let registry = Registry::new();
    registry.register(&METRICS).unwrap();
    METRICS.requests_total.inc();
}
