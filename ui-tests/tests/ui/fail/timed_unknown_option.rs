use oxios_metrics::{timed, Histogram};

static LATENCY: Histogram = Histogram::new();

#[timed(LATENCY, retries = 3)]
fn unknown_key() {}

#[timed(LATENCY, outcomes)]
fn unknown_flag() {}

#[timed(LATENCY, in_fligth = LATENCY)]
fn misspelled_key() {}

#[timed(LATENCY, outcome = true)]
fn flag_with_value() {}

#[timed(LATENCY, in_flight)]
fn option_without_value() {}

#[timed(LATENCY, outcome, outcome)]
fn repeated() -> Result<(), ()> {
    Ok(())
}

#[timed(in_flight = LATENCY, LATENCY)]
fn target_not_first() {}

fn main() {}
