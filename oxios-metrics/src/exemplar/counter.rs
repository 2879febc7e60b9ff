//! A counter that keeps the latest exemplar.

use std::time::SystemTime;

use super::{ExemplarCell, ExemplarError, ExemplarSnapshot};
use crate::counter::Counter;
use crate::desc::MetricType;
use crate::encode::{MetricEncoder, NoLabels, SampleValue, WriteLabels};
use crate::metric::{EncodeMetric, FamilyMember, Metric};

/// A `u64` counter that also keeps the exemplar of its latest recorded increment.
///
/// `inc` and `add` cost what [`Counter`]'s do; the `_with_exemplar` forms also store the
/// exemplar (its value is the amount added).
///
/// ```
/// use oxios_metrics::ExemplarCounter;
/// static REQUESTS: ExemplarCounter = ExemplarCounter::new();
/// REQUESTS.inc();
/// REQUESTS.inc_with_exemplar(&[("trace_id", "4bf92f3577b34da6")]).unwrap();
/// assert_eq!(REQUESTS.get(), 2);
/// let exemplar = REQUESTS.exemplar().unwrap();
/// assert_eq!(exemplar.labels().collect::<Vec<_>>(), vec![("trace_id", "4bf92f3577b34da6")]);
/// assert_eq!(exemplar.value(), 1.0);
/// ```
#[derive(Debug, Default)]
pub struct ExemplarCounter {
    counter: Counter,
    exemplar: ExemplarCell,
}

impl ExemplarCounter {
    /// A counter at zero, with no exemplar.
    pub const fn new() -> Self {
        ExemplarCounter {
            counter: Counter::new(),
            exemplar: ExemplarCell::new(),
        }
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.counter.inc();
    }

    /// Adds `amount`.
    #[inline]
    pub fn add(&self, amount: u64) {
        self.counter.add(amount);
    }

    /// Adds one and keeps `labels` (e.g. `[("trace_id", id)]`) as the exemplar, timestamped
    /// now. The increment always happens; an invalid or over-long label set is refused with
    /// the error and leaves the previous exemplar in place.
    pub fn inc_with_exemplar(&self, labels: &[(&str, &str)]) -> Result<(), ExemplarError> {
        self.add_with_exemplar(1, labels)
    }

    /// Adds `amount` and keeps `labels` as the exemplar, timestamped now.
    pub fn add_with_exemplar(
        &self,
        amount: u64,
        labels: &[(&str, &str)],
    ) -> Result<(), ExemplarError> {
        self.add_with_exemplar_at(amount, labels, SystemTime::now())
    }

    /// Adds `amount` and keeps `labels` as the exemplar, timestamped `at`.
    pub fn add_with_exemplar_at(
        &self,
        amount: u64,
        labels: &[(&str, &str)],
        at: SystemTime,
    ) -> Result<(), ExemplarError> {
        self.counter.add(amount);
        self.exemplar.record(labels, amount as f64, at).map(|_| ())
    }

    /// The current value.
    pub fn get(&self) -> u64 {
        self.counter.get()
    }

    /// The latest exemplar, if any.
    pub fn exemplar(&self) -> Option<ExemplarSnapshot> {
        self.exemplar.snapshot()
    }
}

impl EncodeMetric for ExemplarCounter {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        ExemplarCounter::encode_series(self, &(), &NoLabels, encoder);
    }
}

impl Metric for ExemplarCounter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
}

#[diagnostic::do_not_recommend]
impl FamilyMember for ExemplarCounter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
    type Series = ExemplarCounter;
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW_SERIES: ExemplarCounter = ExemplarCounter::new();
    type Config = ();
    const DEFAULT_CONFIG: () = ();
    type Handle<'a> = &'a ExemplarCounter;

    fn reset(series: &ExemplarCounter) {
        <Counter as FamilyMember>::reset(&series.counter);
        series.exemplar.clear();
    }

    #[inline]
    fn handle<'a>(series: &'a ExemplarCounter, _: &'a ()) -> &'a ExemplarCounter {
        series
    }

    fn encode_series(
        series: &ExemplarCounter,
        _: &(),
        labels: &dyn WriteLabels,
        encoder: &mut MetricEncoder<'_>,
    ) {
        // The exemplar is read only where the exposition carries it.
        let exemplar = if encoder.writes_exemplars() {
            series.exemplar().map(|exemplar| exemplar.render())
        } else {
            None
        };
        encoder.counter(
            labels,
            SampleValue::Unsigned(series.get()),
            None,
            exemplar.as_ref().map(|e| e.as_exemplar_ref()).as_ref(),
        );
    }
}
