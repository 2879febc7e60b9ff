//! The recorder: where a `metrics` key becomes a series of a registered family.
//!
//! The fast path (a key seen before) is the [`KeyCache`]. The slow path, for a key seen the
//! first time, cleans the name and labels, finds or creates the family (registering it as a
//! group of its own), finds or creates the series within the family's bounds, and caches the
//! key. Anything refused gets a handle that records nothing, and is counted.

use std::collections::HashMap;
use std::sync::Arc;

use metrics::{Key, KeyName, Metadata, SharedString, Unit};
use parking_lot::{Mutex, RwLock};

use crate::desc::{DefinitionSite, MetricDesc, MetricType};
use crate::family::SeriesLimits;
use crate::registry::{RegisterError, RegisterProblem, Registration, SubRegistry};

use super::buckets::BucketRules;
use super::cache::KeyCache;
use super::cells::{Cell, CounterCell, CounterConfig, GaugeCell, HistogramCell, HistogramConfig};
use super::family::{FacadeFamily, FacadeGroup, LabelKey, Lookup};
use super::names::{self, NamePolicy, UnitPlan};
use super::stats::{Refusal, Rewrite, Stats};

/// Where facade metrics say they were defined, in registration errors: the facade has no
/// source location for a key.
pub(crate) const FACADE_SITE: DefinitionSite = DefinitionSite::new("<metrics facade>", 0, 0);

/// The HELP of a metric emitted without a description: promtool reports a missing HELP.
pub const DEFAULT_HELP: &str = "Emitted through the metrics facade without a description.";

/// How many problem messages a recorder keeps (the first ones).
const KEPT_PROBLEMS: usize = 32;

/// The settings a recorder was built with.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) names: NamePolicy,
    pub(crate) limits: SeriesLimits,
    pub(crate) max_families: usize,
    pub(crate) buckets: BucketRules,
}

/// A description given with `describe_*!`, by metric type and name stem.
struct Description {
    unit: Option<Unit>,
    help: Arc<str>,
}

/// A registered facade family of cell type `C`.
struct Entry<C: Cell> {
    family: Arc<FacadeFamily<C>>,
    registration: Registration,
    name: Arc<str>,
    unit: Option<&'static str>,
    plan: UnitPlan,
    help: Arc<str>,
}

enum Slot {
    Counter(Entry<CounterCell>),
    Gauge(Entry<GaugeCell>),
    Histogram(Entry<HistogramCell>),
    /// The registry refused the family (a clash with a declared group, say): every emission
    /// of the name is refused without asking the registry again.
    Refused(MetricType),
}

impl Slot {
    fn metric_type(&self) -> MetricType {
        match self {
            Slot::Counter(_) => MetricType::Counter,
            Slot::Gauge(_) => MetricType::Gauge,
            Slot::Histogram(_) => MetricType::Histogram,
            Slot::Refused(metric_type) => *metric_type,
        }
    }
}

/// What differs between the three kinds of facade metric.
trait Kind: Cell + Sized {
    fn cache(inner: &Inner) -> &KeyCache<Self>;
    fn entry(slot: &Slot) -> Option<&Entry<Self>>;
    fn entry_mut(slot: &mut Slot) -> Option<&mut Entry<Self>>;
    fn slot(entry: Entry<Self>) -> Slot;
    fn config(settings: &Settings, name: &str, plan: &UnitPlan) -> Self::Config;
}

impl Kind for CounterCell {
    fn cache(inner: &Inner) -> &KeyCache<Self> {
        &inner.counters
    }
    fn entry(slot: &Slot) -> Option<&Entry<Self>> {
        match slot {
            Slot::Counter(entry) => Some(entry),
            _ => None,
        }
    }
    fn entry_mut(slot: &mut Slot) -> Option<&mut Entry<Self>> {
        match slot {
            Slot::Counter(entry) => Some(entry),
            _ => None,
        }
    }
    fn slot(entry: Entry<Self>) -> Slot {
        Slot::Counter(entry)
    }
    fn config(_: &Settings, _: &str, plan: &UnitPlan) -> CounterConfig {
        CounterConfig {
            factor: plan.factor,
            whole: plan.whole,
        }
    }
}

impl Kind for GaugeCell {
    fn cache(inner: &Inner) -> &KeyCache<Self> {
        &inner.gauges
    }
    fn entry(slot: &Slot) -> Option<&Entry<Self>> {
        match slot {
            Slot::Gauge(entry) => Some(entry),
            _ => None,
        }
    }
    fn entry_mut(slot: &mut Slot) -> Option<&mut Entry<Self>> {
        match slot {
            Slot::Gauge(entry) => Some(entry),
            _ => None,
        }
    }
    fn slot(entry: Entry<Self>) -> Slot {
        Slot::Gauge(entry)
    }
    fn config(_: &Settings, _: &str, plan: &UnitPlan) -> f64 {
        plan.factor
    }
}

impl Kind for HistogramCell {
    fn cache(inner: &Inner) -> &KeyCache<Self> {
        &inner.histograms
    }
    fn entry(slot: &Slot) -> Option<&Entry<Self>> {
        match slot {
            Slot::Histogram(entry) => Some(entry),
            _ => None,
        }
    }
    fn entry_mut(slot: &mut Slot) -> Option<&mut Entry<Self>> {
        match slot {
            Slot::Histogram(entry) => Some(entry),
            _ => None,
        }
    }
    fn slot(entry: Entry<Self>) -> Slot {
        Slot::Histogram(entry)
    }
    fn config(settings: &Settings, name: &str, plan: &UnitPlan) -> HistogramConfig {
        HistogramConfig {
            buckets: settings.buckets.for_name(name),
            factor: plan.factor,
        }
    }
}

/// Families by name stem (the cleaned name, without a counter's `_total` and before any
/// unit suffix), and the descriptions given so far.
#[derive(Default)]
struct Books {
    families: HashMap<Box<str>, Slot>,
    descriptions: HashMap<(&'static str, Box<str>), Description>,
}

pub(crate) struct Inner {
    scope: SubRegistry,
    /// The constant label names of `scope`: a facade label may not repeat one.
    scope_labels: Vec<String>,
    settings: Settings,
    counters: KeyCache<CounterCell>,
    gauges: KeyCache<GaugeCell>,
    histograms: KeyCache<HistogramCell>,
    books: RwLock<Books>,
    problems: Mutex<Vec<String>>,
    stats: Arc<Stats>,
    _stats: Registration,
}

/// A cleaned label set, and whether a label name was rewritten.
struct Labels {
    key: LabelKey,
    rewritten: bool,
}

fn type_word(metric_type: MetricType) -> &'static str {
    metric_type.prometheus_name()
}

impl Inner {
    pub(crate) fn new(scope: SubRegistry, settings: Settings) -> Result<Inner, RegisterError> {
        let stats = Arc::new(Stats::new());
        let registration = scope.register_shared(Arc::clone(&stats))?;
        let scope_labels = crate::names::rendered_label_pairs(scope.labels())
            .unwrap_or_default()
            .into_iter()
            .map(|(name, _)| name.to_owned())
            .collect();
        Ok(Inner {
            scope,
            scope_labels,
            settings,
            counters: KeyCache::new(),
            gauges: KeyCache::new(),
            histograms: KeyCache::new(),
            books: RwLock::new(Books::default()),
            problems: Mutex::new(Vec::new()),
            stats,
            _stats: registration,
        })
    }

    pub(crate) fn problems(&self) -> Vec<String> {
        self.problems.lock().clone()
    }

    pub(crate) fn family_count(&self) -> usize {
        self.books
            .read()
            .families
            .values()
            .filter(|slot| !matches!(slot, Slot::Refused(_)))
            .count()
    }

    fn refuse(&self, reason: Refusal, message: impl FnOnce() -> String) {
        self.stats.refused(reason);
        let mut problems = self.problems.lock();
        if problems.len() < KEPT_PROBLEMS {
            let message = message();
            if !problems.contains(&message) {
                problems.push(message);
            }
        }
    }

    /// The series for `key`, or `None` when the emission is refused.
    #[inline]
    fn register<C: Kind>(&self, key: &Key) -> Option<Arc<C>> {
        if let Some(cell) = C::cache(self).get(key) {
            return Some(cell);
        }
        self.register_new(key)
    }

    #[cold]
    fn register_new<C: Kind>(&self, key: &Key) -> Option<Arc<C>> {
        let cleaned = match names::metric_name(key.name(), self.settings.names) {
            Ok(cleaned) => cleaned,
            Err(reason) => {
                self.refuse(Refusal::InvalidName, || {
                    format!("metric name `{}` refused: {reason}", key.name())
                });
                return None;
            }
        };
        let labels = match self.labels(key, C::METRIC_TYPE) {
            Ok(labels) => labels,
            Err(message) => {
                self.refuse(Refusal::InvalidLabels, || message);
                return None;
            }
        };
        let stem = names::family_name(&cleaned.name, C::METRIC_TYPE, &UnitPlan::NONE);
        let family = self.family::<C>(&stem, key.name(), cleaned.rewritten)?;
        match family.lookup(labels.key) {
            Lookup::Series(cell, created) => {
                if created && labels.rewritten {
                    self.stats.rewritten(Rewrite::LabelName);
                }
                C::cache(self).insert(key, &cell);
                Some(cell)
            }
            // Not cached: each lookup of a label set past the bounds is counted, as a
            // `Family` counts them, and the cache stays bounded.
            Lookup::Overflow(cell) => Some(cell),
        }
    }

    /// Cleans a key's labels: names by the policy, empty values dropped, sorted by name, no
    /// name twice and none that the scope already sets.
    fn labels(&self, key: &Key, metric_type: MetricType) -> Result<Labels, String> {
        let mut pairs: Vec<(Box<str>, Box<str>)> = Vec::new();
        let mut rewritten = false;
        for label in key.labels() {
            if label.value().is_empty() {
                continue;
            }
            let cleaned = names::label_name(label.key(), self.settings.names, metric_type)
                .map_err(|reason| {
                    format!(
                        "label `{}` of metric `{}` refused: {reason}",
                        label.key(),
                        key.name()
                    )
                })?;
            if self.scope_labels.contains(&cleaned.name) {
                return Err(format!(
                    "label `{}` of metric `{}` refused: the registry the facade writes to sets it on every sample already",
                    label.key(),
                    key.name()
                ));
            }
            rewritten |= cleaned.rewritten;
            pairs.push((cleaned.name.into_boxed_str(), label.value().into()));
        }
        pairs.sort_by(|left, right| left.0.cmp(&right.0));
        if let Some(pair) = pairs.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(format!(
                "labels of metric `{}` refused: `{}` appears twice (Prometheus drops a scrape with a repeated label)",
                key.name(),
                pair[0].0
            ));
        }
        Ok(Labels {
            key: pairs.into_boxed_slice(),
            rewritten,
        })
    }

    /// The family of `stem`, created and registered on first use.
    fn family<C: Kind>(
        &self,
        stem: &str,
        raw: &str,
        name_rewritten: bool,
    ) -> Option<Arc<FacadeFamily<C>>> {
        if let Some(slot) = self.books.read().families.get(stem) {
            return self.found(slot, stem, raw);
        }
        let mut books = self.books.write();
        if let Some(slot) = books.families.get(stem) {
            return self.found(slot, stem, raw);
        }
        if books.families.len() >= self.settings.max_families {
            drop(books);
            self.refuse(Refusal::MaxFamilies, || {
                format!(
                    "metric `{raw}` refused: the facade holds its limit of {} families",
                    self.settings.max_families
                )
            });
            return None;
        }
        let description = books
            .descriptions
            .get(&(type_word(C::METRIC_TYPE), stem.into()));
        let (plan, unit_dropped) = match description.and_then(|described| described.unit) {
            None => (UnitPlan::NONE, false),
            Some(unit) => match names::unit_plan(unit) {
                Some(plan) => (plan, false),
                None => (UnitPlan::NONE, true),
            },
        };
        let help: Arc<str> =
            description.map_or_else(|| Arc::from(DEFAULT_HELP), |d| d.help.clone());
        let name: Arc<str> = names::family_name(stem, C::METRIC_TYPE, &plan).into();
        let family = Arc::new(FacadeFamily::<C>::new(
            C::config(&self.settings, &name, &plan),
            self.settings.limits,
        ));
        let group = FacadeGroup {
            desc: describe(&name, &help, C::METRIC_TYPE, plan.unit),
            family: Arc::clone(&family),
        };
        match self.scope.register_shared(Arc::new(group)) {
            Ok(registration) => {
                books.families.insert(
                    stem.into(),
                    C::slot(Entry {
                        family: Arc::clone(&family),
                        registration,
                        name,
                        unit: plan.unit,
                        plan,
                        help,
                    }),
                );
                drop(books);
                if name_rewritten {
                    self.stats.rewritten(Rewrite::MetricName);
                }
                if unit_dropped {
                    self.stats.rewritten(Rewrite::Unit);
                }
                Some(family)
            }
            Err(error) => {
                books
                    .families
                    .insert(stem.into(), Slot::Refused(C::METRIC_TYPE));
                drop(books);
                let reason = refusal_of(&error);
                self.refuse(reason, || format!("metric `{raw}` refused: {error}"));
                None
            }
        }
    }

    fn found<C: Kind>(&self, slot: &Slot, stem: &str, raw: &str) -> Option<Arc<FacadeFamily<C>>> {
        if let Some(entry) = C::entry(slot) {
            return Some(Arc::clone(&entry.family));
        }
        let other = slot.metric_type();
        self.refuse(Refusal::Clash, || {
            if other == C::METRIC_TYPE {
                format!("metric `{raw}` refused: the registry refused its family `{stem}` before")
            } else {
                format!(
                    "metric `{raw}` refused: `{stem}` is emitted as a {} already, not as a {}",
                    type_word(other),
                    type_word(C::METRIC_TYPE)
                )
            }
        });
        None
    }

    /// Keeps a description for families created from now on, and gives an existing family
    /// its HELP (registering it again, in one step, with the new description).
    fn describe<C: Kind>(&self, raw: &str, unit: Option<Unit>, help: &str) {
        let Ok(cleaned) = names::metric_name(raw, self.settings.names) else {
            return;
        };
        let stem = names::family_name(&cleaned.name, C::METRIC_TYPE, &UnitPlan::NONE);
        let help: Arc<str> = match help.trim() {
            "" => Arc::from(DEFAULT_HELP),
            text => Arc::from(text),
        };
        let mut books = self.books.write();
        let key = (type_word(C::METRIC_TYPE), stem.clone().into_boxed_str());
        let room = books.descriptions.len() < self.settings.max_families;
        if room || books.descriptions.contains_key(&key) {
            books.descriptions.insert(
                key,
                Description {
                    unit,
                    help: Arc::clone(&help),
                },
            );
        }
        let Some(entry) = books.families.get_mut(stem.as_str()).and_then(C::entry_mut) else {
            return;
        };
        let late_unit = unit.is_some_and(|unit| names::unit_plan(unit) != Some(entry.plan));
        let new_help = entry.help != help;
        if new_help {
            let group = FacadeGroup {
                desc: describe(&entry.name, &help, C::METRIC_TYPE, entry.unit),
                family: Arc::clone(&entry.family),
            };
            match self
                .scope
                .replace_shared(&mut entry.registration, Arc::new(group))
            {
                Ok(()) => entry.help = help,
                Err(error) => {
                    drop(books);
                    self.refuse(Refusal::Clash, || {
                        format!("description of metric `{raw}` not applied: {error}")
                    });
                    return;
                }
            }
        }
        drop(books);
        if late_unit {
            self.stats.rewritten(Rewrite::Unit);
        }
    }
}

fn describe(
    name: &Arc<str>,
    help: &Arc<str>,
    metric_type: MetricType,
    unit: Option<&'static str>,
) -> MetricDesc {
    let desc =
        MetricDesc::from_strings(Arc::clone(name), Arc::clone(help), metric_type, FACADE_SITE);
    match unit {
        Some(unit) => desc.with_unit(unit),
        None => desc,
    }
}

/// How a registry's refusal of a facade family is counted.
fn refusal_of(error: &RegisterError) -> Refusal {
    let invalid = error.problems().iter().all(|problem| {
        matches!(
            problem,
            RegisterProblem::InvalidMetricName { .. } | RegisterProblem::InvalidLabelName { .. }
        )
    });
    if invalid {
        Refusal::InvalidName
    } else {
        Refusal::Clash
    }
}

/// A [`metrics::Recorder`] that writes into a [`Registry`](crate::Registry); see the
/// [module documentation](super) for what it does with names, units, labels and buckets.
///
/// Cloning gives another handle to the same recorder: install one clone with
/// [`install`](Self::install) and keep another to read [`problems`](Self::problems).
/// Dropping the last handle unregisters every family it created (a recorder installed
/// globally is never dropped).
#[derive(Clone)]
pub struct FacadeRecorder {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for FacadeRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FacadeRecorder")
            .field("families", &self.inner.family_count())
            .field("settings", &self.inner.settings)
            .finish()
    }
}

impl metrics::Recorder for FacadeRecorder {
    fn describe_counter(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.inner
            .describe::<CounterCell>(key.as_str(), unit, &description);
    }

    fn describe_gauge(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.inner
            .describe::<GaugeCell>(key.as_str(), unit, &description);
    }

    fn describe_histogram(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.inner
            .describe::<HistogramCell>(key.as_str(), unit, &description);
    }

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> metrics::Counter {
        match self.inner.register::<CounterCell>(key) {
            Some(cell) => metrics::Counter::from_arc(cell),
            None => metrics::Counter::noop(),
        }
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> metrics::Gauge {
        match self.inner.register::<GaugeCell>(key) {
            Some(cell) => metrics::Gauge::from_arc(cell),
            None => metrics::Gauge::noop(),
        }
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> metrics::Histogram {
        match self.inner.register::<HistogramCell>(key) {
            Some(cell) => metrics::Histogram::from_arc(cell),
            None => metrics::Histogram::noop(),
        }
    }
}
