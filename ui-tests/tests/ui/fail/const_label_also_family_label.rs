use oxios_metrics::{Counter, Family, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    Shell,
    WebFetch,
}

#[derive(Metrics)]
#[metrics(prefix = "app", labels(tool = "x"))]
pub struct AppMetrics {
    /// Some metric.
    pub calls: Family<Tool, Counter>,
}

fn main() {}
