use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app", labels(env = "prod", env = "dev"))]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
}

fn main() {}
