//! Every OpenMetrics exposition passes the reference parser whatever was observed: counter-like
//! samples (`_total`, `_sum` while it is a counter, `_count`, `_bucket`) are never NaN or
//! negative. NaN observations are counted but not summed; a histogram whose sum is not a
//! counter (a negative observation, a bucket bound below zero) has no `_sum`/`_count` in
//! OpenMetrics; a callback counter's NaN or negative reading shows its last valid value.

use oxios_metrics::{Buckets, CallbackCounter, Format, Histogram, Metrics, Registry};
use oxios_metrics_tests::{openmetrics_parse, promtool_check, Checked};

static READING: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn reading() -> f64 {
    f64::from_bits(READING.load(std::sync::atomic::Ordering::Relaxed))
}

fn set_reading(value: f64) {
    READING.store(value.to_bits(), std::sync::atomic::Ordering::Relaxed);
}

#[derive(Metrics)]
struct Odd {
    /// Observed a NaN.
    #[metric(buckets = [1.0, 2.0])]
    nan_seen: Histogram,
    /// Observed a negative value into non-negative buckets.
    #[metric(buckets = [1.0, 2.0])]
    negative_seen: Histogram,
    /// Buckets below zero.
    #[metric(buckets = [-1.0, 0.0, 1.0])]
    signed: Histogram,
    /// Plain.
    #[metric(buckets = [1.0, 2.0])]
    plain: Histogram,
    /// A total read from elsewhere.
    #[metric(read = reading)]
    external: CallbackCounter,
}

fn parse_ok(registry: &Registry) -> String {
    let text = registry.render(Format::OpenMetrics);
    match openmetrics_parse(&text) {
        Checked::Ran(said) => {
            assert!(!said.contains("Error"), "{said}\n---\n{text}");
            said
        }
        Checked::Missing => String::new(),
    }
}

#[test]
fn odd_observations_never_break_an_openmetrics_scrape() {
    static ODD: Odd = Odd::new();
    let registry = Registry::new();
    registry.register(&ODD).unwrap();
    ODD.nan_seen.observe(0.5);
    ODD.nan_seen.observe(f64::NAN);
    ODD.negative_seen.observe(-3.0);
    ODD.negative_seen.observe(1.5);
    ODD.signed.observe(-0.5);
    ODD.plain.observe(1.5);
    set_reading(7.0);
    parse_ok(&registry);

    let openmetrics = registry.render(Format::OpenMetrics);
    for line in [
        "nan_seen_bucket{le=\"+Inf\"} 2\n",
        "nan_seen_sum 0.5\nnan_seen_count 2\n",
        "negative_seen_bucket{le=\"+Inf\"} 2\n",
        "signed_bucket{le=\"+Inf\"} 1\n",
        "plain_sum 1.5\nplain_count 1\n",
        "external_total 7.0\n",
    ] {
        assert!(openmetrics.contains(line), "{line:?} in\n{openmetrics}");
    }
    for absent in [
        "negative_seen_sum",
        "negative_seen_count",
        "signed_sum",
        "signed_count",
    ] {
        assert!(!openmetrics.contains(absent), "{absent} in\n{openmetrics}");
    }
    // The text format 0.0.4 keeps both, with their values.
    let prometheus = registry.render(Format::Prometheus);
    for line in [
        "negative_seen_sum -1.5\nnegative_seen_count 2\n",
        "signed_sum -0.5\nsigned_count 1\n",
        "nan_seen_sum 0.5\nnan_seen_count 2\n",
    ] {
        assert!(prometheus.contains(line), "{line:?} in\n{prometheus}");
    }
    if let Checked::Ran(said) = promtool_check(&prometheus) {
        assert_eq!(said, "", "promtool");
    }

    // Callback counters: NaN and negative readings show the last valid value.
    for bad in [f64::NAN, -1.0, f64::NEG_INFINITY] {
        set_reading(bad);
        parse_ok(&registry);
        let text = registry.render(Format::OpenMetrics);
        assert!(text.contains("external_total 7.0\n"), "{bad}: {text}");
    }
    set_reading(3.0);
    assert!(registry
        .render(Format::OpenMetrics)
        .contains("external_total 3.0\n"));
    // Once negative, the sum stays out of OpenMetrics even when it is positive again.
    ODD.negative_seen.observe(10.0);
    assert!(ODD.negative_seen.sum() > 0.0);
    assert!(!registry
        .render(Format::OpenMetrics)
        .contains("negative_seen_sum"));
}

#[test]
fn run_time_bucket_bounds_are_checked_without_panicking() {
    assert!(Buckets::from_vec(vec![]).is_err());
    assert!(Buckets::from_vec(vec![1.0, f64::NAN]).is_err());
    assert!(Buckets::from_vec(vec![2.0, 1.0]).is_err());
    assert!(Buckets::from_vec((0..40).map(f64::from).collect()).is_err());
    assert!(Buckets::linear(0.0, 0.0, 3).is_err());
    assert!(Buckets::linear(0.0, 1.0, 0).is_err());
    assert!(Buckets::exponential(1.0, 1.0, 3).is_err());
    assert!(Buckets::exponential(0.0, 2.0, 3).is_err());
    assert!(
        Buckets::exponential(1.0, 1e300, 5).is_err(),
        "overflows to infinity"
    );
    let linear = Buckets::linear(0.5, 0.5, 3).unwrap();
    assert_eq!(linear.bounds(), &[0.5, 1.0, 1.5]);
    let exponential = Buckets::exponential(0.01, 10.0, 3).unwrap();
    assert_eq!(exponential.bounds().len(), 3);
    let histogram = Histogram::with_buckets(linear);
    histogram.observe(1.2);
    assert_eq!(histogram.buckets()[2], (1.5, 1));
}
