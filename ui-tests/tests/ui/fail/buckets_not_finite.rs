use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(buckets = [0.1, f64::INFINITY])]
    pub latency: Histogram,
}

fn main() {}
