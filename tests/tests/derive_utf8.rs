//! Names outside the legacy character set declared in the derives (`#[metric(utf8)]`,
//! `#[label(..., utf8)]`): the description carries `with_utf8_names`, and each scrape writes
//! the names quoted or escaped as it negotiated.

use oxios_metrics::{
    Counter, Escaping, Exposition, Family, Format, Histogram, LabelSet, LabelValue, Metrics,
    NativeHistogram, Registry,
};
use oxios_metrics_tests::{descriptions, prometheus_text_parse, Checked};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "http.request.method", utf8, rename_all = "UPPERCASE")]
enum Method {
    Get,
    Post,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Request {
    /// A field's label is named after the field (or its `rename`), not after its type.
    #[label(rename = "http.request.method", utf8)]
    method: Method,
    #[label(rename = "http.route", utf8)]
    route: String,
}

#[derive(Metrics)]
#[metrics(prefix = "app")]
struct Http {
    /// Requests served.
    #[metric(rename = "http.server.requests", utf8)]
    requests: Counter,
    /// Request duration.
    #[metric(rename = "http.server.request.duration", unit = "seconds", utf8, buckets = [0.5])]
    duration: Histogram,
    /// Requests by method and route.
    #[metric(rename = "http.server.calls", utf8)]
    calls: Family<Request, Counter>,
    /// Native durations by method: a legacy family name over UTF-8 label names.
    #[metric(unit = "seconds", utf8)]
    by_method: Family<Method, NativeHistogram>,
    /// A legacy metric beside them.
    legacy: Counter,
}

fn observed() -> Registry {
    let http: &'static Http = Box::leak(Box::new(Http::new()));
    let registry = Registry::new();
    registry.register(http).expect("the group registers");
    http.requests.inc();
    http.duration.observe(0.25);
    http.calls
        .get(Request {
            method: Method::Post,
            route: "/users/{id}".into(),
        })
        .inc();
    http.by_method.get(Method::Get).observe(1.0);
    http.legacy.inc();
    registry
}

#[test]
fn descriptions_declare_utf8_names() {
    let descs = descriptions(&Http::new());
    let summary: Vec<(&str, bool, bool)> = descs
        .iter()
        .map(|desc| {
            (
                desc.name(),
                desc.utf8_names(),
                desc.rendered_headers().is_some(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("app_http.server.requests", true, false),
            ("app_http.server.request.duration_seconds", true, false),
            ("app_http.server.calls", true, false),
            // A legacy name reads the same in every scheme: its headers are rendered once.
            ("app_by_method_seconds", true, true),
            ("app_legacy", false, true),
        ]
    );
    assert_eq!(
        <Request as LabelSet>::LABEL_NAMES,
        ["http.request.method", "http.route"]
    );
}

#[test]
fn allow_utf8_quotes_the_names() {
    let text =
        observed().render(Exposition::new(Format::PrometheusV1).with_escaping(Escaping::AllowUtf8));
    let expected = concat!(
        "# HELP \"app_http.server.requests_total\" Requests served.\n",
        "# TYPE \"app_http.server.requests_total\" counter\n",
        "{\"app_http.server.requests_total\"} 1\n",
        "# HELP \"app_http.server.request.duration_seconds\" Request duration.\n",
        "# TYPE \"app_http.server.request.duration_seconds\" histogram\n",
        "{\"app_http.server.request.duration_seconds_bucket\",le=\"0.5\"} 1\n",
        "{\"app_http.server.request.duration_seconds_bucket\",le=\"+Inf\"} 1\n",
        "{\"app_http.server.request.duration_seconds_sum\"} 0.25\n",
        "{\"app_http.server.request.duration_seconds_count\"} 1\n",
        "# HELP \"app_http.server.calls_total\" Requests by method and route.\n",
        "# TYPE \"app_http.server.calls_total\" counter\n",
        "{\"app_http.server.calls_total\",\"http.request.method\"=\"POST\",\"http.route\"=\"/users/{id}\"} 1\n",
        "# HELP app_by_method_seconds Native durations by method: a legacy family name over UTF-8 label names.\n",
        "# TYPE app_by_method_seconds histogram\n",
        "app_by_method_seconds_bucket{\"http.request.method\"=\"GET\",le=\"+Inf\"} 1\n",
        "app_by_method_seconds_sum{\"http.request.method\"=\"GET\"} 1\n",
        "app_by_method_seconds_count{\"http.request.method\"=\"GET\"} 1\n",
        "app_by_method_seconds_bucket{\"http.request.method\"=\"POST\",le=\"+Inf\"} 0\n",
        "app_by_method_seconds_sum{\"http.request.method\"=\"POST\"} 0\n",
        "app_by_method_seconds_count{\"http.request.method\"=\"POST\"} 0\n",
        "# HELP app_legacy_total A legacy metric beside them.\n",
        "# TYPE app_legacy_total counter\n",
        "app_legacy_total 1\n",
    );
    assert_eq!(text, expected);
    match prometheus_text_parse(&text) {
        Checked::Ran(samples) => {
            for sample in [
                "counter app_http.server.requests_total{} 1",
                "histogram app_http.server.request.duration_seconds_count{} 1",
                "counter app_http.server.calls_total{http.request.method='POST',http.route='/users/{id}'} 1",
                "histogram app_by_method_seconds_count{http.request.method='GET'} 1",
            ] {
                assert!(samples.contains(sample), "{sample:?} not parsed from:\n{samples}");
            }
        }
        Checked::Missing => {}
    }
}

#[test]
fn other_schemes_escape_the_names() {
    let registry = observed();
    let underscores = registry.render(Format::Prometheus);
    for line in [
        "# TYPE app_http_server_requests_total counter\n",
        "app_http_server_requests_total 1\n",
        "app_http_server_request_duration_seconds_bucket{le=\"0.5\"} 1\n",
        "app_http_server_calls_total{http_request_method=\"POST\",http_route=\"/users/{id}\"} 1\n",
        "app_by_method_seconds_count{http_request_method=\"GET\"} 1\n",
        "app_legacy_total 1\n",
    ] {
        assert!(
            underscores.contains(line),
            "{line:?} missing in:\n{underscores}"
        );
    }
    let dots = registry.render(Exposition::new(Format::PrometheusV1).with_escaping(Escaping::Dots));
    for line in [
        "# TYPE app__http_dot_server_dot_request_dot_duration__seconds histogram\n",
        "app_by_method_seconds_count{http_dot_request_dot_method=\"GET\"} 1\n",
    ] {
        assert!(dots.contains(line), "{line:?} missing in:\n{dots}");
    }
    let values =
        registry.render(Exposition::new(Format::OpenMetrics).with_escaping(Escaping::Values));
    assert!(
        values.contains("# TYPE U__app__http_2e_server_2e_requests counter\n"),
        "{values}"
    );
}

/// A second group whose legacy name is the first group's UTF-8 name escaped.
#[derive(Metrics)]
#[metrics(prefix = "app")]
struct Legacy {
    /// Requests served, under the escaped name.
    http_server_requests: Counter,
}

#[test]
fn a_name_that_escapes_onto_another_is_refused_at_registration() {
    let registry = observed();
    let legacy: &'static Legacy = Box::leak(Box::new(Legacy::new()));
    let error = registry
        .register(legacy)
        .expect_err("`app_http_server_requests` is what `app_http.server.requests` escapes to");
    let message = error.to_string();
    assert!(message.contains("app_http_server_requests"), "{message}");
    assert!(
        message.contains("derive_utf8.rs"),
        "names both sites: {message}"
    );
}
