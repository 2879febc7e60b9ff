//! Metric declarations shared by the example programs.
