use oxios_metrics::{CallbackFamily, Counter, FamilyWriter, Gauge, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Queue {
    Inbound,
}

fn depths(_: &mut FamilyWriter<'_, Queue>) {}

#[derive(Metrics)]
pub struct Service {
    /// Requests.
    #[metric(sparse)]
    pub requests: Counter,
    /// Queue depths.
    #[metric(sparse, read = depths)]
    pub depths: CallbackFamily<Queue, Gauge>,
}

fn main() {}
