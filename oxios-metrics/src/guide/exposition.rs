//! # Exposition
//!
//! [`Registry::encode`](crate::Registry::encode) writes every registered family, in
//! registration order and declaration order within a group, in one of the text formats:
//!
//! | [`Format`](crate::Format) | content type |
//! |---|---|
//! | `Prometheus` | `text/plain; version=0.0.4; charset=utf-8` |
//! | `PrometheusV1` | `text/plain; version=1.0.0; charset=utf-8; escaping=underscores` |
//! | `OpenMetrics` | `application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores` |
//! | `OpenMetricsV0` | `application/openmetrics-text; version=0.0.1; charset=utf-8` |
//!
//! [`Format::from_accept`](crate::Format::from_accept) weighs a scraper's `Accept` header
//! as RFC 9110 says (OpenMetrics 1.0 for Prometheus' default header) and falls back to 0.0.4;
//! the `escaping` parameter it reads is echoed in the content type (see
//! [`encode::Exposition`](crate::encode::Exposition)).
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
//! ```
//!
//! What differs between the two formats:
//!
//! * **headers**: 0.0.4 heads a counter by its sample name (`foo_total`) and has no `info`
//!   type (an info metric is a gauge named `foo_info`); OpenMetrics heads the family name,
//!   adds `# UNIT` after `# TYPE`, and ends with `# EOF`;
//! * **HELP escaping**: both escape `\` and newline; OpenMetrics also escapes `"`;
//! * **floats**: both use Go's shortest `%g` as Prometheus does (`1e+06`, `0.30000000000000004`,
//!   `5e-324`, `NaN`, `+Inf`, `-Inf`), with the special cases `1`, `0`, `-1`; OpenMetrics
//!   writes a float that has neither `.` nor `e` with `.0` (`le="1.0"`, while 0.0.4 writes
//!   `le="1"`). Integer counters and gauges print all their digits in both. Every one of the
//!   3,581 conformance vectors generated from Go's formatter is a test.
//!
//! What holds in both: one HELP and one TYPE per family, `le` the last label, no trailing
//! spaces, no blank lines, a final newline, and a family with no series yet written as its
//! header lines alone. The code: `encode/float.rs` (float layout), `encode/escape.rs`
//! (escaping), [`render_headers`](crate::encode::render_headers) (header lines),
//! [`MetricEncoder`](crate::MetricEncoder) (sample lines), `registry.rs` (order and `# EOF`).
//!
//! A scrape into a reused `Vec<u8>` ([`Registry::encode_to_vec`](crate::Registry::encode_to_vec))
//! allocates nothing once the buffer is large enough; the `io::Write` form keeps such a buffer
//! per thread.
