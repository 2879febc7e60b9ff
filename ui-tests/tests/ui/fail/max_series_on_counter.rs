use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(max_series = 10)]
    pub requests: Counter,
}

fn main() {}
