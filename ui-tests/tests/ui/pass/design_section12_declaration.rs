//! §12's `SwarmMetrics` as declared there (no prefix, a fixed and a bounded family, buckets
//! from a const), with the migration opt-outs, a sparse family and a callback family beside
//! it, compiled warning-free.

#![deny(warnings, missing_docs)]

use oxios_metrics::{
    CallbackFamily, Counter, Family, FamilyWriter, Gauge, Histogram, LabelSet, LabelValue,
    Metrics,
};

/// Roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Role {
    /// Dialer.
    Dialer,
    /// Listener.
    Listener,
}

/// A protocol.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Protocol {
    /// Its name.
    pub protocol: String,
}

/// Dial buckets.
pub const DIAL_BUCKETS: [f64; 4] = [0.01, 0.1, 1.0, 10.0];
/// Handshake buckets, as a slice.
pub const HANDSHAKE_BUCKETS: &[f64] = &[0.001, 0.01];

/// A library's metrics: no prefix of its own; the application chooses one.
#[derive(Metrics)]
pub struct SwarmMetrics {
    /// Connections established, by role.
    pub connections_established: Family<Role, Counter>,
    /// Dial duration.
    #[metric(unit = "seconds", buckets = DIAL_BUCKETS)]
    pub dial_duration: Histogram,
    /// Bytes received, by protocol.
    #[metric(unit = "bytes", max_series = 100)]
    pub received: Family<Protocol, Counter>,
}

/// What a migration keeps, and the rest of §12 beside it.
#[derive(Metrics)]
pub struct Migrated {
    /// Requests, as existing dashboards know them.
    #[metric(allow(no_total_suffix))]
    pub requests: Counter,
    /// A type word in the name.
    #[metric(allow(type_word))]
    pub requests_counter: Counter,
    /// A non-base unit.
    #[metric(unit = "milliseconds", allow(non_base_unit))]
    pub latency: Histogram,
    /// An abbreviated unit in the name.
    #[metric(allow(abbreviated_unit))]
    pub memory_kb: Gauge,
    /// A gauge named like an info metric.
    #[metric(allow(info_suffix))]
    pub build_info: Gauge,
    /// Handshakes, by role, with slice buckets.
    #[metric(unit = "seconds", buckets = crate::HANDSHAKE_BUCKETS, sparse)]
    pub handshakes: Family<Role, Histogram>,
    /// Streams open, by protocol.
    #[metric(read = streams)]
    pub streams: CallbackFamily<Protocol, Gauge>,
    /// Bytes sent, by role, set per instance.
    pub sent_bytes: CallbackFamily<Role, Counter>,
    /// Retry delays, with buckets of the type's own.
    #[metric(unit = "seconds", buckets = Self::RETRY_BUCKETS)]
    pub retry_delay: Histogram,
}

impl Migrated {
    const RETRY_BUCKETS: [f64; 2] = [1.0, 2.0];
}

fn streams(out: &mut FamilyWriter<'_, Protocol>) {
    out.write(
        &Protocol {
            protocol: "/ipfs/ping".to_owned(),
        },
        2.0,
    );
}

/// A group in a `static`.
pub static MIGRATED: Migrated = Migrated::new();

fn main() {
    let swarm = SwarmMetrics::new();
    swarm.connections_established.get(Role::Dialer).inc();
    swarm.dial_duration.observe(0.5);
    swarm
        .received
        .get(Protocol {
            protocol: "/ipfs/ping".to_owned(),
        })
        .add(64);
    assert_eq!(swarm.dial_duration.buckets().len(), 5);
    assert_eq!(swarm.received.max_series(), 100);
    assert!(MIGRATED.handshakes.is_sparse());
    assert_eq!(MIGRATED.handshakes.get(Role::Listener).bounds(), HANDSHAKE_BUCKETS);
    assert_eq!(MIGRATED.retry_delay.buckets().len(), 3);
    let mut instance = Migrated::new();
    instance.sent_bytes = CallbackFamily::from_fn(|out: &mut FamilyWriter<'_, Role>| {
        out.write_u64(&Role::Dialer, 10);
    });
    let _ = instance;
}
