use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app", labels(quantile = "0.5"))]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
}

fn main() {}
