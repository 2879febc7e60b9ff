//! Runs one hot path `n` times, for instruction counts under callgrind. Run it with two values
//! of `n`: the difference in instructions divided by the difference in `n` is the count per
//! call, free of set-up (`scripts/instructions.py` does this for every case):
//!
//! ```sh
//! cargo build --release -p oxios-metrics-benches --example profile_lookup
//! valgrind --tool=callgrind target/release/examples/profile_lookup dynamic-get-ref 1000000
//! ```
//!
//! Every case runs the input of the criterion benches (`benches/src/workload.rs`): the same
//! shuffled cycle of label combinations or of the 1,000 user names, every series created
//! before the loop. Cases: see [`CASES`].

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use oxios_metrics::{Buckets, Counter, Family, Histogram};
use oxios_metrics_benches::oxios_labels::{Outcome, Session, SharedSession, Tool, ToolCall};
use oxios_metrics_benches::peers::{fastmetrics_labels, measured_labels};
use oxios_metrics_benches::workload::{
    cycling_order, observations, split_combination, user_names, BUCKETS, CYCLE, DYNAMIC_VALUES,
    FIXED_COMBINATIONS,
};

/// The case names, as `scripts/instructions.py` lists them.
const CASES: &[&str] = &[
    "raw-atomic",
    "counter",
    "striped-counter",
    "histogram",
    "fixed-plain",
    "fixed",
    "fixed-measured",
    "fixed-fastmetrics",
    "dynamic-get-ref",
    "dynamic-arc",
    "dynamic-fastmetrics",
    "dynamic-measured",
];

static RAW: AtomicU64 = AtomicU64::new(0);
static COUNTER: Counter = Counter::new();
static STRIPED: oxios_metrics::StripedCounter = oxios_metrics::StripedCounter::new();
static HISTOGRAM: Histogram = Histogram::with_buckets(Buckets::checked(&BUCKETS));
static TOOL_CALLS: Family<ToolCall, Counter> = Family::new();

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "dynamic-get-ref".to_owned());
    let n: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    if !CASES.contains(&case.as_str()) {
        eprintln!("unknown case {case}; cases: {}", CASES.join(", "));
        std::process::exit(2);
    }
    // Each loop body reads the next entry of a 1,024-entry table, as the criterion benches do.
    fn run<T>(n: usize, items: &[T], mut op: impl FnMut(&T)) {
        assert_eq!(items.len(), CYCLE);
        for i in 0..n {
            op(black_box(&items[i & (CYCLE - 1)]));
        }
    }
    let fixed = cycling_order(FIXED_COMBINATIONS);
    let dynamic = cycling_order(DYNAMIC_VALUES);
    let users = user_names();
    match case.as_str() {
        "raw-atomic" => run(n, &fixed, |_| {
            black_box(&RAW).fetch_add(1, Ordering::Relaxed);
        }),
        "counter" => run(n, &fixed, |_| black_box(&COUNTER).inc()),
        "striped-counter" => run(n, &fixed, |_| black_box(&STRIPED).inc()),
        "histogram" => {
            let values = observations();
            run(n, &values, |&v| black_box(&HISTOGRAM).observe(v))
        }
        "fixed-plain" | "fixed" => {
            let labels: Vec<ToolCall> = fixed
                .iter()
                .map(|&k| {
                    let (tool, outcome) = split_combination(k);
                    ToolCall {
                        tool: Tool::from_ordinal(tool),
                        outcome: Outcome::from_ordinal(outcome),
                    }
                })
                .collect();
            if case == "fixed" {
                run(n, &labels, |&l| black_box(&TOOL_CALLS).get(l).inc())
            } else {
                run(n, &labels, |_| {
                    black_box(&RAW).fetch_add(1, Ordering::Relaxed);
                })
            }
        }
        "fixed-measured" => {
            let family = measured::CounterVec::<measured_labels::ToolCallSet>::new();
            let labels: Vec<_> = fixed
                .iter()
                .map(|&k| measured_labels::ToolCall::combination(k))
                .collect();
            run(n, &labels, |&l| family.inc(l))
        }
        "fixed-fastmetrics" => {
            let family = fastmetrics::metrics::family::Family::<
                fastmetrics_labels::ToolCall,
                fastmetrics::metrics::counter::Counter,
            >::default();
            let labels: Vec<_> = fixed
                .iter()
                .map(|&k| fastmetrics_labels::ToolCall::combination(k))
                .collect();
            for l in &labels {
                family.with_or_new(l, |_| ());
            }
            run(n, &labels, |l| {
                family.with_or_new(l, |counter| counter.inc())
            })
        }
        "dynamic-get-ref" => {
            let family: Family<Session, Counter> = Family::new().with_max_series(DYNAMIC_VALUES);
            let held: Vec<Session> = users
                .iter()
                .map(|user| Session { user: user.clone() })
                .collect();
            for labels in &held {
                family.get_ref(labels);
            }
            run(n, &dynamic, |&k| family.get_ref(&held[k]).inc())
        }
        "dynamic-arc" => {
            let family: Family<SharedSession, Counter> =
                Family::new().with_max_series(DYNAMIC_VALUES);
            let shared: Vec<Arc<str>> = users.iter().map(|u| Arc::from(u.as_str())).collect();
            for user in &shared {
                family.get(SharedSession { user: user.clone() });
            }
            run(n, &dynamic, |&k| {
                family
                    .get(SharedSession {
                        user: shared[k].clone(),
                    })
                    .inc()
            })
        }
        "dynamic-fastmetrics" => {
            let family = fastmetrics::metrics::family::Family::<
                fastmetrics_labels::Session,
                fastmetrics::metrics::counter::Counter,
            >::default();
            let held: Vec<_> = users
                .iter()
                .map(|user| fastmetrics_labels::Session {
                    value: user.clone(),
                })
                .collect();
            for labels in &held {
                family.with_or_new(labels, |_| ());
            }
            run(n, &dynamic, |&k| {
                family.with_or_new(&held[k], |counter| counter.inc())
            })
        }
        "dynamic-measured" => {
            let family = measured::CounterVec::<measured_labels::SessionSet>::new();
            for user in &users {
                family.inc_by(measured_labels::Session { user }, 0);
            }
            run(n, &dynamic, |&k| {
                family.inc(measured_labels::Session { user: &users[k] })
            })
        }
        _ => unreachable!("checked against CASES"),
    }
    println!("{case}: {n} calls");
}
