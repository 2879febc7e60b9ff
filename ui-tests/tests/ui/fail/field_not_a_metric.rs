use oxios_metrics::Metrics;

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub requests: u64,
}

fn main() {}
