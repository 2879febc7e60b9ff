//! `#[derive(Metrics)]` with native histograms, summaries and the exemplar types, alone and
//! in families: the options declared reach the metrics, the group registers, and its text
//! expositions read as Prometheus' and OpenMetrics' parsers expect.

use std::time::{Duration, SystemTime};

use oxios_metrics::encode::render_headers;
use oxios_metrics::{
    ExemplarCounter, ExemplarHistogram, ExemplarNativeHistogram, Family, Format, LabelValue,
    MetricDesc, MetricType, Metrics, NativeHistogram, Registry, Summary,
};
use oxios_metrics_tests::{
    assert_well_formed, descriptions, openmetrics_parse, openmetrics_parse_exemplars,
    promtool_check, Checked,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
enum Route {
    Home,
    Api,
}

const ROUTE_QUANTILES: [f64; 2] = [0.25, 0.75];

#[derive(Metrics)]
#[metrics(prefix = "svc")]
struct Service {
    /// Request latency.
    #[metric(
        unit = "seconds",
        native(schema = 2, max_buckets = 40, zero_threshold = 1e-9),
        buckets = [0.1, 1.0]
    )]
    latency: NativeHistogram,
    /// Payload sizes.
    #[metric(unit = "bytes", quantiles = [0.5, 0.9], max_age = "10m", age_buckets = 2)]
    payload: Summary,
    /// Requests, with trace exemplars.
    requests: ExemplarCounter,
    /// Queue waits, with exemplars.
    #[metric(unit = "seconds", buckets = [0.5, 2.0])]
    queue_wait: ExemplarHistogram,
    /// Value spread, native, with exemplars.
    #[metric(native(schema = -1))]
    spread: ExemplarNativeHistogram,
    /// Latency by route.
    #[metric(unit = "seconds", native(max_buckets = 20), buckets = [1.0])]
    route_latency: Family<Route, NativeHistogram>,
    /// Payload by route.
    #[metric(quantiles = ROUTE_QUANTILES, max_age = 60)]
    route_payload: Family<Route, Summary>,
    /// Requests by route.
    route_requests: Family<Route, ExemplarCounter>,
    /// Queue waits by route.
    #[metric(buckets = [1.0])]
    route_queue_wait: Family<Route, ExemplarHistogram>,
    /// Spread by route.
    #[metric(native(schema = 0))]
    route_spread: Family<Route, ExemplarNativeHistogram>,
}

/// 2023-11-14T22:13:20Z, so exemplar timestamps are the same in every run.
fn at() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// A registered group with a fixed set of observations (summaries see at most 128 values
/// per slice, so their quantiles are exact).
fn observed() -> (Registry, &'static Service) {
    let service: &'static Service = Box::leak(Box::new(Service::new()));
    let registry = Registry::new();
    registry
        .register(service)
        .expect("the derived group registers");
    service.latency.observe(0.05);
    service.latency.observe(0.5);
    service.latency.observe(4.0);
    for value in [1.0, 2.0, 3.0, 4.0] {
        service.payload.observe(value);
    }
    service.requests.inc();
    service
        .requests
        .add_with_exemplar_at(2, &[("trace_id", "abc")], at())
        .unwrap();
    service
        .queue_wait
        .observe_with_exemplar_at(1.5, &[("trace_id", "def")], at())
        .unwrap();
    service.spread.observe(3.0);
    service.route_latency.get(Route::Api).observe(0.25);
    for value in [10.0, 20.0, 30.0, 40.0] {
        service.route_payload.get(Route::Home).observe(value);
    }
    service.route_requests.get(Route::Api).inc();
    service.route_queue_wait.get(Route::Home).observe(0.5);
    service.route_spread.get(Route::Api).observe(-2.0);
    (registry, service)
}

#[test]
fn options_reach_the_metrics() {
    let service = Service::new();
    let native = service.latency.config();
    assert_eq!(native.schema(), 2);
    assert_eq!(native.max_buckets(), 40);
    assert_eq!(native.zero_threshold(), 1e-9);
    assert_eq!(
        native.classic_buckets().map(|buckets| buckets.bounds()),
        Some(&[0.1, 1.0][..])
    );
    let summary = service.payload.config();
    assert_eq!(summary.quantiles(), &[0.5, 0.9]);
    assert_eq!(summary.max_age(), Duration::from_secs(600));
    assert_eq!(summary.age_buckets(), 2);
    assert_eq!(service.spread.snapshot().schema(), -1);

    // A family's options are every member's.
    let member = service.route_latency.get(Route::Home);
    assert_eq!(member.config().max_buckets(), 20);
    assert_eq!(member.config().schema(), 3, "the default schema");
    assert_eq!(
        member
            .config()
            .classic_buckets()
            .map(|buckets| buckets.bounds()),
        Some(&[1.0][..])
    );
    service.route_payload.get(Route::Api).observe(1.0);
    let quantiles: Vec<f64> = service
        .route_payload
        .get(Route::Api)
        .snapshot()
        .quantiles()
        .iter()
        .map(|(quantile, _)| *quantile)
        .collect();
    assert_eq!(quantiles, [0.25, 0.75]);
    assert_eq!(service.route_spread.get(Route::Home).snapshot().schema(), 0);
}

#[test]
fn prometheus_text_is_byte_exact() {
    let (registry, _) = observed();
    let text = registry.render(Format::Prometheus);
    assert_well_formed(&text, Format::Prometheus);
    let expected = concat!(
        "# HELP svc_latency_seconds Request latency.\n",
        "# TYPE svc_latency_seconds histogram\n",
        "svc_latency_seconds_bucket{le=\"0.1\"} 1\n",
        "svc_latency_seconds_bucket{le=\"1\"} 2\n",
        "svc_latency_seconds_bucket{le=\"+Inf\"} 3\n",
        "svc_latency_seconds_sum 4.55\n",
        "svc_latency_seconds_count 3\n",
        "# HELP svc_payload_bytes Payload sizes.\n",
        "# TYPE svc_payload_bytes summary\n",
        "svc_payload_bytes{quantile=\"0.5\"} 2\n",
        "svc_payload_bytes{quantile=\"0.9\"} 4\n",
        "svc_payload_bytes_sum 10\n",
        "svc_payload_bytes_count 4\n",
        "# HELP svc_requests_total Requests, with trace exemplars.\n",
        "# TYPE svc_requests_total counter\n",
        "svc_requests_total 3\n",
        "# HELP svc_queue_wait_seconds Queue waits, with exemplars.\n",
        "# TYPE svc_queue_wait_seconds histogram\n",
        "svc_queue_wait_seconds_bucket{le=\"0.5\"} 0\n",
        "svc_queue_wait_seconds_bucket{le=\"2\"} 1\n",
        "svc_queue_wait_seconds_bucket{le=\"+Inf\"} 1\n",
        "svc_queue_wait_seconds_sum 1.5\n",
        "svc_queue_wait_seconds_count 1\n",
        "# HELP svc_spread Value spread, native, with exemplars.\n",
        "# TYPE svc_spread histogram\n",
        "svc_spread_bucket{le=\"+Inf\"} 1\n",
        "svc_spread_sum 3\n",
        "svc_spread_count 1\n",
        "# HELP svc_route_latency_seconds Latency by route.\n",
        "# TYPE svc_route_latency_seconds histogram\n",
        "svc_route_latency_seconds_bucket{route=\"home\",le=\"1\"} 0\n",
        "svc_route_latency_seconds_bucket{route=\"home\",le=\"+Inf\"} 0\n",
        "svc_route_latency_seconds_sum{route=\"home\"} 0\n",
        "svc_route_latency_seconds_count{route=\"home\"} 0\n",
        "svc_route_latency_seconds_bucket{route=\"api\",le=\"1\"} 1\n",
        "svc_route_latency_seconds_bucket{route=\"api\",le=\"+Inf\"} 1\n",
        "svc_route_latency_seconds_sum{route=\"api\"} 0.25\n",
        "svc_route_latency_seconds_count{route=\"api\"} 1\n",
        "# HELP svc_route_payload Payload by route.\n",
        "# TYPE svc_route_payload summary\n",
        "svc_route_payload{route=\"home\",quantile=\"0.25\"} 10\n",
        "svc_route_payload{route=\"home\",quantile=\"0.75\"} 30\n",
        "svc_route_payload_sum{route=\"home\"} 100\n",
        "svc_route_payload_count{route=\"home\"} 4\n",
        "svc_route_payload{route=\"api\",quantile=\"0.25\"} NaN\n",
        "svc_route_payload{route=\"api\",quantile=\"0.75\"} NaN\n",
        "svc_route_payload_sum{route=\"api\"} 0\n",
        "svc_route_payload_count{route=\"api\"} 0\n",
        "# HELP svc_route_requests_total Requests by route.\n",
        "# TYPE svc_route_requests_total counter\n",
        "svc_route_requests_total{route=\"home\"} 0\n",
        "svc_route_requests_total{route=\"api\"} 1\n",
        "# HELP svc_route_queue_wait Queue waits by route.\n",
        "# TYPE svc_route_queue_wait histogram\n",
        "svc_route_queue_wait_bucket{route=\"home\",le=\"1\"} 1\n",
        "svc_route_queue_wait_bucket{route=\"home\",le=\"+Inf\"} 1\n",
        "svc_route_queue_wait_sum{route=\"home\"} 0.5\n",
        "svc_route_queue_wait_count{route=\"home\"} 1\n",
        "svc_route_queue_wait_bucket{route=\"api\",le=\"1\"} 0\n",
        "svc_route_queue_wait_bucket{route=\"api\",le=\"+Inf\"} 0\n",
        "svc_route_queue_wait_sum{route=\"api\"} 0\n",
        "svc_route_queue_wait_count{route=\"api\"} 0\n",
        "# HELP svc_route_spread Spread by route.\n",
        "# TYPE svc_route_spread histogram\n",
        "svc_route_spread_bucket{route=\"home\",le=\"+Inf\"} 0\n",
        "svc_route_spread_sum{route=\"home\"} 0\n",
        "svc_route_spread_count{route=\"home\"} 0\n",
        "svc_route_spread_bucket{route=\"api\",le=\"+Inf\"} 1\n",
        "svc_route_spread_sum{route=\"api\"} -2\n",
        "svc_route_spread_count{route=\"api\"} 1\n",
    );
    assert_eq!(text, expected);
    match promtool_check(&text) {
        Checked::Ran(problems) => assert_eq!(problems, "", "promtool on:\n{text}"),
        Checked::Missing => {}
    }
}

#[test]
fn openmetrics_heads_each_type_and_parses() {
    let (registry, _) = observed();
    let text = registry.render(Format::OpenMetrics);
    assert_well_formed(&text, Format::OpenMetrics);
    for header in [
        "# TYPE svc_latency_seconds histogram\n# UNIT svc_latency_seconds seconds\n",
        "# HELP svc_payload_bytes Payload sizes.\n# TYPE svc_payload_bytes summary\n# UNIT svc_payload_bytes bytes\n",
        "# HELP svc_requests Requests, with trace exemplars.\n# TYPE svc_requests counter\n",
        "# TYPE svc_route_payload summary\n",
        "# TYPE svc_route_requests counter\n",
    ] {
        assert!(text.contains(header), "{header:?} missing in:\n{text}");
    }
    for line in [
        "svc_requests_total 3 # {trace_id=\"abc\"} 2.0 1700000000\n",
        "svc_queue_wait_seconds_bucket{le=\"2.0\"} 1 # {trace_id=\"def\"} 1.5 1700000000\n",
        "svc_payload_bytes{quantile=\"0.9\"} 4.0\n",
        "svc_route_payload{route=\"home\",quantile=\"0.25\"} 10.0\n",
    ] {
        assert!(text.contains(line), "{line:?} missing in:\n{text}");
    }
    match openmetrics_parse(&text) {
        Checked::Ran(samples) => {
            for sample in [
                "summary svc_payload_bytes{quantile='0.5'} 2.0",
                "summary svc_payload_bytes_count{} 4",
                "summary svc_route_payload_sum{route='home'} 100.0",
                "counter svc_requests_total{} 3",
                "histogram svc_latency_seconds_bucket{le='+Inf'} 3",
                "histogram svc_route_latency_seconds_count{route='api'} 1",
                "histogram svc_route_spread_bucket{le='+Inf',route='api'} 1",
            ] {
                assert!(
                    samples.contains(sample),
                    "{sample:?} not parsed from:\n{samples}"
                );
            }
        }
        Checked::Missing => {}
    }
    match openmetrics_parse_exemplars(&text) {
        Checked::Ran(samples) => assert!(
            samples.contains("counter svc_requests_total{} 3 # {trace_id='abc'} 2.0 1700000000.0"),
            "{samples}"
        ),
        Checked::Missing => {}
    }
}

#[test]
fn compile_time_headers_match_the_runtime() {
    let service = Service::new();
    let descs = descriptions(&service);
    let types: Vec<MetricType> = descs.iter().map(MetricDesc::metric_type).collect();
    assert_eq!(
        types,
        [
            MetricType::Histogram,
            MetricType::Summary,
            MetricType::Counter,
            MetricType::Histogram,
            MetricType::Histogram,
            MetricType::Histogram,
            MetricType::Summary,
            MetricType::Counter,
            MetricType::Histogram,
            MetricType::Histogram,
        ]
    );
    for desc in &descs {
        let rendered = desc
            .rendered_headers()
            .expect("legacy names get headers rendered at compile time");
        for (format, derived) in [
            (Format::Prometheus, rendered.prometheus),
            (Format::OpenMetrics, rendered.openmetrics),
        ] {
            let mut runtime = Vec::new();
            render_headers(&mut runtime, format, desc.name(), desc);
            assert_eq!(derived, String::from_utf8(runtime).unwrap(), "{format:?}");
        }
        assert!(!desc.utf8_names());
    }
    assert_eq!(
        descs[1].rendered_headers().unwrap().prometheus,
        "# HELP svc_payload_bytes Payload sizes.\n# TYPE svc_payload_bytes summary\n"
    );
}

/// Names kept for a migration, on the new types as on the classic ones.
#[derive(Metrics)]
struct Migrated {
    /// A summary whose name carries its type word.
    #[metric(allow(type_word))]
    rpc_summary: Summary,
    /// A counter with exemplars, written without `_total` in 0.0.4.
    #[metric(allow(no_total_suffix))]
    hits: ExemplarCounter,
    /// A native histogram in milliseconds.
    #[metric(unit = "milliseconds", allow(non_base_unit))]
    wait: NativeHistogram,
}

#[test]
fn opt_outs_apply_to_the_new_types() {
    let migrated: &'static Migrated = Box::leak(Box::new(Migrated::new()));
    let registry = Registry::new();
    registry.register(migrated).unwrap();
    migrated.hits.inc();
    let text = registry.render(Format::Prometheus);
    for line in [
        "# TYPE rpc_summary summary\n",
        "# TYPE hits counter\nhits 1\n",
        "# TYPE wait_milliseconds histogram\n",
    ] {
        assert!(text.contains(line), "{line:?} missing in:\n{text}");
    }
    let openmetrics = registry.render(Format::OpenMetrics);
    assert!(openmetrics.contains("\nhits_total 1\n"), "{openmetrics}");
    assert!(
        openmetrics.contains("# UNIT wait_milliseconds milliseconds\n"),
        "{openmetrics}"
    );
}
