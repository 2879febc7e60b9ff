//! A family of series emitted through the facade under one metric name: a bounded map from
//! label set to series, registered as a group of its own.
//!
//! It keeps the bounds of a dynamic [`Family`](crate::Family): at most `max_series` series and
//! at most `max_label_bytes` of rendered label text per series; past them, new label sets share
//! one overflow series (`series_overflow="true"`) and each such lookup is counted, so the
//! registry reports it in `oxios_metrics_series_overflow_total` like any family's.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;

use crate::desc::MetricDesc;
use crate::encode::{LabelWriter, MetricEncoder, WriteLabels};
use crate::family::{SeriesLimits, OVERFLOW_LABEL};
use crate::metric::{EncodeMetric, Overflows};
use crate::registry::{MetricGroup, MetricVisitor};

use super::cells::Cell;

/// A label set as a family keys it: cleaned names, values as given, sorted by name, without
/// empty values (Prometheus reads `l=""` as no label `l`, so both spell one series).
pub(crate) type LabelKey = Box<[(Box<str>, Box<str>)]>;

/// What a lookup found.
pub(crate) enum Lookup<C> {
    /// The series of the label set, and whether this lookup created it.
    Series(Arc<C>, bool),
    /// The family is full or the labels too long: the shared overflow series.
    Overflow(Arc<C>),
}

struct Series<C> {
    by_labels: HashMap<LabelKey, usize>,
    /// Rendered label text and series, in creation order (the order a scrape writes).
    list: Vec<(Box<str>, Arc<C>)>,
}

/// The series of one facade metric.
pub(crate) struct FacadeFamily<C: Cell> {
    config: C::Config,
    limits: SeriesLimits,
    series: RwLock<Series<C>>,
    overflow: Arc<C>,
    over_max_series: AtomicU64,
    over_max_label_bytes: AtomicU64,
}

impl<C: Cell> FacadeFamily<C> {
    pub(crate) fn new(config: C::Config, limits: SeriesLimits) -> Self {
        FacadeFamily {
            overflow: Arc::new(C::new(&config)),
            config,
            limits,
            series: RwLock::new(Series {
                by_labels: HashMap::new(),
                list: Vec::new(),
            }),
            over_max_series: AtomicU64::new(0),
            over_max_label_bytes: AtomicU64::new(0),
        }
    }

    /// The series of `labels`, created when the bounds allow.
    pub(crate) fn lookup(&self, labels: LabelKey) -> Lookup<C> {
        {
            let series = self.series.read();
            if let Some(&slot) = series.by_labels.get(&labels) {
                return Lookup::Series(Arc::clone(&series.list[slot].1), false);
            }
        }
        // Rendered before locking, so other lookups never wait on escaping.
        let rendered = render(&labels);
        if rendered.len() > self.limits.max_label_bytes {
            self.over_max_label_bytes.fetch_add(1, Ordering::Relaxed);
            return Lookup::Overflow(Arc::clone(&self.overflow));
        }
        let mut series = self.series.write();
        if let Some(&slot) = series.by_labels.get(&labels) {
            return Lookup::Series(Arc::clone(&series.list[slot].1), false);
        }
        if series.list.len() >= self.limits.max_series {
            self.over_max_series.fetch_add(1, Ordering::Relaxed);
            return Lookup::Overflow(Arc::clone(&self.overflow));
        }
        let cell = Arc::new(C::new(&self.config));
        let slot = series.list.len();
        series
            .list
            .push((rendered.into_boxed_str(), Arc::clone(&cell)));
        series.by_labels.insert(labels, slot);
        Lookup::Series(cell, true)
    }
}

/// `name="value"` pairs, escaped, in key order.
fn render(labels: &LabelKey) -> String {
    crate::encode::render_labels(&KeyLabels(labels))
}

struct KeyLabels<'a>(&'a LabelKey);

impl WriteLabels for KeyLabels<'_> {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        for (name, value) in self.0.iter() {
            writer.label(name, value);
        }
    }
}

struct Rendered<'a>(&'a str);

impl WriteLabels for Rendered<'_> {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.rendered(self.0);
    }
}

struct OverflowLabels;

impl WriteLabels for OverflowLabels {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label_escaped(OVERFLOW_LABEL, "true");
    }
}

impl<C: Cell> EncodeMetric for FacadeFamily<C> {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        let series = self.series.read();
        for (labels, cell) in &series.list {
            cell.encode(&Rendered(labels), encoder);
        }
        drop(series);
        if self.overflows().total() > 0 {
            self.overflow.encode(&OverflowLabels, encoder);
        }
    }

    fn overflows(&self) -> Overflows {
        Overflows {
            max_series: self.over_max_series.load(Ordering::Relaxed),
            max_label_bytes: self.over_max_label_bytes.load(Ordering::Relaxed),
        }
    }
}

/// What the registry holds for a facade family: its description (replaced, with a new
/// registration, when a description arrives after the first emission) and its series.
pub(crate) struct FacadeGroup<C: Cell> {
    pub(crate) desc: MetricDesc,
    pub(crate) family: Arc<FacadeFamily<C>>,
}

impl<C: Cell> MetricGroup for FacadeGroup<C> {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&self.desc, &*self.family);
    }
}
