use oxios_metrics::{LabelSet, LabelValue};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Request {
    /// An OpenTelemetry label name, not declared `utf8`.
    #[label(rename = "http.request.method")]
    pub method: String,
    /// Declared, but holding a character no scheme can write.
    #[label(rename = "url=path", utf8)]
    pub path: String,
    /// A legacy name does not need `utf8`.
    #[label(utf8)]
    pub status: u16,
    /// `utf8` does not make a reserved name usable.
    #[label(rename = "quantile", utf8)]
    pub quantile_like: String,
    /// Nor a leading `__`.
    #[label(rename = "__peer.address", utf8)]
    pub peer: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(utf8)]
pub enum Method {
    Get,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "http.method")]
pub enum Verb {
    Get,
}

fn main() {}
