use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(read = crate::zero)]
    pub requests: Counter,
}

fn main() {}

fn zero() -> f64 {
    0.0
}
