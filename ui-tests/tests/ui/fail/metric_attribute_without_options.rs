use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Requests.
    #[metric]
    pub requests: Counter,
}

fn main() {}
