use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(rename = "5xx_responses")]
    pub responses: Counter,
}

fn main() {}
