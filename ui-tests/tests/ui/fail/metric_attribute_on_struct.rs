use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metric(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
}

fn main() {}
