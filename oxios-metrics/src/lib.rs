//! Prometheus metrics declared, not registered by hand.
//!
//! A `#[derive(Metrics)]` struct declares a group of metrics; the derive checks every name,
//! unit, bucket and label at compile time, renders the header text, and gives the struct a
//! `const fn new()` so the group lives in a plain `static`. At run time a counter increment is
//! one relaxed atomic add, a fixed-label family lookup is an array index, and a scrape copies
//! pre-rendered bytes and formats numbers into a reused buffer.
//!
//! ```
//! use oxios_metrics::{Counter, Format, Gauge, Metrics, Registry};
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "app")]
//! pub struct AppMetrics {
//!     /// Requests handled.
//!     pub requests: Counter,
//!     /// Connections open now.
//!     pub connections: Gauge,
//! }
//!
//! static METRICS: AppMetrics = AppMetrics::new();
//!
//! let registry = Registry::new();
//! registry.register(&METRICS).unwrap();
//! METRICS.requests.inc();
//! METRICS.connections.set(2);
//! assert_eq!(
//!     registry.render(Format::Prometheus),
//!     concat!(
//!         "# HELP app_requests_total Requests handled.\n",
//!         "# TYPE app_requests_total counter\n",
//!         "app_requests_total 1\n",
//!         "# HELP app_connections Connections open now.\n",
//!         "# TYPE app_connections gauge\n",
//!         "app_connections 2\n",
//!     )
//! );
//! ```
//!
//! # Where things live
//!
//! | what | where |
//! |---|---|
//! | counters, gauges, their float flavours | [`Counter`], [`FloatCounter`], [`Gauge`], [`FloatGauge`] |
//! | a counter striped over cache lines for contended hot paths | [`StripedCounter`] (`counter_striped.rs`) |
//! | histograms, buckets, timers, NaN handling | [`Histogram`], [`Buckets`], [`HistogramTimer`] (`histogram.rs`) |
//! | native (exponential) histograms, schema reduction, snapshots for protobuf | [`NativeHistogram`], [`native`] |
//! | summaries: quantiles over a sliding window | [`Summary`], [`SummaryConfig`] (`summary.rs`) |
//! | exemplars on counters and histogram buckets | [`ExemplarCounter`], [`ExemplarHistogram`], [`ExemplarNativeHistogram`], [`exemplar`] |
//! | info metrics, values computed at scrape | [`Info`], [`CallbackGauge`], [`CallbackCounter`] |
//! | families computed at scrape (collectors with labels) | [`CallbackFamily`], [`FamilyWriter`] (`collector.rs`) |
//! | label sets, fixed vs dynamic | [`LabelValue`], [`LabelSet`], [`FixedLabelSet`] (`labels.rs`) |
//! | families, dense and bounded storage, overflow | [`Family`], [`family`] |
//! | registration, sample-name claims, merged families, removal | [`Registry`], [`MetricGroup`] (`registry/book.rs`, `registry/walk.rs`, `registry/members.rs`) |
//! | sub-registries (run-time prefix and labels), unregistering | [`SubRegistry`], [`Registration`] (`registry/scope.rs`, `registry/registration.rs`) |
//! | the scrape: snapshot, family order, overflow counter, `# EOF` | `registry/scrape.rs` |
//! | naming rules checked at run time (hand-written groups, sub-registries, `Info`) | `names.rs` |
//! | float layout (`%g`, `le="1.0"` in OpenMetrics), escaping, sample lines | [`encode`] |
//! | formats, `Accept` negotiation, name escaping, content types | [`Format`], [`Exposition`], [`Escaping`] |
//! | names refused at compile time | the `oxios-metrics-macros` crate (`validate.rs`) |
//!
//! The crate forbids `unsafe` code.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "auto-register")]
pub mod auto;
mod buffer_sizes;
mod callback;
mod collector;
mod const_checks;
mod counter;
mod counter_striped;
mod desc;
pub mod encode;
pub mod exemplar;
#[cfg(feature = "metrics-facade")]
pub mod facade;
pub mod family;
mod gauge;
pub mod guide;
mod histogram;
mod info;
mod labels;
mod metric;
mod names;
pub mod native;
#[cfg(feature = "process")]
pub mod process;
#[cfg(feature = "push")]
pub mod push;
mod registry;
#[cfg(any(feature = "server", feature = "axum"))]
pub mod serve;
mod summary;
pub mod timing;

pub use callback::{CallbackCounter, CallbackGauge};
pub use collector::{CallbackFamily, CallbackMember, FamilyWriter};
pub use counter::{Counter, FloatCounter};
pub use counter_striped::{StripedCounter, STRIPES};
pub use desc::{DefinitionSite, MetricDesc, MetricType, RenderedHeaders};
pub use encode::{
    Escaping, Exposition, Format, LabelWriter, MetricEncoder, NoLabels, SampleValue, WriteLabels,
};
pub use exemplar::{
    ExemplarCounter, ExemplarError, ExemplarHistogram, ExemplarHistogramRef,
    ExemplarNativeHistogram, ExemplarNativeHistogramRef, ExemplarSnapshot,
};
pub use family::Family;
pub use gauge::{FloatGauge, Gauge};
pub use histogram::{
    Buckets, BucketsError, Histogram, HistogramCells, HistogramRef, HistogramTimer,
    DEFAULT_BUCKETS, MAX_BUCKETS,
};
pub use info::{Info, LabelError};
pub use labels::{EncodeLabelValue, FixedLabelSet, LabelSet, LabelValue, OpenLabelSet};
pub use metric::{EncodeMetric, FamilyMember, Metric, Overflows};
pub use native::{NativeConfig, NativeConfigError, NativeHistogram, NativeHistogramRef};
pub use registry::{
    global, MetricGroup, MetricVisitor, RegisterError, RegisterProblem, Registration, Registry,
    Scope, SubRegistry, OVERFLOW_METRIC,
};
pub use summary::{
    Summary, SummaryCells, SummaryConfig, SummaryConfigError, SummaryRef, SummarySnapshot,
    DEFAULT_AGE_BUCKETS, DEFAULT_MAX_AGE, DEFAULT_QUANTILES, MAX_AGE_BUCKETS, MAX_QUANTILES,
    SUMMARY_SAMPLES,
};

pub use oxios_metrics_macros::{timed, LabelSet, LabelValue, Metrics};
pub use timing::TimedOutcome;

/// The README's examples, compiled and run as doctests so the quickstart cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// Items the macros' expansions refer to. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::const_checks::{
        buckets_problem, const_buckets, const_quantiles, quantiles_problem,
    };
    pub use crate::family::{DenseSeries, DynamicSeries};
    pub use crate::timing::expansion as timed;

    /// What `#[derive(Metrics)]` implements besides `MetricGroup`: how a parent group builds
    /// and shows a `#[metric(nested)]` field.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a metrics group",
        label = "a `#[metric(nested)]` field must be a struct that derives `Metrics`"
    )]
    pub trait DerivedGroup: crate::MetricGroup + Sized {
        /// The group as `new()` builds it (a template: each use is a fresh value).
        #[allow(clippy::declare_interior_mutable_const)]
        const NEW: Self;
        /// How many metrics `visit` shows, nested groups' included.
        const METRIC_COUNT: usize;
    }

    /// A nested group as the visitor takes it.
    pub fn as_group<G: DerivedGroup>(group: &G) -> &dyn crate::MetricGroup {
        group
    }

    /// Whether `names` holds `name`; usable in the const assertions the derive emits.
    pub const fn has_label(names: &[&str], name: &str) -> bool {
        let mut index = 0;
        while index < names.len() {
            if str_eq(names[index], name) {
                return true;
            }
            index += 1;
        }
        false
    }

    /// Whether every name in `names` is in the legacy character set
    /// (`[a-zA-Z_:][a-zA-Z0-9_:]*`); usable in the const assertions the derive emits.
    pub const fn all_legacy_names(names: &[&str]) -> bool {
        let mut index = 0;
        while index < names.len() {
            let bytes = names[index].as_bytes();
            if bytes.is_empty() {
                return false;
            }
            let mut at = 0;
            while at < bytes.len() {
                let byte = bytes[at];
                let legacy = byte.is_ascii_alphabetic()
                    || byte == b'_'
                    || byte == b':'
                    || (at > 0 && byte.is_ascii_digit());
                if !legacy {
                    return false;
                }
                at += 1;
            }
            index += 1;
        }
        true
    }

    const fn str_eq(left: &str, right: &str) -> bool {
        let (left, right) = (left.as_bytes(), right.as_bytes());
        if left.len() != right.len() {
            return false;
        }
        let mut index = 0;
        while index < left.len() {
            if left[index] != right[index] {
                return false;
            }
            index += 1;
        }
        true
    }
}
