use oxios_metrics::Metrics;

#[derive(Metrics)]
pub struct AppMetrics;

fn main() {}
