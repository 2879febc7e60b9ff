//! Storage for dynamic label sets: a bounded map from label set to series.
//!
//! Series live in an arena of segments that double in size and are never moved or freed
//! while the family lives, so `get` can hand out `&Series` tied to the family's lifetime with
//! no `unsafe` and no reference counting. The map (behind a read-mostly lock) only maps a
//! label set to its slot in the arena.
//!
//! Each series' label text (`user="ada"`, escaped) is rendered once, when the series is
//! created, so a scrape copies it instead of escaping every value again. Rendering happens
//! before the write lock is taken, and a label set whose text is longer than the family's
//! `max_label_bytes` is never stored: its lookups go to the overflow series.
//!
//! A removed series frees its slot. Freed slots are reused oldest first, and only once the
//! arena has as many slots as `max_series`, so a slot is reused as late as the bound allows;
//! a reused slot starts from zero.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use parking_lot::RwLock;

use super::{SeriesLimits, SeriesStorage, OVERFLOW_LABEL};
use crate::encode::{render_labels, LabelWriter, MetricEncoder, WriteLabels};
use crate::labels::OpenLabelSet;
use crate::metric::{FamilyMember, Overflows};

const FIRST_SEGMENT: usize = 8;
const SEGMENTS: usize = 24;
/// The most series an arena can hold (8 × (2^24 − 1), about 134 million).
pub(crate) const ARENA_CAPACITY: usize = FIRST_SEGMENT * ((1 << SEGMENTS) - 1);

/// Segment `k` holds `FIRST_SEGMENT << k` series, starting at index `FIRST_SEGMENT * (2^k - 1)`.
fn locate(index: usize) -> (usize, usize) {
    let group = index / FIRST_SEGMENT + 1;
    let segment = (usize::BITS - 1 - group.leading_zeros()) as usize;
    let start = FIRST_SEGMENT * ((1 << segment) - 1);
    (segment, index - start)
}

struct Index<L> {
    slots: HashMap<L, usize>,
    /// The rendered labels of each slot, `None` for a freed slot; scrapes write the live
    /// slots in slot order.
    rendered: Vec<Option<Box<str>>>,
    /// Freed slots, oldest first.
    free: VecDeque<usize>,
}

impl<L> Index<L> {
    fn live(&self) -> usize {
        self.rendered.len() - self.free.len()
    }
}

/// Labels rendered ahead of time.
struct RenderedLabels<'a>(&'a str);

impl WriteLabels for RenderedLabels<'_> {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.rendered(self.0);
    }
}

/// A bounded map of series for a label set with open values.
pub struct DynamicSeries<L, M: FamilyMember> {
    index: RwLock<Option<Index<L>>>,
    segments: [OnceLock<Box<[M::Series]>>; SEGMENTS],
    overflow: M::Series,
    over_max_series: AtomicU64,
    over_max_label_bytes: AtomicU64,
}

impl<L, M: FamilyMember> DynamicSeries<L, M> {
    fn slot(&self, index: usize) -> &M::Series {
        let (segment, offset) = locate(index);
        let series = self.segments[segment].get_or_init(|| {
            (0..FIRST_SEGMENT << segment)
                .map(|_| M::NEW_SERIES)
                .collect()
        });
        &series[offset]
    }
}

struct OverflowLabels;

impl WriteLabels for OverflowLabels {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label_escaped(OVERFLOW_LABEL, "true");
    }
}

/// A label set given by value (moved into the map if new) or by reference (cloned if new).
enum Key<'a, L> {
    Owned(L),
    Borrowed(&'a L),
}

impl<L: Clone> Key<'_, L> {
    fn get(&self) -> &L {
        match self {
            Key::Owned(labels) => labels,
            Key::Borrowed(labels) => labels,
        }
    }

    fn into_owned(self) -> L {
        match self {
            Key::Owned(labels) => labels,
            Key::Borrowed(labels) => labels.clone(),
        }
    }
}

impl<L: OpenLabelSet, M: FamilyMember> DynamicSeries<L, M> {
    /// The series of `key`: found under the read lock, or created under the write lock while
    /// the family holds fewer than `max_series` and the labels fit `max_label_bytes`, or else
    /// the overflow series.
    fn find_or_insert(&self, key: Key<'_, L>, limits: SeriesLimits) -> &M::Series {
        if let Some(index) = self.index.read().as_ref() {
            if let Some(&slot) = index.slots.get(key.get()) {
                return self.slot(slot);
            }
        }
        // Rendered before locking, so other lookups never wait on escaping.
        let rendered = render_labels(key.get());
        if rendered.len() > limits.max_label_bytes {
            self.over_max_label_bytes.fetch_add(1, Ordering::Relaxed);
            return &self.overflow;
        }
        let mut guard = self.index.write();
        let index = guard.get_or_insert_with(|| Index {
            slots: HashMap::new(),
            rendered: Vec::new(),
            free: VecDeque::new(),
        });
        if let Some(&slot) = index.slots.get(key.get()) {
            return self.slot(slot);
        }
        let bound = limits.max_series.min(ARENA_CAPACITY);
        let slot = if index.rendered.len() < bound {
            index.rendered.push(None);
            index.rendered.len() - 1
        } else if index.live() < bound {
            match index.free.pop_front() {
                Some(slot) => {
                    M::reset(self.slot(slot));
                    slot
                }
                None => {
                    self.over_max_series.fetch_add(1, Ordering::Relaxed);
                    return &self.overflow;
                }
            }
        } else {
            self.over_max_series.fetch_add(1, Ordering::Relaxed);
            return &self.overflow;
        };
        // The segment exists before the slot is published, so readers never see a slot whose
        // segment is missing.
        let series = self.slot(slot);
        index.rendered[slot] = Some(rendered.into_boxed_str());
        index.slots.insert(key.into_owned(), slot);
        series
    }
}

impl<L: OpenLabelSet, M: FamilyMember> SeriesStorage<L, M> for DynamicSeries<L, M> {
    const FIXED: bool = false;

    #[allow(clippy::declare_interior_mutable_const)]
    const NEW: Self = DynamicSeries {
        index: RwLock::new(None),
        segments: [const { OnceLock::new() }; SEGMENTS],
        overflow: M::NEW_SERIES,
        over_max_series: AtomicU64::new(0),
        over_max_label_bytes: AtomicU64::new(0),
    };

    fn series(&self, labels: L, limits: SeriesLimits) -> &M::Series {
        self.find_or_insert(Key::Owned(labels), limits)
    }

    fn series_ref(&self, labels: &L, limits: SeriesLimits) -> &M::Series {
        self.find_or_insert(Key::Borrowed(labels), limits)
    }

    fn encode(&self, config: &M::Config, encoder: &mut MetricEncoder<'_>) {
        let guard = self.index.read();
        if let Some(index) = guard.as_ref() {
            for (slot, labels) in index.rendered.iter().enumerate() {
                if let Some(labels) = labels {
                    M::encode_series(self.slot(slot), config, &RenderedLabels(labels), encoder);
                }
            }
        }
        drop(guard);
        if self.overflows().total() > 0 {
            M::encode_series(&self.overflow, config, &OverflowLabels, encoder);
        }
    }

    fn series_count(&self) -> usize {
        self.index.read().as_ref().map_or(0, Index::live)
    }

    fn overflows(&self) -> Overflows {
        Overflows {
            max_series: self.over_max_series.load(Ordering::Relaxed),
            max_label_bytes: self.over_max_label_bytes.load(Ordering::Relaxed),
        }
    }
}

impl<L: OpenLabelSet, M: FamilyMember> super::RemovableStorage<L, M> for DynamicSeries<L, M> {
    fn remove(&self, labels: &L) -> bool {
        let mut guard = self.index.write();
        let Some(index) = guard.as_mut() else {
            return false;
        };
        let Some(slot) = index.slots.remove(labels) else {
            return false;
        };
        index.rendered[slot] = None;
        index.free.push_back(slot);
        true
    }

    fn clear(&self) {
        let mut guard = self.index.write();
        if let Some(index) = guard.as_mut() {
            index.slots.clear();
            for (slot, labels) in index.rendered.iter_mut().enumerate() {
                if labels.take().is_some() {
                    index.free.push_back(slot);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_tile_the_index_space() {
        assert_eq!(locate(0), (0, 0));
        assert_eq!(locate(7), (0, 7));
        assert_eq!(locate(8), (1, 0));
        assert_eq!(locate(23), (1, 15));
        assert_eq!(locate(24), (2, 0));
        let mut expected = (0usize, 0usize);
        for index in 0..10_000 {
            let got = locate(index);
            if got.0 != expected.0 {
                assert_eq!(got, (expected.0 + 1, 0), "index {index}");
                expected = got;
            } else {
                assert_eq!(got, expected, "index {index}");
            }
            assert!(got.1 < FIRST_SEGMENT << got.0);
            expected.1 = got.1 + 1;
        }
        let last = locate(ARENA_CAPACITY - 1);
        assert_eq!(last, (SEGMENTS - 1, (FIRST_SEGMENT << (SEGMENTS - 1)) - 1));
    }
}
