//! Storage for dynamic label sets: a bounded map from label set to series.
//!
//! Series live in an arena of segments that double in size and are never moved or freed
//! while the family lives, so `get` can hand out `&Series` tied to the family's lifetime with
//! no `unsafe` and no reference counting. The map (behind a read-mostly lock) only maps a
//! label set to its slot in the arena. Lookups of existing series usually find them without
//! the lock, in read copies of the map (`dynamic/copies.rs`); the locked map stays the
//! source of truth.
//!
//! Each series' label text (`user="ada"`, escaped) is rendered once, when the series is
//! created, so a scrape copies it instead of escaping every value again. Rendering happens
//! before the write lock is taken, and a label set whose text is longer than the family's
//! `max_label_bytes` is never stored: its lookups go to the overflow series.
//!
//! A removed series frees its slot. Freed slots are reused oldest first, and only once the
//! arena has as many slots as `max_series`, so a slot is reused as late as the bound allows;
//! a reused slot starts from zero.
//!
//! The map hashes label sets with `foldhash`, a fast keyed hash, seeded at random per process
//! and per family, rather than the standard library's SipHash. SipHash's resistance to hash
//! flooding buys nothing here: the map never holds more than `max_series` entries, so label
//! values chosen to collide can at worst make lookups in one bounded map slower; they cannot
//! grow it, and the random seed keeps them from being chosen ahead of time.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use parking_lot::{Mutex, RwLock};

mod copies;

use self::copies::{CopyState, ReadCopies};
use super::prefixes::{EachSeries, PrefixCache, Shape};
use super::{SeriesLimits, SeriesStorage, OVERFLOW_LABEL};
use crate::encode::{render_labels, LabelWriter, MetricEncoder, Timestamp, WriteLabels};
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

/// Where a series lives in the arena: its segment and its place there. The map stores this
/// rather than the series' index, so a lookup does no segment arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct At {
    segment: u32,
    offset: u32,
}

impl At {
    fn of(index: usize) -> At {
        let (segment, offset) = locate(index);
        // Below SEGMENTS and below FIRST_SEGMENT << (SEGMENTS - 1): both fit in a u32.
        At {
            segment: segment as u32,
            offset: offset as u32,
        }
    }

    fn index(self) -> usize {
        FIRST_SEGMENT * ((1 << self.segment) - 1) + self.offset as usize
    }
}

/// The keyed hash of the label map (see the module documentation).
type LabelHasher = foldhash::fast::RandomState;

struct Index<L> {
    slots: HashMap<L, At, LabelHasher>,
    /// The rendered labels of each slot, `None` for a freed slot; scrapes write the live
    /// slots in slot order.
    rendered: Vec<Option<Box<str>>>,
    /// When each slot's series was created: its creation time in the exposition
    /// (OpenMetrics `_created`, protobuf `created_timestamp`).
    created: Vec<Timestamp>,
    /// Freed slots, oldest first.
    free: VecDeque<usize>,
    copies: CopyState,
    /// Counts changes to the set of series (creations, removals), so kept line prefixes
    /// know when they are stale.
    changes: u64,
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
///
/// Lookups of existing series usually take no lock: they read a copy of the label map,
/// published once enough lookups had to take the lock, which removal and re-creation keep
/// right. The copies are bounded: together they hold at most three times `max_series` label
/// sets (typically about twice the series the family holds), kept until the family is
/// dropped.
///
/// For counters and gauges, scrapes keep each series' line prefix (`name_total{labels} `),
/// about the text of its line, for at most two expositions at a time, and write a warm
/// scrape from them (see `family/prefixes.rs`); for classic histograms, each series'
/// `_bucket` line head and `_sum` and `_count` prefixes (about three times its label text)
/// and the family's `le` texts.
pub struct DynamicSeries<L, M: FamilyMember> {
    index: RwLock<Option<Index<L>>>,
    copies: ReadCopies<L>,
    /// Line prefixes of the live series, by arena position and slot.
    prefixes: Mutex<PrefixCache<(At, usize)>>,
    segments: [OnceLock<Box<[M::Series]>>; SEGMENTS],
    overflow: M::Series,
    over_max_series: AtomicU64,
    over_max_label_bytes: AtomicU64,
}

impl<L, M: FamilyMember> DynamicSeries<L, M> {
    /// The series at `at`, its segment allocated on first use.
    #[inline]
    fn series_at(&self, at: At) -> &M::Series {
        let segment = at.segment as usize;
        let series = self.segments[segment].get_or_init(|| {
            (0..FIRST_SEGMENT << segment)
                .map(|_| M::NEW_SERIES)
                .collect()
        });
        &series[at.offset as usize]
    }

    fn slot(&self, index: usize) -> &M::Series {
        self.series_at(At::of(index))
    }
}

struct OverflowLabels;

impl WriteLabels for OverflowLabels {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label_escaped(OVERFLOW_LABEL, "true");
    }
}

/// A label set not in the map yet, given by value (moved into the map) or by reference
/// (cloned).
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
    /// The series of existing labels: found in the newest read copy with no lock (the path
    /// nearly every lookup takes, kept small so it inlines into the caller), or else under
    /// the read lock.
    #[inline]
    fn find(&self, labels: &L, limits: SeriesLimits) -> Option<&M::Series> {
        match self.copies.find(labels) {
            Some(at) => Some(self.series_at(at)),
            None => self.find_locked(labels, limits),
        }
    }

    /// [`find`](Self::find) for labels the read copies do not have: under the read lock,
    /// then, when enough lookups have come this way, a new copy under the write lock.
    #[inline(never)]
    fn find_locked(&self, labels: &L, limits: SeriesLimits) -> Option<&M::Series> {
        let guard = self.index.read();
        let index = guard.as_ref()?;
        let at = *index.slots.get(labels)?;
        let copy_due = self.copies.note_lock_hit(&index.copies, index.slots.len());
        drop(guard);
        if copy_due {
            if let Some(index) = self.index.write().as_mut() {
                self.copies.publish(&mut index.copies, &index.slots, limits);
            }
        }
        Some(self.series_at(at))
    }

    /// The series of labels [`find`](Self::find) did not find: one created under the write
    /// lock while the family holds fewer than `max_series` and the labels fit
    /// `max_label_bytes` (unless another thread created it meanwhile), or else the overflow
    /// series.
    #[cold]
    #[inline(never)]
    fn insert(&self, key: Key<'_, L>, limits: SeriesLimits) -> &M::Series {
        // Rendered before locking, so other lookups never wait on escaping.
        let rendered = render_labels(key.get());
        if rendered.len() > limits.max_label_bytes {
            self.over_max_label_bytes.fetch_add(1, Ordering::Relaxed);
            return &self.overflow;
        }
        let mut guard = self.index.write();
        let index = guard.get_or_insert_with(|| Index {
            slots: HashMap::with_hasher(LabelHasher::default()),
            rendered: Vec::new(),
            created: Vec::new(),
            free: VecDeque::new(),
            copies: CopyState::default(),
            changes: 0,
        });
        if let Some(&at) = index.slots.get(key.get()) {
            return self.series_at(at);
        }
        let bound = limits.max_series.min(ARENA_CAPACITY);
        let created = Timestamp::now().truncated_to_millis();
        let slot = if index.rendered.len() < bound {
            index.rendered.push(None);
            index.created.push(created);
            index.rendered.len() - 1
        } else if index.live() < bound {
            match index.free.pop_front() {
                Some(slot) => {
                    M::reset(self.slot(slot));
                    index.created[slot] = created;
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
        index.changes += 1;
        self.copies.refill(key.get(), At::of(slot));
        index.slots.insert(key.into_owned(), At::of(slot));
        series
    }
}

impl<L: OpenLabelSet, M: FamilyMember> DynamicSeries<L, M> {
    /// Writes the live series of `index` from their kept line prefixes (rendered first if
    /// missing or stale), for members whose series are single samples. Returns false, having
    /// written nothing, when the series must be written one by one instead.
    ///
    /// With `own_times`, each series is written with its own creation time (kept in its
    /// prefix: only protobuf keeps prefixes of such expositions).
    fn encode_prefixed(
        &self,
        index: &Index<L>,
        config: &M::Config,
        encoder: &mut MetricEncoder<'_>,
        own_times: bool,
    ) -> bool {
        let Some(shape) = Shape::of::<M>(config) else {
            return false;
        };
        let Some(mut cache) = self.prefixes.try_lock() else {
            return false;
        };
        let live = |each: EachSeries<'_, (At, usize)>| {
            for (slot, labels) in index.rendered.iter().enumerate() {
                if let Some(labels) = labels {
                    let created = own_times.then(|| index.created[slot]);
                    each((At::of(slot), slot), &RenderedLabels(labels), created);
                }
            }
        };
        let Some(prefixes) = cache.prefixes(encoder, shape, index.changes, live) else {
            return false;
        };
        encoder.reserve(prefixes.write_len());
        // A series the kept prefixes cannot write, written the uncached way.
        let uncached = |encoder: &mut MetricEncoder<'_>, series: &M::Series, slot: usize| {
            let labels = index.rendered[slot].as_deref().unwrap_or_default();
            let family_created = encoder.creation_time();
            if own_times {
                encoder.set_creation_time(Some(index.created[slot]));
            }
            M::encode_series(series, config, &RenderedLabels(labels), encoder);
            encoder.set_creation_time(family_created);
        };
        if let Shape::Histogram(_) = shape {
            let le = prefixes.le_texts();
            for ((at, slot), pieces) in prefixes.histograms() {
                let series = self.series_at(at);
                let written = M::with_classic_histogram(series, config, |histogram| {
                    encoder.prefixed_histogram(le, pieces, histogram)
                });
                if written != Some(true) {
                    uncached(encoder, series, slot);
                }
            }
            return true;
        }
        for ((at, slot), prefix) in prefixes.iter() {
            let series = self.series_at(at);
            match M::single_sample(series, config) {
                Some(value) => encoder.prefixed_sample(prefix, value),
                None => uncached(encoder, series, slot),
            }
        }
        true
    }
}

impl<L: OpenLabelSet, M: FamilyMember> SeriesStorage<L, M> for DynamicSeries<L, M> {
    const FIXED: bool = false;

    #[allow(clippy::declare_interior_mutable_const)]
    const NEW: Self = DynamicSeries {
        index: RwLock::new(None),
        copies: ReadCopies::NEW,
        prefixes: Mutex::new(PrefixCache::new()),
        segments: [const { OnceLock::new() }; SEGMENTS],
        overflow: M::NEW_SERIES,
        over_max_series: AtomicU64::new(0),
        over_max_label_bytes: AtomicU64::new(0),
    };

    #[inline]
    fn series(&self, labels: L, limits: SeriesLimits) -> &M::Series {
        match self.find(&labels, limits) {
            Some(series) => series,
            None => self.insert(Key::Owned(labels), limits),
        }
    }

    #[inline]
    fn series_ref(&self, labels: &L, limits: SeriesLimits) -> &M::Series {
        match self.find(labels, limits) {
            Some(series) => series,
            None => self.insert(Key::Borrowed(labels), limits),
        }
    }

    fn encode(&self, config: &M::Config, encoder: &mut MetricEncoder<'_>) {
        let guard = self.index.read();
        if let Some(index) = guard.as_ref() {
            let own_times = encoder.writes_creation_times();
            if self.encode_prefixed(index, config, encoder, own_times) {
                // Written from the kept prefixes.
            } else if own_times {
                // Each series' own creation time stands in for the family's while it is
                // written.
                let family_created = encoder.creation_time();
                for ((slot, labels), &created) in
                    index.rendered.iter().enumerate().zip(&index.created)
                {
                    if let Some(labels) = labels {
                        encoder.set_creation_time(Some(created));
                        M::encode_series(self.slot(slot), config, &RenderedLabels(labels), encoder);
                    }
                }
                encoder.set_creation_time(family_created);
            } else {
                for (slot, labels) in index.rendered.iter().enumerate() {
                    if let Some(labels) = labels {
                        M::encode_series(self.slot(slot), config, &RenderedLabels(labels), encoder);
                    }
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
        let Some(at) = index.slots.remove(labels) else {
            return false;
        };
        let slot = at.index();
        self.copies.vacate(labels);
        index.rendered[slot] = None;
        index.changes += 1;
        index.free.push_back(slot);
        true
    }

    fn clear(&self) {
        let mut guard = self.index.write();
        if let Some(index) = guard.as_mut() {
            index.slots.clear();
            self.copies.vacate_all();
            index.changes += 1;
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
    use crate::counter::Counter;
    use crate::family::{RemovableStorage, DEFAULT_MAX_LABEL_BYTES};
    use crate::labels::LabelSet;

    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct User(String);

    impl WriteLabels for User {
        fn write_labels(&self, writer: &mut LabelWriter<'_>) {
            writer.label("user", &self.0);
        }
    }

    impl LabelSet for User {
        const LABEL_NAMES: &'static [&'static str] = &["user"];
        type Storage<M: FamilyMember> = DynamicSeries<User, M>;
    }

    fn user(index: usize) -> User {
        User(format!("user-{index}"))
    }

    const LIMITS: SeriesLimits = SeriesLimits {
        max_series: 1000,
        max_label_bytes: DEFAULT_MAX_LABEL_BYTES,
    };

    /// The series `labels` reach, by address, so tests can tell series apart.
    fn address(storage: &DynamicSeries<User, Counter>, labels: &User) -> *const Counter {
        storage.series_ref(labels, LIMITS)
    }

    #[test]
    fn copies_are_made_after_locked_lookups_and_agree_with_the_map() {
        #[allow(clippy::declare_interior_mutable_const)]
        let storage: DynamicSeries<User, Counter> = DynamicSeries::NEW;
        let users: Vec<User> = (0..300).map(user).collect();
        let first: Vec<_> = users.iter().map(|u| address(&storage, u)).collect();
        assert_eq!(
            storage.copies.published(),
            0,
            "creating series copies nothing"
        );
        for _ in 0..3 {
            for (u, &expected) in users.iter().zip(&first) {
                assert_eq!(address(&storage, u), expected);
            }
        }
        assert_eq!(storage.copies.published(), 1, "one copy of all 300");
        for (u, &expected) in users.iter().zip(&first) {
            assert_eq!(
                storage
                    .copies
                    .find(u)
                    .map(|at| storage.series_at(at) as *const _),
                Some(expected)
            );
        }

        // Removed labels are vacated in the copy; re-created ones are found there again.
        assert!(storage.remove(&users[7]));
        assert_eq!(storage.copies.find(&users[7]), None);
        let again = address(&storage, &users[7]);
        assert_eq!(
            storage
                .copies
                .find(&users[7])
                .map(|at| storage.series_at(at) as *const _),
            Some(again)
        );
        assert_eq!(storage.series_ref(&users[7], LIMITS).get(), 0);

        // Labels created after the copy: found under the lock until a second copy has them.
        let late: Vec<User> = (300..700).map(user).collect();
        for u in &late {
            storage.series_ref(u, LIMITS).inc();
        }
        assert_eq!(storage.copies.find(&late[0]), None);
        for _ in 0..3 {
            for u in &late {
                assert_eq!(storage.series_ref(u, LIMITS).get(), 1);
            }
        }
        assert_eq!(storage.copies.published(), 2, "the map more than doubled");
        assert!(storage.copies.find(&late[399]).is_some());

        storage.clear();
        for u in users.iter().chain(&late) {
            assert_eq!(storage.copies.find(u), None);
        }
        assert_eq!(storage.series_count(), 0);
        assert_eq!(storage.series_ref(&late[3], LIMITS).get(), 0);
    }

    #[test]
    fn copies_stop_at_their_budget() {
        #[allow(clippy::declare_interior_mutable_const)]
        let storage: DynamicSeries<User, Counter> = DynamicSeries::NEW;
        let limits = SeriesLimits {
            max_series: 40,
            ..LIMITS
        };
        // Replace all 40 series again and again: each round asks for a same-size copy.
        for round in 0..20 {
            let users: Vec<User> = (round * 40..round * 40 + 40).map(user).collect();
            for _ in 0..10 {
                for u in &users {
                    storage.series_ref(u, limits).inc();
                }
            }
            for u in &users {
                assert_eq!(storage.series_ref(u, limits).get(), 10, "round {round}");
                assert!(storage.remove(u));
            }
        }
        let published = storage.copies.published();
        assert!(published >= 2, "{published} copies");
        assert!(
            published <= copies::COPY_BUDGET,
            "{published} copies of 40 entries within a budget of {} x 40",
            copies::COPY_BUDGET
        );
    }

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
        for index in (0..100_000).chain([ARENA_CAPACITY - 1]) {
            assert_eq!(At::of(index).index(), index);
        }
        let last = locate(ARENA_CAPACITY - 1);
        assert_eq!(last, (SEGMENTS - 1, (FIRST_SEGMENT << (SEGMENTS - 1)) - 1));
    }
}
