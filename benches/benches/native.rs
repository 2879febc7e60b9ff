//! Native histogram `observe` against the classic 10-bucket `Histogram::observe`, on the
//! same shuffled values (DESIGN §10: native ≤ 1.5x classic).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use oxios_metrics::{Buckets, Histogram, NativeHistogram};
use oxios_metrics_benches::hot_path_criterion;
use oxios_metrics_benches::workload::{observations, BUCKETS, CYCLE};

static CLASSIC: Histogram = Histogram::with_buckets(Buckets::checked(&BUCKETS));
static NATIVE: NativeHistogram = NativeHistogram::new();
static NATIVE_AND_CLASSIC: NativeHistogram =
    NativeHistogram::new().with_classic_buckets(Buckets::checked(&BUCKETS));

fn cycle(b: &mut criterion::Bencher<'_>, values: &[f64], observe: impl Fn(f64)) {
    let mut next = 0usize;
    b.iter(|| {
        observe(values[next & (CYCLE - 1)]);
        next = next.wrapping_add(1);
    });
}

fn native_observe(c: &mut Criterion) {
    let values = observations();
    // Warm every bucket the values reach, so the timed loop measures steady state.
    for &value in &values {
        NATIVE.observe(value);
        NATIVE_AND_CLASSIC.observe(value);
    }
    let mut group = c.benchmark_group("native_observe");
    group.bench_function("classic 10 buckets", |b| {
        cycle(b, &values, |v| black_box(&CLASSIC).observe(v))
    });
    group.bench_function("native schema 3", |b| {
        cycle(b, &values, |v| black_box(&NATIVE).observe(v))
    });
    group.bench_function("native schema 3 + classic 10 buckets", |b| {
        cycle(b, &values, |v| black_box(&NATIVE_AND_CLASSIC).observe(v))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = hot_path_criterion();
    targets = native_observe
}
criterion_main!(benches);
