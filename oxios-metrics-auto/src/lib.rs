//! The link-time list behind `oxios_metrics::global_metrics!` (feature `auto-register` of
//! `oxios-metrics`). Use that macro; nothing here is meant to be named by hand.
//!
//! Each `global_metrics!` declaration adds an entry to [`GROUPS`] with [`linkme`]: a static
//! placed in a dedicated link section, which the linker gathers from every crate of the
//! program into one slice. So the list is complete before `main` runs, without code that runs
//! before `main` and without a registration call per crate.
//!
//! # Why a crate of its own
//!
//! A distributed slice is declared once, in one crate, and linkme's expansion of that
//! declaration reads the link section's bounds through `extern` statics in `unsafe` blocks.
//! `oxios-metrics` and `oxios-metrics-macros` forbid `unsafe` code, so the declaration lives
//! here, in a crate that holds nothing else. The entries themselves are statics in the
//! crates that declare them; they carry a `#[link_section]` attribute, which the `unsafe_code`
//! lint reports when written by hand, but not in linkme's expansion (lints are not reported
//! in code expanded from another crate's macro): a crate with `#![forbid(unsafe_code)]` can
//! declare groups, as the workspace's tests check.

#![warn(missing_docs)]

/// Every group declared with `oxios_metrics::global_metrics!` in the program, in link order.
/// Each entry is an `oxios_metrics::auto::Declared`; `oxios-metrics` reads them.
#[linkme::distributed_slice]
pub static GROUPS: [&'static (dyn core::any::Any + Sync)];

#[doc(hidden)]
pub use linkme;
