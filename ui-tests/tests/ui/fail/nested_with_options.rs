use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
pub struct Inner {
    /// Hits.
    pub hits: Counter,
}

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    #[metric(nested, rename = "inner")]
    pub inner: Inner,
}

fn main() {}
