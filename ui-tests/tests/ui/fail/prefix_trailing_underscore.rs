use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app_")]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
}

fn main() {}
