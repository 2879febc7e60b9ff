//! The user guide: one chapter per module, each with examples that compile and run as
//! doctests.
//!
//! 1. [`declaring`]: `#[derive(Metrics)]`, its attributes, and the names it refuses.
//! 2. [`labels`]: label values and label sets, fixed and dynamic families, the overflow bound.
//! 3. [`histograms`]: buckets, timers, NaN, and why every scrape is consistent.
//! 4. [`timing`]: `#[timed]` on functions of every kind.
//! 5. [`registration`]: registering groups, and registration that cannot be forgotten
//!    (`global_metrics!`).
//! 6. [`serving`]: `/metrics` over HTTP, the process collector, a real Prometheus.
//! 7. [`axum`]: an axum application serving its metrics, as a whole program.
//! 8. [`exposition`]: the two text formats byte for byte, and how one is chosen.
//! 9. [`libraries`]: per-instance groups, sub-registries, unregistering, series that come and
//!    go, buckets from configuration.
//! 10. [`pushgateway`]: batch jobs pushing to a Pushgateway.
//! 11. [`facade`]: metrics emitted through the `metrics` facade, in the same exposition.
//! 12. [`migrating`]: from `prometheus`, `prometheus-client` and `metrics`, the same metrics
//!     both ways.
//! 13. [`options`]: every cargo feature, attribute option and builder method.

pub mod axum;
pub mod declaring;
pub mod exposition;
pub mod facade;
pub mod histograms;
pub mod labels;
pub mod libraries;
pub mod migrating;
pub mod options;
pub mod pushgateway;
pub mod registration;
pub mod serving;
pub mod timing;
