use oxios_metrics::{Family, Histogram, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Peer {
    Local,
}

pub const UNSORTED: [f64; 3] = [0.1, 1.0, 0.5];
pub const EMPTY: [f64; 0] = [];
pub const NOT_A_NUMBER: &[f64] = &[0.1, f64::NAN];
pub const REPEATED: &[f64] = &[0.1, 0.1];

#[derive(Metrics)]
pub struct Service {
    /// Unsorted.
    #[metric(unit = "seconds", buckets = UNSORTED)]
    pub unsorted: Histogram,
    /// Empty.
    #[metric(unit = "seconds", buckets = EMPTY)]
    pub empty: Histogram,
    /// NaN.
    #[metric(unit = "seconds", buckets = NOT_A_NUMBER)]
    pub not_a_number: Histogram,
    /// Repeated, in a family.
    #[metric(unit = "seconds", buckets = self::REPEATED)]
    pub repeated: Family<Peer, Histogram>,
    /// Through `Self`.
    #[metric(unit = "seconds", buckets = Self::DESCENDING)]
    pub descending: Histogram,
}

impl Service {
    const DESCENDING: [f64; 2] = [2.0, 1.0];
}

fn main() {}
