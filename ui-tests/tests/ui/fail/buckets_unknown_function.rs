use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(buckets = logarithmic(1.0, 2.0, 5))]
    pub latency: Histogram,
}

fn main() {}
