use oxios_metrics::{Metrics, Summary};

pub const DESCENDING: [f64; 2] = [0.9, 0.5];
pub const EMPTY: &[f64] = &[];

#[derive(Metrics)]
pub struct Service {
    /// Quantiles from a const, in the wrong order.
    #[metric(quantiles = DESCENDING)]
    pub descending: Summary,
    /// Quantiles from an empty const.
    #[metric(quantiles = EMPTY)]
    pub empty: Summary,
}

fn main() {}
