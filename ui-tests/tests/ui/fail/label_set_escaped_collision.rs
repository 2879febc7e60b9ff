use oxios_metrics::{LabelSet, LabelValue};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Request {
    /// An OpenTelemetry attribute ...
    #[label(rename = "http.method", utf8)]
    pub method: String,
    /// ... and the legacy name it is written as once escaped: one label twice.
    #[label(rename = "http_method")]
    pub legacy_method: String,
    /// `__` once escaped: a label Prometheus reserves and drops.
    #[label(rename = "..peer", utf8)]
    pub peer: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = ".·zone", utf8)]
pub enum Zone {
    East,
}

fn main() {}
