use oxios_metrics::{Counter, Metrics};

pub struct NotAGroup {
    pub hits: Counter,
}

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Requests.
    pub requests: Counter,
    #[metric(nested)]
    pub inner: NotAGroup,
}

fn main() {}
