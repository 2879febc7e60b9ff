use oxios_metrics::{Histogram, Metrics};

fn configured() -> &'static [f64] {
    &[0.1, 1.0]
}

#[derive(Metrics)]
pub struct Service {
    /// Latency.
    #[metric(unit = "seconds", buckets = configured())]
    pub latency: Histogram,
    /// Latency again.
    #[metric(unit = "seconds", buckets = &[0.1, 1.0])]
    pub again: Histogram,
}

fn main() {}
