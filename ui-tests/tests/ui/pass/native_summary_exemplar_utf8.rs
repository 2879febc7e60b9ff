//! The metric types beyond the classic ones, every option they take, UTF-8 names and label
//! names, and `#[timed]` into each, compiled under `#![deny(warnings, missing_docs)]`; the
//! program checks the options reached the metrics.
#![deny(warnings, missing_docs, unreachable_code)]
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::Duration;

use oxios_metrics::{
    timed, ExemplarCounter, ExemplarHistogram, ExemplarNativeHistogram, Family, Format,
    LabelSet, LabelValue, Metrics, NativeHistogram, Registry, Summary, TimedOutcome,
};

/// A route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Route {
    /// `/`.
    Home,
    /// `/api`.
    Api,
}

/// A request method, with its OpenTelemetry label name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "http.request.method", utf8, rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`.
    Get,
}

/// Labels with OpenTelemetry names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The route template.
    #[label(rename = "http.route", utf8)]
    pub route: String,
}

/// Quantiles from a const.
pub const QUANTILES: [f64; 2] = [0.5, 0.99];

/// Every new type with its options.
#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Native latency, with classic buckets alongside.
    #[metric(
        unit = "seconds",
        native(schema = -1, zero_threshold = 0, max_buckets = 40),
        buckets = exponential(0.01, 10.0, 4)
    )]
    pub latency: NativeHistogram,
    /// Payload sizes.
    #[metric(unit = "bytes", quantiles = [0.0, 0.5, 1.0], max_age = "1h30m", age_buckets = 8)]
    pub payload: Summary,
    /// Payload sizes per route, quantiles from a const.
    #[metric(unit = "bytes", quantiles = QUANTILES, max_age = 2.5)]
    pub route_payload: Family<Route, Summary>,
    /// Requests with exemplars.
    pub requests: ExemplarCounter,
    /// Requests per route, with exemplars.
    pub route_requests: Family<Route, ExemplarCounter>,
    /// Queue waits with exemplars.
    #[metric(unit = "seconds", buckets = [0.1, 1.0])]
    pub queue_wait: ExemplarHistogram,
    /// Queue waits per route.
    #[metric(unit = "seconds", buckets = linear(0.5, 0.5, 3))]
    pub route_queue_wait: Family<Route, ExemplarHistogram>,
    /// Native spread with exemplars.
    #[metric(native(schema = 8))]
    pub spread: ExemplarNativeHistogram,
    /// Native latency per route.
    #[metric(unit = "seconds", native(max_buckets = 1), max_series = 4, utf8)]
    pub request_latency: Family<Request, NativeHistogram>,
    /// OpenTelemetry's request duration, outcome-keyed.
    #[metric(rename = "http.server.request.duration", unit = "seconds", utf8)]
    pub http_duration: Family<TimedOutcome, NativeHistogram>,
    /// Requests by OpenTelemetry labels.
    #[metric(rename = "http.server.requests", utf8)]
    pub http_requests: Family<Request, ExemplarNativeHistogram>,
    /// Call durations, summarised.
    #[metric(unit = "seconds")]
    pub calls: Family<TimedOutcome, Summary>,
}

static APP: AppMetrics = AppMetrics::new();

#[timed(APP.latency)]
fn native_target() {}

#[timed(APP.payload)]
fn summary_target() {}

#[timed(APP.queue_wait)]
fn exemplar_target() {}

#[timed(APP.spread)]
fn exemplar_native_target() {}

#[timed(APP.route_payload.get(Route::Api))]
fn summary_member() {}

#[timed(APP.route_queue_wait.get(Route::Home))]
fn exemplar_member() {}

#[timed(APP.http_duration, outcome)]
fn native_outcome(fail: bool) -> Result<(), String> {
    if fail {
        return Err("no".into());
    }
    Ok(())
}

#[timed(APP.calls, outcome)]
async fn summary_outcome() -> Result<u8, String> {
    Ok(1)
}

/// A per-instance group reached through `self`.
pub struct Pool {
    metrics: Arc<AppMetrics>,
}

impl Pool {
    #[timed(self.metrics.payload)]
    fn checkout(&self) -> usize {
        1
    }

    #[timed(self.metrics.request_latency.get(Request { method: Method::Get, route: "/".into() }))]
    fn native_member(&self) {}
}

fn main() {
    native_target();
    summary_target();
    exemplar_target();
    exemplar_native_target();
    summary_member();
    exemplar_member();
    native_outcome(false).unwrap();
    native_outcome(true).unwrap_err();
    drop(summary_outcome());
    let pool = Pool { metrics: Arc::new(AppMetrics::new()) };
    assert_eq!(pool.checkout(), 1);
    pool.native_member();

    assert_eq!(APP.latency.config().schema(), -1);
    assert_eq!(APP.latency.config().zero_threshold(), 0.0);
    assert_eq!(APP.latency.config().max_buckets(), 40);
    assert_eq!(
        APP.latency.config().classic_buckets().map(|b| b.bounds().len()),
        Some(4)
    );
    assert_eq!(APP.payload.config().quantiles(), &[0.0, 0.5, 1.0]);
    assert_eq!(APP.payload.config().max_age(), Duration::from_secs(5_400));
    assert_eq!(APP.payload.config().age_buckets(), 8);
    assert_eq!(APP.latency.snapshot().count(), 1);
    assert_eq!(APP.payload.snapshot().count(), 1);
    assert_eq!(APP.queue_wait.count(), 1);
    assert_eq!(pool.metrics.payload.snapshot().count(), 1);

    let registry = Registry::new();
    registry.register(&APP).unwrap();
    let text = registry.render(Format::OpenMetrics);
    assert!(text.contains("# TYPE app_payload_bytes summary\n"), "{text}");
    assert!(text.contains("app_http_server_request_duration_seconds_count{outcome=\"error\"} 1\n"), "{text}");
}
