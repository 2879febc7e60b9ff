//! Checks the derives' expansions evaluate in const context, so that a bad declaration
//! stops the build with the reason instead of failing at run time.

use crate::histogram::{Buckets, BucketsError};
use crate::summary::{SummaryConfig, SummaryConfigError, DEFAULT_QUANTILES};

/// Generates one message per bound position, since a const panic cannot format a number.
macro_rules! per_index {
    ($before:literal, $after:literal; $($index:literal)*) => {
        [$(concat!($before, stringify!($index), $after)),*]
    };
}

/// Indexed by position; the last entry covers positions past [`MAX_BUCKETS`](crate::MAX_BUCKETS),
/// which `Buckets::new` refuses before checking any bound.
const NOT_FINITE: [&str; 33] = per_index!(
    "bucket bound #", " of `buckets` is not finite: `+Inf` is always added, declare finite bounds only";
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
);

const NOT_INCREASING: [&str; 33] = per_index!(
    "bucket bound #", " of `buckets` is not greater than the one before it: bounds must be sorted and distinct";
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
);

/// Why `bounds` cannot be a histogram's buckets, or `None`: what `#[metric(buckets = CONST)]`
/// reports when the const is evaluated.
pub const fn buckets_problem(bounds: &'static [f64]) -> Option<&'static str> {
    let result = Buckets::new(bounds);
    let problem = match &result {
        Ok(_) => None,
        Err(BucketsError::Empty) => Some("`buckets` is empty: a histogram needs at least one bucket bound"),
        Err(BucketsError::TooMany) => Some(
            "`buckets` has too many bounds: a histogram has at most 32 (`oxios_metrics::MAX_BUCKETS`)",
        ),
        Err(BucketsError::NotFinite { index }) => Some(NOT_FINITE[clamp(*index)]),
        Err(BucketsError::NotIncreasing { index }) => Some(NOT_INCREASING[clamp(*index)]),
    };
    // `Buckets` may own run-time bounds, so a const fn cannot drop one; these borrow a
    // `'static` slice and own nothing.
    core::mem::forget(result);
    problem
}

/// The buckets of `buckets = CONST`: the const's bounds, or the default set when they are
/// refused. No build reaches that case (the assertion on [`buckets_problem`] stops it
/// first); it keeps `new()` from panicking so that the assertion's message is the only one.
pub const fn const_buckets(bounds: &'static [f64]) -> Buckets {
    if buckets_problem(bounds).is_none() {
        Buckets::checked(bounds)
    } else {
        Buckets::DEFAULT
    }
}

/// Why `quantiles` cannot be a summary's quantiles, or `None`: what
/// `#[metric(quantiles = CONST)]` reports when the const is evaluated.
pub const fn quantiles_problem(quantiles: &'static [f64]) -> Option<&'static str> {
    match SummaryConfig::new().try_with_quantiles(quantiles) {
        Ok(_) => None,
        Err(SummaryConfigError::QuantileCount(_)) => {
            Some("`quantiles` must hold 1 to 16 quantiles (`oxios_metrics::MAX_QUANTILES`)")
        }
        Err(SummaryConfigError::QuantileRange { .. }) => {
            Some("a quantile of `quantiles` is not in [0, 1]")
        }
        Err(SummaryConfigError::QuantileOrder { .. }) => Some(
            "a quantile of `quantiles` is not greater than the one before it: quantiles must be sorted and distinct",
        ),
        Err(_) => Some("`quantiles` cannot be a summary's quantiles"),
    }
}

/// The quantiles of `quantiles = CONST`: the const's, or the default ones when they are
/// refused (the assertion on [`quantiles_problem`] stops that build first, so that its
/// message is the only one).
pub const fn const_quantiles(quantiles: &'static [f64]) -> &'static [f64] {
    if quantiles_problem(quantiles).is_none() {
        quantiles
    } else {
        DEFAULT_QUANTILES
    }
}

const fn clamp(index: usize) -> usize {
    if index < 32 {
        index
    } else {
        32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_agree_with_buckets_new() {
        let cases: [&'static [f64]; 6] = [
            &[],
            &[0.1, 1.0],
            &[1.0, 0.5],
            &[0.1, f64::NAN],
            &[0.1, 0.1],
            &[f64::INFINITY],
        ];
        for bounds in cases {
            assert_eq!(
                buckets_problem(bounds).is_none(),
                Buckets::new(bounds).is_ok(),
                "{bounds:?}"
            );
        }
        assert_eq!(
            buckets_problem(&[1.0, 2.0, 2.0]),
            Some("bucket bound #2 of `buckets` is not greater than the one before it: bounds must be sorted and distinct")
        );
        assert_eq!(
            buckets_problem(&[0.5, f64::NAN]),
            Some("bucket bound #1 of `buckets` is not finite: `+Inf` is always added, declare finite bounds only")
        );
    }

    #[test]
    fn quantile_problems_agree_with_summary_config() {
        let cases: [&'static [f64]; 6] = [
            &[],
            &[0.5, 0.99],
            &[0.9, 0.5],
            &[0.5, 0.5],
            &[1.5],
            &[0.0, f64::NAN],
        ];
        for quantiles in cases {
            assert_eq!(
                quantiles_problem(quantiles).is_none(),
                SummaryConfig::new().try_with_quantiles(quantiles).is_ok(),
                "{quantiles:?}"
            );
            let used = const_quantiles(quantiles);
            assert!(SummaryConfig::new().try_with_quantiles(used).is_ok());
        }
        assert_eq!(const_quantiles(&[0.25]), &[0.25]);
        assert_eq!(const_quantiles(&[0.9, 0.5]), DEFAULT_QUANTILES);
    }
}
