//! A library crate that declares its metrics with `global_metrics!` and forbids `unsafe`
//! code: the declaration compiles under `#![forbid(unsafe_code)]`.

#![forbid(unsafe_code)]

use oxios_metrics::{global_metrics, Counter, Metrics};

/// The first library's metrics.
#[derive(Metrics)]
pub struct FirstMetrics {
    /// Jobs processed.
    pub jobs_processed: Counter,
    /// Retries of the first library.
    pub first_retries: Counter,
}

global_metrics! {
    /// Registered into the global registry by itself.
    pub static FIRST: FirstMetrics = FirstMetrics::new();
}

/// Does the first library's work.
pub fn work() {
    FIRST.jobs_processed.inc();
    FIRST.first_retries.inc();
}
