use oxios_metrics::{timed, Histogram};

static LATENCY: Histogram = Histogram::new();

#[timed(buckets = [])]
fn empty() {}

#[timed(buckets = [0.1, 0.05, 0.05])]
fn unsorted() {}

#[timed(buckets = [0.1, "one"])]
fn not_a_number() {}

#[timed(LATENCY, buckets = [0.1], name = "step")]
fn bare_options_with_a_target() {}

#[timed(name = step)]
fn name_not_a_string() {}

fn main() {}
