//! The user guide: one chapter per module, each with examples that compile and run as
//! doctests.
//!
//! 1. [`declaring`]: `#[derive(Metrics)]`, its attributes, and the names it refuses.
//! 2. [`labels`]: label values and label sets, fixed and dynamic families, the overflow bound.
//! 3. [`histograms`]: buckets, timers, NaN, and why every scrape is consistent.
//! 4. [`timing`]: `#[timed]` on functions of every kind.
//! 5. [`serving`]: `/metrics` over HTTP, the process collector, a real Prometheus.
//! 6. [`exposition`]: the two text formats byte for byte, and how one is chosen.
//! 7. [`libraries`]: per-instance groups, sub-registries, unregistering, series that come and
//!    go, buckets from configuration.

pub mod declaring;
pub mod exposition;
pub mod histograms;
pub mod labels;
pub mod libraries;
pub mod serving;
pub mod timing;
