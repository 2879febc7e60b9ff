//! # Labels
//!
//! A family holds one metric per label set. Label sets come in two kinds, and the kind decides
//! how the family stores its series.
//!
//! **Fixed** label sets have a known number of combinations: fieldless enums deriving
//! [`LabelValue`](crate::LabelValue) (values are the variants in snake_case, or per
//! `rename_all`/`rename`; the label name is the type's name in snake_case, or `#[label(name =
//! "…")]`), `bool`, and structs deriving [`LabelSet`](crate::LabelSet) whose fields are all
//! fixed. Their family is an array with one series per combination, built in const context:
//! `get` computes the ordinal and indexes the array — no lock, no hash, no allocation — and
//! every combination is exposed from the first scrape, at zero.
//!
//! ```
//! use oxios_metrics::{Counter, Family, LabelSet, LabelValue};
//!
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
//! pub enum Tool { Shell, WebFetch }
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
//! pub enum Outcome { Ok, Error }
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
//! pub struct ToolCall { pub tool: Tool, pub outcome: Outcome } // 2 × 2 series
//!
//! static CALLS: Family<ToolCall, Counter> = Family::new();
//! CALLS.get(ToolCall { tool: Tool::WebFetch, outcome: Outcome::Error }).inc();
//! assert_eq!(CALLS.series_count(), 4);
//! ```
//!
//! **Dynamic** label sets have an open field: `String`, `&'static str`, `Box<str>`,
//! `Arc<str>`, `Cow<'static, str>`, integers, or any type marked `#[label(open)]` that
//! implements [`EncodeLabelValue`](crate::EncodeLabelValue). Their family is a map from label
//! set to series behind a read-mostly lock, bounded by `max_series` (1000 unless declared).
//! Once full, new label sets share one overflow series, written `{series_overflow="true"}`,
//! and the registry adds `oxios_metrics_series_overflow_total{family="…",reason="max_series"}`
//! counting the lookups sent there: hostile label values cannot exhaust memory, and no
//! increment is lost. The family is bounded in bytes as well: a label set whose rendered text
//! (all its labels, escaped) is longer than `max_label_bytes` (2048 unless set with
//! [`Family::with_max_label_bytes`](crate::Family::with_max_label_bytes)) never gets a series
//! of its own; its lookups go to the overflow series too (`reason="max_label_bytes"`).
//!
//! Series of dynamic families can be removed ([`Family::remove`](crate::Family::remove),
//! [`Family::clear`](crate::Family::clear)): they leave the next scrape and free their slot
//! for another label set within `max_series`.
//!
//! ```
//! use oxios_metrics::{Counter, Family, LabelSet};
//!
//! #[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
//! pub struct Session { pub user: String }
//!
//! static MESSAGES: Family<Session, Counter> = Family::new().with_max_series(2);
//! for user in ["ada", "bob", "eve", "mallory"] {
//!     MESSAGES.get(Session { user: user.into() }).inc();
//! }
//! assert_eq!(MESSAGES.series_count(), 2);
//! assert_eq!(MESSAGES.overflowed_lookups(), 2);
//! ```
//!
//! Label values are escaped when written (`\` → `\\`, `"` → `\"`, newline → `\n`); the
//! values of fixed label sets are escaped once, at compile time.
