use oxios_metrics::{timed, Histogram};

static LATENCY: Histogram = Histogram::new();

#[timed(LATENCY)]
const fn answer() -> u8 {
    42
}

fn main() {
    let _ = answer();
}
