use oxios_metrics::{timed, Histogram};

const LATENCY: Histogram = Histogram::new();

// A `const` is a new value at each use: observations would go to a temporary and be lost.
#[timed(LATENCY)]
fn const_target() {}

// Neither does a histogram built on the spot.
#[timed(Histogram::new())]
fn temporary_target() {}

fn main() {
    const_target();
    temporary_target();
}
