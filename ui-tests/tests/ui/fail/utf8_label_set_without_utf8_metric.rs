use oxios_metrics::{Counter, Family, LabelSet, Metrics};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Request {
    #[label(rename = "http.request.method", utf8)]
    pub method: String,
}

#[derive(Metrics)]
pub struct Service {
    /// A family whose label set has a UTF-8 label name, in a metric not declared `utf8`.
    pub requests: Family<Request, Counter>,
}

fn main() {}
