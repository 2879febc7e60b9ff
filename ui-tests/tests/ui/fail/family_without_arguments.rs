use oxios_metrics::{Family, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub calls: Family,
}

fn main() {}
