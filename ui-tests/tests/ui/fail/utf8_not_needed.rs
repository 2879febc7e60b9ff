use oxios_metrics::{Counter, Gauge, Info, Metrics};

#[derive(Metrics)]
pub struct Service {
    /// A legacy name does not need `utf8`.
    #[metric(utf8)]
    pub requests: Counter,
    /// Nor a legacy rename.
    #[metric(rename = "queue_depth", utf8)]
    pub depth: Gauge,
    /// Nor an info metric, whose labels are identifiers.
    #[metric(labels(version = "1"), utf8)]
    pub build: Info,
    /// Twice.
    #[metric(rename = "http.open", utf8, utf8)]
    pub open: Gauge,
}

fn main() {}
