//! Families whose series are computed when scraped: a collector with labels.
//!
//! A [`CallbackFamily`] holds a function, not values. At every scrape the registry calls it
//! with a [`FamilyWriter`], and it writes one value per label set (one series per peer, per
//! queue, per protocol), read from wherever the values live. Its label names are the label
//! set's, checked like those of any other family; a derive checks its metric name and labels
//! at compile time.
//!
//! What is written stays a valid exposition whatever the function does: a counter value that
//! is NaN, infinite or negative is left out (as [`FloatCounter`](crate::FloatCounter) ignores
//! such additions), and a label set written twice in one scrape is written once, with the
//! first value, since Prometheus rejects a whole scrape that repeats a series.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::marker::PhantomData;

use parking_lot::Mutex;

use crate::counter::Counter;
use crate::desc::MetricType;
use crate::encode::{render_labels_into, LabelWriter, MetricEncoder, SampleValue, WriteLabels};
use crate::gauge::Gauge;
use crate::labels::LabelSet;
use crate::metric::{EncodeMetric, Metric};

/// A family of gauges or counters computed at scrape time by a function.
///
/// `M` is [`Gauge`] or [`Counter`]: it sets the family's type (and a counter's `_total`
/// samples); values are `f64`, or `u64` through [`FamilyWriter::write_u64`].
///
/// In a derive, `#[metric(read = path::to::function)]` names a
/// `fn(&mut FamilyWriter<'_, Labels>)`; without `read` the family starts
/// [`empty`](Self::empty), to be set per instance with [`from_fn`](Self::from_fn) before
/// the group is shared:
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use oxios_metrics::{CallbackFamily, FamilyWriter, Format, Gauge, LabelSet, Metrics, Registry};
///
/// #[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
/// pub struct Peer { pub peer: String }
///
/// #[derive(Metrics)]
/// pub struct PoolMetrics {
///     /// Open connections, by peer.
///     pub connections: CallbackFamily<Peer, Gauge>,
/// }
///
/// let pool: Arc<Mutex<Vec<(String, usize)>>> =
///     Arc::new(Mutex::new(vec![("a".into(), 2), ("b".into(), 5)]));
/// let mut metrics = PoolMetrics::new();
/// let state = Arc::clone(&pool);
/// metrics.connections = CallbackFamily::from_fn(move |out: &mut FamilyWriter<'_, Peer>| {
///     for (peer, open) in state.lock().unwrap().iter() {
///         out.write(&Peer { peer: peer.clone() }, *open as f64);
///     }
/// });
/// let metrics: &'static PoolMetrics = Box::leak(Box::new(metrics));
///
/// let registry = Registry::new();
/// registry.register(metrics).unwrap();
/// let text = registry.render(Format::Prometheus);
/// assert!(text.contains("connections{peer=\"a\"} 2\nconnections{peer=\"b\"} 5\n"));
/// ```
pub struct CallbackFamily<L: LabelSet, M: CallbackMember = Gauge> {
    read: Read<L>,
    /// Buffers for finding repeated label sets, kept between scrapes.
    seen: Mutex<Seen>,
    member: PhantomData<fn() -> M>,
}

/// The function writing a family's series: a plain `fn` (usable in a `const`), or a closure
/// capturing per-instance state.
type ReadFn<L> = fn(&mut FamilyWriter<'_, L>);
type ReadClosure<L> = Box<dyn Fn(&mut FamilyWriter<'_, L>) + Send + Sync>;

enum Read<L> {
    Empty,
    Function(ReadFn<L>),
    Closure(ReadClosure<L>),
}

impl<L: LabelSet, M: CallbackMember> CallbackFamily<L, M> {
    /// A family whose series `read` writes at each scrape.
    pub const fn new(read: fn(&mut FamilyWriter<'_, L>)) -> Self {
        CallbackFamily::with_read(Read::Function(read))
    }

    /// A family that writes no series (its header lines only) until it is replaced, for
    /// groups whose instances set their own function with [`from_fn`](Self::from_fn).
    pub const fn empty() -> Self {
        CallbackFamily::with_read(Read::Empty)
    }

    /// A family whose series a closure writes at each scrape; the closure may hold the
    /// state of one instance (an `Arc` of it).
    pub fn from_fn(read: impl Fn(&mut FamilyWriter<'_, L>) + Send + Sync + 'static) -> Self {
        CallbackFamily::with_read(Read::Closure(Box::new(read)))
    }

    const fn with_read(read: Read<L>) -> Self {
        CallbackFamily {
            read,
            seen: Mutex::new(Seen::new()),
            member: PhantomData,
        }
    }

    fn run(&self, writer: &mut FamilyWriter<'_, L>) {
        match &self.read {
            Read::Empty => {}
            Read::Function(read) => read(writer),
            Read::Closure(read) => read(writer),
        }
    }
}

impl<L: LabelSet, M: CallbackMember> std::fmt::Debug for CallbackFamily<L, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let read = match self.read {
            Read::Empty => "empty",
            Read::Function(_) => "function",
            Read::Closure(_) => "closure",
        };
        f.debug_struct("CallbackFamily")
            .field("labels", &L::LABEL_NAMES)
            .field("type", &M::METRIC_TYPE)
            .field("read", &read)
            .finish()
    }
}

impl<L: LabelSet, M: CallbackMember> EncodeMetric for CallbackFamily<L, M> {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        // `try_lock`: a concurrent scrape of the same family, or the function scraping its
        // own registry, gets fresh buffers instead of waiting, so nothing ever queues behind
        // the function while it runs.
        let mut spare;
        let mut guard = self.seen.try_lock();
        let seen = match guard.as_deref_mut() {
            Some(seen) => seen,
            None => {
                spare = Seen::new();
                &mut spare
            }
        };
        seen.clear();
        let mut sink = Sink {
            encoder,
            seen,
            counter: M::METRIC_TYPE == MetricType::Counter,
        };
        let mut writer = FamilyWriter {
            sink: &mut sink,
            labels: PhantomData,
        };
        self.run(&mut writer);
    }

    fn visit_label_names(&self, visit: &mut dyn FnMut(&str)) {
        for name in L::LABEL_NAMES {
            visit(name);
        }
    }
}

impl<L: LabelSet, M: CallbackMember> Metric for CallbackFamily<L, M> {
    const METRIC_TYPE: MetricType = M::METRIC_TYPE;
}

/// What the values of a [`CallbackFamily`] are: [`Gauge`] or [`Counter`].
#[diagnostic::on_unimplemented(
    message = "a `CallbackFamily` holds gauges or counters, not `{Self}`",
    label = "not `Gauge` or `Counter`",
    note = "write `CallbackFamily<Labels, Gauge>` or `CallbackFamily<Labels, Counter>`"
)]
pub trait CallbackMember: sealed::Sealed + Send + Sync + 'static {
    /// The family's type.
    const METRIC_TYPE: MetricType;
}

impl CallbackMember for Gauge {
    const METRIC_TYPE: MetricType = MetricType::Gauge;
}

impl CallbackMember for Counter {
    const METRIC_TYPE: MetricType = MetricType::Counter;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::gauge::Gauge {}
    impl Sealed for crate::counter::Counter {}
}

/// Where the function of a [`CallbackFamily`] writes its series, one value per label set.
pub struct FamilyWriter<'a, L> {
    sink: &'a mut dyn WriteSample,
    labels: PhantomData<fn(&L)>,
}

impl<L: LabelSet> FamilyWriter<'_, L> {
    /// Writes the series `labels` with `value`. Returns false when it was left out: a
    /// counter value that is NaN, infinite or negative, or a label set already written in
    /// this scrape.
    pub fn write(&mut self, labels: &L, value: f64) -> bool {
        self.sink.write(labels, Value::Float(value))
    }

    /// Writes the series `labels` with an integer value, printed with all its digits.
    /// Returns false when the label set was already written in this scrape.
    pub fn write_u64(&mut self, labels: &L, value: u64) -> bool {
        self.sink.write(labels, Value::Unsigned(value))
    }
}

impl<L> std::fmt::Debug for FamilyWriter<'_, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FamilyWriter").finish_non_exhaustive()
    }
}

#[derive(Clone, Copy)]
enum Value {
    Float(f64),
    Unsigned(u64),
}

/// Keeps the writer's type free of the encoder's lifetimes.
trait WriteSample {
    fn write(&mut self, labels: &dyn WriteLabels, value: Value) -> bool;
}

struct Sink<'a, 'e> {
    encoder: &'a mut MetricEncoder<'e>,
    seen: &'a mut Seen,
    counter: bool,
}

impl WriteSample for Sink<'_, '_> {
    fn write(&mut self, labels: &dyn WriteLabels, value: Value) -> bool {
        let value = match value {
            Value::Unsigned(value) => SampleValue::Unsigned(value),
            // `+ 0.0` writes a negative zero as `0`.
            Value::Float(value) if self.counter => {
                if !(value.is_finite() && value >= 0.0) {
                    return false;
                }
                SampleValue::Float(value + 0.0)
            }
            Value::Float(value) => SampleValue::Float(value),
        };
        let Some(text) = self.seen.insert(labels) else {
            return false;
        };
        let suffix = if self.counter { "_total" } else { "" };
        self.encoder.sample(suffix, &Rendered(text), value);
        true
    }
}

/// Labels rendered into [`Seen`]'s buffer.
struct Rendered<'a>(&'a str);

impl WriteLabels for Rendered<'_> {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.rendered(self.0);
    }
}

/// The label sets written so far in one scrape: their text in one buffer, found through an
/// open-addressing table of indices. Cleared, not freed, between scrapes.
struct Seen {
    text: Vec<u8>,
    /// Byte range of each label set in `text`.
    spans: Vec<(usize, usize)>,
    /// `index + 1` into `spans`, or 0 for an empty slot; its length is 0 or a power of two.
    table: Vec<usize>,
    /// Keyed per family, so label values chosen to collide cannot slow a scrape down.
    hasher: Option<RandomState>,
}

impl Seen {
    const fn new() -> Self {
        Seen {
            text: Vec::new(),
            spans: Vec::new(),
            table: Vec::new(),
            hasher: None,
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.table.fill(0);
    }

    /// Renders `labels`; returns their text if this label set is new in this scrape.
    fn insert(&mut self, labels: &dyn WriteLabels) -> Option<&str> {
        let start = self.text.len();
        render_labels_into(&mut self.text, labels);
        let end = self.text.len();
        if (self.spans.len() + 1) * 2 > self.table.len() {
            self.grow();
        }
        let mask = self.table.len() - 1;
        let mut slot = self.hash(start, end) & mask;
        loop {
            match self.table[slot] {
                0 => break,
                entry => {
                    let (s, e) = self.spans[entry - 1];
                    if self.text[s..e] == self.text[start..end] {
                        self.text.truncate(start);
                        return None;
                    }
                    slot = (slot + 1) & mask;
                }
            }
        }
        self.spans.push((start, end));
        self.table[slot] = self.spans.len();
        // The text is made of `&str` pieces.
        std::str::from_utf8(&self.text[start..end]).ok()
    }

    fn grow(&mut self) {
        let size = (self.table.len() * 2).max(16);
        self.table.clear();
        self.table.resize(size, 0);
        let mask = size - 1;
        for index in 0..self.spans.len() {
            let (start, end) = self.spans[index];
            let mut slot = self.hash(start, end) & mask;
            while self.table[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.table[slot] = index + 1;
        }
    }

    /// The hash of `text[start..end]` (its low bits pick the slot, so truncating is fine).
    #[allow(clippy::cast_possible_truncation)]
    fn hash(&mut self, start: usize, end: usize) -> usize {
        let hasher = self.hasher.get_or_insert_with(RandomState::new);
        hasher.hash_one(&self.text[start..end]) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::NoLabels;

    struct Text(&'static str);

    impl WriteLabels for Text {
        fn write_labels(&self, writer: &mut LabelWriter<'_>) {
            writer.label("l", self.0);
        }
    }

    #[test]
    fn repeated_label_sets_are_found_across_growth() {
        let mut seen = Seen::new();
        let values: Vec<&'static str> = (0..100)
            .map(|n| &*Box::leak(format!("v{n}").into_boxed_str()))
            .collect();
        for value in &values {
            assert!(seen.insert(&Text(value)).is_some(), "{value} is new");
        }
        for value in &values {
            assert!(seen.insert(&Text(value)).is_none(), "{value} repeats");
        }
        assert!(seen.insert(&NoLabels).is_some());
        assert!(seen.insert(&NoLabels).is_none());
        seen.clear();
        assert!(seen.insert(&Text(values[0])).is_some());
    }
}
