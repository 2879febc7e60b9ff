//! # Exposition
//!
//! [`Registry::encode`](crate::Registry::encode) writes every registered family, in
//! registration order and declaration order within a group, in any of the scrape protocols
//! Prometheus 3 negotiates:
//!
//! | [`Format`](crate::Format) | Prometheus calls it | content type (default escaping) |
//! |---|---|---|
//! | `Prometheus` | `PrometheusText0.0.4` | `text/plain; version=0.0.4; charset=utf-8` |
//! | `PrometheusV1` | `PrometheusText1.0.0` | `text/plain; version=1.0.0; charset=utf-8; escaping=underscores` |
//! | `OpenMetrics` | `OpenMetricsText1.0.0` | `application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores` |
//! | `OpenMetricsV0` | `OpenMetricsText0.0.1` | `application/openmetrics-text; version=0.0.1; charset=utf-8` |
//! | `Protobuf` | `PrometheusProto` | `application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores` |
//!
//! [`Format::from_accept`](crate::Format::from_accept) weighs a scraper's `Accept` header
//! as RFC 9110 says (OpenMetrics 1.0 for Prometheus' default header, protobuf when native
//! histograms are on) and falls back to 0.0.4; it returns an [`Exposition`](crate::Exposition):
//! the format, the [`Escaping`](crate::Escaping) scheme named by the `escaping` parameter
//! (`underscores` when absent), and the exact content type with the scheme echoed. The
//! servers of the `serve` module (features `server` and `axum`) do all of this themselves.
//!
//! ```
//! use oxios_metrics::{Counter, Format, Metrics, Registry};
//!
//! #[derive(Metrics)]
//! pub struct Io {
//!     /// Bytes written.
//!     #[metric(unit = "bytes")]
//!     pub written: Counter,
//! }
//! static IO: Io = Io::new();
//!
//! let registry = Registry::new();
//! registry.register(&IO).unwrap();
//! IO.written.add(1_000_000);
//! assert_eq!(
//!     registry.render(Format::Prometheus),
//!     concat!(
//!         "# HELP written_bytes_total Bytes written.\n",
//!         "# TYPE written_bytes_total counter\n",
//!         "written_bytes_total 1000000\n",
//!     )
//! );
//! assert_eq!(
//!     registry.render(Format::OpenMetrics),
//!     concat!(
//!         "# HELP written_bytes Bytes written.\n",
//!         "# TYPE written_bytes counter\n",
//!         "# UNIT written_bytes bytes\n",
//!         "written_bytes_total 1000000\n",
//!         "# EOF\n",
//!     )
//! );
//! // Protobuf: one length-delimited MetricFamily per family.
//! let mut bytes = Vec::new();
//! registry.encode_to_vec(&mut bytes, Format::Protobuf);
//! assert_eq!(bytes[0] as usize, bytes.len() - 1, "one message, its length first");
//! ```
//!
//! What differs between the text formats:
//!
//! * **headers**: 0.0.4 and 1.0.0 head a counter by its sample name (`foo_total`) and have no
//!   `info` type (an info metric is a gauge named `foo_info`); OpenMetrics heads the family
//!   name, adds `# UNIT` after `# TYPE`, and ends with `# EOF`;
//! * **HELP escaping**: all escape `\` and newline; OpenMetrics also escapes `"`;
//! * **floats**: all use Go's shortest `%g` as Prometheus does (`1e+06`, `0.30000000000000004`,
//!   `5e-324`, `NaN`, `+Inf`, `-Inf`), with the special cases `1`, `0`, `-1`; OpenMetrics
//!   writes a float that has neither `.` nor `e` with `.0` (`le="1.0"`, while 0.0.4 writes
//!   `le="1"`). Integer counters and gauges print all their digits. Every one of the 3,581
//!   conformance vectors generated from Go's formatter is a test, in every format (protobuf
//!   carries the same bits as doubles);
//! * **exemplars and `_created`**: only OpenMetrics has them in text. `_created` samples are
//!   off unless asked for ([`Exposition::with_created`](crate::Exposition::with_created)),
//!   as in Prometheus' Go client: a Prometheus without the `created-timestamp-zero-ingestion`
//!   feature stores each one as a series of its own. Protobuf always carries the creation
//!   time as `created_timestamp` (a field, not a series): the registration time of the group,
//!   or the time a series gives of its own.
//!
//! What holds in all: one HELP and one TYPE per family, `le` the last label, no trailing
//! spaces, no blank lines, a final newline, and a family with no series yet written as its
//! header lines alone (protobuf leaves such a family out, as the Go client does).
//!
//! ## Native histograms, summaries and exemplars in each format
//!
//! Each format gets what it can carry:
//!
//! | metric | text 0.0.4 and 1.0.0 | OpenMetrics 1.0 | OpenMetrics 2.0 | protobuf |
//! |---|---|---|---|---|
//! | [`ExemplarCounter`](crate::ExemplarCounter) | `foo_total 5` | `foo_total 5 # {trace_id="4bf9"} 1.0 1700000000.123` | the same with `st@` | `Counter` with `exemplar`, `created_timestamp` |
//! | [`ExemplarHistogram`](crate::ExemplarHistogram) | `_bucket`, `_sum`, `_count` | each bucket line with its exemplar | `foo {count:3,sum:7.55,bucket:[0.1:1,1.0:2,+Inf:3]} st@… # {…} …` | `Histogram` buckets with their exemplars |
//! | [`NativeHistogram`](crate::NativeHistogram) | its classic buckets, or `+Inf` alone | the same (an [`ExemplarNativeHistogram`](crate::ExemplarNativeHistogram) adds each exemplar to the bucket its value falls in) | `{count:5,sum:4.25,schema:0,zero_threshold:…,zero_count:1,positive_spans:[-2:5],positive_buckets:[1,1,1,0,1],bucket:[…]}` | `Histogram` with schema, zero threshold and count, spans and deltas of both signs, `exemplars`, and the classic buckets alongside |
//! | [`Summary`](crate::Summary) | quantile lines, `_sum`, `_count` | the same, less negative quantiles and a `_sum` that went down | `{count:10,sum:55.0,quantile:[0.5:5.0,0.9:9.0]}` | `Summary` with its quantiles |
//!
//! A native histogram that should still show a distribution to text scrapers keeps classic
//! buckets alongside ([`NativeHistogram::with_classic_buckets`](crate::NativeHistogram::with_classic_buckets));
//! Prometheus with native histograms on asks for protobuf first and ingests the native
//! buckets. In protobuf an exemplar of a native histogram travels twice: in
//! `Histogram.exemplars` and on the classic bucket it falls in, where Prometheus servers
//! before `exemplars` existed (2.42 among them) look for it.
//!
//! ## Names outside the legacy character set
//!
//! A family declared with [`MetricDesc::with_utf8_names`](crate::MetricDesc::with_utf8_names)
//! may be named as OpenTelemetry's conventions name things (`http.server.request.duration`,
//! label `http.request.method`). A scrape writes such names as it negotiated: quoted in text
//! 1.0.0 and OpenMetrics under `escaping=allow-utf-8`
//! (`{"http.server.request.duration_bucket","http.request.method"="GET",le="1"} 3`), as they
//! are in protobuf under it, and otherwise escaped by the scheme, byte for byte as Prometheus'
//! `model` package escapes them (`http_server_request_duration`,
//! `http_dot_server_dot_request_dot_duration`, `U__http_2e_server_2e_request_2e_duration`).
//! Names of the legacy set are written as they are whatever the scheme.
//!
//! ## Metrics written by hand
//!
//! An [`EncodeMetric`](crate::EncodeMetric) implementation writes through the
//! [`MetricEncoder`](crate::MetricEncoder) it is given, which knows the format: the same calls
//! give text lines or protobuf messages. [`sample`](crate::MetricEncoder::sample) writes one
//! value (a counter family's `_total`, a gauge's value);
//! [`counter`](crate::MetricEncoder::counter),
//! [`classic_histogram`](crate::MetricEncoder::classic_histogram),
//! [`native_histogram`](crate::MetricEncoder::native_histogram) and
//! [`summary`](crate::MetricEncoder::summary) write whole series with their exemplars and
//! creation times. Labels go through [`WriteLabels`](crate::WriteLabels).
//!
//! ```
//! use oxios_metrics::encode::SummaryValue;
//! use oxios_metrics::{EncodeMetric, Format, LabelWriter, MetricEncoder, WriteLabels};
//! use oxios_metrics::{DefinitionSite, MetricDesc, MetricGroup, MetricType, MetricVisitor, Registry};
//!
//! /// Queue latency computed elsewhere, exposed as a summary.
//! struct QueueLatency;
//!
//! struct Queue(&'static str);
//! impl WriteLabels for Queue {
//!     fn write_labels(&self, writer: &mut LabelWriter<'_>) {
//!         writer.label("queue", self.0);
//!     }
//! }
//!
//! impl EncodeMetric for QueueLatency {
//!     fn encode(&self, encoder: &mut MetricEncoder<'_>) {
//!         let summary = SummaryValue { quantiles: &[(0.5, 0.02), (0.99, 0.4)], count: 12, sum: 0.9, created: None };
//!         encoder.summary(&Queue("mail"), &summary);
//!     }
//! }
//!
//! static DESC: MetricDesc = MetricDesc::new(
//!     "queue_latency_seconds",
//!     "Time spent queued.",
//!     MetricType::Gauge,
//!     DefinitionSite::new(file!(), line!(), column!()),
//! );
//! struct Queues;
//! impl MetricGroup for Queues {
//!     fn visit(&self, visitor: &mut dyn MetricVisitor) {
//!         visitor.metric(&DESC, &QueueLatency);
//!     }
//! }
//! static QUEUES: Queues = Queues;
//!
//! let registry = Registry::new();
//! registry.register(&QUEUES).unwrap();
//! assert!(registry.render(Format::Prometheus).ends_with(concat!(
//!     "queue_latency_seconds{queue=\"mail\",quantile=\"0.5\"} 0.02\n",
//!     "queue_latency_seconds{queue=\"mail\",quantile=\"0.99\"} 0.4\n",
//!     "queue_latency_seconds_sum{queue=\"mail\"} 0.9\n",
//!     "queue_latency_seconds_count{queue=\"mail\"} 12\n",
//! )));
//! ```
//!
//! The code: `encode/format.rs` (formats, schemes, content types), `encode/accept.rs`
//! (`Accept` parsing), `encode/name_escaping.rs` (escaping schemes, quoted names),
//! `encode/float.rs` (float layout), `encode/escape.rs` (label value and HELP escaping),
//! `encode/protobuf.rs` (protobuf messages), `encode/histograms.rs` (histograms and
//! summaries in every format), [`FamilyEncoder`](crate::encode::FamilyEncoder)
//! and [`MetricEncoder`](crate::MetricEncoder) (families and series), `registry/scrape.rs`
//! (order and `# EOF`).
//!
//! A scrape into a reused `Vec<u8>` ([`Registry::encode_to_vec`](crate::Registry::encode_to_vec))
//! allocates nothing once the buffer is large enough, in every format; the `io::Write` form
//! keeps such a buffer per thread.
