//! Histogram `observe` with 10 buckets, on values that hit every bucket in a shuffled order.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use metrics::Recorder;
use oxios_metrics::{Buckets, Histogram};
use oxios_metrics_benches::baselines::RawHistogram;
use oxios_metrics_benches::exposition::METRICS_METADATA;
use oxios_metrics_benches::workload::{observations, BUCKETS, CYCLE};
use oxios_metrics_benches::{hot_path_criterion, local_metrics_recorder};

static OXIOS: Histogram = Histogram::with_buckets(Buckets::checked(&BUCKETS));
static RAW: RawHistogram = RawHistogram::new();

/// Observes the next value each iteration, cycling.
fn cycle(b: &mut criterion::Bencher<'_>, values: &[f64], mut observe: impl FnMut(f64)) {
    let mut next = 0usize;
    b.iter(|| {
        observe(values[next & (CYCLE - 1)]);
        next = next.wrapping_add(1);
    });
}

fn histogram_observe(c: &mut Criterion) {
    let values = observations();
    let prometheus = prometheus::Histogram::with_opts(
        prometheus::HistogramOpts::new("duration_seconds", "Duration.").buckets(BUCKETS.to_vec()),
    )
    .unwrap();
    let prometheus_client =
        prometheus_client::metrics::histogram::Histogram::new(BUCKETS.iter().copied());
    let recorder = local_metrics_recorder();
    let handle = recorder.handle();
    let metrics_histogram = recorder.register_histogram(
        &metrics::Key::from_static_name("duration_seconds"),
        &METRICS_METADATA,
    );
    let measured = measured::Histogram::<10>::with_metadata(
        measured::metric::histogram::Thresholds::with_buckets(BUCKETS),
    );
    let fastmetrics = fastmetrics::metrics::histogram::Histogram::new(BUCKETS);

    let mut group = c.benchmark_group("histogram_observe");
    group.bench_function("raw atomics (by hand)", |b| {
        cycle(b, &values, |v| black_box(&RAW).observe(v))
    });
    group.bench_function("oxios-metrics", |b| {
        cycle(b, &values, |v| black_box(&OXIOS).observe(v))
    });
    group.bench_function("prometheus", |b| {
        cycle(b, &values, |v| black_box(&prometheus).observe(v))
    });
    group.bench_function("prometheus-client", |b| {
        cycle(b, &values, |v| black_box(&prometheus_client).observe(v))
    });
    // The exporter's histogram handle appends each value to a lock-free queue that a scrape
    // (or upkeep) drains into buckets. Upkeep runs between timed chunks, outside the timing,
    // so the queue stays short; the bucket search it defers is not part of this number.
    group.bench_function("metrics (recorder handle)", |b| {
        b.iter_custom(|iterations| {
            let mut timed = Duration::ZERO;
            let mut done = 0u64;
            let mut next = 0usize;
            while done < iterations {
                let chunk = (iterations - done).min(1 << 16);
                let start = Instant::now();
                for _ in 0..chunk {
                    black_box(&metrics_histogram).record(values[next & (CYCLE - 1)]);
                    next = next.wrapping_add(1);
                }
                timed += start.elapsed();
                done += chunk;
                handle.run_upkeep();
            }
            timed
        })
    });
    group.bench_function("measured", |b| {
        cycle(b, &values, |v| black_box(&measured).observe(v))
    });
    group.bench_function("fastmetrics", |b| {
        cycle(b, &values, |v| black_box(&fastmetrics).observe(v))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = hot_path_criterion();
    targets = histogram_observe
}
criterion_main!(benches);
