//! Summaries: quantile accuracy on known distributions, the sliding window (driven by an
//! injected clock), NaN, concurrency, and configuration errors.

use std::time::{Duration, Instant};

use oxios_metrics::{Family, Summary, SummaryConfig, SummaryConfigError, SUMMARY_SAMPLES};
use oxios_metrics_tests::Method;

const QUANTILES: &[f64] = &[0.01, 0.1, 0.5, 0.9, 0.99];

/// One standard deviation of the rank of a quantile estimated from `samples` samples.
fn rank_sigma(quantile: f64, samples: usize) -> f64 {
    (quantile * (1.0 - quantile) / samples as f64).sqrt()
}

/// Observes `values` (in the order given) spread evenly over the five slices of a 10-second
/// window, and returns the summary with the instant to read it at.
fn window_of(values: &[f64]) -> (Summary, Instant) {
    let summary = Summary::new()
        .with_quantiles(QUANTILES)
        .with_max_age(Duration::from_secs(10))
        .with_age_buckets(5);
    let start = Instant::now();
    for (k, &value) in values.iter().enumerate() {
        // 8 seconds covers four slice boundaries, so about five slices are filled.
        let at = start + Duration::from_secs(8) * k as u32 / values.len() as u32;
        summary.observe_at(value, at);
    }
    (summary, start + Duration::from_secs(8))
}

#[test]
fn uniform_distribution_within_four_sigma_of_rank() {
    // 100,000 values 1..=100,000 in ascending order: a sampler biased toward recent
    // observations (a plain ring buffer) would report only the top of the range.
    let n = 100_000;
    let values: Vec<f64> = (1..=n).map(f64::from).collect();
    let (summary, now) = window_of(&values);
    let snapshot = summary.snapshot_at(now);
    assert_eq!(snapshot.count(), n as u64);
    for &(quantile, estimate) in snapshot.quantiles() {
        // The rank of the estimate in the true distribution.
        let rank = estimate / f64::from(n);
        // At least four slices of 128 samples are in the window.
        let bound = 4.0 * rank_sigma(quantile, 4 * SUMMARY_SAMPLES) + 1e-3;
        assert!(
            (rank - quantile).abs() <= bound,
            "quantile {quantile}: estimate {estimate} has rank {rank}, more than {bound} off"
        );
    }
}

#[test]
fn exponential_distribution_within_four_sigma_of_rank() {
    // Quantiles of an exponential distribution (rate 1), shuffled deterministically.
    let n = 50_000usize;
    let mut values: Vec<f64> = (0..n)
        .map(|i| -(1.0 - (i as f64 + 0.5) / n as f64).ln())
        .collect();
    for i in (1..n).rev() {
        let j = (i * 7_919 + 13) % (i + 1);
        values.swap(i, j);
    }
    let (summary, now) = window_of(&values);
    let snapshot = summary.snapshot_at(now);
    for &(quantile, estimate) in snapshot.quantiles() {
        let rank = 1.0 - (-estimate).exp(); // the exponential CDF
        let bound = 4.0 * rank_sigma(quantile, 4 * SUMMARY_SAMPLES) + 1e-3;
        assert!(
            (rank - quantile).abs() <= bound,
            "quantile {quantile}: estimate {estimate} has rank {rank}"
        );
    }
}

#[test]
fn small_windows_are_exact() {
    let summary = Summary::new().with_quantiles(&[0.0, 0.25, 0.5, 0.75, 1.0]);
    let at = Instant::now();
    for value in [5.0, 1.0, 4.0, 2.0, 3.0, 8.0, 7.0, 6.0] {
        summary.observe_at(value, at);
    }
    let snapshot = summary.snapshot_at(at);
    assert_eq!(
        snapshot.quantiles(),
        &[(0.0, 1.0), (0.25, 2.0), (0.5, 4.0), (0.75, 6.0), (1.0, 8.0)]
    );
    assert_eq!((snapshot.count(), snapshot.sum()), (8, 36.0));
}

#[test]
fn observations_leave_the_window_after_max_age() {
    // 10 s in 5 slices of 2 s: an observation is kept at least 8 s and at most 10 s.
    let summary = Summary::new()
        .with_quantiles(&[0.5])
        .with_max_age(Duration::from_secs(10))
        .with_age_buckets(5);
    let start = Instant::now();
    summary.observe_at(42.0, start);
    let median = |after: u64| {
        summary
            .snapshot_at(start + Duration::from_millis(after))
            .quantiles()[0]
            .1
    };
    assert_eq!(median(0), 42.0);
    assert_eq!(median(7_900), 42.0, "still inside the window");
    assert!(
        median(10_001).is_nan(),
        "expired: NaN, as client_golang writes"
    );
    // A later observation reuses the expired slice; the old value is gone for good, while
    // `_count` and `_sum` keep counting everything.
    summary.observe_at(7.0, start + Duration::from_secs(20));
    let later = summary.snapshot_at(start + Duration::from_secs(20));
    assert_eq!(later.quantiles()[0].1, 7.0);
    assert_eq!((later.count(), later.sum()), (2, 49.0));
}

#[test]
fn rotation_keeps_the_newer_slices() {
    let summary = Summary::new()
        .with_quantiles(&[0.0, 1.0])
        .with_max_age(Duration::from_secs(3))
        .with_age_buckets(3);
    let start = Instant::now();
    for second in 0..10u32 {
        summary.observe_at(
            f64::from(second),
            start + Duration::from_secs(u64::from(second)),
        );
    }
    // At second 9 the window holds the slices of seconds 7, 8 and 9.
    let snapshot = summary.snapshot_at(start + Duration::from_secs(9));
    assert_eq!(snapshot.quantiles(), &[(0.0, 7.0), (1.0, 9.0)]);
}

#[test]
fn nan_is_counted_but_not_a_quantile() {
    let summary = Summary::new().with_quantiles(&[0.5]);
    let at = Instant::now();
    summary.observe_at(1.0, at);
    summary.observe_at(f64::NAN, at);
    let snapshot = summary.snapshot_at(at);
    assert_eq!(snapshot.count(), 2);
    assert_eq!(snapshot.sum(), 1.0, "NaN is not added to the sum");
    assert_eq!(snapshot.quantile(0.5), Some(1.0));
    assert!(Summary::new()
        .snapshot()
        .quantiles()
        .iter()
        .all(|(_, v)| v.is_nan()));
}

#[test]
fn two_threads_and_a_scraper() {
    static SUMMARY: Summary = Summary::new();
    let per_thread: u64 = if cfg!(debug_assertions) {
        200_000
    } else {
        2_000_000
    };
    let done = std::sync::atomic::AtomicBool::new(false);
    let done = &done;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let snapshot = SUMMARY.snapshot();
                for &(_, value) in snapshot.quantiles() {
                    assert!(value.is_nan() || (0.0..1000.0).contains(&value), "{value}");
                }
            }
        });
        let writers: Vec<_> = (0..2)
            .map(|thread| {
                scope.spawn(move || {
                    for k in 0..per_thread {
                        SUMMARY.observe(((k * 2 + thread) % 1000) as f64);
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().expect("writer");
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let snapshot = SUMMARY.snapshot();
    assert_eq!(snapshot.count(), 2 * per_thread);
    // Each thread's values cycle through its half of 0..1000: sums are exact integers.
    let expected: f64 = (0..2u64)
        .map(|t| {
            (0..per_thread)
                .map(|k| ((k * 2 + t) % 1000) as f64)
                .sum::<f64>()
        })
        .sum();
    assert_eq!(snapshot.sum(), expected);
    let median = snapshot.quantile(0.5).expect("configured");
    assert!((400.0..600.0).contains(&median), "median {median}");
}

#[test]
fn family_of_summaries() {
    static BY_METHOD: Family<Method, Summary> =
        Family::with_config(SummaryConfig::new().with_quantiles(&[1.0]));
    BY_METHOD.get(Method::Get).observe(3.0);
    BY_METHOD.get(Method::Get).observe(9.0);
    assert_eq!(
        BY_METHOD.get(Method::Get).snapshot().quantile(1.0),
        Some(9.0)
    );
    assert_eq!(BY_METHOD.get(Method::Post).snapshot().count(), 0);
}

#[test]
fn invalid_options_are_errors() {
    let config = SummaryConfig::new();
    assert_eq!(
        config.try_with_quantiles(&[]),
        Err(SummaryConfigError::QuantileCount(0))
    );
    assert_eq!(
        config.try_with_quantiles(&[0.5, 1.5]),
        Err(SummaryConfigError::QuantileRange { index: 1 })
    );
    assert_eq!(
        config.try_with_quantiles(&[f64::NAN]),
        Err(SummaryConfigError::QuantileRange { index: 0 })
    );
    assert_eq!(
        config.try_with_quantiles(&[0.5, 0.5]),
        Err(SummaryConfigError::QuantileOrder { index: 1 })
    );
    assert_eq!(
        config.try_with_max_age(Duration::ZERO),
        Err(SummaryConfigError::MaxAge)
    );
    assert_eq!(
        config.try_with_age_buckets(0),
        Err(SummaryConfigError::AgeBuckets(0))
    );
    assert_eq!(
        config.try_with_age_buckets(9),
        Err(SummaryConfigError::AgeBuckets(9))
    );
    assert_eq!(
        SummaryConfigError::AgeBuckets(9).to_string(),
        "a summary has 1 to 8 age buckets, not 9"
    );
}
