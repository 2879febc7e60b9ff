use oxios_metrics::{timed, Histogram};

static LATENCY: Histogram = Histogram::new();

#[timed(LATENCY)]
extern "C" fn callback(value: u32) -> u32 {
    value
}

fn main() {
    let _ = callback(1);
}
