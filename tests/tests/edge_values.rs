//! NaN, infinities, negative values and integer overflow: the documented behaviour of each
//! metric type, as values read back and as exposition text.

use oxios_metrics::{
    Buckets, Counter, FloatCounter, FloatGauge, Format, Gauge, Histogram, MetricType,
};
use oxios_metrics_tests::{desc, leak, registry_with};

#[test]
fn float_counter_ignores_negative_nan_and_infinite_amounts() {
    let counter = FloatCounter::new();
    counter.add(1.5);
    for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0] {
        counter.add(bad);
    }
    assert_eq!(counter.get(), 1.5);
    counter.inc();
    assert_eq!(counter.get(), 2.5);
}

#[test]
fn counter_wraps_past_u64_max() {
    let counter = Counter::new();
    counter.add(u64::MAX - 1);
    counter.inc();
    assert_eq!(counter.get(), u64::MAX);
    counter.add(3);
    assert_eq!(
        counter.get(),
        2,
        "wraps modulo 2^64; Prometheus reads the drop as a reset"
    );
}

#[test]
fn gauge_wraps_and_prints_every_digit() {
    let gauge: &'static Gauge = leak(Gauge::new());
    gauge.set(i64::MAX);
    gauge.inc();
    assert_eq!(gauge.get(), i64::MIN);
    let registry = registry_with(vec![(desc("g", "G.", MetricType::Gauge, "e.rs", 1), gauge)]);
    assert!(registry
        .render(Format::Prometheus)
        .ends_with("g -9223372036854775808\n"));
    gauge.sub(1);
    assert_eq!(gauge.get(), i64::MAX);
}

#[test]
fn float_gauge_keeps_and_writes_non_finite_values() {
    let gauge: &'static FloatGauge = leak(FloatGauge::new());
    let registry = registry_with(vec![(desc("f", "F.", MetricType::Gauge, "e.rs", 1), gauge)]);
    for (value, prometheus, openmetrics) in [
        (f64::NAN, "NaN", "NaN"),
        (f64::INFINITY, "+Inf", "+Inf"),
        (f64::NEG_INFINITY, "-Inf", "-Inf"),
        (-2.0, "-2", "-2.0"),
        (-0.0, "0", "0.0"),
    ] {
        gauge.set(value);
        assert_eq!(gauge.get().to_bits(), value.to_bits());
        assert!(registry
            .render(Format::Prometheus)
            .ends_with(&format!("f {prometheus}\n")));
        assert!(registry
            .render(Format::OpenMetrics)
            .ends_with(&format!("f {openmetrics}\n# EOF\n")));
    }
}

#[test]
fn histogram_nan_infinities_and_negatives() {
    let histogram: &'static Histogram =
        leak(Histogram::with_buckets(Buckets::checked(&[0.0, 1.0])));
    histogram.observe(-5.0); // below every bound: first bucket
    assert_eq!(
        histogram.buckets(),
        vec![(0.0, 1), (1.0, 1), (f64::INFINITY, 1)]
    );
    assert_eq!(histogram.sum(), -5.0);
    histogram.observe(f64::NEG_INFINITY);
    assert_eq!(histogram.buckets()[0], (0.0, 2));
    assert_eq!(histogram.sum(), f64::NEG_INFINITY);
    histogram.observe(f64::INFINITY); // -inf + inf = NaN in the sum
    assert_eq!(
        histogram.buckets(),
        vec![(0.0, 2), (1.0, 2), (f64::INFINITY, 3)]
    );
    assert!(histogram.sum().is_nan());

    let with_nan: &'static Histogram = leak(Histogram::with_buckets(Buckets::checked(&[1.0])));
    with_nan.observe(0.5);
    with_nan.observe(f64::NAN);
    assert_eq!(
        with_nan.count(),
        2,
        "a NaN observation is counted, not lost"
    );
    assert_eq!(
        with_nan.buckets(),
        vec![(1.0, 1), (f64::INFINITY, 2)],
        "in the +Inf bucket"
    );
    assert_eq!(with_nan.sum(), 0.5, "but not added to the sum");
    let registry = registry_with(vec![(
        desc("p", "P.", MetricType::Histogram, "e.rs", 1),
        with_nan,
    )]);
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("p_sum 0.5\np_count 2\n"), "{text}");
    let text = registry.render(Format::OpenMetrics);
    assert!(text.contains("p_sum 0.5\np_count 2\n"), "{text}");
}

#[test]
fn timer_records_elapsed_seconds_or_nothing_when_discarded() {
    let histogram = Histogram::new();
    let timer = histogram.start_timer();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let seconds = timer.observe_duration();
    // Seconds: at least the sleep, and the upper bound leaves a busy machine room to wake the
    // thread late while still telling seconds from milliseconds (which would record 20).
    assert!((0.02..10.0).contains(&seconds), "{seconds}");
    assert_eq!(histogram.count(), 1);
    assert_eq!(histogram.sum(), seconds);
    histogram.start_timer().discard();
    assert_eq!(histogram.count(), 1);
    {
        let _timer = histogram.start_timer();
    }
    assert_eq!(histogram.count(), 2);
}
