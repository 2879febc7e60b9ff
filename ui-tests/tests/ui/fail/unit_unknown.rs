use oxios_metrics::{Gauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(unit = "requests")]
    pub load: Gauge,
}

fn main() {}
