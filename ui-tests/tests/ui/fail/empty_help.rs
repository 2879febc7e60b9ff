use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    #[metric(help = "  ")]
    pub requests: Counter,
}

fn main() {}
