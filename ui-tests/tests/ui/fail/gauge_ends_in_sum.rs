use oxios_metrics::{Gauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub latency_sum: Gauge,
}

fn main() {}
