use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
pub struct AppMetrics {
    /// Some metric.
    #[metric(rename = "__requests")]
    pub requests: Counter,
}

fn main() {}
