//! DESIGN §12's contract exactly as written, and a `main` that checks what its comments say:
//! two swarms side by side under one HELP/TYPE per family, `#[timed]` through `self`, a series
//! forgotten, and a dropped swarm's series and sample names gone.

use std::sync::Arc;
use oxios_metrics::{timed, Counter, Family, Histogram, LabelSet, LabelValue, Metrics, Registration, Registry};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Role { Dialer, Listener }

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Protocol { pub protocol: String }

pub const DIAL_BUCKETS: [f64; 4] = [0.01, 0.1, 1.0, 10.0];

/// A library's metrics: no prefix of its own; the application chooses one.
#[derive(Metrics)]
pub struct SwarmMetrics {
    /// Connections established, by role.
    pub connections_established: Family<Role, Counter>,
    /// Dial duration.
    #[metric(unit = "seconds", buckets = DIAL_BUCKETS)]   // a path to a const: checked at compile time
    pub dial_duration: Histogram,
    /// Bytes received, by protocol.
    #[metric(unit = "bytes", max_series = 100)]
    pub received: Family<Protocol, Counter>,
}

pub struct Swarm {
    metrics: Arc<SwarmMetrics>,
    _registration: Registration,   // 'static + Send + Sync; dropping it unregisters the group
}

impl Swarm {
    pub fn new(registry: &Registry, peer: &str) -> Result<Swarm, oxios_metrics::RegisterError> {
        let metrics = Arc::new(SwarmMetrics::new());
        let scope = registry
            .sub_registry_with_prefix("libp2p_swarm")?   // checked at run time by the §4 rules: Err, never a panic
            .with_label("peer", peer)?;                   // label name checked, value escaped once
        let registration = scope.register_shared(metrics.clone())?;
        Ok(Swarm { metrics, _registration: registration })
    }

    #[timed(self.metrics.dial_duration)]                  // a target reached through `self`
    pub fn dial(&self, address: &str) -> usize { address.len() }

    pub fn received(&self, protocol: &Protocol, bytes: u64) {
        self.metrics.received.get_ref(protocol).add(bytes);
    }

    pub fn forget(&self, protocol: &Protocol) -> bool {
        self.metrics.received.remove(protocol)           // the series leaves the next scrape
    }
}
// Two swarms with different `peer` labels register side by side; the scrape shows
// libp2p_swarm_connections_established_total{peer="a",role="dialer"} and {peer="b",...}
// under ONE `# HELP`/`# TYPE` per family; dropping one swarm removes its series and frees its
// sample names for a new instance.

fn main() {
    use oxios_metrics::Format;

    let registry = Registry::new();
    let a = Swarm::new(&registry, "a").expect("swarm a registers");
    let b = Swarm::new(&registry, "b").expect("swarm b registers");
    a.metrics.connections_established.get(Role::Dialer).inc();
    b.metrics.connections_established.get(Role::Dialer).inc();
    assert_eq!(a.dial("/ip4/127.0.0.1/tcp/1"), 20);
    let ping = Protocol { protocol: "/ipfs/ping/1.0.0".to_owned() };
    b.received(&ping, 64);
    assert_eq!(a.metrics.dial_duration.count(), 1);
    assert_eq!(b.metrics.dial_duration.count(), 0);

    let text = registry.render(Format::Prometheus);
    assert!(text.contains("libp2p_swarm_connections_established_total{peer=\"a\",role=\"dialer\"} 1\n"), "{text}");
    assert!(text.contains("libp2p_swarm_connections_established_total{peer=\"b\",role=\"dialer\"} 1\n"), "{text}");
    assert_eq!(text.matches("# HELP libp2p_swarm_connections_established_total ").count(), 1, "{text}");
    assert_eq!(text.matches("# TYPE libp2p_swarm_dial_duration_seconds histogram\n").count(), 1, "{text}");
    assert!(text.contains("libp2p_swarm_dial_duration_seconds_bucket{peer=\"a\",le=\"10\"} 1\n"), "{text}");
    assert!(text.contains("libp2p_swarm_received_bytes_total{peer=\"b\",protocol=\"/ipfs/ping/1.0.0\"} 64\n"), "{text}");

    assert!(b.forget(&ping));
    assert!(!b.forget(&ping));
    let text = registry.render(Format::Prometheus);
    assert!(!text.contains("protocol=\"/ipfs/ping/1.0.0\""), "{text}");

    drop(a);
    let text = registry.render(Format::Prometheus);
    assert!(!text.contains("peer=\"a\""), "{text}");
    assert!(text.contains("peer=\"b\""), "{text}");
    let again = Swarm::new(&registry, "a").expect("a's sample names are free again");
    assert!(Swarm::new(&registry, "b").is_err(), "identical labels are refused");
    drop(again);
}
