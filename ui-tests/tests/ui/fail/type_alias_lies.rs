use oxios_metrics::Metrics;

use oxios_metrics::Gauge as Counter;

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
}

fn main() {}
