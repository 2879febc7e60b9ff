//! A consistent read of a native histogram, in the shapes encoders need: sparse
//! `(index, count)` buckets, protobuf-style spans with delta-encoded counts, and the classic
//! buckets kept alongside.

use super::cells::RING;
use super::index::bucket_upper_bound;
use crate::encode::{self, protobuf, ExemplarRef, MetricEncoder, WriteLabels};
use crate::histogram::MAX_BUCKETS;

/// A run of consecutive bucket indexes, as protobuf's `BucketSpan` has it: the first span's
/// `offset` is its first index, each later one's is the gap after the span before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BucketSpan {
    /// The first index (first span) or the number of indexes skipped since the last span.
    pub offset: i32,
    /// How many consecutive buckets the span holds.
    pub length: u32,
}

/// The populated range of one sign's buckets.
#[derive(Clone, Debug)]
pub struct NativeBuckets {
    pub(crate) first: i32,
    pub(crate) len: u16,
    pub(crate) counts: [u64; RING],
}

impl NativeBuckets {
    pub(crate) const fn empty() -> Self {
        NativeBuckets {
            first: 0,
            len: 0,
            counts: [0; RING],
        }
    }

    fn dense(&self) -> impl Iterator<Item = (i32, u64)> + '_ {
        self.counts[..usize::from(self.len)]
            .iter()
            .enumerate()
            .map(|(offset, &count)| (self.first + offset as i32, count))
    }

    /// The populated buckets, ascending by index, as `(index, count)` (counts not
    /// cumulative, never 0).
    pub fn iter(&self) -> impl Iterator<Item = (i32, u64)> + '_ {
        self.dense().filter(|&(_, count)| count > 0)
    }

    /// Copies the populated buckets into `into`, returning how many there are.
    fn sparse_into(&self, into: &mut [(i32, u64); RING]) -> usize {
        let mut len = 0;
        for (slot, bucket) in into.iter_mut().zip(self.iter()) {
            *slot = bucket;
            len += 1;
        }
        len
    }

    /// Whether no bucket of this sign is populated.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The sum of the counts.
    pub fn total(&self) -> u64 {
        self.iter()
            .map(|(_, count)| count)
            .fold(0, u64::wrapping_add)
    }

    /// The runs written as spans: populated buckets, with gaps of up to two empty buckets
    /// kept inside a run. The buckets they cover are those [`deltas`](Self::deltas) and
    /// [`span_counts`](Self::span_counts) walk.
    pub fn runs(&self) -> impl Iterator<Item = (i32, u32)> + '_ {
        protobuf::bucket_runs(self.iter())
    }

    /// The spans in protobuf form (see [`BucketSpan`]).
    pub fn spans(&self) -> impl Iterator<Item = BucketSpan> + '_ {
        protobuf::bucket_spans(self.iter()).map(|(offset, length)| BucketSpan { offset, length })
    }

    /// The count of every bucket the spans cover, in order (0 for a gap inside a span).
    pub fn span_counts(&self) -> impl Iterator<Item = u64> + '_ {
        protobuf::bucket_span_counts(self.iter())
    }

    /// The span counts delta-encoded, as protobuf's `positive_delta`/`negative_delta`: each
    /// is the difference from the bucket before it (the first from 0).
    pub fn deltas(&self) -> impl Iterator<Item = i64> + '_ {
        let mut previous = 0i64;
        self.span_counts().map(move |count| {
            let count = count as i64;
            let delta = count.wrapping_sub(previous);
            previous = count;
            delta
        })
    }
}

/// A point-in-time read of a native histogram series: every observation it counts is in
/// exactly one bucket. The sum and the classic buckets are kept beside the native buckets;
/// an observation made while the snapshot was taken may be in one and not yet in the other
/// (it is in both by the next snapshot), so the classic buckets' total can differ from
/// [`count`](Self::count) by the observations in flight at that moment.
/// [`classic_cumulative`](Self::classic_cumulative) gives them ready to write beside the
/// native buckets.
///
/// `count() == zero_count() + positive().total() + negative().total()` always; NaN
/// observations have no bucket and are counted apart ([`nan_count`](Self::nan_count)).
#[derive(Clone, Debug)]
pub struct NativeSnapshot {
    pub(crate) schema: i8,
    pub(crate) zero_threshold: f64,
    pub(crate) zero_count: u64,
    pub(crate) count: u64,
    pub(crate) nan_count: u64,
    pub(crate) sum: f64,
    pub(crate) negative_seen: bool,
    pub(crate) positive: NativeBuckets,
    pub(crate) negative: NativeBuckets,
    pub(crate) classic_bounds: [f64; MAX_BUCKETS],
    pub(crate) classic_len: Option<usize>,
    pub(crate) classic_counts: [u64; MAX_BUCKETS + 1],
}

impl NativeSnapshot {
    /// The schema the buckets are at (it only goes down over a series' life).
    pub fn schema(&self) -> i8 {
        self.schema
    }

    /// The zero bucket's half-width.
    pub fn zero_threshold(&self) -> f64 {
        self.zero_threshold
    }

    /// Observations with `|v| <= zero_threshold`.
    pub fn zero_count(&self) -> u64 {
        self.zero_count
    }

    /// Every observation with a bucket: the zero bucket's and the others' (NaN excluded).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// NaN observations (in no native bucket, not in the sum, in the classic `+Inf` bucket).
    pub fn nan_count(&self) -> u64 {
        self.nan_count
    }

    /// The sum of the observations (NaN excluded).
    pub fn sum(&self) -> f64 {
        self.sum
    }

    /// Whether a negative value was ever observed (OpenMetrics then drops `_sum`, which is
    /// no longer a counter).
    pub fn negative_seen(&self) -> bool {
        self.negative_seen
    }

    /// Buckets of positive observations.
    pub fn positive(&self) -> &NativeBuckets {
        &self.positive
    }

    /// Buckets of negative observations, indexed by magnitude (bucket `i` holds values in
    /// `[-base^i, -base^(i-1))`).
    pub fn negative(&self) -> &NativeBuckets {
        &self.negative
    }

    /// The upper bound of bucket `index` at this snapshot's schema.
    pub fn upper_bound(&self, index: i32) -> f64 {
        bucket_upper_bound(index, self.schema)
    }

    /// The classic bucket bounds, when the histogram keeps classic buckets.
    pub fn classic_bounds(&self) -> Option<&[f64]> {
        self.classic_len.map(|len| &self.classic_bounds[..len])
    }

    /// The cumulative classic counts, one per bound then `+Inf`, capped at
    /// [`count`](Self::count) and with `+Inf` equal to it: the form a protobuf `Histogram`
    /// carrying both native and classic buckets needs (one `sample_count` for both, buckets
    /// never above it). Empty without classic buckets.
    pub fn classic_cumulative(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let bounds = self.classic_bounds().unwrap_or(&[]);
        let counts = self.classic_counts();
        let mut cumulative = 0u64;
        counts.iter().enumerate().map(move |(index, &count)| {
            cumulative = cumulative.wrapping_add(count);
            match bounds.get(index) {
                Some(&bound) => (bound, cumulative.min(self.count)),
                None => (f64::INFINITY, self.count),
            }
        })
    }

    /// The classic per-bucket counts (not cumulative), one more than the bounds (the last is
    /// `+Inf`); empty without classic buckets.
    pub fn classic_counts(&self) -> &[u64] {
        match self.classic_len {
            Some(len) => &self.classic_counts[..=len],
            None => &[],
        }
    }

    /// Writes this snapshot as one native histogram series with `exemplars` (newest first),
    /// in whatever format `encoder` writes.
    pub(crate) fn encode(
        &self,
        labels: &dyn WriteLabels,
        exemplars: &[ExemplarRef<'_>],
        encoder: &mut MetricEncoder<'_>,
    ) {
        // The populated buckets as the encoder takes them, on the stack (a side spans at
        // most RING buckets).
        let mut positive = [(0i32, 0u64); RING];
        let mut negative = [(0i32, 0u64); RING];
        let positive_len = self.positive.sparse_into(&mut positive);
        let negative_len = self.negative.sparse_into(&mut negative);
        encoder.native_histogram(
            labels,
            &encode::NativeHistogram {
                schema: i32::from(self.schema),
                zero_threshold: self.zero_threshold,
                zero_count: self.zero_count,
                positive: &positive[..positive_len],
                negative: &negative[..negative_len],
                count: self.count,
                sum: self.sum,
                nan_count: self.nan_count,
                negative_observations: self.negative_seen,
                classic: self
                    .classic_bounds()
                    .map(|bounds| (bounds, self.classic_counts())),
                exemplars,
                created: None,
            },
        );
    }
}
