use oxios_metrics::{Counter, Family, Metrics};

#[derive(Metrics)]
pub struct Service {
    /// Requests, by path.
    pub requests: Family<String, Counter>,
}

fn main() {}
