use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub latency_ms: Histogram,
}

fn main() {}
