use oxios_metrics::{Counter, Gauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "oxios_metrics")]
pub struct Clash {
    /// The registry's own counter name.
    pub series_overflow: Counter,
    /// A gauge exposing the counter's sample name.
    pub series_overflow_total: Gauge,
}

fn main() {}
