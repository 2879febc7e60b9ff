use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app", labels(env = ""))]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
}

fn main() {}
