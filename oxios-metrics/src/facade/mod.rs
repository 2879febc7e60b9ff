//! A recorder for the [`metrics`] facade (feature `metrics-facade`): what crates emit with
//! `metrics::counter!`, `gauge!` and `histogram!` appears in a [`Registry`](crate::Registry),
//! in the same exposition as the declared groups.
//!
//! ```
//! use oxios_metrics::facade::FacadeRecorder;
//! use oxios_metrics::{Counter, Format, Metrics, Registry};
//!
//! #[derive(Metrics)]
//! pub struct AppMetrics {
//!     /// Jobs started.
//!     pub jobs: Counter,
//! }
//! static APP: AppMetrics = AppMetrics::new();
//!
//! let registry = Registry::new();
//! registry.register(&APP)?;
//! let recorder = FacadeRecorder::builder().registry(&registry).build()?;
//!
//! // Code that knows only the `metrics` crate (a dependency, say):
//! metrics::with_local_recorder(&recorder, || {
//!     metrics::describe_histogram!("http.latency", metrics::Unit::Milliseconds, "Request latency.");
//!     metrics::counter!("http.requests", "method" => "GET").increment(1);
//!     metrics::histogram!("http.latency").record(12.0);
//! });
//! APP.jobs.inc();
//!
//! let text = registry.render(Format::Prometheus);
//! assert!(text.contains("jobs_total 1\n"));
//! assert!(text.contains("http_requests_total{method=\"GET\"} 1\n"));
//! assert!(text.contains("# HELP http_latency_seconds Request latency.\n"));
//! assert!(text.contains("http_latency_seconds_sum 0.012\n"));
//! # Ok::<(), oxios_metrics::RegisterError>(())
//! ```
//!
//! [`install`] makes a recorder on the [global registry](crate::global) the `metrics` crate's
//! global recorder; [`FacadeRecorder::builder`] chooses another registry, a sub-registry
//! (a prefix and constant labels for every facade metric), the bounds and the buckets.
//!
//! # What becomes of a facade metric
//!
//! | facade | exposition |
//! |---|---|
//! | `counter!` (`u64`) | a counter; `increment` adds, `absolute` raises the value to at least the one given |
//! | `gauge!` (`f64`) | a float gauge |
//! | `histogram!` | a histogram with buckets (the rules below), **never a summary** |
//! | `describe_*!` text | the HELP line; [`DEFAULT_HELP`] when none was given (promtool reports a missing HELP) |
//! | labels | a bounded family per name: `max_series` series and `max_label_bytes` of label text per series; past them, the overflow series `series_overflow="true"` and `oxios_metrics_series_overflow_total{family,reason}`, as for a [`Family`](crate::Family) |
//! | a name the registry already has (a declared group, another facade type) | refused and counted; the declared family is untouched |
//!
//! Each new metric name becomes a family registered as a group of its own, when it is first
//! emitted. A description that comes after that replaces the family's HELP in one step (a
//! scrape sees the old HELP or the new one).
//!
//! ## Names and labels
//!
//! Names outside `[a-zA-Z_][a-zA-Z0-9_]*` are **sanitized by Prometheus' underscore
//! escaping** ([`NamePolicy::Sanitize`], the default): each other character becomes `_`
//! (`http.requests` → `http_requests`), a leading digit too, and `:` as well, which is
//! reserved for recording rules. A name that is still invalid (empty, or starting with `__`,
//! reserved by Prometheus) is refused. [`NamePolicy::Refuse`] refuses every name that would
//! need a rewrite. Label names follow the same rules; `le` (promtool flags it outside
//! histograms, where it is the bucket label), `quantile`,
//! `series_overflow`, a label of the registry's scope, and a label set naming one label twice
//! are refused. A label whose value is empty is left out: Prometheus reads `l=""` as no label.
//! Names that break only a *convention* (camelCase, a type word) are exposed as they are;
//! promtool may point them out.
//!
//! A counter's `_total` is taken off its name (`requests_total` → family `requests`, sample
//! `requests_total`), since the exposition adds it.
//!
//! ## Units
//!
//! A unit from `describe_*!` becomes a base unit; values are converted as they are recorded,
//! the base unit's suffix is appended to the name once, and a suffix spelling the old unit is
//! replaced (`latency_ms` in milliseconds → `latency_seconds`):
//!
//! | `metrics::Unit` | exposed unit | values multiplied by |
//! |---|---|---|
//! | `Seconds` | `seconds` | 1 |
//! | `Milliseconds`, `Microseconds`, `Nanoseconds` | `seconds` | 10⁻³, 10⁻⁶, 10⁻⁹ (counters become float counters) |
//! | `Bytes` | `bytes` | 1 |
//! | `Kibibytes`, `Mebibytes`, `Gibibytes`, `Tebibytes` | `bytes` | 1024, 1024², 1024³, 1024⁴ (counters stay integers) |
//! | `Percent` | `ratio` | 0.01 |
//! | `Count` | none | 1 |
//! | `BitsPerSecond`, `…BitsPerSecond`, `CountPerSecond` | none: refused, counted as `what="unit"` | 1 |
//!
//! Rates have no base unit (Prometheus computes them with `rate()`), so their unit is left
//! off and the values are exposed as recorded. A unit is applied when the family is created:
//! one described after the metric was first emitted is left off too (counted).
//!
//! ## Buckets
//!
//! A histogram's buckets are chosen by its family name (after sanitizing, with the unit
//! suffix): the rules given with [`FacadeBuilder::buckets`] in order, then the built-in rule
//! (names ending in `_bytes` get [`DEFAULT_BYTE_BUCKETS`], 64 B to 16 MiB), then the default
//! set ([`FacadeBuilder::default_buckets`]; Prometheus' defaults, 5 ms to 10 s, unless set).
//!
//! ## What is counted
//!
//! | metric | labels | counts |
//! |---|---|---|
//! | [`REFUSED_METRIC`]`_total` | `reason`: `invalid_name`, `invalid_labels`, `clash`, `max_families` | emissions (`register_*` calls, so macro invocations) answered with a handle that records nothing |
//! | [`REWRITTEN_METRIC`]`_total` | `what`: `metric_name`, `label_name`, `unit` | families whose name was sanitized, series whose label names were, units left off |
//!
//! [`FacadeRecorder::problems`] gives the first messages, with both definition sites of a
//! clash.
//!
//! # Cost
//!
//! `metrics` calls the recorder's `register_*` on every macro invocation. For a key seen
//! before it is one of 16 shard locks taken for reading, one hash-map probe using the hash
//! the key carries, and a reference-count increment; recording through the returned handle
//! is then one atomic operation (a compare-and-swap loop for floats). A key seen the first
//! time takes the slow path: the name and labels are cleaned, the family and series found or
//! created (a new name registers a family, which takes the registry's lock), and the key is
//! cached. Keys of label sets past the bounds are not cached: each of their emissions takes
//! the slow path and is counted.
//!
//! | job | where |
//! |---|---|
//! | names, label names and units | `facade/names.rs` |
//! | buckets by name | `facade/buckets.rs` |
//! | the series behind the handles | `facade/cells.rs` |
//! | a bounded family, as a registered group | `facade/family.rs` |
//! | the key cache | `facade/cache.rs` |
//! | the recorder: slow path, descriptions | `facade/recorder.rs` |
//! | the builder, installing | `facade/builder.rs` |
//! | the facade's own counters | `facade/stats.rs` |

mod buckets;
mod builder;
mod cache;
mod cells;
mod family;
mod names;
mod recorder;
mod stats;

pub use buckets::{Matcher, DEFAULT_BYTE_BUCKETS};
pub use builder::{install, FacadeBuilder, InstallError, DEFAULT_MAX_FAMILIES};
pub use names::NamePolicy;
pub use recorder::{FacadeRecorder, DEFAULT_HELP};
pub use stats::{REFUSED_METRIC, REWRITTEN_METRIC};
