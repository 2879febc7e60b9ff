use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(buckets = exponential(1.0, 1.0, 5))]
    pub latency: Histogram,
}

fn main() {}
