use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Latency.
    #[metric(help = "Latency.")]
    #[metric(help = "Again.")]
    pub latency: Histogram,
}

fn main() {}
