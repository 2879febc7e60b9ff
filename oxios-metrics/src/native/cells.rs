//! The counters of one native histogram series and the protocol that keeps them consistent.
//!
//! **Two banks.** Counts live in two identical banks; observers write the *hot* one. The
//! top bit of `state` says which bank is hot, its other 63 bits count observations started.
//! An observer adds 1 to `state` (learning the hot bank in the same instruction), writes the
//! sum and classic bucket, and last increments exactly one *completion cell* of that bank:
//! the bucket, the zero bucket, the NaN count, or `aborted` when it gives up to retry. So a
//! bank's cells add up to the observations that finished in it.
//!
//! **Switching banks** (a scrape, or a schema reduction) is done by one thread at a time,
//! holding `maintenance`. It freezes the hot bank's bucket ranges (observers may still write
//! inside them, but not widen them), prepares the other bank (empty, with the frozen ranges
//! reserved at the new schema), and flips the hot bit with one atomic add that also reads how
//! many observations had started. It then waits until the old bank's cells add up to that
//! number: those are the observers that learned the old bank before the flip, each a few
//! instructions from done, none of them waiting for anything. The old bank is then a
//! consistent picture (count = zero + buckets + NaN, the sum and classic buckets of exactly
//! those observations); it is read, added into the new hot bank (mapped to its schema) and
//! zeroed. A scrape therefore never blocks observers, and observers never take a lock.
//!
//! **Buckets of one sign** live in a ring of [`NATIVE_MAX_BUCKETS`] counters indexed by
//! `index mod 160`, with the populated index range `[min, min + len)` packed in one atomic
//! word. Widening the range is a compare-and-swap; as the range never spans more than the
//! ring, every index in it has a slot of its own, and slots outside it are zero. An
//! observation that would widen the range past the bucket limit aborts, lowers the schema
//! (switching banks as above, with the new bank one or more schemas coarser) and retries.
//!
//! The two rare cases in which an observer retries instead of finishing at once: it needs a
//! bucket outside the frozen range in the moment between the freeze and the flip (a few
//! dozen instructions of the switching thread), or it needs a schema reduction while another
//! thread holds `maintenance` (a scrape of this series). Both retry with a spin hint and then
//! yield; neither can happen more than a bounded number of times per switch.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use parking_lot::Mutex;

use super::config::{NativeConfig, NATIVE_MAX_BUCKETS};
use super::index::{bucket_index, reduce_index, MIN_SCHEMA};
use super::snapshot::{NativeBuckets, NativeSnapshot};
use crate::counter::add_f64;
use crate::histogram::MAX_BUCKETS;

pub(crate) const RING: usize = NATIVE_MAX_BUCKETS as usize;
const HOT_BIT: u64 = 1 << 63;
const STARTED_MASK: u64 = HOT_BIT - 1;
const FROZEN: u64 = 1 << 63;
const LEN_SHIFT: u32 = 32;
const LEN_MASK: u64 = 0xffff;

fn pack(min: i32, len: u32) -> u64 {
    u64::from(min as u32) | (u64::from(len) << LEN_SHIFT)
}

fn unpack(word: u64) -> (i32, u32) {
    (word as u32 as i32, ((word >> LEN_SHIFT) & LEN_MASK) as u32)
}

/// The range `(min, len)` after lowering the schema by `steps`.
fn reduce_range(word: u64, steps: u32) -> u64 {
    let (min, len) = unpack(word);
    if len == 0 {
        return 0;
    }
    let low = reduce_index(min, steps);
    let high = reduce_index(min + len as i32 - 1, steps);
    pack(low, (high - low + 1) as u32)
}

/// The span of `word`'s range once `index` is added.
fn span_with(word: u64, index: Option<i32>) -> u32 {
    let (min, len) = unpack(word);
    match (len, index) {
        (0, None) => 0,
        (0, Some(_)) => 1,
        (_, None) => len,
        (_, Some(index)) => {
            let low = min.min(index);
            let high = (min + len as i32 - 1).max(index);
            (high - low + 1) as u32
        }
    }
}

enum Reserve {
    Fits,
    Frozen,
    TooWide,
}

/// The buckets of one sign in one bank.
#[derive(Debug)]
struct Side {
    range: AtomicU64,
    counts: [AtomicU64; RING],
}

impl Side {
    const fn new() -> Self {
        Side {
            range: AtomicU64::new(0),
            counts: [const { AtomicU64::new(0) }; RING],
        }
    }

    #[inline]
    fn slot(&self, index: i32) -> &AtomicU64 {
        &self.counts[index.rem_euclid(RING as i32) as usize]
    }

    /// Makes sure `index` is inside the range, widening it up to `limit` buckets.
    #[inline]
    fn reserve(&self, index: i32, limit: u32) -> Reserve {
        let mut word = self.range.load(Ordering::Acquire);
        loop {
            let (min, len) = unpack(word);
            if len > 0 && index >= min && index - min < len as i32 {
                return Reserve::Fits;
            }
            if word & FROZEN != 0 {
                return Reserve::Frozen;
            }
            let span = span_with(word, Some(index));
            if span > limit {
                return Reserve::TooWide;
            }
            let low = if len == 0 { index } else { min.min(index) };
            match self.range.compare_exchange_weak(
                word,
                pack(low, span),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return Reserve::Fits,
                Err(actual) => word = actual,
            }
        }
    }

    fn total(&self) -> u64 {
        self.counts
            .iter()
            .map(|count| count.load(Ordering::Acquire))
            .fold(0u64, u64::wrapping_add)
    }

    fn read(&self) -> NativeBuckets {
        let (min, len) = unpack(self.range.load(Ordering::Relaxed) & !FROZEN);
        let mut buckets = NativeBuckets::empty();
        buckets.first = min;
        buckets.len = len as u16;
        for offset in 0..len as usize {
            buckets.counts[offset] = self.slot(min + offset as i32).load(Ordering::Relaxed);
        }
        buckets
    }

    /// Adds these buckets (at a schema `steps` finer) into `into`, and zeroes them.
    fn drain_into(&self, into: &Side, steps: u32) {
        let (min, len) = unpack(self.range.load(Ordering::Relaxed) & !FROZEN);
        for index in min..min + len as i32 {
            let count = self.slot(index).swap(0, Ordering::Relaxed);
            if count > 0 {
                into.slot(reduce_index(index, steps))
                    .fetch_add(count, Ordering::Relaxed);
            }
        }
        self.range.store(0, Ordering::Relaxed);
    }
}

/// One copy of every counter of a series.
#[derive(Debug)]
struct Bank {
    /// How many schemas below the configured one this bank counts at.
    reduced: AtomicU32,
    positive: Side,
    negative: Side,
    zero: AtomicU64,
    nan: AtomicU64,
    aborted: AtomicU64,
    sum_bits: AtomicU64,
    classic: [AtomicU64; MAX_BUCKETS + 1],
}

impl Bank {
    const fn new() -> Self {
        Bank {
            reduced: AtomicU32::new(0),
            positive: Side::new(),
            negative: Side::new(),
            zero: AtomicU64::new(0),
            nan: AtomicU64::new(0),
            aborted: AtomicU64::new(0),
            sum_bits: AtomicU64::new(0),
            classic: [const { AtomicU64::new(0) }; MAX_BUCKETS + 1],
        }
    }

    #[inline]
    fn schema(&self, config: &NativeConfig) -> i8 {
        config.schema() - self.reduced.load(Ordering::Relaxed) as i8
    }

    /// Observations finished in this bank (the completion cells added up).
    fn completed(&self) -> u64 {
        self.positive
            .total()
            .wrapping_add(self.negative.total())
            .wrapping_add(self.zero.load(Ordering::Acquire))
            .wrapping_add(self.nan.load(Ordering::Acquire))
            .wrapping_add(self.aborted.load(Ordering::Acquire))
    }

    fn drain_into(&self, into: &Bank, config: &NativeConfig) {
        let steps = (self.schema(config) - into.schema(config)) as u32;
        self.positive.drain_into(&into.positive, steps);
        self.negative.drain_into(&into.negative, steps);
        for (from, to) in [
            (&self.zero, &into.zero),
            (&self.nan, &into.nan),
            (&self.aborted, &into.aborted),
        ] {
            to.fetch_add(from.swap(0, Ordering::Relaxed), Ordering::Relaxed);
        }
        add_f64(
            &into.sum_bits,
            f64::from_bits(self.sum_bits.swap(0, Ordering::Relaxed)),
        );
        for (from, to) in self.classic.iter().zip(&into.classic) {
            let count = from.swap(0, Ordering::Relaxed);
            if count > 0 {
                to.fetch_add(count, Ordering::Relaxed);
            }
        }
    }
}

enum Outcome {
    Done,
    Retry,
    Reduce,
}

/// The counters of one native histogram series (see the module documentation).
#[derive(Debug)]
pub struct NativeCells {
    state: AtomicU64,
    banks: [Bank; 2],
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
    /// Zeroed counters.
    pub const fn new() -> Self {
        NativeCells {
            state: AtomicU64::new(0),
            banks: [Bank::new(), Bank::new()],
            maintenance: Mutex::new(()),
        }
    }

    #[inline]
    pub(crate) fn observe(&self, config: &NativeConfig, value: f64) {
        match self.try_observe(config, value) {
            Outcome::Done => {}
            outcome => self.observe_again(config, value, outcome),
        }
    }

    /// The rare paths, kept out of line so the common one stays small: a bank switch in
    /// progress, or a schema reduction to perform.
    #[cold]
    #[inline(never)]
    fn observe_again(&self, config: &NativeConfig, value: f64, mut outcome: Outcome) {
        let mut attempts = 0u32;
        loop {
            match outcome {
                Outcome::Done => return,
                Outcome::Retry => {}
                Outcome::Reduce => {
                    if let Some(_maintenance) = self.maintenance.try_lock() {
                        let old = self.switch_banks(config, Some(value));
                        self.finish_switch(config, old);
                        outcome = self.try_observe(config, value);
                        continue;
                    }
                }
            }
            attempts += 1;
            if attempts < 64 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
            outcome = self.try_observe(config, value);
        }
    }

    #[inline(always)]
    fn try_observe(&self, config: &NativeConfig, value: f64) -> Outcome {
        let started = self.state.fetch_add(1, Ordering::Acquire);
        let bank = &self.banks[(started >> 63) as usize];
        let magnitude = value.abs();
        // The cell that records the observation is incremented last: it also marks it done.
        let cell = if value.is_nan() {
            &bank.nan
        } else if magnitude <= config.zero_threshold() {
            &bank.zero
        } else {
            let schema = bank.schema(config);
            let index = bucket_index(magnitude, schema);
            let side = if value > 0.0 {
                &bank.positive
            } else {
                &bank.negative
            };
            let limit = if schema == MIN_SCHEMA {
                NATIVE_MAX_BUCKETS as u32
            } else {
                config.max_buckets() as u32
            };
            match side.reserve(index, limit) {
                Reserve::Fits => side.slot(index),
                Reserve::Frozen => {
                    bank.aborted.fetch_add(1, Ordering::Release);
                    return Outcome::Retry;
                }
                Reserve::TooWide => {
                    bank.aborted.fetch_add(1, Ordering::Release);
                    return Outcome::Reduce;
                }
            }
        };
        add_f64(&bank.sum_bits, value);
        if let Some(buckets) = config.classic_buckets() {
            let bounds = buckets.bounds();
            bank.classic[classic_index(bounds, value)].fetch_add(1, Ordering::Relaxed);
        }
        cell.fetch_add(1, Ordering::Release);
        Outcome::Done
    }

    /// Flips the hot bank (the caller holds `maintenance`) and returns the old one once every
    /// observation started in it has finished. With `value`, the new bank's schema is low
    /// enough for the old ranges and `value`'s bucket to fit the limit.
    fn switch_banks(&self, config: &NativeConfig, value: Option<f64>) -> &Bank {
        let hot = (self.state.load(Ordering::Relaxed) >> 63) as usize;
        let (old, new) = (&self.banks[hot], &self.banks[1 - hot]);
        let positive = old.positive.range.fetch_or(FROZEN, Ordering::AcqRel) & !FROZEN;
        let negative = old.negative.range.fetch_or(FROZEN, Ordering::AcqRel) & !FROZEN;
        let schema = old.schema(config);
        let mut target = schema;
        loop {
            let steps = (schema - target) as u32;
            let limit = if target == MIN_SCHEMA {
                NATIVE_MAX_BUCKETS as u32
            } else {
                config.max_buckets() as u32
            };
            let hint = value
                .filter(|v| !v.is_nan() && v.abs() > config.zero_threshold())
                .map(|v| (v > 0.0, bucket_index(v.abs(), target)));
            let fits = |word: u64, positive_side: bool| {
                let index = hint.filter(|&(sign, _)| sign == positive_side).map(|h| h.1);
                span_with(reduce_range(word, steps), index) <= limit
            };
            if target == MIN_SCHEMA || (fits(positive, true) && fits(negative, false)) {
                break;
            }
            target -= 1;
        }
        let steps = (schema - target) as u32;
        new.reduced
            .store((config.schema() - target) as u32, Ordering::Relaxed);
        new.positive
            .range
            .store(reduce_range(positive, steps), Ordering::Relaxed);
        new.negative
            .range
            .store(reduce_range(negative, steps), Ordering::Relaxed);
        let previous = self.state.fetch_add(HOT_BIT, Ordering::AcqRel);
        let started = previous & STARTED_MASK;
        let mut spins = 0u32;
        while old.completed() != started {
            spins += 1;
            if spins < 64 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
        old
    }

    /// Adds the old bank into the hot one and zeroes it (the caller holds `maintenance`).
    fn finish_switch(&self, config: &NativeConfig, old: &Bank) {
        let hot = (self.state.load(Ordering::Relaxed) >> 63) as usize;
        old.drain_into(&self.banks[hot], config);
    }

    /// A consistent read of every counter.
    pub(crate) fn snapshot(&self, config: &NativeConfig) -> NativeSnapshot {
        let _maintenance = self.maintenance.lock();
        let old = self.switch_banks(config, None);
        let positive = old.positive.read();
        let negative = old.negative.read();
        let zero_count = old.zero.load(Ordering::Relaxed);
        let nan_count = old.nan.load(Ordering::Relaxed);
        let mut classic_counts = [0u64; MAX_BUCKETS + 1];
        for (slot, cell) in classic_counts.iter_mut().zip(&old.classic) {
            *slot = cell.load(Ordering::Relaxed);
        }
        let snapshot = NativeSnapshot {
            schema: old.schema(config),
            zero_threshold: config.zero_threshold(),
            zero_count,
            count: zero_count
                .wrapping_add(positive.total())
                .wrapping_add(negative.total())
                .wrapping_add(nan_count),
            sum: f64::from_bits(old.sum_bits.load(Ordering::Relaxed)),
            positive,
            negative,
            classic_bounds: config.classic_buckets().map(|buckets| buckets.bounds()),
            classic_counts,
        };
        self.finish_switch(config, old);
        snapshot
    }
}
