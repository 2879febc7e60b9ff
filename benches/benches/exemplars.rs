//! What recording an exemplar costs: `inc` against `inc_with_exemplar` (a 16-hex-digit trace
//! id), and a classic histogram's `observe` against `observe_with_exemplar`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use oxios_metrics::{Buckets, Counter, ExemplarCounter, ExemplarHistogram, Histogram};
use oxios_metrics_benches::hot_path_criterion;
use oxios_metrics_benches::workload::{observations, BUCKETS, CYCLE};

static COUNTER: Counter = Counter::new();
static EXEMPLAR_COUNTER: ExemplarCounter = ExemplarCounter::new();
static HISTOGRAM: Histogram = Histogram::with_buckets(Buckets::checked(&BUCKETS));
static EXEMPLAR_HISTOGRAM: ExemplarHistogram =
    ExemplarHistogram::with_buckets(Buckets::checked(&BUCKETS));

const TRACE_ID: &str = "4bf92f3577b34da6";

fn exemplar_recording(c: &mut Criterion) {
    let values = observations();
    let mut group = c.benchmark_group("exemplar_record");
    group.bench_function("Counter::inc", |b| b.iter(|| black_box(&COUNTER).inc()));
    group.bench_function("ExemplarCounter::inc", |b| {
        b.iter(|| black_box(&EXEMPLAR_COUNTER).inc())
    });
    group.bench_function("ExemplarCounter::inc_with_exemplar", |b| {
        b.iter(|| {
            black_box(&EXEMPLAR_COUNTER)
                .inc_with_exemplar(black_box(&[("trace_id", TRACE_ID)]))
                .ok()
        })
    });
    group.bench_function("Histogram::observe", |b| {
        let mut next = 0usize;
        b.iter(|| {
            black_box(&HISTOGRAM).observe(values[next & (CYCLE - 1)]);
            next = next.wrapping_add(1);
        })
    });
    group.bench_function("ExemplarHistogram::observe_with_exemplar", |b| {
        let mut next = 0usize;
        b.iter(|| {
            black_box(&EXEMPLAR_HISTOGRAM)
                .observe_with_exemplar(
                    values[next & (CYCLE - 1)],
                    black_box(&[("trace_id", TRACE_ID)]),
                )
                .ok();
            next = next.wrapping_add(1);
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = hot_path_criterion();
    targets = exemplar_recording
}
criterion_main!(benches);
