use oxios_metrics::timed;

// Buckets given as a constant are checked when the constant is evaluated, at compile time.
const UNSORTED: &[f64] = &[2.0, 1.0];

#[timed(buckets = UNSORTED)]
fn unsorted() {}

fn main() {
    unsorted();
}
