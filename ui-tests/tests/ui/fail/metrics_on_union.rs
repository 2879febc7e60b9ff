use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
pub union AppMetrics {
    /// Requests.
    pub requests: std::mem::ManuallyDrop<Counter>,
}

fn main() {}
