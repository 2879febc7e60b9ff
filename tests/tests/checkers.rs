//! An exposition of every metric type — labels, escaping, empty families, NaN and infinities —
//! read by two parsers that are not this crate: `promtool check metrics` (Prometheus' own
//! linter, which must say nothing about the 0.0.4 text; it reads only that format, so it
//! rejects OpenMetrics' escaped `"` in HELP) and the Python `prometheus_client` OpenMetrics
//! parser (which must read back every sample with its value).

use oxios_metrics::{
    Buckets, CallbackCounter, CallbackGauge, Counter, Family, FloatCounter, FloatGauge, Format,
    Gauge, Histogram, Info, MetricType, Registry,
};
use oxios_metrics_tests::{
    desc, leak, openmetrics_parse, promtool_check, registry_with, Checked, Method, Path, L,
};

fn every_type() -> Registry {
    let requests: &'static Family<Method, Counter> = leak(Family::new());
    requests.get(Method::Get).add(3);
    let paths: &'static Family<Path, FloatCounter> = leak(Family::new());
    paths
        .get(Path {
            path: "/a\\b \"c\"\nd ünï".into(),
        })
        .add(1.5);
    let empty: &'static Family<L, Gauge> = leak(Family::new());
    let queue: &'static Gauge = leak(Gauge::new());
    queue.set(-4);
    let temperature: &'static FloatGauge = leak(FloatGauge::new());
    temperature.set(f64::NAN);
    let ratio: &'static FloatGauge = leak(FloatGauge::new());
    ratio.set(f64::INFINITY);
    let latency: &'static Family<Method, Histogram> =
        leak(Family::with_config(Buckets::checked(&[
            0.005, 0.5, 1.0, 1e6,
        ])));
    latency.get(Method::Post).observe(0.3);
    latency.get(Method::Post).observe(2e6);
    let plain: &'static Histogram = leak(Histogram::new());
    plain.observe(0.07);
    let info: &'static Info = leak(Info::from_static(&[
        ("version", "0.1.0"),
        ("note", "a \"b\"\\"),
    ]));
    let uptime: &'static CallbackGauge = leak(CallbackGauge::new(|| 12.5));
    let external: &'static CallbackCounter = leak(CallbackCounter::new(|| 99.0));
    registry_with(vec![
        (
            desc(
                "app_requests",
                "Requests by method.",
                MetricType::Counter,
                "t.rs",
                1,
            ),
            requests,
        ),
        (
            desc(
                "app_path_cost",
                "Cost by \"path\" \\ with\nnewline.",
                MetricType::Counter,
                "t.rs",
                2,
            ),
            paths,
        ),
        (
            desc(
                "app_sessions",
                "Sessions (none yet).",
                MetricType::Gauge,
                "t.rs",
                3,
            ),
            empty,
        ),
        (
            desc(
                "app_queue_depth",
                "Queue depth.",
                MetricType::Gauge,
                "t.rs",
                4,
            ),
            queue,
        ),
        (
            desc(
                "app_temperature_celsius",
                "Temperature.",
                MetricType::Gauge,
                "t.rs",
                5,
            )
            .with_unit("celsius"),
            temperature,
        ),
        (
            desc("app_load_ratio", "Load.", MetricType::Gauge, "t.rs", 6).with_unit("ratio"),
            ratio,
        ),
        (
            desc(
                "app_latency_seconds",
                "Latency.",
                MetricType::Histogram,
                "t.rs",
                7,
            )
            .with_unit("seconds"),
            latency,
        ),
        (
            desc(
                "app_step_seconds",
                "Steps.",
                MetricType::Histogram,
                "t.rs",
                8,
            )
            .with_unit("seconds"),
            plain,
        ),
        (
            desc(
                "app_build",
                "Build information.",
                MetricType::Info,
                "t.rs",
                9,
            ),
            info,
        ),
        (
            desc(
                "app_uptime_seconds",
                "Uptime.",
                MetricType::Gauge,
                "t.rs",
                10,
            )
            .with_unit("seconds"),
            uptime,
        ),
        (
            desc(
                "app_external",
                "External total.",
                MetricType::Counter,
                "t.rs",
                11,
            ),
            external,
        ),
    ])
}

#[test]
fn promtool_accepts_the_text_format_without_a_word() {
    let text = every_type().render(Format::Prometheus);
    match promtool_check(&text) {
        Checked::Ran(said) => assert_eq!(said, "", "promtool:\n{said}\n---\n{text}"),
        Checked::Missing => {}
    }
}

#[test]
fn independent_openmetrics_parser_reads_every_sample() {
    let text = every_type().render(Format::OpenMetrics);
    let said = match openmetrics_parse(&text) {
        Checked::Ran(said) => said,
        Checked::Missing => return,
    };
    let expected = [
        "counter app_requests_total{method='get'} 3",
        "counter app_requests_total{method='post'} 0",
        "counter app_path_cost_total{path='/a\\\\b \"c\"\\nd ünï'} 1.5",
        "gauge app_queue_depth{} -4",
        "gauge app_temperature_celsius{} nan",
        "gauge app_load_ratio{} inf",
        "histogram app_latency_seconds_bucket{le='0.005',method='get'} 0",
        "histogram app_latency_seconds_sum{method='get'} 0.0",
        "histogram app_latency_seconds_count{method='get'} 0",
        "histogram app_latency_seconds_bucket{le='0.5',method='post'} 1",
        "histogram app_latency_seconds_bucket{le='1.0',method='post'} 1",
        "histogram app_latency_seconds_bucket{le='1e+06',method='post'} 1",
        "histogram app_latency_seconds_bucket{le='+Inf',method='post'} 2",
        "histogram app_latency_seconds_sum{method='post'} 2000000.3",
        "histogram app_latency_seconds_count{method='post'} 2",
        "histogram app_step_seconds_bucket{le='0.1'} 1",
        "histogram app_step_seconds_sum{} 0.07",
        "info app_build_info{note='a \"b\"\\\\',version='0.1.0'} 1",
        "gauge app_uptime_seconds{} 12.5",
        "counter app_external_total{} 99.0",
    ];
    // 2 + 1 + 1 + 1 + 1 (gauges and counters) + 2 × 7 + 14 (histograms) + 1 + 1 + 1.
    assert_eq!(said.lines().count(), 37, "sample count:\n{said}");
    for line in expected {
        assert!(
            said.lines().any(|l| l == line),
            "parser output lacks {line:?}:\n{said}\n---\n{text}"
        );
    }
    assert!(
        !said.contains("Traceback"),
        "parser failed:\n{said}\n---\n{text}"
    );
}
