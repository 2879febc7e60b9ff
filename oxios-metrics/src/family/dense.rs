//! Storage for fixed label sets: one series per combination, indexed by ordinal.
//!
//! A [sparse](crate::Family::sparse) family uses the same storage and the same lookup; only
//! its scrape differs. A combination is written once the scrape finds its series changed from
//! a fresh one, and from then on (a mark per series, set only by scrapes). Keeping the
//! decision out of `get` is what keeps the recording path of every fixed family, sparse or
//! not, an index computation and an atomic update.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{SeriesLimits, SeriesStorage};
use crate::encode::{Format, MetricEncoder, NoLabels};
use crate::labels::{FixedLabelSet, OrdinalLabels};
use crate::metric::FamilyMember;

/// `N` series in an array, one per combination of a fixed label set. The derive of a fixed
/// label set names this type with `N` equal to the product of its fields' cardinalities.
pub struct DenseSeries<M: FamilyMember, const N: usize> {
    series: [M::Series; N],
    /// For a sparse family: which combinations a scrape has seen used.
    seen_used: [AtomicBool; N],
}

impl<M: FamilyMember, const N: usize> DenseSeries<M, N> {
    /// Whether series `ordinal` has been used: marked by an earlier scrape, or found now to
    /// differ from a fresh series (and then marked).
    fn used(&self, ordinal: usize, config: &M::Config, scratch: &mut Scratch) -> bool {
        if self.seen_used[ordinal].load(Ordering::Relaxed) {
            return true;
        }
        if scratch.fresh.is_empty() {
            let fresh = M::NEW_SERIES;
            write_values::<M>(&fresh, config, &mut scratch.fresh);
        }
        scratch.current.clear();
        write_values::<M>(&self.series[ordinal], config, &mut scratch.current);
        let used = scratch.current != scratch.fresh;
        if used {
            self.seen_used[ordinal].store(true, Ordering::Relaxed);
        }
        used
    }

    /// Runs `body` with the scrape's scratch buffers.
    fn with_scratch<R>(body: impl FnOnce(&mut Scratch) -> R) -> R {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                scratch.fresh.clear();
                body(&mut scratch)
            }
            // Not reachable (nothing called from here scrapes), but a fresh pair is correct.
            Err(_) => body(&mut Scratch::default()),
        })
    }
}

/// The sample values of a fresh series and of the series being compared, as text.
#[derive(Default)]
struct Scratch {
    fresh: Vec<u8>,
    current: Vec<u8>,
}

thread_local! {
    // Reused by every sparse scrape on this thread, so a warm scrape allocates nothing.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Writes a series' samples without labels: equal text means equal values, since floats are
/// written in their shortest exact form.
fn write_values<M: FamilyMember>(series: &M::Series, config: &M::Config, out: &mut Vec<u8>) {
    let mut encoder = MetricEncoder::new(out, Format::Prometheus, "", "");
    M::encode_series(series, config, &NoLabels, &mut encoder);
}

impl<L: FixedLabelSet, M: FamilyMember, const N: usize> SeriesStorage<L, M> for DenseSeries<M, N> {
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW: Self = DenseSeries {
        series: [const { M::NEW_SERIES }; N],
        seen_used: [const { AtomicBool::new(false) }; N],
    };

    const FIXED: bool = true;

    #[inline]
    fn series(&self, labels: L, limits: SeriesLimits) -> &M::Series {
        self.series_ref(&labels, limits)
    }

    #[inline]
    fn series_ref(&self, labels: &L, _limits: SeriesLimits) -> &M::Series {
        // The derive keeps ordinals below N; a hand-written set that does not gets the last
        // series rather than a panic.
        let ordinal = labels.ordinal();
        &self.series[ordinal.min(N.saturating_sub(1))]
    }

    fn encode(&self, config: &M::Config, encoder: &mut MetricEncoder<'_>) {
        for (ordinal, series) in self.series.iter().enumerate() {
            let labels = OrdinalLabels::<L> {
                ordinal,
                set: PhantomData,
            };
            M::encode_series(series, config, &labels, encoder);
        }
    }

    fn series_count(&self) -> usize {
        N
    }

    fn encode_used(&self, config: &M::Config, encoder: &mut MetricEncoder<'_>) {
        Self::with_scratch(|scratch| {
            for (ordinal, series) in self.series.iter().enumerate() {
                if self.used(ordinal, config, scratch) {
                    let labels = OrdinalLabels::<L> {
                        ordinal,
                        set: PhantomData,
                    };
                    M::encode_series(series, config, &labels, encoder);
                }
            }
        });
    }

    fn used_series_count(&self, config: &M::Config) -> usize {
        Self::with_scratch(|scratch| {
            (0..N)
                .filter(|&ordinal| self.used(ordinal, config, scratch))
                .count()
        })
    }
}
