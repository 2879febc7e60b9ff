//! The ported peer-to-peer metric module (`oxios_metrics_examples::swarm`): two swarms side by
//! side in one registry, promtool and the OpenMetrics parser on the result, and the series of
//! a dropped swarm gone from the next scrape.

use oxios_metrics::{Format, Registry};
use oxios_metrics_examples::swarm::{DialError, Endpoint, Swarm, SwarmEvent};
use oxios_metrics_tests::{assert_well_formed, openmetrics_parse, promtool_check, Checked};

#[test]
fn two_swarms_share_families_and_a_dropped_one_leaves() {
    let registry = Registry::new();
    let alice = Swarm::new(&registry, "alice").unwrap();
    let bob = Swarm::new(&registry, "bob").unwrap();
    assert!(Swarm::new(&registry, "bob").is_err(), "a second bob");
    for swarm in [&alice, &bob] {
        swarm.record(&SwarmEvent::Dialing);
        swarm.record(&SwarmEvent::ConnectionClosed {
            endpoint: Endpoint::Listener,
            address: "/ip4/1.2.3.4/tcp/1".into(),
        });
    }
    alice.record(&SwarmEvent::OutgoingConnectionError {
        known_peer: false,
        errors: vec![DialError::NoAddresses],
    });
    let text = registry.render(Format::Prometheus);
    assert_well_formed(&text, Format::Prometheus);
    assert_eq!(
        text.matches("# TYPE ").count(),
        12,
        "twelve families: {text}"
    );
    assert!(text.contains(
        "libp2p_swarm_outgoing_connection_error_total{swarm=\"alice\",peer=\"unknown\",error=\"no_addresses\"} 1\n"
    ));
    assert!(text.contains(
        "libp2p_swarm_connections_closed_total{swarm=\"bob\",role=\"listener\",protocols=\"/ip4/tcp\"} 1\n"
    ));
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool");
    }
    if let Checked::Ran(said) = openmetrics_parse(&registry.render(Format::OpenMetrics)) {
        assert!(!said.contains("Error"), "{said}");
    }
    drop(alice);
    let text = registry.render(Format::Prometheus);
    assert!(!text.contains("alice"), "{text}");
    assert_eq!(text.matches("# TYPE ").count(), 12);
    assert!(text.contains("libp2p_swarm_dial_attempt_total{swarm=\"bob\"} 1\n"));
    assert_eq!(bob.metrics().dial_attempt.get(), 1);
}
