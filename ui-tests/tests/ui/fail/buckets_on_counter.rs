use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(buckets = [0.1, 0.5])]
    pub requests: Counter,
}

fn main() {}
