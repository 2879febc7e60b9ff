//! A peer-to-peer library's per-swarm metrics, declared with `#[derive(Metrics)]`.
//!
//! This ports the metric set of a real library module — `misc/metrics/src/swarm.rs` of
//! rust-libp2p at commit `0deb409385e38f871416accf19b950b2df4af5b1`, which builds it with
//! `prometheus-client` — to this crate: the same twelve families, names and label sets, written
//! anew. The library does not choose the registry, the prefix or the constant labels: the
//! application passes a [`Registry`], and each [`Swarm`] registers its own instance of
//! [`SwarmMetrics`] under the prefix `libp2p_swarm` with a `swarm` label naming it, so two
//! swarms in one process are two members of each family; dropping a swarm removes its series.
//! (The label is not `peer`: the dial-error family has a `peer` label of its own, and the
//! registry refuses a constant label that repeats one.)
//!
//! ```
//! use oxios_metrics::{Format, Registry};
//! use oxios_metrics_examples::swarm::{Endpoint, Swarm, SwarmEvent};
//!
//! let registry = Registry::new();
//! let alice = Swarm::new(&registry, "alice").unwrap();
//! alice.record(&SwarmEvent::Dialing);
//! alice.record(&SwarmEvent::ConnectionEstablished {
//!     endpoint: Endpoint::Dialer,
//!     address: "/ip4/10.0.0.2/tcp/4001".into(),
//!     seconds: 0.012,
//! });
//! let text = registry.render(Format::Prometheus);
//! assert!(text.contains("libp2p_swarm_dial_attempt_total{swarm=\"alice\"} 1\n"));
//! assert!(text.contains(
//!     "libp2p_swarm_connections_established_total{swarm=\"alice\",role=\"dialer\",protocols=\"/ip4/tcp\"} 1\n"
//! ));
//! ```

use std::sync::Arc;

use oxios_metrics::{
    Counter, Family, Histogram, LabelSet, LabelValue, Metrics, RegisterError, Registration,
    Registry,
};

/// Which side opened a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Role {
    /// This swarm dialed.
    Dialer,
    /// The remote dialed this swarm.
    Listener,
}

/// Whether the peer of a failed dial was known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum PeerStatus {
    /// The dial named a peer id.
    Known,
    /// It did not.
    Unknown,
}

/// Why a dial failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum DialError {
    /// The peer is banned.
    Banned,
    /// A connection limit was reached.
    ConnectionLimit,
    /// The address was this swarm's own.
    LocalPeerId,
    /// No address to dial.
    NoAddresses,
    /// The dial condition did not hold.
    DialPeerConditionFalse,
    /// The dial was aborted.
    Aborted,
    /// The peer id was invalid.
    InvalidPeerId,
    /// The remote had another peer id.
    WrongPeerId,
    /// The connection failed with an I/O error.
    ConnectionIo,
    /// No transport supports the address.
    TransportMultiaddrNotSupported,
    /// A transport failed otherwise.
    TransportOther,
}

/// Why an incoming connection failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum IncomingError {
    /// The remote had another peer id.
    WrongPeerId,
    /// No transport supports the address.
    TransportErrorMultiaddrNotSupported,
    /// A transport failed otherwise.
    TransportErrorOther,
    /// The upgrade was aborted.
    Aborted,
    /// An I/O error.
    Io,
    /// A connection limit was reached.
    ConnectionLimit,
}

/// The protocol stack of an address (`/ip4/tcp`): open values, so a bounded family.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct AddressLabels {
    /// The stack.
    pub protocols: String,
}

/// An established or closed connection.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct ConnectionLabels {
    /// Which side opened it.
    pub role: Role,
    /// Its protocol stack.
    pub protocols: String,
}

/// A failed incoming connection.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct IncomingErrorLabels {
    /// Why it failed.
    pub error: IncomingError,
    /// Its protocol stack.
    pub protocols: String,
}

/// A failed dial: fixed labels, so every combination is exposed from the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct DialErrorLabels {
    /// Whether the peer was known.
    pub peer: PeerStatus,
    /// Why it failed.
    pub error: DialError,
}

/// The metrics of one swarm. No prefix of its own: the application chooses it.
#[derive(Metrics)]
pub struct SwarmMetrics {
    /// Number of incoming connections per address stack.
    #[metric(max_series = 64)]
    pub connections_incoming: Family<AddressLabels, Counter>,
    /// Number of incoming connection errors.
    #[metric(max_series = 256)]
    pub connections_incoming_error: Family<IncomingErrorLabels, Counter>,
    /// Number of connections established.
    #[metric(max_series = 128)]
    pub connections_established: Family<ConnectionLabels, Counter>,
    /// Time it took (locally) to finish establishing connections.
    #[metric(buckets = exponential(0.001, 2.0, 10), max_series = 128)]
    pub connection_establishment_duration: Family<ConnectionLabels, Histogram>,
    /// Number of connections closed.
    #[metric(max_series = 128)]
    pub connections_closed: Family<ConnectionLabels, Counter>,
    /// Number of new listen addresses.
    #[metric(max_series = 64)]
    pub new_listen_addr: Family<AddressLabels, Counter>,
    /// Number of expired listen addresses.
    #[metric(max_series = 64)]
    pub expired_listen_addr: Family<AddressLabels, Counter>,
    /// Number of listeners closed.
    #[metric(max_series = 64)]
    pub listener_closed: Family<AddressLabels, Counter>,
    /// Number of listener errors.
    pub listener_error: Counter,
    /// Number of dial attempts.
    pub dial_attempt: Counter,
    /// Number of outgoing connection errors.
    pub outgoing_connection_error: Family<DialErrorLabels, Counter>,
    /// Number of connection attempts to banned peers.
    #[metric(max_series = 64)]
    pub connected_to_banned_peer: Family<AddressLabels, Counter>,
}

/// Which end of a connection this swarm is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// This swarm dialed.
    Dialer,
    /// The remote dialed.
    Listener,
}

impl From<Endpoint> for Role {
    fn from(endpoint: Endpoint) -> Role {
        match endpoint {
            Endpoint::Dialer => Role::Dialer,
            Endpoint::Listener => Role::Listener,
        }
    }
}

/// What a swarm reports; a reduced stand-in for the library's own event type.
#[derive(Clone, Debug, PartialEq)]
pub enum SwarmEvent {
    /// A dial started.
    Dialing,
    /// A connection is up.
    ConnectionEstablished {
        /// Which end this swarm is.
        endpoint: Endpoint,
        /// The remote address, as a multiaddr.
        address: String,
        /// How long establishing it took.
        seconds: f64,
    },
    /// A connection closed.
    ConnectionClosed {
        /// Which end this swarm is.
        endpoint: Endpoint,
        /// The remote address.
        address: String,
    },
    /// A remote is connecting.
    IncomingConnection {
        /// Its address.
        address: String,
    },
    /// An incoming connection failed.
    IncomingConnectionError {
        /// Its address.
        address: String,
        /// Why.
        error: IncomingError,
    },
    /// A dial failed.
    OutgoingConnectionError {
        /// Whether the dial named a peer.
        known_peer: bool,
        /// Why it failed, once per address tried.
        errors: Vec<DialError>,
    },
    /// A banned peer connected.
    BannedPeer {
        /// Its address.
        address: String,
    },
    /// A new address is listened on.
    NewListenAddr {
        /// The address.
        address: String,
    },
    /// An address expired.
    ExpiredListenAddr {
        /// The address.
        address: String,
    },
    /// A listener closed.
    ListenerClosed {
        /// Its addresses.
        addresses: Vec<String>,
    },
    /// A listener failed.
    ListenerError,
}

/// The protocol stack of a multiaddr: its protocol names without their values
/// (`/ip4/10.0.0.2/tcp/4001` → `/ip4/tcp`), so the label stays low-cardinality.
pub fn protocol_stack(address: &str) -> String {
    let mut stack = String::new();
    let mut parts = address.split('/').filter(|part| !part.is_empty());
    while let Some(protocol) = parts.next() {
        stack.push('/');
        stack.push_str(protocol);
        // Protocols with a value: skip it.
        if matches!(
            protocol,
            "ip4" | "ip6" | "dns" | "dns4" | "dns6" | "tcp" | "udp" | "p2p"
        ) {
            parts.next();
        }
    }
    stack
}

/// A swarm of the library: it owns its metrics and their registration.
pub struct Swarm {
    metrics: Arc<SwarmMetrics>,
    _registration: Registration,
}

impl Swarm {
    /// A swarm whose metrics go to `registry` under `libp2p_swarm_…{swarm="<name>"}`.
    ///
    /// Errors: `name` is empty, or a swarm of that name is registered there already.
    pub fn new(registry: &Registry, name: &str) -> Result<Swarm, RegisterError> {
        let metrics = Arc::new(SwarmMetrics::new());
        let scope = registry
            .sub_registry_with_prefix("libp2p_swarm")?
            .with_label("swarm", name)?;
        let registration = scope.register_shared(metrics.clone())?;
        Ok(Swarm {
            metrics,
            _registration: registration,
        })
    }

    /// The swarm's metrics.
    pub fn metrics(&self) -> &SwarmMetrics {
        &self.metrics
    }

    /// Records one event.
    pub fn record(&self, event: &SwarmEvent) {
        let metrics = &*self.metrics;
        match event {
            SwarmEvent::Dialing => metrics.dial_attempt.inc(),
            SwarmEvent::ConnectionEstablished {
                endpoint,
                address,
                seconds,
            } => {
                let labels = ConnectionLabels {
                    role: (*endpoint).into(),
                    protocols: protocol_stack(address),
                };
                metrics.connections_established.get_ref(&labels).inc();
                metrics
                    .connection_establishment_duration
                    .get_ref(&labels)
                    .observe(seconds.clamp(0.0, 10.0));
            }
            SwarmEvent::ConnectionClosed { endpoint, address } => metrics
                .connections_closed
                .get(ConnectionLabels {
                    role: (*endpoint).into(),
                    protocols: protocol_stack(address),
                })
                .inc(),
            SwarmEvent::IncomingConnection { address } => {
                metrics.connections_incoming.get(stack(address)).inc();
            }
            SwarmEvent::IncomingConnectionError { address, error } => metrics
                .connections_incoming_error
                .get(IncomingErrorLabels {
                    error: *error,
                    protocols: protocol_stack(address),
                })
                .inc(),
            SwarmEvent::OutgoingConnectionError { known_peer, errors } => {
                let peer = if *known_peer {
                    PeerStatus::Known
                } else {
                    PeerStatus::Unknown
                };
                for error in errors {
                    metrics
                        .outgoing_connection_error
                        .get(DialErrorLabels {
                            peer,
                            error: *error,
                        })
                        .inc();
                }
            }
            SwarmEvent::BannedPeer { address } => {
                metrics.connected_to_banned_peer.get(stack(address)).inc();
            }
            SwarmEvent::NewListenAddr { address } => {
                metrics.new_listen_addr.get(stack(address)).inc();
            }
            SwarmEvent::ExpiredListenAddr { address } => {
                metrics.expired_listen_addr.get(stack(address)).inc();
            }
            SwarmEvent::ListenerClosed { addresses } => {
                for address in addresses {
                    metrics.listener_closed.get(stack(address)).inc();
                }
            }
            SwarmEvent::ListenerError => metrics.listener_error.inc(),
        }
    }
}

fn stack(address: &str) -> AddressLabels {
    AddressLabels {
        protocols: protocol_stack(address),
    }
}
