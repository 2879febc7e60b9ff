use oxios_metrics::{Info, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app", labels(region = "eu"))]
pub struct AppMetrics {
    /// Build information.
    #[metric(labels(quantile = "x", version = "1", version = "2", region = "us", __id = "7"))]
    pub build: Info,
}

fn main() {}
