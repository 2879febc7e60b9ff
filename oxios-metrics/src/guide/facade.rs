//! # Metrics from the `metrics` facade
//!
//! Many crates instrument themselves with the [`metrics`](https://docs.rs/metrics) facade
//! (`metrics::counter!`, `gauge!`, `histogram!`) and leave the choice of exporter to the
//! application. With the feature `metrics-facade`, the [facade recorder] puts what they emit
//! into a [`Registry`](crate::Registry), so one scrape shows the application's declared
//! groups and its dependencies' facade metrics together.
//!
//! ```toml
//! [dependencies]
//! oxios-metrics = { version = "0.1", features = ["metrics-facade", "server"] }
//! ```
//!
//! ```
//! # #[cfg(feature = "metrics-facade")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use oxios_metrics::{global, Counter, Format, Metrics};
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "app")]
//! pub struct AppMetrics {
//!     /// Jobs started.
//!     pub jobs: Counter,
//! }
//! static APP: AppMetrics = AppMetrics::new();
//!
//! /// A dependency that knows only the `metrics` crate.
//! mod cache {
//!     pub fn init() {
//!         metrics::describe_counter!("cache.hits", "Lookups answered from the cache.");
//!     }
//!     pub fn lookup(key: &str) -> bool {
//!         let hit = key.len() % 2 == 0;
//!         if hit {
//!             metrics::counter!("cache.hits", "tier" => "memory").increment(1);
//!         }
//!         hit
//!     }
//! }
//!
//! global().register(&APP)?;
//! oxios_metrics::facade::install()?; // the `metrics` crate's global recorder, on `global()`
//! cache::init();
//! cache::lookup("ab");
//! APP.jobs.inc();
//!
//! let text = global().render(Format::Prometheus);
//! assert!(text.contains("app_jobs_total 1\n"));
//! assert!(text.contains("# HELP cache_hits_total Lookups answered from the cache.\n"));
//! assert!(text.contains("cache_hits_total{tier=\"memory\"} 1\n"));
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "metrics-facade"))]
//! # fn main() {}
//! ```
//!
//! ## What to expect
//!
//! * **Names** outside Prometheus' charset are rewritten as Prometheus' underscore escaping
//!   does (`cache.hits` → `cache_hits`); a name still invalid (`__x`, empty) is refused.
//!   With `NamePolicy::Refuse` every name needing a rewrite is refused instead.
//! * **Counters** named `…_total` are written with `_total` once. **Gauges** are floats.
//!   **Histograms** always have buckets — never a summary — chosen by name pattern
//!   (`FacadeBuilder::buckets`), with byte-sized buckets for names ending in `_bytes` and
//!   Prometheus' defaults otherwise.
//! * **Units** given to `describe_*!` become base units: milliseconds are recorded as
//!   seconds, kibibytes as bytes, percent as a ratio, with the name suffix adjusted
//!   (`latency_ms` → `latency_seconds`); rates have no base unit and are left without one.
//! * **Descriptions** become HELP whenever they come; without one the HELP says so
//!   (promtool reports a missing HELP).
//! * **Labels** make bounded families: `max_series` series and `max_label_bytes` of label
//!   text per series (1000 and 2048 by default), past which label sets share the overflow
//!   series, as a dynamic [`Family`](crate::Family) does. The number of families is bounded
//!   too (`max_families`, 1000).
//! * **Clashes**: a name a declared group already exposes is refused, and the declared
//!   family is left as it is; so is a name emitted as two types.
//!
//! Everything refused or rewritten is counted in the exposition
//! (`oxios_metrics_facade_refused_total{reason}`, `oxios_metrics_facade_rewritten_total{what}`),
//! and `FacadeRecorder::problems` returns the first messages, with both definition sites of
//! a clash. The [facade recorder]'s page has every rule, unit and option.
//!
//! ## Or declare them
//!
//! A crate you own can keep the facade or move to a derived group, which checks its names
//! at compile time and costs one atomic add per increment with no lookup. The
//! [migration chapter](super::migrating#from-metrics) shows the same metrics both ways.
#![cfg_attr(feature = "metrics-facade", doc = "\n[facade recorder]: crate::facade")]
// Without the feature the link leads to the options chapter, which says how to enable it.
#![cfg_attr(
    not(feature = "metrics-facade"),
    doc = "\n[facade recorder]: crate::guide::options"
)]
