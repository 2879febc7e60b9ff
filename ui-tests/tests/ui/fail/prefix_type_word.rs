use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app_counter")]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
}

fn main() {}
