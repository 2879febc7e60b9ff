use oxios_metrics::{Gauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Memory in use.
    #[metric(unit = "seconds")]
    pub memory_bytes: Gauge,
}

fn main() {}
