use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "__app")]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
}

fn main() {}
