use oxios_metrics::{LabelSet, LabelValue};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Peer {
    #[allow(non_snake_case)]
    pub peerId: String,
    #[label(rename = "remoteAddress")]
    pub address: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "transportKind")]
pub enum Transport {
    Tcp,
    Quic,
}

fn main() {}
