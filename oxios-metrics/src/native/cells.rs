//! The counters of one native histogram series and the protocol that keeps them exact.
//!
//! **Epochs.** Observations go to the *live bank*, one of two identical banks of counters.
//! One atomic word, `state`, holds the live epoch (a number that grows at every switch, whose
//! parity names the bank) and the schema of that epoch. Every bucket slot and bucket range of
//! a bank carries the epoch it was prepared for in its top 24 bits, its count or range below.
//! An observer reads `state` (a plain load), adds its value to the bank's sum (and classic
//! bucket, or zero/NaN count), and counts its bucket with one compare-and-swap that succeeds
//! only if the slot still carries the observer's epoch. So `observe` is two atomic
//! read-modify-writes, as a classic histogram's is, and never waits for anything.
//!
//! **Switching** (at every scrape, and when an epoch's buckets outgrow the ring) is done by one
//! thread at a time, holding `maintenance`. It prepares the other bank for the next epoch
//! (every slot and range tagged with it, counts 0), publishes the new `state`, then empties
//! the old bank into the *archive*: each slot is swapped to 0 and its count, if tagged with
//! the old epoch, added to the archive. An observer that read the old `state` and reaches a
//! slot after it was emptied finds the tag gone, its compare-and-swap fails, and it counts
//! the bucket in the new epoch instead; one that got there first was counted in the archive.
//! Either way each observation is counted once, in the bucket of the schema it was computed
//! at: a slot's count is never read under another epoch's meaning.
//!
//! **The archive** holds the cumulative buckets (at the lowest schema so far), the zero and
//! NaN counts, the sum and the classic buckets. Only the switching thread touches it, so
//! lowering its schema (merging bucket pairs) when it would span more than the bucket limit
//! needs no coordination; the next epoch is prepared at its schema. A snapshot is the archive
//! right after a switch: every observation whose bucket was counted before the switch is in
//! it exactly once, so `count == zero + buckets + NaN` always holds. The sum, zero, NaN and
//! classic counts are plain atomic adds to the bank an observer read; one racing the switch
//! may land after that bank was emptied and is then archived at its next switch, so a scrape
//! may show an observation's bucket one scrape before its share of the sum (or after), never
//! losing or doubling either: the same skew a classic histogram's `_sum` has.
//!
//! **Buckets of one sign** in a bank live in a ring of [`NATIVE_MAX_BUCKETS`] slots indexed
//! by `index mod 160`, with the epoch's populated index range `[min, min + len)` in one atomic
//! word, widened by compare-and-swap. As a range never spans more than the ring, each index
//! has a slot of its own. An observation that would widen it past 160 (or a count reaching
//! 2^40 in one epoch) makes the observer switch epochs; if another thread is switching at that
//! moment, the observer retries once that switch is done (the only case in which it waits,
//! for at most one switch of this series).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use parking_lot::Mutex;

use super::config::{NativeConfig, NATIVE_MAX_BUCKETS};
use super::index::{bucket_index, reduce_index, MIN_SCHEMA};
use super::snapshot::{NativeBuckets, NativeSnapshot};
use crate::counter::add_f64;
use crate::histogram::MAX_BUCKETS;

pub(crate) const RING: usize = NATIVE_MAX_BUCKETS as usize;

const TAG_SHIFT: u32 = 40;
const TAG_MASK: u64 = !((1 << TAG_SHIFT) - 1);
const COUNT_MASK: u64 = (1 << TAG_SHIFT) - 1;
const EPOCH_MASK: u32 = (1 << 24) - 1;
const LEN_SHIFT: u32 = 32;
const LEN_MASK: u64 = 0xff;
const STATE_REDUCED_SHIFT: u32 = 32;

/// The tag of `epoch` as slots and ranges carry it (epoch numbers skip a zero tag, which
/// marks an emptied slot).
#[inline(always)]
fn tag_of(epoch: u32) -> u64 {
    u64::from(epoch & EPOCH_MASK) << TAG_SHIFT
}

fn next_epoch(epoch: u32) -> u32 {
    let next = epoch.wrapping_add(1);
    if next & EPOCH_MASK == 0 {
        next.wrapping_add(1)
    } else {
        next
    }
}

/// A range word: tag, `len` (bits 32..40) and `min` (bits 0..32).
#[inline(always)]
fn range_word(tag: u64, min: i32, len: u32) -> u64 {
    tag | (u64::from(len) << LEN_SHIFT) | u64::from(min as u32)
}

#[inline(always)]
fn range_of(word: u64) -> (i32, u32) {
    (word as u32 as i32, ((word >> LEN_SHIFT) & LEN_MASK) as u32)
}

/// `index mod 160` for every index a bucket can have (|index| <= 274,945): shifted by a
/// multiple of 160 to be positive, an unsigned remainder by a constant is a multiply and a
/// shift, cheaper than the signed `rem_euclid`.
#[inline(always)]
fn slot_position(index: i32) -> usize {
    const SHIFT: i32 = RING as i32 * 2048;
    (index.wrapping_add(SHIFT) as u32 % RING as u32) as usize
}

/// The buckets of one sign in one bank.
#[derive(Debug)]
struct Side {
    range: AtomicU64,
    slots: [AtomicU64; RING],
}

impl Side {
    /// A side whose range and slots carry the tag `TAG` (0: none).
    const fn tagged<const TAG: u64>() -> Self {
        Side {
            range: AtomicU64::new(TAG),
            slots: [const { AtomicU64::new(TAG) }; RING],
        }
    }

    /// Counts `index` if the range holds it and its slot carries `tag`. `false` sends the
    /// observer to the slow path (range to widen, epoch over, or a full count).
    #[inline(always)]
    fn try_count(&self, tag: u64, index: i32) -> bool {
        let range = self.range.load(Ordering::Acquire);
        let (min, len) = range_of(range);
        // One unsigned comparison: an index below `min` wraps to a huge offset.
        if range & TAG_MASK != tag || index.wrapping_sub(min) as u32 >= len {
            return false;
        }
        let slot = &self.slots[slot_position(index)];
        let mut word = slot.load(Ordering::Relaxed);
        loop {
            if word & TAG_MASK != tag || word & COUNT_MASK == COUNT_MASK {
                return false;
            }
            match slot.compare_exchange_weak(word, word + 1, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(actual) => word = actual,
            }
        }
    }

    /// Widens the range of epoch `tag` to hold `index`, up to the ring. `false` when the
    /// epoch is over or the ring would be exceeded.
    fn widen(&self, tag: u64, index: i32) -> bool {
        let mut range = self.range.load(Ordering::Acquire);
        loop {
            if range & TAG_MASK != tag {
                return false;
            }
            let (min, len) = range_of(range);
            let (low, high) = if len == 0 {
                (index, index)
            } else {
                (min.min(index), (min + len as i32 - 1).max(index))
            };
            let span = (high - low + 1) as u32;
            if span > RING as u32 {
                return false;
            }
            if span == len {
                return true;
            }
            match self.range.compare_exchange_weak(
                range,
                range_word(tag, low, span),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return true,
                Err(actual) => range = actual,
            }
        }
    }

    /// Tags every slot and the (empty) range with `tag` (the bank is not live).
    fn prepare(&self, tag: u64) {
        for slot in &self.slots {
            slot.store(tag, Ordering::Relaxed);
        }
        self.range.store(tag, Ordering::Relaxed);
    }

    /// Empties the epoch tagged `tag`, calling `take(index, count)` for each counted bucket.
    fn empty(&self, tag: u64, mut take: impl FnMut(i32, u64)) {
        let range = self.range.swap(0, Ordering::AcqRel);
        let (min, len) = if range & TAG_MASK == tag {
            range_of(range)
        } else {
            (0, 0)
        };
        for index in min..min + len as i32 {
            let word = self.slots[slot_position(index)].swap(0, Ordering::AcqRel);
            if word & TAG_MASK == tag && word & COUNT_MASK > 0 {
                take(index, word & COUNT_MASK);
            }
        }
        // Slots outside the range were never counted in this epoch; untagging them makes
        // any observer still holding the epoch fail there too.
        for slot in &self.slots {
            slot.store(0, Ordering::Relaxed);
        }
    }
}

/// One copy of the counters observers write.
#[derive(Debug)]
struct Bank {
    positive: Side,
    negative: Side,
    zero: AtomicU64,
    nan: AtomicU64,
    sum_bits: AtomicU64,
    classic: [AtomicU64; MAX_BUCKETS + 1],
}

impl Bank {
    const fn tagged<const TAG: u64>() -> Self {
        Bank {
            positive: Side::tagged::<TAG>(),
            negative: Side::tagged::<TAG>(),
            zero: AtomicU64::new(0),
            nan: AtomicU64::new(0),
            sum_bits: AtomicU64::new(0),
            classic: [const { AtomicU64::new(0) }; MAX_BUCKETS + 1],
        }
    }
}

/// The cumulative buckets of one sign, written only by the thread holding `maintenance`.
#[derive(Debug)]
struct ArchiveSide {
    /// `(min, len)` packed as in a range word (no tag).
    range: AtomicU64,
    counts: [AtomicU64; RING],
}

impl ArchiveSide {
    const fn new() -> Self {
        ArchiveSide {
            range: AtomicU64::new(0),
            counts: [const { AtomicU64::new(0) }; RING],
        }
    }

    fn range(&self) -> (i32, u32) {
        range_of(self.range.load(Ordering::Relaxed))
    }

    fn span_with(&self, index: i32) -> u32 {
        let (min, len) = self.range();
        if len == 0 {
            return 1;
        }
        let low = min.min(index);
        let high = (min + len as i32 - 1).max(index);
        (high - low + 1) as u32
    }

    /// Adds `count` to bucket `index` (the caller made sure the span fits the ring).
    fn add(&self, index: i32, count: u64) {
        let (min, len) = self.range();
        let (low, span) = if len == 0 {
            (index, 1)
        } else {
            (min.min(index), self.span_with(index))
        };
        self.range
            .store(range_word(0, low, span), Ordering::Relaxed);
        self.counts[slot_position(index)].fetch_add(count, Ordering::Relaxed);
    }

    /// Merges bucket pairs: the buckets at one schema lower.
    fn reduce(&self) {
        let (min, len) = self.range();
        if len == 0 {
            return;
        }
        let mut merged = [0u64; RING];
        for index in min..min + len as i32 {
            let count = self.counts[slot_position(index)].swap(0, Ordering::Relaxed);
            merged[(reduce_index(index, 1) - reduce_index(min, 1)) as usize] += count;
        }
        let low = reduce_index(min, 1);
        let high = reduce_index(min + len as i32 - 1, 1);
        for index in low..=high {
            self.counts[slot_position(index)]
                .store(merged[(index - low) as usize], Ordering::Relaxed);
        }
        self.range.store(
            range_word(0, low, (high - low + 1) as u32),
            Ordering::Relaxed,
        );
    }

    fn read(&self) -> NativeBuckets {
        let (min, len) = self.range();
        let mut buckets = NativeBuckets::empty();
        buckets.first = min;
        buckets.len = len as u16;
        for offset in 0..len as usize {
            buckets.counts[offset] =
                self.counts[slot_position(min + offset as i32)].load(Ordering::Relaxed);
        }
        buckets
    }
}

/// Everything observed up to the last switch.
#[derive(Debug)]
struct Archive {
    /// Schemas below the configured one.
    reduced: AtomicU64,
    positive: ArchiveSide,
    negative: ArchiveSide,
    zero: AtomicU64,
    nan: AtomicU64,
    sum_bits: AtomicU64,
    classic: [AtomicU64; MAX_BUCKETS + 1],
}

impl Archive {
    fn reduced(&self) -> u32 {
        self.reduced.load(Ordering::Relaxed) as u32
    }

    /// Adds bucket `index` of a schema `steps` finer than the archive's, lowering the
    /// archive's schema first if the bucket would not fit the ring.
    fn add(
        &self,
        index: i32,
        count: u64,
        bank_reduced: u32,
        negative: bool,
        config: &NativeConfig,
    ) {
        loop {
            let steps = self.reduced() - bank_reduced;
            let target = reduce_index(index, steps);
            let side = if negative {
                &self.negative
            } else {
                &self.positive
            };
            // At schema -4 every bucket index lies in -67..=65, so the ring always fits there
            // and the loop ends.
            if side.span_with(target) <= RING as u32 || !self.reduce(config) {
                side.add(target, count);
                return;
            }
        }
    }

    /// Lowers the schema by one; `false` at the coarsest schema, where nothing changes.
    fn reduce(&self, config: &NativeConfig) -> bool {
        if config.schema() - self.reduced() as i8 <= MIN_SCHEMA {
            return false;
        }
        self.positive.reduce();
        self.negative.reduce();
        self.reduced.fetch_add(1, Ordering::Relaxed);
        true
    }

    /// Lowers the schema until each sign spans at most the configured bucket limit.
    fn enforce_limit(&self, config: &NativeConfig) {
        while self.positive.range().1 as usize > config.max_buckets()
            || self.negative.range().1 as usize > config.max_buckets()
        {
            if !self.reduce(config) {
                break;
            }
        }
    }
}

/// The counters of one native histogram series (see the module documentation).
#[derive(Debug)]
pub struct NativeCells {
    /// The live epoch (low 32 bits) and its schema's distance below the configured one.
    state: AtomicU64,
    banks: [Bank; 2],
    archive: Archive,
    /// A negative value was observed: `_sum` is no longer a counter (OpenMetrics).
    negative_seen: AtomicBool,
    maintenance: Mutex<()>,
}

impl Default for NativeCells {
    fn default() -> Self {
        Self::new()
    }
}

/// The classic bucket `value` counts in: the number of bounds below it (NaN: `+Inf`).
#[inline]
fn classic_index(bounds: &[f64], value: f64) -> usize {
    if value.is_nan() {
        return bounds.len();
    }
    bounds
        .iter()
        .fold(0, |below, &bound| below + usize::from(bound < value))
}

impl NativeCells {
    /// Zeroed counters: epoch 1 is live in bank 1.
    pub const fn new() -> Self {
        NativeCells {
            state: AtomicU64::new(1),
            banks: [Bank::tagged::<0>(), Bank::tagged::<{ 1 << TAG_SHIFT }>()],
            archive: Archive {
                reduced: AtomicU64::new(0),
                positive: ArchiveSide::new(),
                negative: ArchiveSide::new(),
                zero: AtomicU64::new(0),
                nan: AtomicU64::new(0),
                sum_bits: AtomicU64::new(0),
                classic: [const { AtomicU64::new(0) }; MAX_BUCKETS + 1],
            },
            negative_seen: AtomicBool::new(false),
            maintenance: Mutex::new(()),
        }
    }

    #[inline]
    pub(crate) fn observe(&self, config: &NativeConfig, value: f64) {
        let state = self.state.load(Ordering::Acquire);
        let bank = &self.banks[(state & 1) as usize];
        if let Some(buckets) = config.classic_buckets() {
            bank.classic[classic_index(buckets.bounds(), value)].fetch_add(1, Ordering::Relaxed);
        }
        if value.is_nan() {
            bank.nan.fetch_add(1, Ordering::Relaxed);
            return;
        }
        add_f64(&bank.sum_bits, value);
        if value < 0.0 {
            self.negative_seen.store(true, Ordering::Relaxed);
        }
        let magnitude = value.abs();
        if magnitude <= config.zero_threshold() {
            bank.zero.fetch_add(1, Ordering::Relaxed);
        } else {
            let schema = config.schema() - (state >> STATE_REDUCED_SHIFT) as i8;
            let index = bucket_index(magnitude, schema);
            let side = if value > 0.0 {
                &bank.positive
            } else {
                &bank.negative
            };
            if !side.try_count(tag_of(state as u32), index) {
                self.count_bucket_again(config, value, state);
            }
        }
    }

    /// The rare paths, out of line so the common one stays small: the range must widen, the
    /// epoch ended under the observer, or a new epoch must start.
    #[cold]
    #[inline(never)]
    fn count_bucket_again(&self, config: &NativeConfig, value: f64, mut state: u64) {
        let magnitude = value.abs();
        let mut attempts = 0u32;
        loop {
            let current = self.state.load(Ordering::Acquire);
            if current == state {
                let bank = &self.banks[(state & 1) as usize];
                let schema = config.schema() - (state >> STATE_REDUCED_SHIFT) as i8;
                let index = bucket_index(magnitude, schema);
                let side = if value > 0.0 {
                    &bank.positive
                } else {
                    &bank.negative
                };
                let tag = tag_of(state as u32);
                if side.widen(tag, index) && side.try_count(tag, index) {
                    return;
                }
                // The ring is full (or a count is): start a new epoch, unless another thread
                // is doing so right now.
                if let Some(_maintenance) = self.maintenance.try_lock() {
                    if self.state.load(Ordering::Acquire) == state {
                        self.switch(config);
                    }
                } else {
                    attempts += 1;
                    if attempts < 64 {
                        std::hint::spin_loop();
                    } else {
                        std::thread::yield_now();
                    }
                }
            }
            state = self.state.load(Ordering::Acquire);
            let bank = &self.banks[(state & 1) as usize];
            let schema = config.schema() - (state >> STATE_REDUCED_SHIFT) as i8;
            let index = bucket_index(magnitude, schema);
            let side = if value > 0.0 {
                &bank.positive
            } else {
                &bank.negative
            };
            if side.try_count(tag_of(state as u32), index) {
                return;
            }
        }
    }

    /// Starts the next epoch and archives the last one (the caller holds `maintenance`).
    fn switch(&self, config: &NativeConfig) {
        let state = self.state.load(Ordering::Relaxed);
        let epoch = state as u32;
        let bank_reduced = (state >> STATE_REDUCED_SHIFT) as u32;
        let next = next_epoch(epoch);
        let (old, new) = (
            &self.banks[(epoch & 1) as usize],
            &self.banks[(next & 1) as usize],
        );
        new.positive.prepare(tag_of(next));
        new.negative.prepare(tag_of(next));
        self.state.store(
            u64::from(next) | (u64::from(self.archive.reduced()) << STATE_REDUCED_SHIFT),
            Ordering::Release,
        );
        let archive = &self.archive;
        let tag = tag_of(epoch);
        old.positive.empty(tag, |index, count| {
            archive.add(index, count, bank_reduced, false, config)
        });
        old.negative.empty(tag, |index, count| {
            archive.add(index, count, bank_reduced, true, config)
        });
        for (from, to) in [(&old.zero, &archive.zero), (&old.nan, &archive.nan)] {
            to.fetch_add(from.swap(0, Ordering::AcqRel), Ordering::Relaxed);
        }
        add_f64(
            &archive.sum_bits,
            f64::from_bits(old.sum_bits.swap(0, Ordering::AcqRel)),
        );
        for (from, to) in old.classic.iter().zip(&archive.classic) {
            let count = from.swap(0, Ordering::AcqRel);
            if count > 0 {
                to.fetch_add(count, Ordering::Relaxed);
            }
        }
        archive.enforce_limit(config);
        // The live epoch counts at the archive's schema from the next switch on; if the
        // archive was lowered now, the live epoch is still finer, which the archive merges.
    }

    /// Every observation counted up to now.
    pub(crate) fn snapshot(&self, config: &NativeConfig) -> NativeSnapshot {
        let _maintenance = self.maintenance.lock();
        self.switch(config);
        let archive = &self.archive;
        let positive = archive.positive.read();
        let negative = archive.negative.read();
        let zero_count = archive.zero.load(Ordering::Relaxed);
        let mut classic_counts = [0u64; MAX_BUCKETS + 1];
        for (slot, cell) in classic_counts.iter_mut().zip(&archive.classic) {
            *slot = cell.load(Ordering::Relaxed);
        }
        let mut classic_bounds = [0.0; MAX_BUCKETS];
        let classic_len = config.classic_buckets().map(|buckets| {
            let bounds = buckets.bounds();
            classic_bounds[..bounds.len()].copy_from_slice(bounds);
            bounds.len()
        });
        NativeSnapshot {
            schema: config.schema() - archive.reduced() as i8,
            zero_threshold: config.zero_threshold(),
            zero_count,
            count: zero_count
                .wrapping_add(positive.total())
                .wrapping_add(negative.total()),
            nan_count: archive.nan.load(Ordering::Relaxed),
            sum: f64::from_bits(archive.sum_bits.load(Ordering::Relaxed)),
            negative_seen: self.negative_seen.load(Ordering::Relaxed),
            positive,
            negative,
            classic_bounds,
            classic_len,
            classic_counts,
        }
    }

    /// Back to zero (a dynamic family reusing the slot of a removed series).
    pub(crate) fn reset(&self) {
        let _maintenance = self.maintenance.lock();
        let state = self.state.load(Ordering::Relaxed);
        let next = next_epoch(state as u32);
        let live = &self.banks[(next & 1) as usize];
        live.positive.prepare(tag_of(next));
        live.negative.prepare(tag_of(next));
        self.state.store(u64::from(next), Ordering::Release);
        let old = &self.banks[(state as u32 & 1) as usize];
        old.positive.empty(tag_of(state as u32), |_, _| {});
        old.negative.empty(tag_of(state as u32), |_, _| {});
        for bank in &self.banks {
            for cell in [&bank.zero, &bank.nan, &bank.sum_bits]
                .into_iter()
                .chain(&bank.classic)
            {
                cell.store(0, Ordering::Relaxed);
            }
        }
        let archive = &self.archive;
        for side in [&archive.positive, &archive.negative] {
            side.range.store(0, Ordering::Relaxed);
            for count in &side.counts {
                count.store(0, Ordering::Relaxed);
            }
        }
        for cell in [
            &archive.reduced,
            &archive.zero,
            &archive.nan,
            &archive.sum_bits,
        ]
        .into_iter()
        .chain(&archive.classic)
        {
            cell.store(0, Ordering::Relaxed);
        }
        self.negative_seen.store(false, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_positions_are_index_mod_ring_over_the_whole_range() {
        for index in [-274_944, -274_943, -161, -160, -1, 0, 1, 159, 160, 262_145] {
            assert_eq!(slot_position(index), index.rem_euclid(RING as i32) as usize);
        }
    }

    #[test]
    fn epochs_skip_the_untagged_value() {
        assert_eq!(next_epoch(1), 2);
        assert_eq!(next_epoch(EPOCH_MASK) & EPOCH_MASK, 1);
        assert_ne!(tag_of(next_epoch(EPOCH_MASK)), 0);
    }
}
