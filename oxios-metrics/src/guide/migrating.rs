//! # Migrating from `prometheus`, `prometheus-client` and `metrics`
//!
//! Each section declares the same three metrics — HTTP requests by method, requests in
//! flight, request latency in seconds — with the crate being left and with a derived group,
//! then checks that every line the old code exposed (HELP and TYPE included) is exposed,
//! byte for byte, by the new code. The names Prometheus stores stay the same, so dashboards
//! and alerts keep working.
//!
//! ## From `prometheus`
//!
//! | `prometheus` | `oxios-metrics` |
//! |---|---|
//! | `IntCounter`, `Counter` (f64) | [`Counter`](crate::Counter), [`FloatCounter`](crate::FloatCounter) |
//! | `IntGauge`, `Gauge` (f64) | [`Gauge`](crate::Gauge), [`FloatGauge`](crate::FloatGauge) |
//! | `Histogram` with `HistogramOpts::buckets` | [`Histogram`](crate::Histogram) with `#[metric(buckets = …)]` |
//! | `IntCounterVec::new(opts, &["method"])`, `with_label_values(&["get"])` | `Family<Method, Counter>`, `.get(Method::Get)`: the label set is a type, checked at compile time |
//! | `remove_label_values` | [`Family::remove`](crate::Family::remove) |
//! | `lazy_static!` + `register_int_counter!` | a `static` of a derived group, [`Registry::register`](crate::Registry::register) once |
//! | `Opts::const_label` | `#[metrics(labels(k = "v"))]`, or a sub-registry's `with_label` |
//! | `histogram.start_timer()` | [`Histogram::start_timer`](crate::Histogram::start_timer), or `#[timed]` on the function |
//! | `TextEncoder::new().encode(&registry.gather(), &mut out)` | [`Registry::encode`](crate::Registry::encode) (or `render`) |
//! | `prometheus::default_registry()` | [`global()`](crate::global) |
//!
//! ```
//! use oxios_metrics::{Counter, Format, Gauge, Histogram, LabelValue, Metrics, Registry};
//! use prometheus::{Encoder, HistogramOpts, IntCounterVec, IntGauge, Opts, TextEncoder};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Before: registered by hand, labels as strings.
//! let old = prometheus::Registry::new();
//! let requests = IntCounterVec::new(
//!     Opts::new("http_requests_total", "HTTP requests handled."),
//!     &["method"],
//! )?;
//! let in_flight = IntGauge::new("http_in_flight", "Requests being handled now.")?;
//! let latency = prometheus::Histogram::with_opts(
//!     HistogramOpts::new("http_request_duration_seconds", "Time to handle a request.")
//!         .buckets(vec![0.1, 0.5, 1.0]),
//! )?;
//! old.register(Box::new(requests.clone()))?;
//! old.register(Box::new(in_flight.clone()))?;
//! old.register(Box::new(latency.clone()))?;
//! requests.with_label_values(&["get"]).inc();
//! in_flight.set(2);
//! latency.observe(0.3);
//! let mut before = Vec::new();
//! TextEncoder::new().encode(&old.gather(), &mut before)?;
//!
//! // After: declared once, checked at compile time.
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
//! pub enum Method { Get, Post }
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "http")]
//! pub struct HttpMetrics {
//!     /// HTTP requests handled.
//!     pub requests: oxios_metrics::Family<Method, Counter>,
//!     /// Requests being handled now.
//!     pub in_flight: Gauge,
//!     /// Time to handle a request.
//!     #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0])]
//!     pub request_duration: Histogram,
//! }
//! static HTTP: HttpMetrics = HttpMetrics::new();
//!
//! let registry = Registry::new();
//! registry.register(&HTTP)?;
//! HTTP.requests.get(Method::Get).inc();
//! HTTP.in_flight.set(2);
//! HTTP.request_duration.observe(0.3);
//! let after = registry.render(Format::Prometheus);
//!
//! for line in String::from_utf8(before)?.lines() {
//!     assert!(after.lines().any(|new| new == line), "{line:?} is missing from\n{after}");
//! }
//! // The one difference: a fixed label set exposes every value from the start.
//! assert!(after.contains("http_requests_total{method=\"post\"} 0\n"));
//! # Ok(())
//! # }
//! ```
//!
//! ## From `prometheus-client`
//!
//! | `prometheus-client` | `oxios-metrics` |
//! |---|---|
//! | `registry.register("name", "help", metric.clone())` per metric | one `#[derive(Metrics)]` struct; the doc comment is the HELP, as written (prometheus-client appends a `.`) |
//! | `register_with_unit(…, Unit::Seconds, …)` | `#[metric(unit = "seconds")]` |
//! | `Registry::with_prefix`, `sub_registry_with_prefix`, `sub_registry_with_label` | `#[metrics(prefix)]`, [`Registry::sub_registry_with_prefix`](crate::Registry::sub_registry_with_prefix), [`SubRegistry::with_label`](crate::SubRegistry::with_label) |
//! | `Family<Labels, Counter>` with `#[derive(EncodeLabelSet)]` | `Family<Labels, Counter>` with `#[derive(LabelSet)]`; all-enum sets become dense arrays |
//! | `family.get_or_create(&labels)` | [`Family::get_ref`](crate::Family::get_ref) (or `get` by value) |
//! | `Family::new_with_constructor(\|\| Histogram::new(buckets))` | `#[metric(buckets = …)]`, or [`Family::with_config`](crate::Family::with_config) with run-time [`Buckets`](crate::Buckets) |
//! | `register_collector` | [`Registry::register_owned`](crate::Registry::register_owned) of a [`MetricGroup`](crate::MetricGroup) |
//! | `encode(&mut out, &registry)` | [`Registry::render`](crate::Registry::render)`(Format::OpenMetrics)` |
//! | libraries taking `&mut Registry` | libraries taking `&SubRegistry` and keeping a [`Registration`](crate::Registration) (see [`SubRegistry`](crate::SubRegistry)) |
//!
//! ```
//! use oxios_metrics::{Counter, Family, Format, Gauge, Histogram, LabelSet, Metrics, Registry};
//! use prometheus_client::encoding::{text::encode, EncodeLabelSet};
//! use prometheus_client::registry::Unit;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Before.
//! #[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
//! struct OldLabels { method: String }
//!
//! let mut old = prometheus_client::registry::Registry::default();
//! let requests = prometheus_client::metrics::family::Family::<
//!     OldLabels,
//!     prometheus_client::metrics::counter::Counter,
//! >::default();
//! let in_flight = prometheus_client::metrics::gauge::Gauge::<i64>::default();
//! let latency = prometheus_client::metrics::histogram::Histogram::new([0.1, 0.5, 1.0]);
//! // prometheus-client ends each HELP with a `.` of its own.
//! old.register("http_requests", "HTTP requests handled", requests.clone());
//! old.register("http_in_flight", "Requests being handled now", in_flight.clone());
//! old.register_with_unit(
//!     "http_request_duration",
//!     "Time to handle a request",
//!     Unit::Seconds,
//!     latency.clone(),
//! );
//! requests.get_or_create(&OldLabels { method: "get".into() }).inc();
//! in_flight.set(2);
//! latency.observe(0.3);
//! let mut before = String::new();
//! encode(&mut before, &old)?;
//!
//! // After.
//! #[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
//! pub struct Request { pub method: String }
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "http")]
//! pub struct HttpMetrics {
//!     /// HTTP requests handled.
//!     pub requests: Family<Request, Counter>,
//!     /// Requests being handled now.
//!     pub in_flight: Gauge,
//!     /// Time to handle a request.
//!     #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0])]
//!     pub request_duration: Histogram,
//! }
//! static HTTP: HttpMetrics = HttpMetrics::new();
//!
//! let registry = Registry::new();
//! registry.register(&HTTP)?;
//! HTTP.requests.get_ref(&Request { method: "get".into() }).inc();
//! HTTP.in_flight.set(2);
//! HTTP.request_duration.observe(0.3);
//! let after = registry.render(Format::OpenMetrics);
//!
//! for line in before.lines() {
//!     assert!(after.lines().any(|new| new == line), "{line:?} is missing from\n{after}");
//! }
//! # Ok(())
//! # }
//! ```
//!
//! ## From `metrics`
//!
//! Code written against the [`metrics`](https://docs.rs/metrics) facade can move in two
//! steps. First keep the macros and change the recorder (feature `metrics-facade`, see
//! [the facade chapter](super::facade)): `metrics-exporter-prometheus`'s builder becomes
//! `FacadeRecorder::builder()`, its `set_buckets_for_metric` becomes `buckets`, and its
//! HTTP listener becomes the exporter or the axum router. Then, where it pays (names checked
//! at compile time, no lookup per emission), declare the metrics:
//!
//! | `metrics` | `oxios-metrics` |
//! |---|---|
//! | `describe_counter!(name, help)` + `counter!(name, "method" => m)` | a `Family<Method, Counter>` field whose doc comment is the HELP |
//! | `gauge!(name).set(v)` | a [`FloatGauge`](crate::FloatGauge) (or [`Gauge`](crate::Gauge) for integers) |
//! | `histogram!(name).record(v)` with buckets set on the exporter | a [`Histogram`](crate::Histogram) field with `#[metric(buckets = …)]` |
//! | `Unit::Milliseconds` | record seconds into `#[metric(unit = "seconds")]` (the facade converts for you) |
//! | `PrometheusBuilder::install()` | [`Registry::register`](crate::Registry::register) and an exporter, or `facade::install()` |
//!
//! ```
//! # #[cfg(feature = "metrics-facade")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use oxios_metrics::facade::{FacadeRecorder, Matcher};
//! use oxios_metrics::{Buckets, Counter, Family, FloatGauge, Format, Histogram, LabelValue};
//! use oxios_metrics::{Metrics, Registry};
//!
//! /// The instrumented code, unchanged by the first step.
//! fn handle_request() {
//!     metrics::describe_counter!("http_requests_total", "HTTP requests handled.");
//!     metrics::describe_gauge!("http_in_flight", "Requests being handled now.");
//!     metrics::describe_histogram!(
//!         "http_request_duration_seconds",
//!         metrics::Unit::Seconds,
//!         "Time to handle a request."
//!     );
//!     metrics::counter!("http_requests_total", "method" => "get").increment(1);
//!     metrics::gauge!("http_in_flight").set(2.0);
//!     metrics::histogram!("http_request_duration_seconds").record(0.3);
//! }
//!
//! // Before: metrics-exporter-prometheus.
//! let old = metrics_exporter_prometheus::PrometheusBuilder::new()
//!     .set_buckets_for_metric(
//!         metrics_exporter_prometheus::Matcher::Full("http_request_duration_seconds".into()),
//!         &[0.1, 0.5, 1.0],
//!     )?
//!     .build_recorder();
//! metrics::with_local_recorder(&old, handle_request);
//! let before = old.handle().render();
//!
//! // Step one: the same code, recorded by the facade recorder.
//! let registry = Registry::new();
//! let recorder = FacadeRecorder::builder()
//!     .registry(&registry)
//!     .buckets(
//!         Matcher::Full("http_request_duration_seconds".into()),
//!         Buckets::from_vec(vec![0.1, 0.5, 1.0])?,
//!     )
//!     .build()?;
//! metrics::with_local_recorder(&recorder, handle_request);
//! let facade = registry.render(Format::Prometheus);
//!
//! // Step two: declared.
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
//! pub enum Method { Get, Post }
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "http")]
//! pub struct HttpMetrics {
//!     /// HTTP requests handled.
//!     pub requests: Family<Method, Counter>,
//!     /// Requests being handled now.
//!     pub in_flight: FloatGauge,
//!     /// Time to handle a request.
//!     #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0])]
//!     pub request_duration: Histogram,
//! }
//! static HTTP: HttpMetrics = HttpMetrics::new();
//! let declared = Registry::new();
//! declared.register(&HTTP)?;
//! HTTP.requests.get(Method::Get).inc();
//! HTTP.in_flight.set(2.0);
//! HTTP.request_duration.observe(0.3);
//! let after = declared.render(Format::Prometheus);
//!
//! for line in before.lines().filter(|line| !line.is_empty()) {
//!     assert!(facade.lines().any(|new| new == line), "{line:?} is missing from\n{facade}");
//!     assert!(after.lines().any(|new| new == line), "{line:?} is missing from\n{after}");
//! }
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "metrics-facade"))]
//! # fn main() {}
//! ```
