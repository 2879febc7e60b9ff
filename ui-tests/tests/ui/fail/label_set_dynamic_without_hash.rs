use oxios_metrics::{LabelSet, LabelValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    Shell,
    WebFetch,
}

#[derive(Clone, Debug, PartialEq, Eq, LabelSet)]
pub struct Call {
    pub user: String,
}

use oxios_metrics::{Counter, Family, Metrics};

#[derive(Metrics)]
pub struct AppMetrics {
    /// Calls.
    pub calls: Family<Call, Counter>,
}

fn main() {}
