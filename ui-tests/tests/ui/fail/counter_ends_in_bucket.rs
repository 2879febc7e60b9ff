use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub cache_bucket: Counter,
}

fn main() {}
