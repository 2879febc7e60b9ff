use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(buckets = exponential(1.0, 1e300, 3))]
    pub latency: Histogram,
}

fn main() {}
