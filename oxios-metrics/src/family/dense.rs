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

use parking_lot::Mutex;

use super::prefixes::{EachSeries, PrefixCache, Shape};
use super::{SeriesLimits, SeriesStorage};
use crate::encode::{Format, MetricEncoder, NoLabels};
use crate::labels::{FixedLabelSet, OrdinalLabels};
use crate::metric::FamilyMember;

/// `N` series in an array, one per combination of a fixed label set. The derive of a fixed
/// label set names this type with `N` equal to the product of its fields' cardinalities.
///
/// For counters and gauges, scrapes keep each combination's line prefix
/// (`name_total{labels} `) for at most two expositions at a time and write from them; for
/// classic histograms, each combination's `_bucket` line head and `_sum` and `_count`
/// prefixes, and the family's `le` texts.
pub struct DenseSeries<M: FamilyMember, const N: usize> {
    series: [M::Series; N],
    /// For a sparse family: which combinations a scrape has seen used.
    seen_used: [AtomicBool; N],
    /// Line prefixes of every combination, by ordinal (for single-sample members).
    prefixes: Mutex<PrefixCache<usize>>,
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

impl<M: FamilyMember, const N: usize> DenseSeries<M, N> {
    /// Writes every combination from its kept line prefix (rendered at the first scrape in
    /// each exposition), for members whose series are single samples. Returns false, having
    /// written nothing, when the series must be written one by one instead.
    fn encode_prefixed<L: FixedLabelSet>(
        &self,
        config: &M::Config,
        encoder: &mut MetricEncoder<'_>,
    ) -> bool {
        let Some(shape) = Shape::of::<M>(config) else {
            return false;
        };
        let Some(mut cache) = self.prefixes.try_lock() else {
            return false;
        };
        let all = |each: EachSeries<'_, usize>| {
            for ordinal in 0..N {
                let labels = OrdinalLabels::<L> {
                    ordinal,
                    set: PhantomData,
                };
                each(ordinal, &labels, None);
            }
        };
        // The set of combinations never changes: one stamp for all time.
        let Some(prefixes) = cache.prefixes(encoder, shape, 0, all) else {
            return false;
        };
        encoder.reserve(prefixes.write_len());
        if let Shape::Histogram(_) = shape {
            let le = prefixes.le_texts();
            for (ordinal, pieces) in prefixes.histograms() {
                let series = &self.series[ordinal];
                let written = M::with_classic_histogram(series, config, |histogram| {
                    encoder.prefixed_histogram(le, pieces, histogram)
                });
                if written != Some(true) {
                    let labels = OrdinalLabels::<L> {
                        ordinal,
                        set: PhantomData,
                    };
                    M::encode_series(series, config, &labels, encoder);
                }
            }
            return true;
        }
        for (ordinal, prefix) in prefixes.iter() {
            let series = &self.series[ordinal];
            match M::single_sample(series, config) {
                Some(value) => encoder.prefixed_sample(prefix, value),
                None => {
                    let labels = OrdinalLabels::<L> {
                        ordinal,
                        set: PhantomData,
                    };
                    M::encode_series(series, config, &labels, encoder);
                }
            }
        }
        true
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
        prefixes: Mutex::new(PrefixCache::new()),
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
        if self.encode_prefixed::<L>(config, encoder) {
            return;
        }
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
