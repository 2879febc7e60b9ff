use oxios_metrics::{CallbackGauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub queue_length: CallbackGauge,
}

fn main() {}
