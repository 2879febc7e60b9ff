//! `#[timed]` targets reached through `self`: a histogram of an `Arc` group, a family member,
//! an outcome family and an in-flight gauge, in sync and async `&self` methods, compiled
//! warning-free.

#![deny(warnings, unreachable_code, missing_docs)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use oxios_metrics::{timed, Family, Gauge, Histogram, LabelValue, Metrics, TimedOutcome};

/// Transports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Transport {
    /// TCP.
    Tcp,
    /// QUIC.
    Quic,
}

/// The metrics of one swarm; the application decides where they are registered.
#[derive(Metrics)]
pub struct SwarmMetrics {
    /// Dial duration.
    #[metric(unit = "seconds", buckets = [0.01, 0.1, 1.0, 10.0])]
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

/// One swarm instance.
pub struct Swarm {
    metrics: Arc<SwarmMetrics>,
    transport: Transport,
}

impl Swarm {
    #[timed(self.metrics.dial_duration, in_flight = self.metrics.dials_running)]
    fn dial(&self, address: &str) -> usize {
        assert_eq!(self.metrics.dials_running.get(), 1);
        address.len()
    }

    #[timed(self.metrics.transport_duration.get(self.transport))]
    fn dial_transport(&self) -> Transport {
        self.transport
    }

    #[timed(self.metrics.handshakes, outcome)]
    fn handshake(&self, accept: bool) -> Result<(), String> {
        if !accept {
            return Err("refused".to_owned());
        }
        Ok(())
    }

    #[timed(self.metrics.dial_duration)]
    async fn dial_later(&self, address: &str) -> usize {
        address.len()
    }

    #[timed(self.metrics.handshakes, outcome, in_flight = self.metrics.dials_running)]
    async fn handshake_later(&self) -> Result<u8, String> {
        Ok(1)
    }

    #[timed(self.histogram())]
    fn through_a_method(self: &Self) {}

    #[timed((*self).metrics.dial_duration)]
    fn through_a_deref(self: Pin<&Self>) {}

    fn histogram(&self) -> &Histogram {
        &self.metrics.dial_duration
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
    }
}

fn main() {
    let metrics = Arc::new(SwarmMetrics::new());
    let swarm = Swarm {
        metrics: Arc::clone(&metrics),
        transport: Transport::Quic,
    };
    let other = Swarm {
        metrics: Arc::new(SwarmMetrics::new()),
        transport: Transport::Tcp,
    };
    assert_eq!(swarm.dial("/ip4/127.0.0.1"), 14);
    assert_eq!(swarm.dial_transport(), Transport::Quic);
    assert_eq!(swarm.handshake(false), Err("refused".to_owned()));
    assert_eq!(swarm.handshake(true), Ok(()));
    assert_eq!(block_on(swarm.dial_later("x")), 1);
    assert_eq!(block_on(swarm.handshake_later()), Ok(1));
    swarm.through_a_method();
    Pin::new(&swarm).through_a_deref();
    other.dial("y");

    assert_eq!(metrics.dial_duration.count(), 4);
    assert_eq!(metrics.transport_duration.get(Transport::Quic).count(), 1);
    assert_eq!(metrics.transport_duration.get(Transport::Tcp).count(), 0);
    assert_eq!(metrics.handshakes.get(TimedOutcome::Error).count(), 1);
    assert_eq!(metrics.handshakes.get(TimedOutcome::Ok).count(), 2);
    assert_eq!(metrics.dials_running.get(), 0);
    assert_eq!(other.metrics.dial_duration.count(), 1);
}
