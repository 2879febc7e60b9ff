use oxios_metrics::{Family, Gauge, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    Shell,
    WebFetch,
}

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    #[metric(buckets = [0.1, 0.5])]
    pub calls: Family<Tool, Gauge>,
}

fn main() {}
