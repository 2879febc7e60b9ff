use oxios_metrics::{Counter, Info, Metrics};

#[derive(Metrics)]
#[metrics(labels(regionName = "eu"))]
pub struct Service {
    /// Requests.
    pub requests: Counter,
    /// Build information.
    #[metric(labels(gitCommit = "abc123", version = "1"))]
    pub build: Info,
}

fn main() {}
