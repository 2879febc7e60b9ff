use oxios_metrics::{Counter, Family, Histogram, LabelValue, Metrics, Summary};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Route {
    Home,
}

#[derive(Metrics)]
pub struct Service {
    /// A classic histogram cannot take native options.
    #[metric(native(schema = 3))]
    pub classic: Histogram,
    /// Nor a family of classic histograms.
    #[metric(native(max_buckets = 20))]
    pub classic_family: Family<Route, Histogram>,
    /// Nor a counter.
    #[metric(native(schema = 3))]
    pub requests: Counter,
    /// Nor a summary.
    #[metric(native(schema = 3))]
    pub payload: Summary,
}

fn main() {}
