//! Shared fixtures of the oxios-metrics benchmarks: the workload every implementation runs
//! (bucket bounds, observed values, label values, the cycling order) and, per implementation,
//! the label types and the 10,000-series exposition set-up.
//!
//! The criterion benches (`benches/hot_path.rs`, `benches/encode.rs`) and the allocation
//! counter (`benches/allocations.rs`) all build their subjects from here, so every
//! implementation runs the same input. `scripts/bench_report.py` turns the results into
//! `BENCHMARKS.md`.

pub mod baselines;
pub mod exposition;
pub mod oxios_labels;
pub mod peers;
pub mod workload;

use std::sync::{Barrier, OnceLock};
use std::time::{Duration, Instant};

/// The criterion settings of the per-call cases: short, because each case is a few
/// nanoseconds and the whole suite must stay under ten minutes on two shared cores.
pub fn hot_path_criterion() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(2500))
        .sample_size(40)
        .noise_threshold(0.03)
}

/// The criterion settings of the exposition cases (milliseconds per iteration).
pub fn encode_criterion() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(4))
        .sample_size(25)
        .noise_threshold(0.03)
}

/// Runs `op` `iterations` times on each of two threads at once and returns the wall time from
/// the common start to the end of the slower thread (thread start-up is not timed).
pub fn on_two_threads(iterations: u64, op: &(dyn Fn() + Sync)) -> Duration {
    let barrier = Barrier::new(3);
    let start = std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                barrier.wait();
                for _ in 0..iterations {
                    op();
                }
            });
        }
        barrier.wait();
        Instant::now()
    });
    start.elapsed()
}

/// A `metrics-exporter-prometheus` recorder installed as the global `metrics` recorder, for
/// the cases that go through the `metrics::counter!` macros (installed once per process; no
/// HTTP listener). The returned handle can render what the macros recorded.
pub fn global_metrics_recorder() -> &'static metrics_exporter_prometheus::PrometheusHandle {
    static HANDLE: OnceLock<metrics_exporter_prometheus::PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new()
            .set_buckets(&workload::BUCKETS)
            .expect("non-empty buckets")
            .build_recorder();
        let handle = recorder.handle();
        metrics::set_global_recorder(recorder).expect("no other global recorder is installed");
        handle
    })
}

/// A fresh `metrics-exporter-prometheus` recorder (not installed) with the workload's buckets.
pub fn local_metrics_recorder() -> metrics_exporter_prometheus::PrometheusRecorder {
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets(&workload::BUCKETS)
        .expect("non-empty buckets")
        .build_recorder()
}
