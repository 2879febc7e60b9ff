use oxios_metrics::{Info, Metrics};

#[derive(Metrics)]
pub struct Service {
    /// Build information.
    #[metric(unit = "seconds", labels(version = "1"))]
    pub build: Info,
}

fn main() {}
