//! Label types for the peer crates, one module per crate, each in that crate's idiom.

pub mod fastmetrics_labels;
pub mod measured_labels;
pub mod prometheus_client_labels;
