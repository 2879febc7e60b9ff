//! Sparse fixed families (`#[metric(sparse)]`): only the combinations used are written, from
//! the first scrape that finds them changed and in every scrape after.

#![deny(warnings, clippy::pedantic)]

use oxios_metrics::{
    Counter, Family, Format, Gauge, Histogram, LabelSet, LabelValue, Metrics, Registry,
};
use oxios_metrics_tests::{openmetrics_parse, promtool_check, Checked};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Method {
    Get,
    Post,
    Put,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Status {
    Ok,
    NotFound,
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Request {
    pub method: Method,
    pub status: Status,
}

#[derive(Metrics)]
pub struct Http {
    /// Requests, by method and status.
    #[metric(sparse)]
    pub requests: Family<Request, Counter>,
    /// Requests in progress, by method.
    #[metric(sparse)]
    pub in_progress: Family<Method, Gauge>,
    /// Latency, by method.
    #[metric(sparse, unit = "seconds", buckets = [0.1, 1.0])]
    pub latency: Family<Method, Histogram>,
    /// Requests, dense as usual.
    pub dense: Family<Method, Counter>,
}

fn request(method: Method, status: Status) -> Request {
    Request { method, status }
}

#[test]
fn only_used_combinations_are_written_and_stay() {
    let http: &'static Http = Box::leak(Box::new(Http::new()));
    assert!(http.requests.is_sparse());
    assert!(!http.dense.is_sparse());
    assert_eq!(http.requests.series_count(), 0);
    let registry = Registry::new();
    registry.register(http).expect("registers");
    let text = registry.render(Format::Prometheus);
    assert!(
        !text.contains("requests_total{"),
        "nothing used yet: {text}"
    );
    assert!(!text.contains("in_progress{"), "{text}");
    assert!(!text.contains("latency_seconds_bucket{"), "{text}");
    assert_eq!(
        text.matches("dense_total{").count(),
        3,
        "dense families write all: {text}"
    );

    http.requests
        .get(request(Method::Post, Status::NotFound))
        .inc();
    // Looked up but never changed: not used.
    let _ = http.requests.get(request(Method::Get, Status::Ok));
    http.in_progress.get(Method::Put).inc();
    http.latency.get(Method::Get).observe(0.5);
    assert_eq!(http.requests.series_count(), 1);
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains("requests_total{method=\"post\",status=\"not_found\"} 1\n"),
        "{text}"
    );
    assert_eq!(text.matches("requests_total{").count(), 1, "{text}");
    assert!(text.contains("in_progress{method=\"put\"} 1\n"), "{text}");
    assert!(
        text.contains("latency_seconds_bucket{method=\"get\",le=\"1\"} 1\n"),
        "{text}"
    );
    assert_eq!(text.matches("latency_seconds_count{").count(), 1, "{text}");

    // Back to zero, a gauge that was written stays written.
    http.in_progress.get(Method::Put).dec();
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("in_progress{method=\"put\"} 0\n"), "{text}");

    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool: {said}");
    }
    let text = registry.render(Format::OpenMetrics);
    if let Checked::Ran(said) = openmetrics_parse(&text) {
        assert!(
            said.contains("counter requests_total{method='post',status='not_found'} 1\n"),
            "{said}"
        );
        assert!(!said.contains("method='get',status='ok'"), "{said}");
    }
}

#[test]
fn a_gauge_only_ever_set_to_zero_is_not_written() {
    static HTTP: Http = Http::new();
    HTTP.in_progress.get(Method::Get).set(0);
    assert_eq!(HTTP.in_progress.series_count(), 0);
    HTTP.in_progress.get(Method::Get).set(-2);
    assert_eq!(HTTP.in_progress.series_count(), 1);
}

#[test]
fn series_count_of_a_sparse_histogram_family() {
    static LATENCY: Family<Method, Histogram> =
        Family::with_config(oxios_metrics::Buckets::checked(&[
            0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0,
        ]))
        .sparse();
    assert_eq!(LATENCY.series_count(), 0);
    // A zero observation leaves the sum at zero; the count alone shows the use.
    LATENCY.get(Method::Post).observe(0.0);
    LATENCY.get(Method::Put).observe(5.5);
    assert_eq!(LATENCY.series_count(), 2);
}
