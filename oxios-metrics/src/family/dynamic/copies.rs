//! Read copies of a dynamic family's label map: lookups of existing series with no lock.
//!
//! Even uncontended, a read lock is two atomic read-modify-writes on one cache line shared
//! by every thread that looks up the family; with several threads that line moves between
//! cores on every lookup. A copy is a map published once (in a `OnceLock`) and never changed
//! after, except for each entry's position, an atomic: a lookup that finds its labels there
//! does only loads, of lines no lookup writes.
//!
//! The family's locked map stays the source of truth. A copy is made of it, under the write
//! lock, once enough lookups have had to take the lock to find their labels (see
//! [`copy_due`]), so its cost is repaid by the lookups it speeds up. Removing a series vacates
//! its entry in every copy (its lookups then take the lock); creating a series whose labels
//! have an entry in the newest copy fills that entry in again.
//!
//! Copies are never freed while the family lives (a lookup may be reading any of them), so
//! they are bounded: at most [`GENERATIONS`] of them, holding at most [`COPY_BUDGET`] ×
//! `max_series` label sets together (typically about twice the family's series, as each
//! copy is about twice the previous one). Once either bound is reached no copy is made again,
//! and label sets first seen after that are found under the lock, as before copies existed.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::{At, LabelHasher, ARENA_CAPACITY};
use crate::family::SeriesLimits;

/// The most copies a family publishes.
pub(super) const GENERATIONS: usize = 24;

/// The most label sets all copies hold together, as a multiple of `max_series`.
pub(super) const COPY_BUDGET: usize = 3;

/// Lookups under the lock before the first copy, so a family looked up a few times only
/// never copies.
const FIRST_COPY_AFTER: usize = 16;

/// An entry whose series was removed.
const VACANT: u64 = u64::MAX;

fn pack(at: At) -> u64 {
    (u64::from(at.segment) << 32) | u64::from(at.offset)
}

fn unpack(packed: u64) -> At {
    At {
        segment: (packed >> 32) as u32,
        offset: packed as u32,
    }
}

/// Whether a copy should be made: after `hits` lookups that took the lock since the last
/// copy, with `len` series now and `copied` in the newest copy. A copy of `len` entries is
/// made once the map has doubled since the last one, or once the lock has been taken four
/// times per entry of the last one (labels looked up often that came after it), so the copy
/// costs at most about one entry per lookup it replaces.
fn copy_due(hits: usize, len: usize, copied: usize) -> bool {
    hits >= FIRST_COPY_AFTER
        && len > 0
        && (len >= copied.saturating_mul(2) || hits >= copied.saturating_mul(4) + 64)
}

/// One copy of the label map.
struct Copy<L> {
    positions: HashMap<L, AtomicU64, LabelHasher>,
}

/// What the copies need to know, kept under the family's lock.
#[derive(Debug, Default)]
pub(super) struct CopyState {
    /// Entries of the newest copy.
    newest_len: usize,
    /// Entries of all copies.
    total: usize,
    /// No copy will be made again: a bound was reached.
    exhausted: bool,
}

/// The copies of one family.
pub(super) struct ReadCopies<L> {
    copies: [OnceLock<Box<Copy<L>>>; GENERATIONS],
    /// How many copies are published; the newest is `copies[published - 1]`.
    published: AtomicUsize,
    /// Lookups since the last copy that found their labels only under the lock.
    lock_hits: AtomicUsize,
}

impl<L: Clone + Eq + Hash> ReadCopies<L> {
    #[allow(clippy::declare_interior_mutable_const)]
    pub(super) const NEW: Self = ReadCopies {
        copies: [const { OnceLock::new() }; GENERATIONS],
        published: AtomicUsize::new(0),
        lock_hits: AtomicUsize::new(0),
    };

    fn newest(&self) -> Option<&Copy<L>> {
        let published = self.published.load(Ordering::Acquire);
        self.copies
            .get(published.wrapping_sub(1))?
            .get()
            .map(|copy| &**copy)
    }

    /// The position of `labels` in the newest copy, if it is there and not vacant.
    #[inline]
    pub(super) fn find(&self, labels: &L) -> Option<At> {
        let packed = self
            .newest()?
            .positions
            .get(labels)?
            .load(Ordering::Acquire);
        (packed != VACANT).then(|| unpack(packed))
    }

    /// Counts a lookup that found its labels only under the lock; whether a copy is due now
    /// ([`publish`](Self::publish) checks again under the write lock).
    pub(super) fn note_lock_hit(&self, state: &CopyState, len: usize) -> bool {
        if state.exhausted {
            return false;
        }
        let hits = self.lock_hits.fetch_add(1, Ordering::Relaxed) + 1;
        copy_due(hits, len, state.newest_len)
    }

    /// Publishes a copy of `slots` if one is still due and the bounds allow it. Called with
    /// the family's write lock held (`state` and `slots` come from under it).
    pub(super) fn publish(
        &self,
        state: &mut CopyState,
        slots: &HashMap<L, At, LabelHasher>,
        limits: SeriesLimits,
    ) {
        let len = slots.len();
        if state.exhausted
            || !copy_due(
                self.lock_hits.load(Ordering::Relaxed),
                len,
                state.newest_len,
            )
        {
            return;
        }
        let budget = COPY_BUDGET.saturating_mul(limits.max_series.min(ARENA_CAPACITY));
        let published = self.published.load(Ordering::Relaxed);
        let Some(cell) = self.copies.get(published) else {
            state.exhausted = true;
            return;
        };
        if state.total.saturating_add(len) > budget {
            state.exhausted = true;
            return;
        }
        let mut positions = HashMap::with_capacity_and_hasher(len, LabelHasher::default());
        positions.extend(
            slots
                .iter()
                .map(|(labels, &at)| (labels.clone(), AtomicU64::new(pack(at)))),
        );
        // Only the write-lock holder sets cells, in order, so this one is empty.
        if cell.set(Box::new(Copy { positions })).is_err() {
            state.exhausted = true;
            return;
        }
        state.newest_len = len;
        state.total += len;
        self.lock_hits.store(0, Ordering::Relaxed);
        self.published.store(published + 1, Ordering::Release);
    }

    /// `labels` got a series at `at` (under the write lock): the newest copy's entry for
    /// them, if it has one, points there again.
    pub(super) fn refill(&self, labels: &L, at: At) {
        if let Some(position) = self.newest().and_then(|copy| copy.positions.get(labels)) {
            position.store(pack(at), Ordering::Release);
        }
    }

    /// The series of `labels` was removed (under the write lock): no copy finds it.
    pub(super) fn vacate(&self, labels: &L) {
        for copy in self.copies.iter().map_while(OnceLock::get) {
            if let Some(position) = copy.positions.get(labels) {
                position.store(VACANT, Ordering::Release);
            }
        }
    }

    /// Every series was removed (under the write lock): no copy finds any.
    pub(super) fn vacate_all(&self) {
        for copy in self.copies.iter().map_while(OnceLock::get) {
            for position in copy.positions.values() {
                position.store(VACANT, Ordering::Release);
            }
        }
    }

    /// How many copies are published (for tests).
    #[cfg(test)]
    pub(super) fn published(&self) -> usize {
        self.published.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_pack_and_unpack() {
        for at in [
            At {
                segment: 0,
                offset: 0,
            },
            At {
                segment: 23,
                offset: (8 << 23) - 1,
            },
            At {
                segment: 5,
                offset: 17,
            },
        ] {
            assert_ne!(pack(at), VACANT);
            assert_eq!(unpack(pack(at)), at);
        }
    }

    #[test]
    fn copies_come_after_enough_locked_lookups_and_double() {
        assert!(!copy_due(FIRST_COPY_AFTER - 1, 1000, 0));
        assert!(copy_due(FIRST_COPY_AFTER, 1000, 0));
        assert!(
            !copy_due(1000, 1000, 1000),
            "too few lookups for a same-size copy"
        );
        assert!(
            copy_due(4064, 1000, 1000),
            "labels replaced since the last copy"
        );
        assert!(!copy_due(100, 0, 0), "nothing to copy");
        assert!(copy_due(16, 2000, 1000), "doubled");
        assert!(!copy_due(4000, 1999, 1000));
        assert!(copy_due(4064, 1999, 1000), "four lookups per copied entry");
    }
}
