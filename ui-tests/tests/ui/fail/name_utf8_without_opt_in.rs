use oxios_metrics::{Histogram, Metrics};

#[derive(Metrics)]
pub struct Service {
    /// An OpenTelemetry name, not declared `utf8`.
    #[metric(rename = "http.server.request.duration")]
    pub duration: Histogram,
}

fn main() {}
