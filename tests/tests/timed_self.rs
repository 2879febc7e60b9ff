//! `#[timed]` targets reached through `self`: per-instance groups behind an `Arc` (§12's
//! `Swarm`), family members, outcome families and in-flight gauges, in sync, `async` and
//! `#[async_trait]` methods. Each instance records into its own group.

#![deny(warnings, unreachable_code, clippy::pedantic)]

mod timed_support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::sync::Arc;

use async_trait::async_trait;
use oxios_metrics::{timed, Family, Format, Gauge, Histogram, LabelValue, Metrics, TimedOutcome};
use timed_support::{block_on, poll_once, yield_once};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Transport {
    Tcp,
    Quic,
}

pub const DIAL_BUCKETS: [f64; 4] = [0.01, 0.1, 1.0, 10.0];

/// One swarm's metrics, without a prefix of their own.
#[derive(Metrics)]
pub struct SwarmMetrics {
    /// Dial duration.
    #[metric(unit = "seconds", buckets = DIAL_BUCKETS)]
    pub dial_duration: Histogram,
    /// Dial duration by transport.
    #[metric(unit = "seconds")]
    pub transport_duration: Family<Transport, Histogram>,
    /// Handshakes by outcome.
    #[metric(unit = "seconds")]
    pub handshakes: Family<TimedOutcome, Histogram>,
    /// Dials in progress.
    pub dials_running: Gauge,
}

pub struct Swarm {
    metrics: Arc<SwarmMetrics>,
    transport: Transport,
}

impl Swarm {
    fn new(transport: Transport) -> Swarm {
        Swarm {
            metrics: Arc::new(SwarmMetrics::new()),
            transport,
        }
    }

    #[timed(self.metrics.dial_duration, in_flight = self.metrics.dials_running)]
    fn dial(&self, address: &str) -> usize {
        assert_eq!(self.metrics.dials_running.get(), 1, "counted while running");
        address.len()
    }

    #[timed(self.metrics.transport_duration.get(self.transport))]
    fn dial_transport(&self) -> Transport {
        self.transport
    }

    #[timed(self.metrics.handshakes, outcome)]
    fn handshake(&self, mode: u8) -> Result<u8, String> {
        match mode {
            0 => Ok(0),
            1 => Err("refused".to_owned()),
            _ => panic!("handshake panics on purpose"),
        }
    }

    #[timed(self.metrics.handshakes, outcome, in_flight = self.metrics.dials_running)]
    async fn handshake_later(&self, pending: bool) -> Result<u8, String> {
        yield_once().await;
        if pending {
            std::future::pending::<()>().await;
        }
        Ok(1)
    }
}

#[test]
fn two_instances_record_into_their_own_groups() {
    let a = Swarm::new(Transport::Tcp);
    let b = Swarm::new(Transport::Quic);
    assert_eq!(a.dial("/ip4/1"), 6);
    assert_eq!(a.dial("/ip4/2"), 6);
    assert_eq!(b.dial("/ip6/1"), 6);
    assert_eq!(a.metrics.dial_duration.count(), 2);
    assert_eq!(b.metrics.dial_duration.count(), 1);
    assert_eq!(
        a.metrics.dial_duration.buckets().len(),
        DIAL_BUCKETS.len() + 1
    );
    assert_eq!(a.metrics.dials_running.get(), 0);
    assert_eq!(b.dial_transport(), Transport::Quic);
    assert_eq!(b.metrics.transport_duration.get(Transport::Quic).count(), 1);
    assert_eq!(b.metrics.transport_duration.get(Transport::Tcp).count(), 0);
    assert_eq!(a.metrics.transport_duration.get(Transport::Quic).count(), 0);
}

#[test]
fn outcomes_through_self() {
    let swarm = Swarm::new(Transport::Tcp);
    let handshakes = &swarm.metrics.handshakes;
    assert_eq!(swarm.handshake(0), Ok(0));
    assert_eq!(swarm.handshake(1), Err("refused".to_owned()));
    assert!(catch_unwind(AssertUnwindSafe(|| swarm.handshake(2))).is_err());
    assert_eq!(block_on(swarm.handshake_later(false)), Ok(1));
    {
        let mut future = pin!(swarm.handshake_later(true));
        assert!(poll_once(future.as_mut()).is_pending());
        assert!(poll_once(future.as_mut()).is_pending());
        assert_eq!(swarm.metrics.dials_running.get(), 1);
    }
    assert_eq!(swarm.metrics.dials_running.get(), 0);
    let counts = [
        TimedOutcome::Ok,
        TimedOutcome::Error,
        TimedOutcome::Panic,
        TimedOutcome::Cancelled,
    ]
    .map(|outcome| handshakes.get(outcome).count());
    assert_eq!(counts, [2, 1, 1, 1]);
}

/// A connection handler written as libraries write them: an `#[async_trait]` trait whose
/// implementation records into the instance's own metrics.
#[async_trait]
pub trait Handler {
    async fn handle(&self, request: &str) -> usize;
}

pub struct Echo {
    metrics: Arc<SwarmMetrics>,
}

#[async_trait]
impl Handler for Echo {
    #[timed(self.metrics.dial_duration, in_flight = self.metrics.dials_running)]
    async fn handle(&self, request: &str) -> usize {
        yield_once().await;
        assert_eq!(self.metrics.dials_running.get(), 1);
        request.len()
    }
}

/// A trait whose default method records through `self`.
pub trait Instrumented {
    fn metrics(&self) -> &SwarmMetrics;

    #[timed(self.metrics().dial_duration)]
    fn work(&self) -> u8 {
        7
    }
}

impl Instrumented for Echo {
    fn metrics(&self) -> &SwarmMetrics {
        &self.metrics
    }
}

#[test]
fn async_trait_and_default_methods_record_through_self() {
    let echo = Echo {
        metrics: Arc::new(SwarmMetrics::new()),
    };
    assert_eq!(block_on(echo.handle("ping")), 4);
    assert_eq!(echo.work(), 7);
    assert_eq!(echo.metrics.dial_duration.count(), 2);
    assert_eq!(echo.metrics.dials_running.get(), 0);
}

#[test]
fn an_instance_group_is_exposed_like_a_static_one() {
    let swarm = Swarm::new(Transport::Quic);
    swarm.dial("x");
    let registry = oxios_metrics::Registry::new();
    registry
        .register_owned(Box::new(ArcGroup(Arc::clone(&swarm.metrics))))
        .expect("registers");
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains("dial_duration_seconds_bucket{le=\"10\"} 1\n"),
        "{text}"
    );
    assert!(text.contains("dial_duration_seconds_count 1\n"), "{text}");
}

/// The group behind an `Arc`, for a registry that takes owned groups.
struct ArcGroup(Arc<SwarmMetrics>);

impl oxios_metrics::MetricGroup for ArcGroup {
    fn visit(&self, visitor: &mut dyn oxios_metrics::MetricVisitor) {
        self.0.visit(visitor);
    }
}
