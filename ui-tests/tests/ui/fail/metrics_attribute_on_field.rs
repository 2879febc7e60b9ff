use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Requests.
    #[metrics(rename = "x")]
    pub requests: Counter,
}

fn main() {}
