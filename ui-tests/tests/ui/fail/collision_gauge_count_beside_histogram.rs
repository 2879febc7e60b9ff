use oxios_metrics::{Gauge, Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(unit = "seconds")]
    pub latency: Histogram,
    /// Observations.
    #[metric(rename = "latency_seconds_count")]
    pub latency_observations: Gauge,
}

fn main() {}
