use oxios_metrics::{ExemplarNativeHistogram, Family, LabelValue, Metrics, NativeHistogram};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Route {
    Home,
}

#[derive(Metrics)]
pub struct Service {
    /// Too fine.
    #[metric(native(schema = 9))]
    pub too_fine: NativeHistogram,
    /// Too coarse.
    #[metric(native(schema = -5))]
    pub too_coarse: ExemplarNativeHistogram,
    /// No room.
    #[metric(native(max_buckets = 0))]
    pub no_room: NativeHistogram,
    /// Past the ring.
    #[metric(native(max_buckets = 161))]
    pub past_the_ring: Family<Route, NativeHistogram>,
    /// Negative zero bucket.
    #[metric(native(zero_threshold = -0.5))]
    pub negative_zero: NativeHistogram,
    /// Not a number.
    #[metric(native(zero_threshold = f64::NAN))]
    pub nan_zero: NativeHistogram,
    /// Classic buckets alongside are checked as classic buckets are.
    #[metric(native(schema = 2), buckets = [1.0, 0.5])]
    pub unsorted_classic: NativeHistogram,
}

fn main() {}
