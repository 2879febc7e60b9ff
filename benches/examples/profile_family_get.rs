//! A fixed-family `get().inc()` loop for callgrind, dense and sparse, to compare instruction
//! counts of the recording path across changes:
//!
//! ```sh
//! cargo build --release -p oxios-metrics-benches --example profile_family_get
//! for f in dense_loop dense_call sparse_loop; do
//!     valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!         --toggle-collect="profile_family_get::$f" \
//!         target/release/examples/profile_family_get 1000000 2>&1 | grep Collected
//! done
//! ```
//!
//! `dense_loop` and `sparse_loop` count the instructions of the whole loop (per iteration:
//! the lookup, the increment, the loop itself); `dense_call` counts one call of a
//! non-inlined `get().inc()`, as a call site elsewhere in a program pays it.

use std::hint::black_box;

use oxios_metrics::{Counter, Family};
use oxios_metrics_benches::oxios_labels::{Outcome, Tool, ToolCall};

static DENSE: Family<ToolCall, Counter> = Family::new();
static SPARSE: Family<ToolCall, Counter> = Family::new().sparse();

#[inline(never)]
fn dense_loop(calls: &[ToolCall], iterations: usize) {
    for index in 0..iterations {
        DENSE.get(calls[index & 7]).inc();
    }
}

#[inline(never)]
fn dense_call(call: ToolCall) {
    DENSE.get(call).inc();
}

#[inline(never)]
fn dense_calls(calls: &[ToolCall], iterations: usize) {
    for index in 0..iterations {
        dense_call(calls[index & 7]);
    }
}

#[inline(never)]
fn sparse_loop(calls: &[ToolCall], iterations: usize) {
    for index in 0..iterations {
        SPARSE.get(calls[index & 7]).inc();
    }
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|argument| argument.parse().ok())
        .unwrap_or(1_000_000);
    let calls: Vec<ToolCall> = (0..8)
        .map(|k| ToolCall {
            tool: Tool::from_ordinal(k % 3),
            outcome: Outcome::from_ordinal(k % 2),
        })
        .collect();
    dense_loop(black_box(&calls), black_box(iterations));
    dense_calls(black_box(&calls), black_box(iterations));
    sparse_loop(black_box(&calls), black_box(iterations));
    println!(
        "dense {} sparse {} series written",
        DENSE.series_count(),
        SPARSE.series_count()
    );
}
