use oxios_metrics::{CallbackGauge, Family, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    Shell,
}

#[derive(Metrics)]
pub struct AppMetrics {
    /// A callback metric cannot be a family's series.
    pub depth: Family<Tool, CallbackGauge>,
    /// Nor a value that is no metric at all.
    pub names: Family<Tool, String>,
}

fn main() {}
