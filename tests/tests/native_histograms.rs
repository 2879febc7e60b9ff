//! Native histograms: schema reduction keeps every count, snapshots stay consistent under
//! concurrent observers and scrapes, families and the text formats.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use oxios_metrics::native::{bucket_index, NativeSnapshot};
use oxios_metrics::{
    Buckets, Family, Format, MetricType, NativeConfig, NativeConfigError, NativeHistogram,
};
use oxios_metrics_tests::{
    assert_well_formed, desc, leak, promtool_check, registry_with, Checked, Method,
};

/// The buckets `values` fill at `schema`, computed without the histogram.
fn expected_buckets(values: &[f64], schema: i8) -> (BTreeMap<i32, u64>, BTreeMap<i32, u64>) {
    let (mut positive, mut negative) = (BTreeMap::new(), BTreeMap::new());
    for &value in values {
        let index = bucket_index(value, schema).expect("no zero or NaN here");
        *if value > 0.0 {
            &mut positive
        } else {
            &mut negative
        }
        .entry(index)
        .or_insert(0) += 1;
    }
    (positive, negative)
}

fn buckets_of(snapshot: &NativeSnapshot) -> (BTreeMap<i32, u64>, BTreeMap<i32, u64>) {
    (
        snapshot.positive().iter().collect(),
        snapshot.negative().iter().collect(),
    )
}

/// What every snapshot must satisfy; with observers running, the classic buckets may differ
/// from the native count by the observations in flight (`in_flight`).
fn assert_consistent_within(snapshot: &NativeSnapshot, nan_count: u64, in_flight: u64) {
    assert_eq!(
        snapshot.zero_count() + snapshot.positive().total() + snapshot.negative().total(),
        snapshot.count(),
        "zero + buckets must equal count: {snapshot:?}"
    );
    assert_eq!(snapshot.nan_count(), nan_count);
    if snapshot.classic_bounds().is_some() {
        // NaN is in the classic `+Inf` bucket.
        let classic: u64 = snapshot.classic_counts().iter().sum();
        assert!(
            classic.abs_diff(snapshot.count() + nan_count) <= in_flight,
            "classic total {classic} vs count {}",
            snapshot.count()
        );
        let cumulative: Vec<u64> = snapshot.classic_cumulative().map(|(_, c)| c).collect();
        assert!(
            cumulative.windows(2).all(|pair| pair[0] <= pair[1]),
            "{cumulative:?}"
        );
        assert_eq!(cumulative.last(), Some(&snapshot.count()));
    }
}

/// What every snapshot taken with no observer running must satisfy.
fn assert_consistent(snapshot: &NativeSnapshot, nan_count: u64) {
    assert_consistent_within(snapshot, nan_count, 0);
}

#[test]
fn reduction_lowers_the_schema_and_keeps_every_count() {
    let histogram = NativeHistogram::new().with_schema(8).with_max_buckets(20);
    let values: Vec<f64> = (1..=1000)
        .map(f64::from)
        .chain((1..=300).map(|k| -f64::from(k) / 7.0))
        .collect();
    for &value in &values {
        histogram.observe(value);
    }
    let snapshot = histogram.snapshot();
    assert!(snapshot.schema() < 8, "the schema was lowered");
    assert_consistent(&snapshot, 0);
    assert_eq!(snapshot.count(), values.len() as u64);
    let positive_span = snapshot
        .positive()
        .runs()
        .map(|(start, len)| start + len as i32)
        .max()
        .unwrap()
        - snapshot.positive().iter().next().unwrap().0;
    assert!(positive_span <= 20, "span {positive_span} over the limit");
    // Every observation sits in the bucket its value has at the final schema.
    assert_eq!(
        buckets_of(&snapshot),
        expected_buckets(&values, snapshot.schema())
    );
    // 1 to 1000 spans 21 buckets at schema 1 (0..=20), one too many: schema 0 holds them in 11.
    assert_eq!(snapshot.schema(), 0);
    let exact_sum: f64 = values.iter().sum();
    assert!((snapshot.sum() - exact_sum).abs() < 1e-9 * exact_sum.abs());
}

#[test]
fn the_whole_float_range_fits_at_the_coarsest_schema() {
    let histogram = NativeHistogram::new()
        .with_zero_threshold(0.0)
        .with_max_buckets(5);
    let values = [
        f64::from_bits(1),
        1e-300,
        1e-10,
        1.0,
        1e10,
        1e300,
        f64::MAX,
        f64::INFINITY,
        -f64::INFINITY,
        -5e-324,
    ];
    for value in values {
        histogram.observe(value);
    }
    let snapshot = histogram.snapshot();
    assert_eq!(snapshot.schema(), -4);
    assert_eq!(snapshot.count(), values.len() as u64);
    assert_consistent(&snapshot, 0);
    assert_eq!(buckets_of(&snapshot), expected_buckets(&values, -4));
    assert!(snapshot.sum().is_nan(), "+Inf + -Inf");
}

#[test]
fn zero_bucket_nan_and_infinities() {
    let histogram = NativeHistogram::new().with_zero_threshold(0.001);
    for value in [0.0, -0.0, 0.001, -0.0005, f64::NAN, f64::INFINITY, 2.0] {
        histogram.observe(value);
    }
    let snapshot = histogram.snapshot();
    assert_eq!(snapshot.zero_count(), 4, "|v| <= threshold, both signs");
    assert_eq!(snapshot.count(), 6, "NaN has no bucket");
    assert_eq!(snapshot.nan_count(), 1, "NaN is counted apart");
    assert_consistent(&snapshot, 1);
    // +Inf's bucket is 8193 at schema 3, so 2 and +Inf span 8186 buckets: the histogram
    // lowers its schema until they fit in 160 (schema -3: buckets 1 and 129).
    assert_eq!(snapshot.schema(), -3);
    assert_eq!(
        snapshot.positive().iter().collect::<Vec<_>>(),
        vec![(1, 1), (129, 1)]
    );
    assert_eq!(snapshot.sum(), f64::INFINITY, "NaN is not added to the sum");
}

#[test]
fn spans_and_deltas_follow_the_protobuf_layout() {
    let histogram = NativeHistogram::new().with_schema(0);
    // Buckets 0, 1, 3 (one empty bucket between: same span), 7 (three empty: a new span).
    for value in [1.0, 2.0, 2.0, 8.0, 8.0, 8.0, 128.0] {
        histogram.observe(value);
    }
    let snapshot = histogram.snapshot();
    let positive = snapshot.positive();
    let spans: Vec<(i32, u32)> = positive
        .spans()
        .map(|span| (span.offset, span.length))
        .collect();
    assert_eq!(spans, vec![(0, 4), (3, 1)]);
    assert_eq!(
        positive.span_counts().collect::<Vec<_>>(),
        vec![1, 2, 0, 3, 1]
    );
    assert_eq!(positive.deltas().collect::<Vec<_>>(), vec![1, 1, -2, 3, -2]);
    assert!(snapshot.negative().is_empty());
    assert_eq!(snapshot.negative().spans().count(), 0);
}

#[test]
fn invalid_options_are_errors() {
    let config = NativeConfig::new();
    assert_eq!(
        config.clone().try_with_schema(-5),
        Err(NativeConfigError::Schema(-5))
    );
    assert_eq!(
        config.clone().try_with_schema(9),
        Err(NativeConfigError::Schema(9))
    );
    assert_eq!(
        config.clone().try_with_max_buckets(0),
        Err(NativeConfigError::MaxBuckets(0))
    );
    assert_eq!(
        config.clone().try_with_max_buckets(161),
        Err(NativeConfigError::MaxBuckets(161))
    );
    assert!(matches!(
        config.clone().try_with_zero_threshold(-1.0),
        Err(NativeConfigError::ZeroThreshold(_))
    ));
    assert!(config.clone().try_with_zero_threshold(f64::NAN).is_err());
    assert_eq!(
        config.clone().try_with_schema(-4).map(|c| c.schema()),
        Ok(-4)
    );
    assert_eq!(
        NativeConfigError::Schema(9).to_string(),
        "native histogram schema 9 is outside -4..=8"
    );
}

const PER_THREAD: u64 = if cfg!(debug_assertions) {
    200_000
} else {
    2_000_000
};

/// Runs `body` on its own thread and fails if it takes longer than `limit` (a hang fails).
fn within(limit: Duration, body: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        body();
        let _ = done.send(());
    });
    match finished.recv_timeout(limit) {
        Ok(()) => worker.join().expect("test body"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(worker.join().expect_err("the body panicked"))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("no result within {limit:?}: a hang"),
    }
}

/// Two observers with widely spread values (so the schema is lowered while they run) and a
/// scraper taking snapshots all the while: every snapshot is consistent, counts never go
/// down, the schema never goes up, and at the end nothing is lost.
#[test]
fn concurrent_observers_reductions_and_scrapes() {
    within(Duration::from_secs(120), || {
        static HISTOGRAM: NativeHistogram = NativeHistogram::new()
            .with_schema(8)
            .with_max_buckets(40)
            .with_classic_buckets(Buckets::checked(&[0.01, 1.0, 100.0]));
        static DONE: AtomicBool = AtomicBool::new(false);
        // Observation k of thread t: a multiple of 2^-13 below 2^11, so every partial sum of a
        // few million of them is exact in an f64 whatever the order.
        fn value(thread: u64, k: u64) -> f64 {
            let magnitude = 2f64.powi((k % 21) as i32 - 10) * (1.0 + (k % 7) as f64 / 8.0);
            if thread == 0 {
                magnitude
            } else {
                -magnitude
            }
        }
        let scrapes = std::thread::scope(|scope| {
            let scraper = scope.spawn(|| {
                let (mut last_count, mut last_schema, mut scrapes) = (0, 8, 0u64);
                while !DONE.load(Ordering::Relaxed) {
                    let snapshot = HISTOGRAM.snapshot();
                    // Each observer has at most one observation in flight per switch, and one
                    // that lands in an emptied bank is archived within two switches.
                    assert_consistent_within(&snapshot, 0, 4);
                    assert!(snapshot.count() >= last_count, "count went down");
                    assert!(snapshot.schema() <= last_schema, "schema went up");
                    (last_count, last_schema) = (snapshot.count(), snapshot.schema());
                    scrapes += 1;
                }
                scrapes
            });
            let observers: Vec<_> = (0..2)
                .map(|thread| {
                    scope.spawn(move || {
                        for k in 0..PER_THREAD {
                            HISTOGRAM.observe(value(thread, k));
                        }
                    })
                })
                .collect();
            for observer in observers {
                observer.join().expect("observer");
            }
            DONE.store(true, Ordering::Relaxed);
            scraper.join().expect("scraper")
        });
        assert!(scrapes > 0);
        // Two switches archive whatever landed in an emptied bank during the run.
        HISTOGRAM.snapshot();
        let snapshot = HISTOGRAM.snapshot();
        assert_consistent(&snapshot, 0);
        assert_eq!(snapshot.count(), 2 * PER_THREAD);
        let values: Vec<f64> = (0..2)
            .flat_map(|t| (0..PER_THREAD).map(move |k| value(t, k)))
            .collect();
        assert_eq!(
            buckets_of(&snapshot),
            expected_buckets(&values, snapshot.schema())
        );
        let exact: f64 = values.iter().sum();
        assert!(
            (snapshot.sum() - exact).abs() <= 1e-6,
            "sum {} vs {exact}",
            snapshot.sum()
        );
    });
}

#[test]
fn family_members_share_one_config() {
    static BY_METHOD: Family<Method, NativeHistogram> =
        Family::with_config(NativeConfig::new().with_schema(0));
    BY_METHOD.get(Method::Get).observe(3.0);
    BY_METHOD.get(Method::Get).observe(4.0);
    BY_METHOD.get(Method::Post).observe(0.5);
    let get = BY_METHOD.get(Method::Get).snapshot();
    assert_eq!(get.positive().iter().collect::<Vec<_>>(), vec![(2, 2)]);
    assert_eq!(BY_METHOD.get(Method::Post).snapshot().count(), 1);
    assert_eq!(BY_METHOD.get(Method::Get).config().schema(), 0);
}

#[test]
fn text_formats_write_classic_buckets_or_only_inf_sum_count() {
    let plain = leak(NativeHistogram::new());
    let classic = leak(NativeHistogram::new().with_classic_buckets(Buckets::checked(&[0.5, 1.0])));
    for value in [0.25, 0.75, 3.0] {
        plain.observe(value);
        classic.observe(value);
    }
    let registry = registry_with(vec![
        (
            desc(
                "native_plain_seconds",
                "Plain.",
                MetricType::Histogram,
                "n.rs",
                1,
            )
            .with_unit("seconds"),
            plain,
        ),
        (
            desc(
                "native_classic",
                "With classic buckets.",
                MetricType::Histogram,
                "n.rs",
                2,
            ),
            classic,
        ),
    ]);
    let text = registry.render(Format::Prometheus);
    assert_eq!(
        text,
        concat!(
            "# HELP native_plain_seconds Plain.\n",
            "# TYPE native_plain_seconds histogram\n",
            "native_plain_seconds_bucket{le=\"+Inf\"} 3\n",
            "native_plain_seconds_sum 4\n",
            "native_plain_seconds_count 3\n",
            "# HELP native_classic With classic buckets.\n",
            "# TYPE native_classic histogram\n",
            "native_classic_bucket{le=\"0.5\"} 1\n",
            "native_classic_bucket{le=\"1\"} 2\n",
            "native_classic_bucket{le=\"+Inf\"} 3\n",
            "native_classic_sum 4\n",
            "native_classic_count 3\n",
        )
    );
    assert_well_formed(&text, Format::Prometheus);
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool: {said}");
    }
    let openmetrics = registry.render(Format::OpenMetrics);
    assert!(openmetrics.contains("native_classic_bucket{le=\"1.0\"} 2\n"));
    assert!(openmetrics.contains("native_plain_seconds_bucket{le=\"+Inf\"} 3\n"));
    assert_well_formed(&openmetrics, Format::OpenMetrics);
}

/// OpenMetrics treats `_sum` as a counter: once a negative value is observed a native
/// histogram's text leaves `_sum` and `_count` out there (the `+Inf` bucket keeps the
/// count), as classic histograms do; 0.0.4 keeps both.
#[test]
fn negative_values_drop_the_openmetrics_sum() {
    let temperatures = leak(NativeHistogram::new());
    for value in [-3.0, 1.0, f64::NAN] {
        temperatures.observe(value);
    }
    let registry = registry_with(vec![(
        desc(
            "temperature_celsius",
            "T.",
            MetricType::Histogram,
            "n.rs",
            1,
        )
        .with_unit("celsius"),
        temperatures,
    )]);
    let openmetrics = registry.render(Format::OpenMetrics);
    assert!(
        openmetrics.contains("temperature_celsius_bucket{le=\"+Inf\"} 3\n"),
        "{openmetrics}"
    );
    assert!(!openmetrics.contains("_sum"), "{openmetrics}");
    assert!(!openmetrics.contains("_count"), "{openmetrics}");
    if let Checked::Ran(parsed) = oxios_metrics_tests::openmetrics_parse(&openmetrics) {
        assert!(
            parsed.contains("temperature_celsius_bucket{le='+Inf'} 3"),
            "parser said:\n{parsed}"
        );
    }
    let prometheus = registry.render(Format::Prometheus);
    assert!(
        prometheus.contains("temperature_celsius_sum -2\n"),
        "NaN is not in the sum"
    );
    assert!(
        prometheus.contains("temperature_celsius_count 3\n"),
        "NaN is in the count"
    );
}
