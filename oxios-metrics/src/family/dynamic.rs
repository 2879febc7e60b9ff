//! Storage for dynamic label sets: a bounded map from label set to series.
//!
//! Series live in an arena of segments that double in size and are never moved or freed
//! while the family lives, so `get` can hand out `&Series` tied to the family's lifetime with
//! no `unsafe` and no reference counting. The map (behind a read-mostly lock) only maps a
//! label set to its index in the arena.
//!
//! Each series' label text (`user="ada"`, escaped) is rendered once, when the series is
//! created, so a scrape copies it instead of escaping every value again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use parking_lot::RwLock;

use super::{SeriesStorage, OVERFLOW_LABEL};
use crate::encode::{render_labels, LabelWriter, MetricEncoder, WriteLabels};
use crate::labels::OpenLabelSet;
use crate::metric::FamilyMember;

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
    positions: HashMap<L, usize>,
    /// The rendered labels of each series, in creation order (the order they are written in).
    rendered: Vec<Box<str>>,
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
    overflowed: AtomicU64,
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
    /// the family holds fewer than `max_series`, or else the overflow series.
    fn find_or_insert(&self, key: Key<'_, L>, max_series: usize) -> &M::Series {
        if let Some(index) = self.index.read().as_ref() {
            if let Some(&position) = index.positions.get(key.get()) {
                return self.slot(position);
            }
        }
        let mut guard = self.index.write();
        let index = guard.get_or_insert_with(|| Index {
            positions: HashMap::new(),
            rendered: Vec::new(),
        });
        if let Some(&position) = index.positions.get(key.get()) {
            return self.slot(position);
        }
        if index.rendered.len() >= max_series.min(ARENA_CAPACITY) {
            self.overflowed.fetch_add(1, Ordering::Relaxed);
            return &self.overflow;
        }
        let position = index.rendered.len();
        // Allocate the slot before publishing the position, so readers never see an index
        // whose segment is missing.
        let series = self.slot(position);
        index
            .rendered
            .push(render_labels(key.get()).into_boxed_str());
        index.positions.insert(key.into_owned(), position);
        series
    }
}

impl<L: OpenLabelSet, M: FamilyMember> SeriesStorage<L, M> for DynamicSeries<L, M> {
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW: Self = DynamicSeries {
        index: RwLock::new(None),
        segments: [const { OnceLock::new() }; SEGMENTS],
        overflow: M::NEW_SERIES,
        overflowed: AtomicU64::new(0),
    };

    fn series(&self, labels: L, max_series: usize) -> &M::Series {
        self.find_or_insert(Key::Owned(labels), max_series)
    }

    fn series_ref(&self, labels: &L, max_series: usize) -> &M::Series {
        self.find_or_insert(Key::Borrowed(labels), max_series)
    }

    fn encode(&self, config: &M::Config, encoder: &mut MetricEncoder<'_>) {
        let guard = self.index.read();
        if let Some(index) = guard.as_ref() {
            for (position, labels) in index.rendered.iter().enumerate() {
                M::encode_series(
                    self.slot(position),
                    config,
                    &RenderedLabels(labels),
                    encoder,
                );
            }
        }
        drop(guard);
        if self.overflowed.load(Ordering::Relaxed) > 0 {
            M::encode_series(&self.overflow, config, &OverflowLabels, encoder);
        }
    }

    fn series_count(&self) -> usize {
        self.index
            .read()
            .as_ref()
            .map_or(0, |index| index.rendered.len())
    }

    fn overflowed_lookups(&self) -> u64 {
        self.overflowed.load(Ordering::Relaxed)
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
