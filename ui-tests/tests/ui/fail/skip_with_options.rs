use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
    #[metric(skip, unit = "seconds")]
    pub started: Vec<u64>,
}

fn main() {}
