use oxios_metrics::{Gauge, Info, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub build: Info,
    /// Other.
    #[metric(rename = "build")]
    pub version: Gauge,
}

fn main() {}
