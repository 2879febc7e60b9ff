//! Storage for fixed label sets: one series per combination, indexed by ordinal.

use std::marker::PhantomData;

use super::{SeriesLimits, SeriesStorage};
use crate::encode::MetricEncoder;
use crate::labels::{FixedLabelSet, OrdinalLabels};
use crate::metric::FamilyMember;

/// `N` series in an array, one per combination of a fixed label set. The derive of a fixed
/// label set names this type with `N` equal to the product of its fields' cardinalities.
pub struct DenseSeries<M: FamilyMember, const N: usize> {
    series: [M::Series; N],
}

impl<L: FixedLabelSet, M: FamilyMember, const N: usize> SeriesStorage<L, M> for DenseSeries<M, N> {
    #[allow(clippy::declare_interior_mutable_const)]
    const NEW: Self = DenseSeries {
        series: [const { M::NEW_SERIES }; N],
    };

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
}
