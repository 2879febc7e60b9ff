//! Runs one hot path `n` times, for instruction counts under callgrind (run it with two
//! values of `n`; the difference divided by the difference in `n` is the per-call count,
//! free of start-up):
//!
//! ```sh
//! cargo build --release -p oxios-metrics-benches --example profile_observe
//! valgrind --tool=callgrind target/release/examples/profile_observe native 1000000
//! ```
//!
//! Cases: `classic`, `native`, `native-classic`, `summary`, `counter`,
//! `counter-exemplar`, `histogram-exemplar`.

use std::hint::black_box;

use oxios_metrics::{
    Buckets, Counter, ExemplarCounter, ExemplarHistogram, Histogram, NativeHistogram, Summary,
};
use oxios_metrics_benches::workload::{observations, BUCKETS, CYCLE};

static CLASSIC: Histogram = Histogram::with_buckets(Buckets::checked(&BUCKETS));
static NATIVE: NativeHistogram = NativeHistogram::new();

static NATIVE_CLASSIC: NativeHistogram =
    NativeHistogram::new().with_classic_buckets(Buckets::checked(&BUCKETS));
static SUMMARY: Summary = Summary::new();
static COUNTER: Counter = Counter::new();
static EXEMPLAR_COUNTER: ExemplarCounter = ExemplarCounter::new();
static EXEMPLAR_HISTOGRAM: ExemplarHistogram =
    ExemplarHistogram::with_buckets(Buckets::checked(&BUCKETS));

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "native".to_owned());
    let n: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let values = observations();
    let labels = [("trace_id", "4bf92f3577b34da6")];
    let run = |observe: &dyn Fn(f64)| {
        for i in 0..n {
            observe(values[i & (CYCLE - 1)]);
        }
    };
    match case.as_str() {
        "classic" => run(&|v| black_box(&CLASSIC).observe(v)),
        "native" => run(&|v| black_box(&NATIVE).observe(v)),
        "native-classic" => run(&|v| black_box(&NATIVE_CLASSIC).observe(v)),
        "summary" => run(&|v| black_box(&SUMMARY).observe(v)),
        "counter" => run(&|_| black_box(&COUNTER).inc()),
        "counter-exemplar" => run(&|_| {
            black_box(&EXEMPLAR_COUNTER)
                .inc_with_exemplar(black_box(&labels))
                .ok();
        }),
        "histogram-exemplar" => run(&|v| {
            black_box(&EXEMPLAR_HISTOGRAM)
                .observe_with_exemplar(v, black_box(&labels))
                .ok();
        }),
        other => {
            eprintln!("unknown case {other}");
            std::process::exit(2);
        }
    }
    println!("{case}: {n} calls");
}
