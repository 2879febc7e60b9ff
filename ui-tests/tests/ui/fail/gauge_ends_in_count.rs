use oxios_metrics::{Gauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub queue_count: Gauge,
}

fn main() {}
