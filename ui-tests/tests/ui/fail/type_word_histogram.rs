use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(unit = "seconds")]
    pub latency_histogram: Histogram,
}

fn main() {}
