use oxios_metrics::{Counter, Gauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub jobs: Counter,
    /// Pending.
    #[metric(rename = "jobs_total")]
    pub pending: Gauge,
}

fn main() {}
