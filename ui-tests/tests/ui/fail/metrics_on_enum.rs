use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
pub enum AppMetrics {
    Requests(Counter),
}

fn main() {}
