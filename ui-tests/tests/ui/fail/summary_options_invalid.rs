use oxios_metrics::{Metrics, Summary};

#[derive(Metrics)]
pub struct Service {
    /// Unknown unit.
    #[metric(max_age = "10x")]
    pub unknown_unit: Summary,
    /// No unit.
    #[metric(max_age = "10")]
    pub no_unit: Summary,
    /// Zero, as text.
    #[metric(max_age = "0s")]
    pub zero_text: Summary,
    /// Zero seconds.
    #[metric(max_age = 0)]
    pub zero_seconds: Summary,
    /// Not a duration.
    #[metric(max_age = std::time::Duration::from_secs(60))]
    pub not_a_literal: Summary,
    /// No age bucket.
    #[metric(age_buckets = 0)]
    pub no_slice: Summary,
    /// Too many age buckets.
    #[metric(age_buckets = 9)]
    pub too_many_age_buckets: Summary,
    /// Repeated.
    #[metric(max_age = "1m", max_age = "2m")]
    pub repeated: Summary,
}

fn main() {}
