use oxios_metrics::{timed, Family, Histogram, TimedOutcome};

static CALLS: Family<TimedOutcome, Histogram> = Family::new();
static LATENCY: Histogram = Histogram::new();

#[timed(CALLS, outcome)]
fn returns_unit() {}

#[timed(CALLS, outcome)]
fn returns_a_number() -> u8 {
    1
}

#[timed(LATENCY, outcome)]
fn target_not_keyed_by_outcome() -> Result<(), ()> {
    Ok(())
}

#[timed(outcome)]
fn bare_with_outcome() -> Result<(), ()> {
    Ok(())
}

fn main() {
    returns_unit();
    let _ = returns_a_number();
    let _ = target_not_keyed_by_outcome();
    let _ = bare_with_outcome();
}
