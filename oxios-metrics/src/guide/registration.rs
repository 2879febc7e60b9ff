//! # Registration that cannot be forgotten
//!
//! A group that is declared but never registered is silent: its counters count, and no
//! scrape shows them. Three ways to register, from the most explicit:
//!
//! | how | for | a mistake shows up as |
//! |---|---|---|
//! | `registry.register(&GROUP)?` (and `register_shared`, `register_owned`, sub-registries) | any registry, instances built at run time, libraries that let the application choose | the `Result` of that call |
//! | `global_metrics! { static GROUP: … }` (feature `auto-register`) | `static` groups of an application and of its libraries, on the global registry | [`auto::check`] at startup, standard error, and a gauge in the exposition |
//! | the `metrics` facade recorder (feature `metrics-facade`) | code that emits with `metrics::counter!` and friends | a counter in the exposition (see [the facade](super::facade)) |
//!
//! ## `global_metrics!`
//!
//! The declaration and the registration are one item, so one cannot be written without the
//! other:
//!
//! ```
//! # #[cfg(feature = "auto-register")]
//! # mod declared {
//! use oxios_metrics::{global_metrics, Counter, Histogram, Metrics};
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "indexer")]
//! pub struct IndexerMetrics {
//!     /// Documents indexed.
//!     pub documents: Counter,
//!     /// Time to index one document.
//!     #[metric(unit = "seconds")]
//!     pub index_duration: Histogram,
//! }
//!
//! global_metrics! {
//!     /// The indexer's metrics; in the global registry from its first use.
//!     pub static INDEXER: IndexerMetrics = IndexerMetrics::new();
//! }
//! # }
//! # #[cfg(feature = "auto-register")]
//! # fn main() {
//! #     declared::INDEXER.documents.inc();
//! #     assert_eq!(oxios_metrics::auto::check().unwrap(), 1);
//! #     assert!(oxios_metrics::global()
//! #         .render(oxios_metrics::Format::Prometheus)
//! #         .contains("indexer_documents_total 1\n"));
//! # }
//! # #[cfg(not(feature = "auto-register"))]
//! # fn main() {}
//! ```
//!
//! Every crate of the program can declare groups this way. The first use of
//! [`global()`](crate::global) — a scrape, an exporter bound to it, another registration —
//! registers them all; an application that wants a clash to stop it at startup calls
//! `oxios_metrics::auto::check()?` first thing in `main`. Two declarations that expose the
//! same sample name, or declare one family with another HELP, type or unit, are a clash: the
//! one declared first (by file, line, name) is registered, the other is not, and the error
//! names both statics and where each is declared, and the registry's reason names both
//! metrics' definition sites:
//!
//! ```text
//! `SECOND` (declared at tests/crates/auto_second/src/lib.rs:17:1) was not registered into
//! the global registry: metric `jobs_processed` is declared at
//! tests/crates/auto_first/src/lib.rs:12:9 and at tests/crates/auto_second/src/lib.rs:12:9
//! with a different HELP text: one family needs one HELP text, type and unit; it clashes
//! with `FIRST` (declared at tests/crates/auto_first/src/lib.rs:17:1)
//! ```
//!
//! Without `check`, the same text goes to standard error once, and the exposition carries
//! `oxios_metrics_auto_registration_refused 1`, for an alert.
//!
//! ## Why this design
//!
//! * **Loud, not fatal.** A clash between two libraries is not the application's bug to
//!   crash on, and a registry never panics; but it must not pass unnoticed either. So there
//!   is a `Result` for who asks ([`auto::check`]), a message for who does not, and a metric
//!   for who watches dashboards rather than logs.
//! * **No life before `main`.** Constructor sections (as the `ctor` and `inventory` crates
//!   use) run code before `main`, where a panic aborts, the standard library is not fully up,
//!   and the order across crates is unspecified. The entries here are plain data placed in a
//!   link section by [linkme](https://docs.rs/linkme) and gathered by the linker; registering
//!   them is ordinary code run on first use of `global()`, sorted by declaration site so the
//!   winner of a clash is the same on every build.
//! * **`#![forbid(unsafe_code)]` stays.** A distributed slice is declared in one crate, and
//!   linkme's expansion of the declaration is `unsafe` code (it reads the section's bounds
//!   through `extern` statics). It therefore lives in a crate of its own,
//!   `oxios-metrics-auto`, which holds that one item; `oxios-metrics` and
//!   `oxios-metrics-macros` keep forbidding `unsafe`. Each entry is a static with a
//!   `#[link_section]` attribute in the declaring crate. Written by hand, that attribute is
//!   refused by `#![forbid(unsafe_code)]` ("declaration of a static with `link_section`");
//!   produced by linkme's macro, it is not reported, since lints are not reported in code
//!   expanded from another crate's macro. The workspace's two test libraries that clash
//!   (`tests/crates/auto_first`, `tests/crates/auto_second`) both forbid `unsafe` code and
//!   compile.
//! * **Cheap.** After the first call, `global()` costs one atomic load more. Registering a
//!   declaration costs what `register` costs.
//! * **Complete when it matters.** The linker keeps every crate the program uses, with all
//!   of its entries (rustc keeps the `#[used]` statics of a linked crate). A crate none of
//!   whose items the program uses is not linked at all; its metrics could not change anyway.
//!
//! What it does not do: it registers `static`s into the global registry only. Groups built
//! per instance, and other registries, keep `register`'s `Result`, which names both
//! definition sites of a clash in the same way.
//!
#![cfg_attr(feature = "auto-register", doc = "[`auto::check`]: crate::auto::check")]
// Without the feature the link leads to the options chapter, which says how to enable it.
#![cfg_attr(
    not(feature = "auto-register"),
    doc = "[`auto::check`]: crate::guide::options"
)]
