//! Two swarms of a peer-to-peer library in one process, each registering its own metrics in
//! the application's registry (see `oxios_metrics_examples::swarm`). Prints the exposition
//! with both, then after one swarm is dropped.
//!
//! `cargo run -p oxios-metrics-examples --bin swarm [-- --openmetrics]`

use oxios_metrics::{Format, Registry};
use oxios_metrics_examples::swarm::{DialError, Endpoint, IncomingError, Swarm, SwarmEvent};

fn main() -> Result<(), oxios_metrics::RegisterError> {
    let format = if std::env::args().any(|arg| arg == "--openmetrics") {
        Format::OpenMetrics
    } else {
        Format::Prometheus
    };
    let registry = Registry::new();
    let alice = Swarm::new(&registry, "alice")?;
    let bob = Swarm::new(&registry, "bob")?;
    for (swarm, port) in [(&alice, 4001), (&bob, 4002)] {
        swarm.record(&SwarmEvent::NewListenAddr {
            address: format!("/ip4/0.0.0.0/tcp/{port}"),
        });
        swarm.record(&SwarmEvent::Dialing);
    }
    alice.record(&SwarmEvent::ConnectionEstablished {
        endpoint: Endpoint::Dialer,
        address: "/ip4/10.0.0.2/tcp/4002".into(),
        seconds: 0.012,
    });
    bob.record(&SwarmEvent::ConnectionEstablished {
        endpoint: Endpoint::Listener,
        address: "/ip4/10.0.0.1/tcp/51234".into(),
        seconds: 0.009,
    });
    bob.record(&SwarmEvent::IncomingConnectionError {
        address: "/ip6/::1/udp/9000/quic".into(),
        error: IncomingError::Io,
    });
    alice.record(&SwarmEvent::OutgoingConnectionError {
        known_peer: true,
        errors: vec![DialError::ConnectionIo, DialError::TransportOther],
    });
    println!("{}", registry.render(format));
    drop(bob);
    println!("--- after bob is dropped ---\n");
    println!("{}", registry.render(format));
    Ok(())
}
