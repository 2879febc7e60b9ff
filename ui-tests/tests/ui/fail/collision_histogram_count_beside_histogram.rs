use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub latency: Histogram,
    /// Other.
    pub latency_count: Histogram,
}

fn main() {}
