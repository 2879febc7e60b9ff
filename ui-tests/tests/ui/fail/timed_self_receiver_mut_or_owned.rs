use std::sync::Arc;

use oxios_metrics::{timed, Gauge, Histogram, Metrics};

#[derive(Metrics)]
pub struct PoolMetrics {
    /// Checkout duration.
    #[metric(unit = "seconds")]
    pub checkout: Histogram,
    /// Checkouts running.
    pub running: Gauge,
}

pub struct Pool {
    metrics: Arc<PoolMetrics>,
    free: usize,
}

impl Pool {
    // The timer's shared borrow of `self` would overlap the body's `&mut self`.
    #[timed(self.metrics.checkout)]
    pub fn checkout(&mut self) -> usize {
        self.free -= 1;
        self.free
    }

    #[timed(self.metrics.checkout)]
    pub fn checkout_typed(self: &mut Self) {}

    #[timed(Pool::LATENCY, in_flight = self.metrics.running)]
    pub fn reserve(&mut self) {}

    // By value, the body may move `self` away before the timer records.
    #[timed(self.metrics.checkout)]
    pub fn close(self) -> usize {
        self.free
    }

    #[timed(self.metrics.checkout)]
    pub fn drain(mut self) {
        self.free = 0;
    }

    #[timed(self.metrics.checkout)]
    pub fn shut(self: Box<Self>) {}

    const LATENCY: Histogram = Histogram::new();
}

fn main() {}
