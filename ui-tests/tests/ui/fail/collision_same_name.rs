use oxios_metrics::{Counter, Gauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
    /// Other.
    #[metric(rename = "requests")]
    pub other: Gauge,
}

fn main() {}
