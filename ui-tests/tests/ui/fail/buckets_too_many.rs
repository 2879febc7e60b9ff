use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(buckets = linear(1.0, 1.0, 33))]
    pub latency: Histogram,
}

fn main() {}
