use std::sync::Arc;

use oxios_metrics::{timed, Counter, Family, Histogram, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Peer {
    Local,
}

#[derive(Metrics)]
pub struct SwarmMetrics {
    /// Dials.
    pub dials: Counter,
    /// Dials by peer.
    pub dials_by_peer: Family<Peer, Counter>,
    /// Dial duration.
    #[metric(unit = "seconds")]
    pub dial_duration: Histogram,
}

pub struct Swarm {
    metrics: Arc<SwarmMetrics>,
}

impl Swarm {
    #[timed(self.metrics.dials)]
    pub fn counter_target(&self) {}

    #[timed(self.metrics.dials_by_peer, outcome)]
    pub fn counter_family_by_outcome(&self) -> Result<(), ()> {
        Ok(())
    }

    #[timed(self.metrics.dial_duration, in_flight = self.metrics.dials)]
    pub fn counter_as_in_flight(&self) {}
}

fn main() {}
