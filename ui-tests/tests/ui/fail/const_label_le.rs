use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app", labels(le = "1"))]
pub struct AppMetrics {
    /// Some metric.
    #[metric(unit = "seconds")]
    pub latency: Histogram,
}

fn main() {}
