use oxios_metrics::{timed, Histogram};

const LATENCY: Histogram = Histogram::new();

// A `const` is a new value at each use: observations would go to a temporary and be lost.
#[timed(LATENCY)]
fn const_target() {}

struct Service {
    latency: Histogram,
}

impl Service {
    // `self` does not live for `'static`.
    #[timed(self.latency)]
    fn method(&self) {}

    #[timed(LATENCY, in_flight = (*self).running())]
    fn gauge_through_self(&self) {}

    fn running(&self) -> &oxios_metrics::Gauge {
        unimplemented!()
    }
}

// Neither does a histogram built on the spot.
#[timed(Histogram::new())]
fn temporary_target() {}

fn main() {
    const_target();
    Service {
        latency: Histogram::new(),
    }
    .method();
    Service {
        latency: Histogram::new(),
    }
    .gauge_through_self();
    temporary_target();
}
