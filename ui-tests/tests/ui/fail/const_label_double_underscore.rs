use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app", labels(__name__ = "x"))]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
}

fn main() {}
