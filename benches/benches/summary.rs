//! Summary `observe` (clock read, count, sum, one reservoir slot) beside the classic
//! histogram's and a bare `Instant::now()`, on the same shuffled values.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use oxios_metrics::{Buckets, Histogram, Summary};
use oxios_metrics_benches::hot_path_criterion;
use oxios_metrics_benches::workload::{observations, BUCKETS, CYCLE};

static CLASSIC: Histogram = Histogram::with_buckets(Buckets::checked(&BUCKETS));
static SUMMARY: Summary = Summary::new();

fn summary_observe(c: &mut Criterion) {
    let values = observations();
    let mut group = c.benchmark_group("summary_observe");
    group.bench_function("Instant::now", |b| b.iter(|| black_box(Instant::now())));
    group.bench_function("classic histogram 10 buckets", |b| {
        let mut next = 0usize;
        b.iter(|| {
            black_box(&CLASSIC).observe(values[next & (CYCLE - 1)]);
            next = next.wrapping_add(1);
        })
    });
    group.bench_function("summary", |b| {
        let mut next = 0usize;
        b.iter(|| {
            black_box(&SUMMARY).observe(values[next & (CYCLE - 1)]);
            next = next.wrapping_add(1);
        })
    });
    // The clock read alone, taken once: what the window bookkeeping costs on its own.
    let at = Instant::now();
    group.bench_function("summary, time given", |b| {
        let mut next = 0usize;
        b.iter(|| {
            black_box(&SUMMARY).observe_at(values[next & (CYCLE - 1)], at);
            next = next.wrapping_add(1);
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = hot_path_criterion();
    targets = summary_observe
}
criterion_main!(benches);
