//! The traits every metric implements: how it writes itself, which Prometheus type it is, and
//! (for metrics that can live in a [`Family`](crate::Family)) how one series is stored.

use crate::desc::MetricType;
use crate::encode::{ClassicHistogram, MetricEncoder, SampleValue, WriteLabels};

/// Writes a metric's samples at scrape time.
pub trait EncodeMetric: Send + Sync {
    /// Writes every series of this metric.
    fn encode(&self, encoder: &mut MetricEncoder<'_>);

    /// Calls `visit` with each label name this metric's series carry (checked at
    /// registration).
    fn visit_label_names(&self, _visit: &mut dyn FnMut(&str)) {}

    /// Called at each registration with the names of the constant labels this metric's
    /// samples will carry there (from its group, nested scopes and sub-registries). A metric
    /// whose labels change at run time ([`Info`](crate::Info)) keeps them, to refuse a label
    /// that would repeat one of them.
    fn note_constant_labels(&self, _names: &[&str]) {}

    /// How many lookups of new label sets this metric sent to an overflow series, by reason
    /// (non-zero only for dynamic families). The registry exposes these counts as
    /// [`OVERFLOW_METRIC`](crate::OVERFLOW_METRIC).
    fn overflows(&self) -> Overflows {
        Overflows::default()
    }
}

/// Lookups of new label sets a dynamic family sent to its overflow series, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Overflows {
    /// The family already held `max_series` series.
    pub max_series: u64,
    /// The label set's rendered text was longer than the family's `max_label_bytes`.
    pub max_label_bytes: u64,
}

impl Overflows {
    /// Both counts added up.
    pub fn total(&self) -> u64 {
        self.max_series.saturating_add(self.max_label_bytes)
    }
}

/// A metric with a fixed Prometheus type: what a field of a `#[derive(Metrics)]` struct is.
pub trait Metric: EncodeMetric {
    /// The type written on the `# TYPE` line.
    const METRIC_TYPE: MetricType;
}

/// A metric that can be one series of a [`Family`](crate::Family).
///
/// A family stores one [`Series`](Self::Series) per label set and one
/// [`Config`](Self::Config) for all of them (a histogram's buckets, for instance), and hands
/// out a [`Handle`](Self::Handle) that joins the two.
///
/// The crate's implementations are marked `#[diagnostic::do_not_recommend]`, so that a
/// family of something else fails with this trait's message alone rather than a list of
/// every implementation.
#[diagnostic::on_unimplemented(
    message = "a family's metric must be `Counter`, `FloatCounter`, `StripedCounter`, `ExemplarCounter`, `Gauge`, `FloatGauge`, `Histogram`, `ExemplarHistogram`, `NativeHistogram`, `ExemplarNativeHistogram` or `Summary`, not `{Self}`",
    label = "not a family member",
    note = "an `Info`, a callback metric or a family cannot be one series of a family; for series computed at scrape use `CallbackFamily<Labels, Gauge>`"
)]
pub trait FamilyMember: Send + Sync + 'static {
    /// The type written on the family's `# TYPE` line.
    const METRIC_TYPE: MetricType;
    /// What is stored per series.
    type Series: Send + Sync + 'static;
    /// A fresh series. It is a template: each use is a new, zeroed value.
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW_SERIES: Self::Series;
    /// What the whole family shares.
    type Config: Send + Sync + 'static;
    /// The configuration `Family::new()` uses.
    #[allow(clippy::declare_interior_mutable_const)]
    const DEFAULT_CONFIG: Self::Config;
    /// What `Family::get` returns.
    type Handle<'a>;

    /// Puts a series back to its state at creation (zero). A dynamic family calls it when it
    /// reuses the slot of a removed series.
    fn reset(series: &Self::Series);

    /// Joins a series with the family's configuration.
    fn handle<'a>(series: &'a Self::Series, config: &'a Self::Config) -> Self::Handle<'a>;

    /// Writes one series.
    fn encode_series(
        series: &Self::Series,
        config: &Self::Config,
        labels: &dyn WriteLabels,
        encoder: &mut MetricEncoder<'_>,
    );

    /// For members whose [`encode_series`](Self::encode_series) writes one sample with
    /// [`MetricEncoder::sample`] (counters, gauges): that sample's suffix (`"_total"`, `""`).
    /// A family of such members renders each series' line prefix once and writes the value
    /// from [`single_sample`](Self::single_sample) after it. `None` (the default): every
    /// series is written by `encode_series`.
    const SINGLE_SAMPLE_SUFFIX: Option<&'static str> = None;

    /// The value `encode_series` would write as the one sample of `series` (see
    /// [`SINGLE_SAMPLE_SUFFIX`](Self::SINGLE_SAMPLE_SUFFIX)); `None` writes this series
    /// with `encode_series` instead.
    #[inline]
    fn single_sample(_series: &Self::Series, _config: &Self::Config) -> Option<SampleValue> {
        None
    }

    /// For members whose [`encode_series`](Self::encode_series) writes one classic
    /// histogram without exemplars ([`Histogram`](crate::Histogram)): the bucket bounds of
    /// the family's series. A family of such members renders the `le` texts once and each
    /// series' line heads once, and writes the counts from
    /// [`with_classic_histogram`](Self::with_classic_histogram) after them. `None` (the
    /// default): every series is written by `encode_series`.
    #[inline]
    fn classic_bounds(_config: &Self::Config) -> Option<&[f64]> {
        None
    }

    /// Calls `write` with the histogram `encode_series` would write for `series` (its bounds
    /// those of [`classic_bounds`](Self::classic_bounds), no exemplars, no creation time of
    /// its own), and returns what it returns; `None` writes this series with
    /// `encode_series` instead.
    #[inline]
    fn with_classic_histogram<R>(
        _series: &Self::Series,
        _config: &Self::Config,
        _write: impl FnOnce(&ClassicHistogram<'_>) -> R,
    ) -> Option<R> {
        None
    }
}

/// Implements [`EncodeMetric`], [`Metric`] and [`FamilyMember`] for a metric made of a
/// configuration every series of a family shares (buckets, native or summary options) and
/// per-series cells. The metric's `as_ref()` and the handle `$handle { $field, cells }` join
/// the two; the handle's `encode_with(labels, encoder)` writes a series and the cells'
/// `reset()` zeroes one. With `classic bounds / with_classic`, the configuration's
/// `bounds()` and the handle's `with_classic(write)` (which hands `write` the series as the
/// classic histogram `encode_with` writes) let families write the series from kept line
/// prefixes.
macro_rules! configured_metric {
    ($metric:ty: $metric_type:ident, series $series:ty, config $config:ty = $default:expr,
        handle $handle:ident { $field:ident } $(, classic $bounds:ident / $classic:ident)?) => {
        impl $crate::metric::EncodeMetric for $metric {
            fn encode(&self, encoder: &mut $crate::encode::MetricEncoder<'_>) {
                self.as_ref()
                    .encode_with(&$crate::encode::NoLabels, encoder);
            }
        }

        impl $crate::metric::Metric for $metric {
            const METRIC_TYPE: $crate::desc::MetricType = $crate::desc::MetricType::$metric_type;
        }

        #[diagnostic::do_not_recommend]
        impl $crate::metric::FamilyMember for $metric {
            const METRIC_TYPE: $crate::desc::MetricType = $crate::desc::MetricType::$metric_type;
            type Series = $series;
            #[allow(clippy::declare_interior_mutable_const)]
            const NEW_SERIES: $series = <$series>::new();
            type Config = $config;
            const DEFAULT_CONFIG: $config = $default;
            type Handle<'a> = $handle<'a>;

            fn reset(series: &$series) {
                series.reset();
            }

            #[inline]
            fn handle<'a>(series: &'a $series, config: &'a $config) -> $handle<'a> {
                $handle {
                    $field: config,
                    cells: series,
                }
            }

            fn encode_series(
                series: &$series,
                config: &$config,
                labels: &dyn $crate::encode::WriteLabels,
                encoder: &mut $crate::encode::MetricEncoder<'_>,
            ) {
                <Self as $crate::metric::FamilyMember>::handle(series, config)
                    .encode_with(labels, encoder);
            }

            $(
                #[inline]
                fn classic_bounds(config: &$config) -> Option<&[f64]> {
                    Some(config.$bounds())
                }

                #[inline]
                fn with_classic_histogram<R>(
                    series: &$series,
                    config: &$config,
                    write: impl FnOnce(&$crate::encode::ClassicHistogram<'_>) -> R,
                ) -> Option<R> {
                    Some(
                        <Self as $crate::metric::FamilyMember>::handle(series, config)
                            .$classic(write),
                    )
                }
            )?
        }
    };
}
pub(crate) use configured_metric;
