//! Families: one metric per label set.
//!
//! * A **fixed** label set ([`FixedLabelSet`](crate::FixedLabelSet)) keys a [`DenseSeries`]: an array with one
//!   series per combination, built in const context and indexed by the set's ordinal. `get`
//!   is an index computation and an array access: no lock, no hash, no allocation. Every
//!   combination is exposed from the start, at zero, so queries never see a series appear.
//! * A **dynamic** label set (one with an open field such as a `String`) keys a
//!   [`DynamicSeries`]: a map from label set to series, holding at most `max_series` series
//!   ([`DEFAULT_MAX_SERIES`] unless declared). Past that, new label sets share one overflow
//!   series, written with the single label `series_overflow="true"`, and each such lookup is
//!   counted ([`Family::overflowed_lookups`], exposed by the registry as
//!   `oxios_metrics_series_overflow_total{family="…",reason="max_series"}` once it is
//!   non-zero), so hostile label values cannot exhaust memory and no observation is lost. The
//!   family is bounded in bytes too: a label set whose rendered text is longer than
//!   `max_label_bytes` ([`DEFAULT_MAX_LABEL_BYTES`] unless declared) is never stored; its
//!   lookups go to the overflow series (`reason="max_label_bytes"`). Series can be removed
//!   ([`Family::remove`], [`Family::clear`]); their slots are reused within `max_series`. A
//!   family with no series yet writes its header lines only.
//! * A fixed family built with [`Family::sparse`] writes only the combinations that were
//!   used, for label sets whose product is large and mostly unused; recording into it costs
//!   exactly what it costs in a dense family.

mod dense;
mod dynamic;

pub use dense::DenseSeries;
pub use dynamic::DynamicSeries;

use crate::desc::MetricType;
use crate::encode::MetricEncoder;
use crate::labels::LabelSet;
use crate::metric::{EncodeMetric, FamilyMember, Metric, Overflows};

/// The series limit of a dynamic family that declares none.
pub const DEFAULT_MAX_SERIES: usize = 1000;

/// The longest rendered label text (all labels of one series, escaped, as in
/// `user="ada",route="/"`) a dynamic family stores unless it declares another limit. With
/// [`DEFAULT_MAX_SERIES`] it bounds a family's label memory, and the label text of its scrape,
/// to about 2 MB; servers that set `label_value_length_limit` refuse whole scrapes with a
/// longer value.
pub const DEFAULT_MAX_LABEL_BYTES: usize = 2048;

/// The bounds a dynamic family applies when it creates a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeriesLimits {
    /// The most series it holds.
    pub max_series: usize,
    /// The longest rendered label text of one series, in bytes.
    pub max_label_bytes: usize,
}

/// The label name of a dynamic family's overflow series. The derives refuse it as a label
/// name, so it cannot collide with a declared label.
pub const OVERFLOW_LABEL: &str = "series_overflow";

/// How a family stores its series; chosen by the label set ([`LabelSet::Storage`]).
pub trait SeriesStorage<L, M: FamilyMember>: Send + Sync + 'static {
    /// Empty storage (a template, as for [`FamilyMember::NEW_SERIES`]).
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW: Self;

    /// Whether this storage holds one series for every combination of a fixed label set, so
    /// that `max_series` does not apply to it and [`Family::sparse`] does. Storage of
    /// dynamic label sets creates series on lookup and keeps the default, `false`.
    const FIXED: bool = false;

    /// The series for `labels`, created if needed and allowed.
    fn series(&self, labels: L, limits: SeriesLimits) -> &M::Series;

    /// The series for `labels` given by reference; a dynamic family clones the label set only
    /// when it creates the series.
    fn series_ref(&self, labels: &L, limits: SeriesLimits) -> &M::Series;

    /// Writes every series.
    fn encode(&self, config: &M::Config, encoder: &mut MetricEncoder<'_>);

    /// How many series exist (for a dense family: every combination).
    fn series_count(&self) -> usize;

    /// How many lookups went to the overflow series, by reason.
    fn overflows(&self) -> Overflows {
        Overflows::default()
    }

    /// Writes only the series that were used, for a [sparse](Family::sparse) family.
    /// Storage whose series all come from lookups writes them all.
    fn encode_used(&self, config: &M::Config, encoder: &mut MetricEncoder<'_>) {
        self.encode(config, encoder);
    }

    /// How many series [`encode_used`](Self::encode_used) would write now.
    fn used_series_count(&self, _config: &M::Config) -> usize {
        self.series_count()
    }
}

/// Storage whose series can be removed: that of dynamic families.
#[diagnostic::on_unimplemented(
    message = "series of this family cannot be removed: its label set is fixed",
    note = "a fixed family holds every combination of its labels from the start; `remove` and `clear` are for families with open label values (a `String` field, say)"
)]
pub trait RemovableStorage<L, M: FamilyMember>: SeriesStorage<L, M> {
    /// Removes the series of `labels`; whether there was one.
    fn remove(&self, labels: &L) -> bool;

    /// Removes every series.
    fn clear(&self);
}

/// A metric of type `M` for each label set `L`.
///
/// ```
/// use oxios_metrics::{Counter, Family, LabelSet, LabelValue};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
/// enum Method { Get, Post }
///
/// static REQUESTS: Family<Method, Counter> = Family::new();
/// REQUESTS.get(Method::Get).inc();
/// assert_eq!(REQUESTS.get(Method::Get).get(), 1);
/// assert_eq!(REQUESTS.get(Method::Post).get(), 0);
/// ```
pub struct Family<L: LabelSet, M: FamilyMember> {
    storage: L::Storage<M>,
    config: M::Config,
    limits: SeriesLimits,
    sparse: bool,
}

impl<L: LabelSet, M: FamilyMember> Family<L, M> {
    /// Whether the label set is fixed: the family holds one series per combination, built
    /// with the family (a dense array), rather than creating series on lookup up to
    /// [`max_series`](Self::with_max_series). The derive uses it to refuse `max_series` on a
    /// fixed family and `sparse` on a dynamic one at compile time.
    pub const FIXED_LABELS: bool = <L::Storage<M> as SeriesStorage<L, M>>::FIXED;

    /// An empty family with the member type's default configuration (default buckets for
    /// histograms) and [`DEFAULT_MAX_SERIES`].
    pub const fn new() -> Self {
        Family::with_config(M::DEFAULT_CONFIG)
    }

    /// An empty family whose series share `config` (for histograms: the buckets).
    pub const fn with_config(config: M::Config) -> Self {
        Family {
            storage: <L::Storage<M> as SeriesStorage<L, M>>::NEW,
            config,
            limits: SeriesLimits {
                max_series: DEFAULT_MAX_SERIES,
                max_label_bytes: DEFAULT_MAX_LABEL_BYTES,
            },
            sparse: false,
        }
    }

    /// Sets the most series a dynamic family holds before using its overflow series (at
    /// least 1). Fixed families hold every combination and ignore it (the derive refuses
    /// `max_series` on them).
    pub const fn with_max_series(mut self, max_series: usize) -> Self {
        self.limits.max_series = if max_series == 0 { 1 } else { max_series };
        self
    }

    /// Sets the longest rendered label text (in bytes, all labels of a series, escaped) a
    /// dynamic family stores; longer label sets go to the overflow series. Default
    /// [`DEFAULT_MAX_LABEL_BYTES`].
    pub const fn with_max_label_bytes(mut self, max_label_bytes: usize) -> Self {
        self.limits.max_label_bytes = max_label_bytes;
        self
    }

    /// Makes a fixed family write only the label combinations that were used, instead of
    /// every combination from the start (`#[metric(sparse)]` in a derive).
    ///
    /// A combination is written from the first scrape that finds its series changed from a
    /// fresh one (a counter incremented, a histogram observed, a gauge moved off zero), and
    /// in every scrape after that, so a series never disappears once seen. A gauge that was
    /// only ever set to zero is therefore not written. Lookups and updates cost exactly what
    /// they cost in a dense family: the scrape, not the hot path, decides what was used.
    /// A dynamic family creates series only for the label sets looked up, so this changes
    /// nothing for it.
    ///
    /// ```
    /// use oxios_metrics::{Counter, Family, LabelSet, LabelValue, Metrics, Registry, Format};
    ///
    /// #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
    /// enum Method { Get, Post, Put, Delete }
    /// #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
    /// enum Status { Ok, NotFound, Error }
    /// #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
    /// struct Request { method: Method, status: Status }
    ///
    /// #[derive(Metrics)]
    /// struct Http {
    ///     /// Requests by method and status.
    ///     #[metric(sparse)]
    ///     requests: Family<Request, Counter>,
    /// }
    ///
    /// static HTTP: Http = Http::new();
    /// let registry = Registry::new();
    /// registry.register(&HTTP).unwrap();
    /// HTTP.requests.get(Request { method: Method::Get, status: Status::Ok }).inc();
    /// let text = registry.render(Format::Prometheus);
    /// assert!(text.contains("requests_total{method=\"get\",status=\"ok\"} 1\n"));
    /// assert!(!text.contains("method=\"post\""));
    /// assert_eq!(HTTP.requests.series_count(), 1);
    /// ```
    pub const fn sparse(mut self) -> Self {
        self.sparse = true;
        self
    }

    /// Whether the family was built [`sparse`](Self::sparse).
    pub fn is_sparse(&self) -> bool {
        self.sparse
    }

    /// The series for `labels`.
    #[inline]
    pub fn get(&self, labels: L) -> M::Handle<'_> {
        M::handle(self.storage.series(labels, self.limits), &self.config)
    }

    /// The series for `labels`, by reference: for a dynamic family, a lookup of an existing
    /// series neither moves nor clones the label set (it is cloned only when the series is
    /// created), so a caller holding its labels need not build a new `String` per call.
    ///
    /// ```
    /// use oxios_metrics::{Counter, Family, LabelSet};
    ///
    /// #[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
    /// struct Route { path: String }
    ///
    /// static HITS: Family<Route, Counter> = Family::new();
    /// let home = Route { path: "/".into() };
    /// for _ in 0..3 {
    ///     HITS.get_ref(&home).inc();
    /// }
    /// assert_eq!(HITS.get(home).get(), 3);
    /// ```
    #[inline]
    pub fn get_ref(&self, labels: &L) -> M::Handle<'_> {
        M::handle(self.storage.series_ref(labels, self.limits), &self.config)
    }

    /// Removes the series of `labels` from a dynamic family: it leaves the next scrape, and
    /// its slot counts toward `max_series` no more. Returns whether there was such a series.
    /// A later lookup of the same labels creates a new series from zero.
    ///
    /// Look series up again after removing them: a handle obtained before `remove` and used
    /// after it writes into whichever series later reuses the slot.
    ///
    /// ```
    /// use oxios_metrics::{Counter, Family, LabelSet};
    ///
    /// #[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
    /// struct Peer { peer: String }
    ///
    /// static BYTES: Family<Peer, Counter> = Family::new().with_max_series(1);
    /// let a = Peer { peer: "a".into() };
    /// BYTES.get_ref(&a).add(5);
    /// assert!(BYTES.remove(&a));
    /// assert!(!BYTES.remove(&a));
    /// // The freed slot takes a new peer, which starts from zero.
    /// BYTES.get(Peer { peer: "b".into() }).inc();
    /// assert_eq!(BYTES.get(Peer { peer: "b".into() }).get(), 1);
    /// assert_eq!(BYTES.overflowed_lookups(), 0);
    /// ```
    pub fn remove(&self, labels: &L) -> bool
    where
        L::Storage<M>: RemovableStorage<L, M>,
    {
        self.storage.remove(labels)
    }

    /// Removes every series of a dynamic family (see [`remove`](Self::remove)). The overflow
    /// series and the overflow counts stay: they are totals.
    pub fn clear(&self)
    where
        L::Storage<M>: RemovableStorage<L, M>,
    {
        self.storage.clear();
    }

    /// The series limit (see [`with_max_series`](Self::with_max_series)).
    pub fn max_series(&self) -> usize {
        self.limits.max_series
    }

    /// The label-text limit (see [`with_max_label_bytes`](Self::with_max_label_bytes)).
    pub fn max_label_bytes(&self) -> usize {
        self.limits.max_label_bytes
    }

    /// How many series exist now (for a [sparse](Self::sparse) family: how many a scrape
    /// would write now).
    pub fn series_count(&self) -> usize {
        if self.sparse {
            self.storage.used_series_count(&self.config)
        } else {
            self.storage.series_count()
        }
    }

    /// How many lookups of new label sets went to the overflow series, for either reason
    /// (see [`overflows`](Self::overflows)).
    pub fn overflowed_lookups(&self) -> u64 {
        self.storage.overflows().total()
    }

    /// How many lookups of new label sets went to the overflow series because the family was
    /// full, and because their labels were longer than `max_label_bytes`.
    pub fn overflows(&self) -> Overflows {
        self.storage.overflows()
    }
}

impl<L: LabelSet, M: FamilyMember> Default for Family<L, M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<L: LabelSet, M: FamilyMember> std::fmt::Debug for Family<L, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Family")
            .field("labels", &L::LABEL_NAMES)
            .field("series", &self.series_count())
            .field("max_series", &self.limits.max_series)
            .field("max_label_bytes", &self.limits.max_label_bytes)
            .field("sparse", &self.sparse)
            .finish()
    }
}

impl<L: LabelSet, M: FamilyMember> EncodeMetric for Family<L, M> {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        if self.sparse {
            self.storage.encode_used(&self.config, encoder);
        } else {
            self.storage.encode(&self.config, encoder);
        }
    }

    fn visit_label_names(&self, visit: &mut dyn FnMut(&str)) {
        for name in L::LABEL_NAMES {
            visit(name);
        }
    }

    fn overflows(&self) -> Overflows {
        self.storage.overflows()
    }
}

impl<L: LabelSet, M: FamilyMember> Metric for Family<L, M> {
    const METRIC_TYPE: MetricType = M::METRIC_TYPE;
}
