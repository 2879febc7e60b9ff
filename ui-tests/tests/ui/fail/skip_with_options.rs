use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub requests: Counter,
    #[metric(skip, unit = "seconds")]
    pub started: std::sync::atomic::AtomicU64,
}

fn main() {}
