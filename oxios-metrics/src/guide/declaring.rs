//! # Declaring metrics
//!
//! A metric group is a struct with named fields, one metric per field, deriving `Metrics`:
//!
//! ```
//! use oxios_metrics::{Counter, Family, Gauge, Histogram, LabelValue, Metrics};
//!
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
//! pub enum Queue { Fast, Slow }
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "jobs", labels(service = "worker"))]
//! pub struct JobMetrics {
//!     /// Jobs finished.
//!     pub finished: Counter,                     // jobs_finished_total{service="worker"}
//!     /// Jobs waiting, by queue.
//!     pub waiting: Family<Queue, Gauge>,         // jobs_waiting{service="worker",queue="fast"}
//!     /// Time a job waited before it ran.
//!     #[metric(unit = "seconds", buckets = exponential(0.01, 4.0, 6))]
//!     pub wait: Histogram,                       // jobs_wait_seconds_bucket{...,le="0.01"}
//! }
//!
//! pub static JOBS: JobMetrics = JobMetrics::new(); // a const fn: no lazy init, no lock
//! # fn main() { JOBS.finished.inc(); }
//! ```
//!
//! The HELP text is the field's doc comment (lines trimmed and joined with a space) or
//! `#[metric(help = "…")]`; a metric without either does not compile.
//!
//! ## Attributes
//!
//! | on | attribute | effect |
//! |---|---|---|
//! | struct | `prefix = "p"` | every name starts `p_` |
//! | struct | `labels(k = "v", …)` | constant labels on every sample of the group |
//! | struct | `crate = path` | where `oxios_metrics` is, for crates that rename it |
//! | field | `help = "…"` | HELP text (instead of the doc comment) |
//! | field | `rename = "name"` | the name instead of the field's (snake_case) |
//! | field | `unit = "seconds"` | a base unit; `_seconds` is appended once, `# UNIT` in OpenMetrics |
//! | field | `buckets = [..]`, `linear(start, width, count)`, `exponential(start, factor, count)` | histogram buckets, computed and checked at compile time (Prometheus' defaults when absent) |
//! | field | `max_series = n` | the bound of a dynamic family (default 1000) |
//! | field | `read = path::to::fn` | the function of a `CallbackGauge`/`CallbackCounter` |
//! | field | `nested` | the field is itself a `Metrics` group; its names go under this prefix |
//! | field | `skip` | not a metric: left out of the group (its type needs a `const fn new()`) |
//!
//! The field type decides the Prometheus type: `Counter`, `FloatCounter` and
//! `CallbackCounter` are counters (samples end `_total`, added by the derive); `Gauge`,
//! `FloatGauge` and `CallbackGauge` are gauges; `Histogram` is a histogram; `Info` is an info
//! metric (sample `name_info`); `Family<L, M>` has the type of `M`.
//!
//! ## What does not compile
//!
//! The rule: a declaration that compiles produces an exposition that `promtool check metrics`
//! accepts without a word and that Prometheus ingests. So the derive refuses, each with its
//! own message on the offending token: invalid names and prefixes, `:` and leading `__`,
//! camelCase renames, a counter named `…_total` ("remove `_total`: it is added"), a non-counter
//! named `…_total`, a non-histogram named `…_bucket`/`_count`/`_sum`, type words
//! (`_counter`, `_gauge`, …) in names, non-base units (`milliseconds` → "use `seconds`, the
//! base unit") and abbreviated ones in names (`_ms`, `_kb`), bad buckets (empty, unsorted,
//! duplicated, non-finite, more than [`MAX_BUCKETS`](crate::MAX_BUCKETS), on a
//! non-histogram), reserved or duplicated labels (`le` on histograms, `quantile`), missing
//! HELP, two fields whose sample names collide, unknown or repeated attributes, and derives on
//! unions, tuple structs, generic structs or non-metric fields. All errors of one derive are
//! reported together. The rules live in the `oxios-metrics-macros` crate: naming in
//! `names.rs`, per-field checks in `metrics/valid.rs`, buckets in `metrics/buckets.rs`; the
//! ui tests (`ui-tests/tests/ui/fail/`) show every message.
//!
//! Across groups the check happens at [`Registry::register`](crate::Registry::register),
//! which returns a [`RegisterError`](crate::RegisterError) naming the clashing sample, both
//! metrics and both definition sites (file, line and column of each field), and registers
//! nothing of the refused group.
