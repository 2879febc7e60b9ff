use oxios_metrics::{Counter, ExemplarHistogram, Family, Gauge, LabelValue, Metrics, NativeHistogram, Summary};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Route {
    Home,
}

#[derive(Metrics)]
pub struct Service {
    /// Quantiles on a histogram.
    #[metric(quantiles = [0.5])]
    pub latency: ExemplarHistogram,
    /// A window on a counter.
    #[metric(max_age = "10m")]
    pub requests: Counter,
    /// Age buckets on a native histogram family.
    #[metric(age_buckets = 3)]
    pub spread: Family<Route, NativeHistogram>,
    /// Buckets on a summary.
    #[metric(buckets = [0.1, 1.0])]
    pub payload: Summary,
    /// Quantiles on a gauge family.
    #[metric(quantiles = [0.5])]
    pub depth: Family<Route, Gauge>,
}

fn main() {}
