use oxios_metrics::{Counter, Family, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Role {
    Dialer,
    Listener,
}

#[derive(Metrics)]
pub struct SwarmMetrics {
    /// Connections, by role: two series whatever the bound.
    #[metric(max_series = 100)]
    pub connections: Family<Role, Counter>,
}

fn main() {}
