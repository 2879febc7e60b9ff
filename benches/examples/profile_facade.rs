//! Emits through the `metrics` macros into one recorder in a loop, for instruction counts
//! under callgrind: every iteration is a `register_*` call (the lookup of an existing key)
//! and one recording, as in code that writes `metrics::counter!(...).increment(1)` inline.
//!
//! ```sh
//! cargo build --release -p oxios-metrics-benches --example profile_facade
//! valgrind --tool=callgrind target/release/examples/profile_facade oxios-facade counter 1000000
//! ```
//!
//! Arguments: the recorder (`oxios-facade` or `metrics-exporter-prometheus`), the workload
//! (`counter`, `labelled`, `histogram`), the number of iterations. Run twice with different
//! counts and divide the difference of the totals by the difference of the counts: that is
//! the cost per emission, without the set-up.

use std::hint::black_box;

fn emit(workload: &str, iterations: u64) {
    for index in 0..iterations {
        match workload {
            "counter" => metrics::counter!("requests_total").increment(1),
            "labelled" => metrics::counter!("requests_total", "method" => "get", "status" => "200")
                .increment(1),
            _ => metrics::histogram!("latency_seconds").record(black_box(index as f64 * 1e-6)),
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let recorder = args.next().unwrap_or_else(|| "oxios-facade".to_owned());
    let workload = args.next().unwrap_or_else(|| "counter".to_owned());
    let iterations: u64 = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    match recorder.as_str() {
        "oxios-facade" => {
            let registry = oxios_metrics::Registry::new();
            let recorder = oxios_metrics::facade::FacadeRecorder::builder()
                .registry(&registry)
                .build()
                .expect("the recorder registers");
            metrics::with_local_recorder(&recorder, || emit(&workload, iterations));
            println!(
                "{} bytes",
                registry.render(oxios_metrics::Format::Prometheus).len()
            );
        }
        "metrics-exporter-prometheus" => {
            let recorder = metrics_exporter_prometheus::PrometheusBuilder::new()
                .set_buckets(oxios_metrics::DEFAULT_BUCKETS)
                .expect("buckets")
                .build_recorder();
            metrics::with_local_recorder(&recorder, || emit(&workload, iterations));
            println!("{} bytes", recorder.handle().render().len());
        }
        other => {
            eprintln!("unknown recorder {other}: oxios-facade or metrics-exporter-prometheus");
            std::process::exit(2);
        }
    }
}
