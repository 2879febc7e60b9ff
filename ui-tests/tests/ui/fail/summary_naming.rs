use oxios_metrics::{Metrics, Summary};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct Service {
    /// Ends in `_bucket`.
    pub payload_bucket: Summary,
    /// Ends in `_total`.
    pub payload_total: Summary,
    /// Ends in `_created`.
    pub payload_created: Summary,
    /// Ends in `_info`.
    pub payload_info: Summary,
    /// A type word.
    pub latency_summary: Summary,
    /// A non-base unit.
    #[metric(unit = "milliseconds")]
    pub wait: Summary,
    /// An abbreviated unit in the name.
    pub wait_ms: Summary,
    /// No HELP below.
    #[metric(help = "")]
    pub silent: Summary,
}

fn main() {}
