use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
pub struct AppMetrics(pub Counter);

fn main() {}
