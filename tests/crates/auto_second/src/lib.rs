//! Another library crate declaring, with `global_metrics!`, a metric of the same name as
//! the first library's (with another HELP): the clash the global registry reports.

#![forbid(unsafe_code)]

use oxios_metrics::{global_metrics, Counter, Gauge, Metrics};

/// The second library's metrics.
#[derive(Metrics)]
pub struct SecondMetrics {
    /// Jobs processed by the second library.
    pub jobs_processed: Counter,
    /// Workers of the second library.
    pub second_workers: Gauge,
}

global_metrics! {
    /// Declared like the first library's, and refused because of `jobs_processed`.
    pub static SECOND: SecondMetrics = SecondMetrics::new();
}

/// Does the second library's work.
pub fn work() {
    SECOND.jobs_processed.inc();
    SECOND.second_workers.set(2);
}
