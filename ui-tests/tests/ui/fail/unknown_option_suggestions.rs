use oxios_metrics::{Counter, Family, LabelSet, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_al = "kebab-case")]
pub enum Role {
    #[label(renam = "dial")]
    Dialer,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
#[label(crat = oxios_metrics)]
pub struct Address {
    #[label(opne)]
    pub address: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Peer {
    pub peer: String,
}

#[derive(Metrics)]
#[metrics(prefx = "swarm")]
pub struct SwarmMetrics {
    /// Received, by peer.
    #[metric(max_serie = 100)]
    pub received: Family<Peer, Counter>,
    /// Dials.
    #[metric(hlep = "Dials.")]
    pub dials: Counter,
}

fn main() {}
