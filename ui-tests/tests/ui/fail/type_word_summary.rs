use oxios_metrics::{Gauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(rename = "request_summary_seconds")]
    pub latency: Gauge,
}

fn main() {}
