//! Per-instance groups: `Arc` groups registered through sub-registries with run-time prefixes
//! and constant labels, merged into one family per name, unregistered by dropping their
//! `Registration`; the checks that refuse bad prefixes, labels and clashing instances.

use std::sync::Arc;

use oxios_metrics::{
    Counter, Family, Format, Gauge, Histogram, LabelSet, LabelValue, Metrics, RegisterProblem,
    Registration, Registry,
};
use oxios_metrics_tests::{assert_well_formed, openmetrics_parse, promtool_check, Checked};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Role {
    Dialer,
    Listener,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Protocol {
    pub protocol: String,
}

/// A library's metrics: no prefix of its own.
#[derive(Metrics)]
pub struct SwarmMetrics {
    /// Connections established, by role.
    pub connections_established: Family<Role, Counter>,
    /// Dial duration.
    #[metric(unit = "seconds", buckets = [0.01, 0.1, 1.0, 10.0])]
    pub dial_duration: Histogram,
    /// Bytes received, by protocol.
    #[metric(unit = "bytes", max_series = 100)]
    pub received: Family<Protocol, Counter>,
}

struct Swarm {
    metrics: Arc<SwarmMetrics>,
    _registration: Registration,
}

impl Swarm {
    fn new(registry: &Registry, peer: &str) -> Result<Swarm, oxios_metrics::RegisterError> {
        let metrics = Arc::new(SwarmMetrics::new());
        let scope = registry
            .sub_registry_with_prefix("libp2p_swarm")?
            .with_label("peer", peer)?;
        let registration = scope.register_shared(metrics.clone())?;
        Ok(Swarm {
            metrics,
            _registration: registration,
        })
    }
}

fn assert_send_sync_static<T: Send + Sync + 'static>() {}

#[test]
fn two_instances_are_one_family_each_and_leave_when_dropped() {
    assert_send_sync_static::<Registration>();
    let registry = Registry::new();
    let a = Swarm::new(&registry, "a").unwrap();
    let b = Swarm::new(&registry, "b").unwrap();
    a.metrics.connections_established.get(Role::Dialer).inc();
    b.metrics.connections_established.get(Role::Listener).add(2);
    a.metrics.dial_duration.observe(0.05);
    b.metrics
        .received
        .get_ref(&Protocol {
            protocol: "/ipfs/ping".into(),
        })
        .add(64);

    let text = registry.render(Format::Prometheus);
    assert_well_formed(&text, Format::Prometheus);
    assert_eq!(
        text.matches("# HELP libp2p_swarm_connections_established_total ")
            .count(),
        1,
        "{text}"
    );
    assert_eq!(text.matches("# TYPE ").count(), 3, "{text}");
    for line in [
        "libp2p_swarm_connections_established_total{peer=\"a\",role=\"dialer\"} 1\n",
        "libp2p_swarm_connections_established_total{peer=\"a\",role=\"listener\"} 0\n",
        "libp2p_swarm_connections_established_total{peer=\"b\",role=\"listener\"} 2\n",
        "libp2p_swarm_dial_duration_seconds_bucket{peer=\"a\",le=\"0.1\"} 1\n",
        "libp2p_swarm_dial_duration_seconds_count{peer=\"b\"} 0\n",
        "libp2p_swarm_received_bytes_total{peer=\"b\",protocol=\"/ipfs/ping\"} 64\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // Members of a family are written together, in registration order.
    let a_at = text
        .find("connections_established_total{peer=\"a\"")
        .unwrap();
    let b_at = text
        .find("connections_established_total{peer=\"b\"")
        .unwrap();
    let dial_at = text
        .find("# HELP libp2p_swarm_dial_duration_seconds")
        .unwrap();
    assert!(a_at < b_at && b_at < dial_at, "{text}");

    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool");
    }
    let openmetrics = registry.render(Format::OpenMetrics);
    assert_well_formed(&openmetrics, Format::OpenMetrics);
    if let Checked::Ran(said) = openmetrics_parse(&openmetrics) {
        assert!(!said.contains("Traceback"), "{said}");
        assert!(
            said.contains(
                "counter libp2p_swarm_connections_established_total{peer='b',role='listener'} 2\n"
            ),
            "{said}"
        );
    }

    // Dropping one instance removes its series; the other's stay.
    drop(a);
    let text = registry.render(Format::Prometheus);
    assert!(!text.contains("peer=\"a\""), "{text}");
    assert!(
        text.contains("{peer=\"b\",role=\"listener\"} 2\n"),
        "{text}"
    );
    // ... and frees its labels for a new instance, which starts from zero.
    let again = Swarm::new(&registry, "a").unwrap();
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("{peer=\"a\",role=\"dialer\"} 0\n"), "{text}");
    drop(b);
    drop(again);
    assert_eq!(registry.render(Format::Prometheus), "");
    // All names are free again: a different type under the same name now registers.
    #[derive(Metrics)]
    struct Other {
        /// Something else entirely.
        connections_established: Gauge,
    }
    let scope = registry.sub_registry_with_prefix("libp2p_swarm").unwrap();
    let _other = scope.register_shared(Arc::new(Other::new())).unwrap();
    assert!(registry
        .render(Format::Prometheus)
        .contains("# TYPE libp2p_swarm_connections_established gauge\n"));
}

#[test]
fn an_instance_with_the_same_labels_is_refused_naming_both_sites() {
    let registry = Registry::new();
    let first = Swarm::new(&registry, "a").unwrap();
    let before = registry.render(Format::Prometheus);
    let error = Swarm::new(&registry, "a").err().expect("a duplicate");
    assert!(
        error
            .problems()
            .iter()
            .all(|problem| matches!(problem, RegisterProblem::Duplicate { .. })),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("registered twice"), "{message}");
    assert!(message.contains("peer=\"a\""), "{message}");
    assert!(message.contains("scoped_groups.rs"), "{message}");
    assert_eq!(registry.render(Format::Prometheus), before, "nothing added");
    drop(first);
}

#[test]
fn a_family_declared_differently_elsewhere_is_refused_naming_both_sites() {
    #[derive(Metrics)]
    struct Mine {
        /// Jobs done.
        jobs: Counter,
    }
    #[derive(Metrics)]
    struct Theirs {
        /// Jobs completed by the scheduler.
        jobs: Counter,
    }
    #[derive(Metrics)]
    struct Gauged {
        /// Jobs done.
        jobs: Gauge,
    }
    let registry = Registry::new();
    let _mine = registry
        .sub_registry_with_label("shard", "1")
        .unwrap()
        .register_shared(Arc::new(Mine::new()))
        .unwrap();
    let other_shard = registry.sub_registry_with_label("shard", "2").unwrap();
    let error = other_shard
        .register_shared(Arc::new(Theirs::new()))
        .unwrap_err();
    assert!(
        matches!(&error.problems()[0], RegisterProblem::Mismatch { what, .. } if *what == "HELP text"),
        "{error:?}"
    );
    let message = error.to_string();
    assert_eq!(message.matches("scoped_groups.rs:").count(), 2, "{message}");
    let error = other_shard
        .register_shared(Arc::new(Gauged::new()))
        .unwrap_err();
    assert!(
        matches!(&error.problems()[0], RegisterProblem::Mismatch { what, .. } if *what == "type"),
        "{error:?}"
    );
    // The same declaration under another label joins the family.
    let _second = other_shard.register_shared(Arc::new(Mine::new())).unwrap();
    let text = registry.render(Format::Prometheus);
    assert_eq!(text.matches("# HELP jobs_total").count(), 1, "{text}");
    assert!(text.contains("jobs_total{shard=\"1\"} 0\njobs_total{shard=\"2\"} 0\n"));
}

#[test]
fn bad_prefixes_and_labels_are_errors_never_panics() {
    let registry = Registry::new();
    for prefix in [
        "",
        "libp2pSwarm",
        "Swarm",
        "swarm_",
        "a:b",
        "__x",
        "a-b",
        "9lives",
        "rpc_counter",
        "io_ms",
        "ünï",
    ] {
        let error = registry.sub_registry_with_prefix(prefix).expect_err(prefix);
        assert!(
            matches!(&error.problems()[0], RegisterProblem::InvalidPrefix { site, .. } if site.file.ends_with("scoped_groups.rs")),
            "{prefix:?}: {error:?}"
        );
    }
    for name in [
        "peerId",
        "le",
        "quantile",
        "series_overflow",
        "__x",
        "a-b",
        "",
        "9",
    ] {
        let error = registry.sub_registry_with_label(name, "v").expect_err(name);
        assert!(
            matches!(
                &error.problems()[0],
                RegisterProblem::InvalidLabelName { .. }
            ),
            "{name:?}: {error:?}"
        );
    }
    let error = registry.sub_registry_with_label("peer", "").unwrap_err();
    assert!(matches!(
        &error.problems()[0],
        RegisterProblem::InvalidLabelValue { .. }
    ));
    let scoped = registry.sub_registry_with_label("peer", "a").unwrap();
    let error = scoped.with_label("peer", "b").unwrap_err();
    assert!(error.to_string().contains("already has a label"), "{error}");
    // A label of the scope that repeats a label of a family is refused at registration.
    let by_role = registry.sub_registry_with_label("role", "x").unwrap();
    let error = by_role
        .register_shared(Arc::new(SwarmMetrics::new()))
        .unwrap_err();
    assert!(error.to_string().contains("appears twice"), "{error}");
    assert_eq!(registry.render(Format::Prometheus), "");
}

#[test]
fn scope_label_values_are_escaped_once_and_parse_back() {
    #[derive(Metrics)]
    struct Tiny {
        /// Things seen.
        seen: Counter,
    }
    let registry = Registry::new();
    let nasty = "say \"hi\"\\\nbye";
    let scope = registry
        .sub_registry_with_prefix("outer")
        .unwrap()
        .with_prefix("inner")
        .unwrap()
        .with_label("who", nasty)
        .unwrap()
        .with_label("zone", "ünï €")
        .unwrap();
    assert_eq!(scope.prefix(), "outer_inner_");
    assert_eq!(scope.labels(), r#"who="say \"hi\"\\\nbye",zone="ünï €""#);
    let tiny = Arc::new(Tiny::new());
    let _registration = scope.register_shared(tiny.clone()).unwrap();
    tiny.seen.add(3);
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains(
            "outer_inner_seen_total{who=\"say \\\"hi\\\"\\\\\\nbye\",zone=\"ünï €\"} 3\n"
        ),
        "{text}"
    );
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool");
    }
    if let Checked::Ran(said) = openmetrics_parse(&registry.render(Format::OpenMetrics)) {
        assert!(
            said.contains(r#"who='say "hi"\\\nbye'"#),
            "the parser reads the value back unescaped: {said}"
        );
    }
}

#[test]
fn a_registration_outliving_its_registry_is_harmless() {
    let registry = Registry::new();
    let registration = registry
        .register_shared(Arc::new(SwarmMetrics::new()))
        .unwrap();
    drop(registry);
    drop(registration);
    let registry = Registry::new();
    let kept = registry
        .register_shared(Arc::new(SwarmMetrics::new()))
        .unwrap();
    kept.keep();
    assert!(registry
        .render(Format::Prometheus)
        .contains("connections_established_total"));
    // A clone is another handle to the same registry.
    let clone = registry.clone();
    assert_eq!(
        clone.render(Format::Prometheus),
        registry.render(Format::Prometheus)
    );
}

#[test]
fn static_groups_register_through_scopes_too() {
    static SHARED: SwarmMetrics = SwarmMetrics::new();
    let registry = Registry::new();
    registry
        .sub_registry_with_label("peer", "static")
        .unwrap()
        .register(&SHARED)
        .unwrap();
    SHARED.connections_established.get(Role::Dialer).inc();
    // The same static group again in another scope is another member of each family.
    registry
        .sub_registry_with_label("peer", "again")
        .unwrap()
        .register(&SHARED)
        .unwrap();
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains("{peer=\"static\",role=\"dialer\"} 1\n"),
        "{text}"
    );
    assert!(
        text.contains("{peer=\"again\",role=\"dialer\"} 1\n"),
        "{text}"
    );
    assert!(
        registry.register(&SHARED).is_ok(),
        "no labels: a third member"
    );
    assert!(registry.register(&SHARED).is_err(), "twice without labels");
}
