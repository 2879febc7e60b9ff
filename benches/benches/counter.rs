//! Counter `inc` (one thread, and two threads on one counter) and gauge `set`.

use std::hint::black_box;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use criterion::{criterion_group, criterion_main, Criterion};
use metrics::Recorder;
use oxios_metrics_benches::exposition::METRICS_METADATA;
use oxios_metrics_benches::{
    global_metrics_recorder, hot_path_criterion, local_metrics_recorder, on_two_threads,
};

static RAW: AtomicU64 = AtomicU64::new(0);
static OXIOS: oxios_metrics::Counter = oxios_metrics::Counter::new();

/// Keeps a value on cache lines of its own (128 bytes: a line and its prefetch pair), so the
/// two-thread case measures contention on the counter and not on a neighbour.
#[repr(align(128))]
struct Isolated<T>(T);

static STRIPED: oxios_metrics::StripedCounter = oxios_metrics::StripedCounter::new();

static RAW_SHARED: Isolated<AtomicU64> = Isolated(AtomicU64::new(0));
static OXIOS_SHARED: Isolated<oxios_metrics::Counter> = Isolated(oxios_metrics::Counter::new());

fn counter_inc(c: &mut Criterion) {
    let recorder = local_metrics_recorder();
    global_metrics_recorder();
    let prometheus = prometheus::IntCounter::new("requests_total", "Requests.").unwrap();
    let prometheus_client = prometheus_client::metrics::counter::Counter::<u64>::default();
    let metrics_handle = recorder.register_counter(
        &metrics::Key::from_static_name("requests_total"),
        &METRICS_METADATA,
    );
    let measured = measured::Counter::new();
    let fastmetrics = fastmetrics::metrics::counter::Counter::<u64>::default();

    let mut group = c.benchmark_group("counter_inc");
    group.bench_function("raw_atomic", |b| {
        b.iter(|| black_box(&RAW).fetch_add(1, Ordering::Relaxed))
    });
    group.bench_function("oxios-metrics", |b| b.iter(|| black_box(&OXIOS).inc()));
    group.bench_function("prometheus", |b| b.iter(|| black_box(&prometheus).inc()));
    group.bench_function("prometheus-client", |b| {
        b.iter(|| black_box(&prometheus_client).inc())
    });
    group.bench_function("metrics (recorder handle)", |b| {
        b.iter(|| black_box(&metrics_handle).increment(1))
    });
    group.bench_function("metrics (counter! macro)", |b| {
        b.iter(|| metrics::counter!("macro_requests_total").increment(1))
    });
    group.bench_function("measured", |b| b.iter(|| black_box(&measured).inc()));
    group.bench_function("fastmetrics", |b| b.iter(|| black_box(&fastmetrics).inc()));
    group.bench_function("oxios-metrics (StripedCounter)", |b| {
        b.iter(|| black_box(&STRIPED).inc())
    });
    group.finish();

    let mut group = c.benchmark_group("counter_inc_2_threads");
    let mut two = |name: &str, op: &(dyn Fn() + Sync)| {
        group.bench_function(name, |b| b.iter_custom(|iters| on_two_threads(iters, op)));
    };
    two("raw_atomic", &|| {
        black_box(&RAW_SHARED.0).fetch_add(1, Ordering::Relaxed);
    });
    two("oxios-metrics", &|| black_box(&OXIOS_SHARED.0).inc());
    two("prometheus", &|| black_box(&prometheus).inc());
    two("prometheus-client", &|| {
        black_box(&prometheus_client).inc();
    });
    two("metrics (recorder handle)", &|| {
        black_box(&metrics_handle).increment(1)
    });
    two("measured", &|| black_box(&measured).inc());
    two("fastmetrics", &|| black_box(&fastmetrics).inc());
    two("oxios-metrics (StripedCounter)", &|| {
        black_box(&STRIPED).inc()
    });
    group.finish();
}

static RAW_GAUGE: AtomicI64 = AtomicI64::new(0);
static OXIOS_GAUGE: oxios_metrics::Gauge = oxios_metrics::Gauge::new();

fn gauge_set(c: &mut Criterion) {
    let recorder = local_metrics_recorder();
    let prometheus = prometheus::IntGauge::new("running", "Running.").unwrap();
    let prometheus_client = prometheus_client::metrics::gauge::Gauge::<i64>::default();
    let metrics_handle = recorder.register_gauge(
        &metrics::Key::from_static_name("running"),
        &METRICS_METADATA,
    );
    let measured = measured::Gauge::new();
    let fastmetrics = fastmetrics::metrics::gauge::Gauge::<i64>::default();

    let mut group = c.benchmark_group("gauge_set");
    let mut value: i64 = 0;
    let mut next = move || {
        value = value.wrapping_add(1);
        black_box(value)
    };
    group.bench_function("raw_atomic", |b| {
        b.iter(|| black_box(&RAW_GAUGE).store(next(), Ordering::Relaxed))
    });
    group.bench_function("oxios-metrics", |b| {
        b.iter(|| black_box(&OXIOS_GAUGE).set(next()))
    });
    group.bench_function("prometheus", |b| {
        b.iter(|| black_box(&prometheus).set(next()))
    });
    group.bench_function("prometheus-client", |b| {
        b.iter(|| black_box(&prometheus_client).set(next()))
    });
    // `metrics` gauges hold an f64.
    group.bench_function("metrics (recorder handle)", |b| {
        b.iter(|| black_box(&metrics_handle).set(next() as f64))
    });
    group.bench_function("measured", |b| b.iter(|| black_box(&measured).set(next())));
    group.bench_function("fastmetrics", |b| {
        b.iter(|| black_box(&fastmetrics).set(next()))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = hot_path_criterion();
    targets = counter_inc, gauge_set
}
criterion_main!(benches);
