use oxios_metrics::{Counter, Family, LabelSet, Metrics};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Peer {
    pub peer: String,
}

#[derive(Metrics)]
pub struct Service {
    /// Requests, by peer.
    #[metric(sparse)]
    pub requests: Family<Peer, Counter>,
}

fn main() {}
