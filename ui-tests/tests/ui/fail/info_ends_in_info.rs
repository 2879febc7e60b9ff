use oxios_metrics::{Info, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub build_info: Info,
}

fn main() {}
