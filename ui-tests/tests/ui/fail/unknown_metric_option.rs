use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(bukets = [0.1])]
    pub latency: Histogram,
}

fn main() {}
