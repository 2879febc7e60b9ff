//! Timing a function call: no timing, two `Instant::now()` plus one `observe` written by hand,
//! oxios-metrics' `#[timed]` and its block guard, and `autometrics` (with its `prometheus`
//! backend, which records into `prometheus`' default registry; no exporter is needed for
//! recording).

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use oxios_metrics::{Buckets, Histogram};
use oxios_metrics_benches::hot_path_criterion;
use oxios_metrics_benches::workload::BUCKETS;

static DURATION: Histogram = Histogram::with_buckets(Buckets::checked(&BUCKETS));

/// The body every variant times: as close to nothing as a call can be.
#[inline(never)]
fn body() -> u64 {
    black_box(1)
}

#[inline(never)]
fn untimed() -> u64 {
    body()
}

#[inline(never)]
fn two_instants_and_observe() -> u64 {
    let start = Instant::now();
    let result = body();
    let end = Instant::now();
    DURATION.observe((end - start).as_secs_f64());
    result
}

#[inline(never)]
fn oxios_timer_guard() -> u64 {
    let _timer = DURATION.start_timer();
    body()
}

#[inline(never)]
#[oxios_metrics::timed(DURATION)]
fn oxios_timed() -> u64 {
    body()
}

#[inline(never)]
#[oxios_metrics::timed]
fn oxios_timed_builtin() -> u64 {
    body()
}

#[inline(never)]
#[autometrics::autometrics]
fn autometrics_timed() -> u64 {
    body()
}

fn timed_call(c: &mut Criterion) {
    let mut group = c.benchmark_group("timed_call");
    group.bench_function("no timing (empty call)", |b| b.iter(untimed));
    group.bench_function("two Instant::now + observe (by hand)", |b| {
        b.iter(two_instants_and_observe)
    });
    group.bench_function("oxios-metrics (start_timer guard)", |b| {
        b.iter(oxios_timer_guard)
    });
    group.bench_function("oxios-metrics (#[timed])", |b| b.iter(oxios_timed));
    group.bench_function("oxios-metrics (bare #[timed], built-in family)", |b| {
        b.iter(oxios_timed_builtin)
    });
    group.bench_function("autometrics", |b| b.iter(autometrics_timed));
    group.finish();
}

criterion_group! {
    name = benches;
    config = hot_path_criterion();
    targets = timed_call
}
criterion_main!(benches);
