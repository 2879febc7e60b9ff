//! The text formats byte for byte in every escaping scheme: text 1.0.0 and OpenMetrics with
//! names outside the legacy character set (quoted under `allow-utf-8`, escaped otherwise),
//! OpenMetrics `_created` samples and exemplars, and Python's OpenMetrics parser reading it.

use oxios_metrics::encode::{
    ClassicHistogram, Escaping, ExemplarRef, Exposition, FamilyEncoder, SummaryValue, Timestamp,
};
use oxios_metrics::{
    Buckets, Counter, DefinitionSite, EncodeMetric, Family, Format, Histogram, LabelWriter,
    MetricDesc, MetricEncoder, MetricType, NoLabels, SampleValue, WriteLabels,
};
use oxios_metrics_tests::{leak, openmetrics_parse, Checked, Method};

fn site(line: u32) -> DefinitionSite {
    DefinitionSite::new("text_formats.rs", line, 1)
}

struct HttpMethod(&'static str);

impl WriteLabels for HttpMethod {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("http.method", self.0);
    }
}

/// OpenTelemetry-style names: a counter with a dotted label, and a histogram.
struct Requests;

impl EncodeMetric for Requests {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        encoder.counter(&HttpMethod("get"), SampleValue::Unsigned(3), None, None);
    }
}

fn utf8_exposition(exposition: Exposition) -> String {
    let requests = MetricDesc::new(
        "http.server.requests",
        "Requests.",
        MetricType::Counter,
        site(1),
    );
    let duration = MetricDesc::new(
        "http.server.duration",
        "Duration.",
        MetricType::Histogram,
        site(2),
    );
    let histogram: &'static Histogram =
        leak(Histogram::with_buckets(Buckets::checked(&[0.1, 1.0])));
    histogram.observe(0.5);
    let mut out = Vec::new();
    let mut family = FamilyEncoder::begin(&mut out, exposition, requests.name(), &requests);
    Requests.encode(&mut family.encoder("").with_utf8_label_names());
    family.finish();
    let mut family = FamilyEncoder::begin(&mut out, exposition, duration.name(), &duration);
    family.member(histogram, "");
    family.finish();
    String::from_utf8(out).unwrap()
}

#[test]
fn text_1_0_0_quotes_utf8_names_under_allow_utf_8() {
    let exposition = Exposition::new(Format::PrometheusV1).with_escaping(Escaping::AllowUtf8);
    assert_eq!(
        utf8_exposition(exposition),
        concat!(
            "# HELP \"http.server.requests_total\" Requests.\n",
            "# TYPE \"http.server.requests_total\" counter\n",
            "{\"http.server.requests_total\",\"http.method\"=\"get\"} 3\n",
            "# HELP \"http.server.duration\" Duration.\n",
            "# TYPE \"http.server.duration\" histogram\n",
            "{\"http.server.duration_bucket\",le=\"0.1\"} 0\n",
            "{\"http.server.duration_bucket\",le=\"1\"} 1\n",
            "{\"http.server.duration_bucket\",le=\"+Inf\"} 1\n",
            "{\"http.server.duration_sum\"} 0.5\n",
            "{\"http.server.duration_count\"} 1\n",
        )
    );
}

#[test]
fn every_scheme_escapes_names_in_text() {
    let cases = [
        (
            Escaping::Underscores,
            concat!(
                "# HELP http_server_requests_total Requests.\n",
                "# TYPE http_server_requests_total counter\n",
                "http_server_requests_total{http_method=\"get\"} 3\n",
                "# HELP http_server_duration Duration.\n",
                "# TYPE http_server_duration histogram\n",
                "http_server_duration_bucket{le=\"0.1\"} 0\n",
                "http_server_duration_bucket{le=\"1\"} 1\n",
                "http_server_duration_bucket{le=\"+Inf\"} 1\n",
                "http_server_duration_sum 0.5\n",
                "http_server_duration_count 1\n",
            ),
        ),
        (
            Escaping::Dots,
            concat!(
                "# HELP http_dot_server_dot_requests_total Requests.\n",
                "# TYPE http_dot_server_dot_requests_total counter\n",
                "http_dot_server_dot_requests_total{http_dot_method=\"get\"} 3\n",
                "# HELP http_dot_server_dot_duration Duration.\n",
                "# TYPE http_dot_server_dot_duration histogram\n",
                "http_dot_server_dot_duration_bucket{le=\"0.1\"} 0\n",
                "http_dot_server_dot_duration_bucket{le=\"1\"} 1\n",
                "http_dot_server_dot_duration_bucket{le=\"+Inf\"} 1\n",
                "http_dot_server_dot_duration_sum 0.5\n",
                "http_dot_server_dot_duration_count 1\n",
            ),
        ),
        (
            Escaping::Values,
            concat!(
                "# HELP U__http_2e_server_2e_requests_total Requests.\n",
                "# TYPE U__http_2e_server_2e_requests_total counter\n",
                "U__http_2e_server_2e_requests_total{U__http_2e_method=\"get\"} 3\n",
                "# HELP U__http_2e_server_2e_duration Duration.\n",
                "# TYPE U__http_2e_server_2e_duration histogram\n",
                "U__http_2e_server_2e_duration_bucket{le=\"0.1\"} 0\n",
                "U__http_2e_server_2e_duration_bucket{le=\"1\"} 1\n",
                "U__http_2e_server_2e_duration_bucket{le=\"+Inf\"} 1\n",
                "U__http_2e_server_2e_duration_sum 0.5\n",
                "U__http_2e_server_2e_duration_count 1\n",
            ),
        ),
    ];
    for (escaping, expected) in cases {
        for format in [Format::Prometheus, Format::PrometheusV1] {
            let exposition = Exposition::new(format).with_escaping(escaping);
            assert_eq!(
                utf8_exposition(exposition),
                expected,
                "{format:?} {escaping:?}"
            );
        }
    }
    // The legacy format cannot quote: allow-utf-8 is written as underscores there.
    let legacy = Exposition::new(Format::Prometheus).with_escaping(Escaping::AllowUtf8);
    assert_eq!(legacy.escaping(), Escaping::Underscores);
    assert_eq!(utf8_exposition(legacy), cases[0].1);
}

#[test]
fn openmetrics_quotes_and_escapes_names_and_python_reads_them() {
    let quoted = Exposition::new(Format::OpenMetrics).with_escaping(Escaping::AllowUtf8);
    let text = utf8_exposition(quoted) + "# EOF\n";
    assert_eq!(
        text,
        concat!(
            "# HELP \"http.server.requests\" Requests.\n",
            "# TYPE \"http.server.requests\" counter\n",
            "{\"http.server.requests_total\",\"http.method\"=\"get\"} 3\n",
            "# HELP \"http.server.duration\" Duration.\n",
            "# TYPE \"http.server.duration\" histogram\n",
            "{\"http.server.duration_bucket\",le=\"0.1\"} 0\n",
            "{\"http.server.duration_bucket\",le=\"1.0\"} 1\n",
            "{\"http.server.duration_bucket\",le=\"+Inf\"} 1\n",
            "{\"http.server.duration_sum\"} 0.5\n",
            "{\"http.server.duration_count\"} 1\n",
            "# EOF\n",
        )
    );
    let expected_samples = |family: &str, label: &str| {
        format!(
            "counter {family}_total{{{label}='get'}} 3\n\
             histogram {duration}_bucket{{le='0.1'}} 0\n\
             histogram {duration}_bucket{{le='1.0'}} 1\n\
             histogram {duration}_bucket{{le='+Inf'}} 1\n\
             histogram {duration}_sum{{}} 0.5\n\
             histogram {duration}_count{{}} 1\n",
            duration = family.replace("requests", "duration"),
        )
    };
    let cases = [
        (Escaping::AllowUtf8, "http.server.requests", "http.method"),
        (Escaping::Underscores, "http_server_requests", "http_method"),
        (
            Escaping::Dots,
            "http_dot_server_dot_requests",
            "http_dot_method",
        ),
        (
            Escaping::Values,
            "U__http_2e_server_2e_requests",
            "U__http_2e_method",
        ),
    ];
    for (escaping, family, label) in cases {
        let exposition = Exposition::new(Format::OpenMetrics).with_escaping(escaping);
        let text = utf8_exposition(exposition) + "# EOF\n";
        match openmetrics_parse(&text) {
            Checked::Ran(parsed) => {
                assert_eq!(
                    parsed,
                    expected_samples(family, label),
                    "{escaping:?}:\n{text}"
                )
            }
            Checked::Missing => return,
        }
    }
}

/// A counter family with exemplars on its series, and a summary.
struct Jobs;

const TRACE: &str = "trace_id=\"KOO5S4vxi0o\"";

impl EncodeMetric for Jobs {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        let exemplar = ExemplarRef {
            labels: TRACE,
            value: 0.67,
            timestamp: Some(Timestamp::from_unix_nanos(1_520_879_607_789_000_000)),
        };
        encoder.counter(
            &Method::Get,
            SampleValue::Unsigned(17),
            None,
            Some(&exemplar),
        );
        encoder.counter(
            &Method::Post,
            SampleValue::Unsigned(2),
            Some(Timestamp::from_unix_nanos(1_520_430_001_000_000_000)),
            None,
        );
    }
}

#[test]
fn openmetrics_created_and_exemplars_in_the_specification_layout() {
    let desc = MetricDesc::new("jobs", "Jobs.", MetricType::Counter, site(3));
    let write = |exposition: Exposition| {
        let mut out = Vec::new();
        let mut family = FamilyEncoder::begin(&mut out, exposition, "jobs", &desc);
        family.created(Some(Timestamp::from_unix_nanos(1_520_430_000_123_000_000)));
        family.member(&Jobs, "");
        family.finish();
        String::from_utf8(out).unwrap()
    };
    let with_created = write(Exposition::new(Format::OpenMetrics).with_created(true));
    assert_eq!(
        with_created,
        concat!(
            "# HELP jobs Jobs.\n",
            "# TYPE jobs counter\n",
            "jobs_total{method=\"get\"} 17 # {trace_id=\"KOO5S4vxi0o\"} 0.67 1520879607.789\n",
            "jobs_created{method=\"get\"} 1.520430000123e+09\n",
            "jobs_total{method=\"post\"} 2\n",
            "jobs_created{method=\"post\"} 1.520430001e+09\n",
        )
    );
    // Off by default; the exemplar stays (OpenMetrics only).
    assert_eq!(
        write(Exposition::new(Format::OpenMetrics)),
        concat!(
            "# HELP jobs Jobs.\n",
            "# TYPE jobs counter\n",
            "jobs_total{method=\"get\"} 17 # {trace_id=\"KOO5S4vxi0o\"} 0.67 1520879607.789\n",
            "jobs_total{method=\"post\"} 2\n",
        )
    );
    // Text 0.0.4 has neither.
    assert_eq!(
        write(Exposition::new(Format::Prometheus).with_created(true)),
        concat!(
            "# HELP jobs_total Jobs.\n",
            "# TYPE jobs_total counter\n",
            "jobs_total{method=\"get\"} 17\n",
            "jobs_total{method=\"post\"} 2\n",
        )
    );
    if let Checked::Ran(parsed) = openmetrics_parse(&(with_created + "# EOF\n")) {
        assert_eq!(
            parsed,
            concat!(
                "counter jobs_total{method='get'} 17\n",
                "counter jobs_created{method='get'} 1520430000.123\n",
                "counter jobs_total{method='post'} 2\n",
                "counter jobs_created{method='post'} 1520430001.0\n",
            )
        );
    }
}

#[test]
fn openmetrics_histogram_with_exemplars_created_and_a_summary() {
    struct Rpc;
    impl EncodeMetric for Rpc {
        fn encode(&self, encoder: &mut MetricEncoder<'_>) {
            encoder.classic_histogram(
                &NoLabels,
                &ClassicHistogram {
                    bounds: &[0.01, 0.1, 1.0, 10.0],
                    counts: &[0, 8, 3, 6, 0],
                    sum: 324789.3,
                    exemplars: &[
                        None,
                        Some(ExemplarRef {
                            labels: "",
                            value: 0.054,
                            timestamp: None,
                        }),
                        Some(ExemplarRef {
                            labels: "trace_id=\"KOO5S4vxi0o\"",
                            value: 0.67,
                            timestamp: None,
                        }),
                        Some(ExemplarRef {
                            labels: "trace_id=\"oHg5SJYRHA0\"",
                            value: 9.8,
                            timestamp: Some(Timestamp::from_unix_nanos(1_520_879_607_789_000_000)),
                        }),
                        None,
                    ],
                    created: Some(Timestamp::from_unix_nanos(1_520_430_000_123_000_000)),
                    negative_observations: false,
                },
            );
        }
    }
    let desc = MetricDesc::new("foo", "Foo.", MetricType::Histogram, site(4));
    let mut out = Vec::new();
    let mut family = FamilyEncoder::begin(
        &mut out,
        Exposition::new(Format::OpenMetrics).with_created(true),
        "foo",
        &desc,
    );
    family.member(&Rpc, "");
    family.finish();
    let text = String::from_utf8(out).unwrap();
    // The specification's histogram example, in this crate's layout (`_sum` before
    // `_count`, float `le`).
    assert_eq!(
        text,
        concat!(
            "# HELP foo Foo.\n",
            "# TYPE foo histogram\n",
            "foo_bucket{le=\"0.01\"} 0\n",
            "foo_bucket{le=\"0.1\"} 8 # {} 0.054\n",
            "foo_bucket{le=\"1.0\"} 11 # {trace_id=\"KOO5S4vxi0o\"} 0.67\n",
            "foo_bucket{le=\"10.0\"} 17 # {trace_id=\"oHg5SJYRHA0\"} 9.8 1520879607.789\n",
            "foo_bucket{le=\"+Inf\"} 17\n",
            "foo_sum 324789.3\n",
            "foo_count 17\n",
            "foo_created 1.520430000123e+09\n",
        )
    );
    if let Checked::Ran(parsed) = openmetrics_parse(&(text + "# EOF\n")) {
        assert!(
            parsed.ends_with("histogram foo_created{} 1520430000.123\n"),
            "{parsed}"
        );
    }

    struct Latency;
    impl EncodeMetric for Latency {
        fn encode(&self, encoder: &mut MetricEncoder<'_>) {
            for (method, quantiles) in [
                (Method::Get, &[(0.5, 0.25), (0.99, 1.5)][..]),
                (Method::Post, &[][..]),
            ] {
                encoder.summary(
                    &method,
                    &SummaryValue {
                        quantiles,
                        count: 7,
                        sum: 4.5,
                        created: Some(Timestamp::from_unix_nanos(1_605_281_325_000_000_000)),
                    },
                );
            }
        }
    }
    let desc = MetricDesc::new("rpc_seconds", "RPC latency.", MetricType::Gauge, site(5));
    for (exposition, expected) in [
        (
            Exposition::new(Format::OpenMetrics).with_created(true),
            concat!(
                "rpc_seconds{method=\"get\",quantile=\"0.5\"} 0.25\n",
                "rpc_seconds{method=\"get\",quantile=\"0.99\"} 1.5\n",
                "rpc_seconds_sum{method=\"get\"} 4.5\n",
                "rpc_seconds_count{method=\"get\"} 7\n",
                "rpc_seconds_created{method=\"get\"} 1.605281325e+09\n",
                "rpc_seconds_sum{method=\"post\"} 4.5\n",
                "rpc_seconds_count{method=\"post\"} 7\n",
                "rpc_seconds_created{method=\"post\"} 1.605281325e+09\n",
            ),
        ),
        (
            Exposition::new(Format::Prometheus),
            concat!(
                "rpc_seconds{method=\"get\",quantile=\"0.5\"} 0.25\n",
                "rpc_seconds{method=\"get\",quantile=\"0.99\"} 1.5\n",
                "rpc_seconds_sum{method=\"get\"} 4.5\n",
                "rpc_seconds_count{method=\"get\"} 7\n",
                "rpc_seconds_sum{method=\"post\"} 4.5\n",
                "rpc_seconds_count{method=\"post\"} 7\n",
            ),
        ),
    ] {
        let mut out = Vec::new();
        Latency.encode(&mut MetricEncoder::for_family(
            &mut out,
            exposition,
            "rpc_seconds",
            desc.metric_type(),
            "",
        ));
        assert_eq!(String::from_utf8(out).unwrap(), expected, "{exposition:?}");
    }
}

/// The text of families written through the family writer equals what the registry writes
/// today for the same metrics, in every text format with legacy names.
#[test]
fn family_writer_matches_the_registry_for_legacy_names() {
    let counters: &'static Family<Method, Counter> = leak(Family::new());
    counters.get(Method::Post).add(3);
    let desc = MetricDesc::new("c", "C \"q\".", MetricType::Counter, site(6));
    let registry = oxios_metrics_tests::registry_with(vec![(desc.clone(), counters)]);
    for format in [
        Format::Prometheus,
        Format::PrometheusV1,
        Format::OpenMetrics,
        Format::OpenMetricsV0,
    ] {
        let mut out = Vec::new();
        let mut family = FamilyEncoder::begin(&mut out, format, "c", &desc);
        family.member(counters, "");
        family.finish();
        if format.is_openmetrics() {
            out.extend_from_slice(b"# EOF\n");
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            registry.render(format),
            "{format:?}"
        );
    }
}

mod utf8_round_trip {
    use proptest::prelude::*;

    use super::*;

    struct Named(String);

    impl WriteLabels for Named {
        fn write_labels(&self, writer: &mut LabelWriter<'_>) {
            writer.label(&self.0, "v");
        }
    }

    struct One(String);

    impl EncodeMetric for One {
        fn encode(&self, encoder: &mut MetricEncoder<'_>) {
            encoder.sample("", &Named(self.0.clone()), SampleValue::Unsigned(1));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Names outside the legacy set, quoted in OpenMetrics and text 1.0.0, read back by
        /// Python's parsers as the same names.
        #[test]
        fn quoted_names_read_back_as_written(
            name in "[a-z][a-zA-Z0-9_.:/ \\-ü花]{0,20}",
            label in "[a-z][a-zA-Z0-9_./ \\-ü花]{0,12}",
        ) {
            let name: &'static str = Box::leak(name.into_boxed_str());
            let desc = MetricDesc::new(name, "Any name.", MetricType::Gauge, site(50));
            let exposition = Exposition::new(Format::OpenMetrics).with_escaping(Escaping::AllowUtf8);
            let mut out = Vec::new();
            let mut family = FamilyEncoder::begin(&mut out, exposition, name, &desc);
            One(label.clone()).encode(&mut family.encoder("").with_utf8_label_names());
            family.finish();
            out.extend_from_slice(b"# EOF\n");
            let text = String::from_utf8(out).unwrap();
            if let Checked::Ran(parsed) = openmetrics_parse(&text) {
                prop_assert_eq!(parsed, format!("gauge {name}{{{label}='v'}} 1\n"), "{}", text);
            }
            // Text 1.0.0, read by the parser of the Prometheus text format.
            let exposition = Exposition::new(Format::PrometheusV1).with_escaping(Escaping::AllowUtf8);
            let mut out = Vec::new();
            let mut family = FamilyEncoder::begin(&mut out, exposition, name, &desc);
            One(label.clone()).encode(&mut family.encoder("").with_utf8_label_names());
            family.finish();
            let text = String::from_utf8(out).unwrap();
            if let Checked::Ran(parsed) = oxios_metrics_tests::prometheus_text_parse(&text) {
                prop_assert_eq!(parsed, format!("gauge {name}{{{label}='v'}} 1\n"), "{}", text);
            }
        }
    }
}

#[test]
fn the_service_writes_created_samples_when_asked_to() {
    use oxios_metrics::serve::MetricsService;
    use oxios_metrics::Registry;
    let registry: &'static Registry = leak(Registry::new());
    let counter: &'static Counter = leak(Counter::new());
    registry
        .register_owned(Box::new(oxios_metrics_tests::HandGroup::new(vec![(
            MetricDesc::new("jobs", "Jobs.", MetricType::Counter, site(60)),
            counter,
        )])))
        .unwrap();
    let request = http::Request::get("/metrics")
        .header("accept", "application/openmetrics-text;version=1.0.0")
        .body(())
        .unwrap();
    let length = |service: MetricsService| {
        let response = service.gzip(false).respond(&request);
        response.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    let plain = registry.render(Format::OpenMetrics);
    let created = registry.render(Exposition::new(Format::OpenMetrics).with_created(true));
    assert!(!plain.contains("_created"), "{plain}");
    let line = created
        .lines()
        .find(|line| line.starts_with("jobs_created "))
        .unwrap_or_else(|| panic!("no _created line in {created}"));
    let seconds: f64 = line["jobs_created ".len()..].parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - seconds).abs() < 60.0, "{line}");
    assert_eq!(length(MetricsService::new(registry)), plain.len());
    assert_eq!(
        length(MetricsService::new(registry).openmetrics_created(true)),
        created.len()
    );
}
