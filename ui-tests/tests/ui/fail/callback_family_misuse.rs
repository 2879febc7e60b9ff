use oxios_metrics::{CallbackFamily, FamilyWriter, Gauge, Histogram, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Queue {
    Inbound,
}

fn depths(_: &mut FamilyWriter<'_, Queue>) {}

#[derive(Metrics)]
pub struct Service {
    /// Depths.
    #[metric(read = depths, max_series = 10, buckets = [1.0])]
    pub depths: CallbackFamily<Queue, Gauge>,
    /// Latencies cannot be computed at scrape.
    pub latency: CallbackFamily<Queue, Histogram>,
    /// Ends in `_total`.
    #[metric(read = depths)]
    pub depth_total: CallbackFamily<Queue, Gauge>,
}

fn main() {}
