use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Requests.
    #[metric(labels(version = "1.0"))]
    pub requests: Counter,
}

fn main() {}
