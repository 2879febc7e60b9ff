//! Groups declared with `global_metrics!` in several modules are in the global registry
//! without a registration call; registering one again by hand is an error; a group whose own
//! code uses `global()` while it is being registered does not wait on itself.

use std::sync::mpsc;
use std::time::Duration;

use oxios_metrics::{
    global, global_metrics, Counter, EncodeMetric, Format, Gauge, MetricDesc, MetricGroup,
    MetricType, MetricVisitor, Metrics, RegisterProblem,
};

mod storage {
    use oxios_metrics::{global_metrics, Counter, Metrics};

    #[derive(Metrics)]
    #[metrics(prefix = "storage")]
    pub struct StorageMetrics {
        /// Blocks written.
        pub blocks_written: Counter,
    }

    global_metrics! {
        pub static STORAGE: StorageMetrics = StorageMetrics::new();
    }
}

mod network {
    use oxios_metrics::{global_metrics, Gauge, Metrics};

    #[derive(Metrics)]
    pub struct Peers {
        /// Peers connected.
        pub connected: Gauge,
    }

    #[derive(Metrics)]
    #[metrics(prefix = "network")]
    pub struct NetworkMetrics {
        /// Peer counts.
        #[metric(nested)]
        pub peers: Peers,
    }

    global_metrics! {
        /// Nested groups are declared like any other.
        pub static NETWORK: NetworkMetrics = NetworkMetrics::new();
    }
}

#[derive(Metrics)]
pub struct Plain {
    /// Tasks queued.
    pub queued: Gauge,
    /// Tasks done.
    pub done: Counter,
}

global_metrics! {
    static PLAIN: Plain = Plain::new();
}

/// A hand-written group whose own `visit`, which runs while the declarations are being
/// registered, uses the global registry and asks for the registration's outcome.
struct Curious;

static CURIOUS_VALUE: Gauge = Gauge::new();

impl MetricGroup for Curious {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        let _ = global().sub_registry_with_prefix("curious");
        let _ = oxios_metrics::auto::check();
        let desc = MetricDesc::new(
            "curious_level",
            "A gauge whose group scrapes the global registry while it is walked.",
            MetricType::Gauge,
            oxios_metrics::DefinitionSite::new(file!(), line!(), column!()),
        );
        visitor.metric(&desc, &CURIOUS_VALUE as &dyn EncodeMetric);
    }
}

global_metrics! {
    static CURIOUS: Curious = Curious;
}

/// Runs `check` on another thread and fails if it does not answer within a minute, so a
/// registration waiting on itself fails the test instead of stalling it.
fn checked() -> Result<usize, oxios_metrics::auto::AutoRegisterError> {
    let (answer, answered) = mpsc::channel();
    std::thread::spawn(move || answer.send(oxios_metrics::auto::check()).unwrap());
    answered
        .recv_timeout(Duration::from_secs(60))
        .expect("the registration finished within a minute")
}

#[test]
fn declared_groups_are_exposed_without_a_registration_call() {
    storage::STORAGE.blocks_written.add(4);
    network::NETWORK.peers.connected.set(7);
    PLAIN.done.inc();
    CURIOUS_VALUE.set(1);
    // Only this file's declarations: the test crates of the clash test are not linked here.
    assert_eq!(checked().expect("no clash"), 4);
    let text = global().render(Format::Prometheus);
    for expected in [
        "storage_blocks_written_total 4\n",
        "network_connected 7\n",
        "done_total 1\n",
        "queued 0\n",
        "curious_level 1\n",
        "oxios_metrics_auto_registration_refused 0\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert_eq!(
        text.matches("# HELP storage_blocks_written_total ").count(),
        1
    );
}

#[test]
fn registering_a_declared_group_again_is_an_error() {
    assert!(checked().is_ok());
    let error = global()
        .register(&PLAIN)
        .expect_err("PLAIN is registered already");
    assert!(
        error
            .problems()
            .iter()
            .any(|problem| matches!(problem, RegisterProblem::Duplicate { .. })),
        "{error}"
    );
    let text = global().render(Format::Prometheus);
    assert_eq!(text.matches("# HELP done_total ").count(), 1, "{text}");
}
