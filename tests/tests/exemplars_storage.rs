//! Exemplar storage: the OpenMetrics 128-character limit and the other checks, refusals that
//! keep the observation, and whole (never torn) exemplars under concurrent writers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oxios_metrics::exemplar::{ExemplarCell, EXEMPLAR_MAX_CHARS};
use oxios_metrics::{Buckets, ExemplarCounter, ExemplarError, ExemplarHistogram, Family};
use oxios_metrics_tests::Method;

#[test]
fn the_128_character_limit_is_checked_not_truncated() {
    let counter = ExemplarCounter::new();
    let exact = "a".repeat(EXEMPLAR_MAX_CHARS - "trace_id".len());
    assert_eq!(counter.inc_with_exemplar(&[("trace_id", &exact)]), Ok(()));
    assert_eq!(
        counter.exemplar().unwrap().labels().next(),
        Some(("trace_id", exact.as_str()))
    );
    let over = "b".repeat(exact.len() + 1);
    assert_eq!(
        counter.inc_with_exemplar(&[("trace_id", &over)]),
        Err(ExemplarError::TooManyCharacters { chars: 129 })
    );
    // The increment happened; the previous exemplar is kept whole.
    assert_eq!(counter.get(), 2);
    assert_eq!(
        counter.exemplar().unwrap().labels().next(),
        Some(("trace_id", exact.as_str()))
    );
    // Names count too, across labels.
    let half = "c".repeat(60);
    assert_eq!(
        counter.inc_with_exemplar(&[("trace_id", &half), ("span_id", &half)]),
        Err(ExemplarError::TooManyCharacters { chars: 135 })
    );
}

#[test]
fn characters_are_counted_not_bytes_within_the_storage() {
    let counter = ExemplarCounter::new();
    // 8 + 60 = 68 characters in 8 + 120 = 128 bytes: allowed and stored.
    let accents = "é".repeat(60);
    assert_eq!(counter.inc_with_exemplar(&[("trace_id", &accents)]), Ok(()));
    assert_eq!(
        counter.exemplar().unwrap().labels().next().unwrap().1,
        accents
    );
    // 61 accents: 69 characters, within the OpenMetrics limit, but 130 bytes do not fit.
    let more = "é".repeat(61);
    assert_eq!(
        counter.inc_with_exemplar(&[("trace_id", &more)]),
        Err(ExemplarError::TooManyBytes { bytes: 130 })
    );
}

#[test]
fn names_and_label_counts_are_checked() {
    let counter = ExemplarCounter::new();
    assert_eq!(
        counter.inc_with_exemplar(&[("trace-id", "x")]),
        Err(ExemplarError::InvalidLabelName { index: 0 })
    );
    assert_eq!(
        counter.inc_with_exemplar(&[("a", "1"), ("__b", "2")]),
        Err(ExemplarError::InvalidLabelName { index: 1 })
    );
    assert_eq!(
        counter.inc_with_exemplar(&[("a", "1"), ("a", "2")]),
        Err(ExemplarError::DuplicateLabelName { index: 1 })
    );
    let nine: Vec<(String, &str)> = (0..9).map(|i| (format!("l{i}"), "v")).collect();
    let nine: Vec<(&str, &str)> = nine.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    assert_eq!(
        counter.inc_with_exemplar(&nine),
        Err(ExemplarError::TooManyLabels { labels: 9 })
    );
    assert!(counter.exemplar().is_none(), "nothing was stored");
    assert_eq!(counter.get(), 4);
    // An empty label set is a valid exemplar.
    assert_eq!(counter.inc_with_exemplar(&[]), Ok(()));
    assert_eq!(counter.exemplar().unwrap().labels().count(), 0);
    assert_eq!(
        ExemplarError::TooManyCharacters { chars: 129 }.to_string(),
        "exemplar labels hold 129 characters; OpenMetrics allows 128"
    );
}

#[test]
fn values_and_timestamps_are_kept() {
    let at = UNIX_EPOCH + Duration::new(1_700_000_000, 123_000_000);
    let counter = ExemplarCounter::new();
    counter
        .add_with_exemplar_at(5, &[("trace_id", "abc")], at)
        .unwrap();
    let exemplar = counter.exemplar().unwrap();
    assert_eq!(exemplar.value(), 5.0);
    assert_eq!(exemplar.timestamp(), at);
    assert_eq!(exemplar.timestamp_nanos(), 1_700_000_000_123_000_000);
    let before = SystemTime::now();
    counter.inc_with_exemplar(&[("trace_id", "def")]).unwrap();
    assert!(counter.exemplar().unwrap().timestamp() >= before);
}

#[test]
fn histogram_exemplars_stay_in_their_bucket() {
    let histogram = ExemplarHistogram::with_buckets(Buckets::checked(&[0.1, 1.0]));
    histogram
        .observe_with_exemplar(0.1, &[("trace_id", "edge")])
        .unwrap();
    histogram
        .observe_with_exemplar(0.7, &[("trace_id", "mid")])
        .unwrap();
    histogram
        .observe_with_exemplar(f64::NAN, &[("trace_id", "nan")])
        .unwrap();
    histogram.observe(0.2);
    assert_eq!(histogram.count(), 4);
    assert_eq!(
        histogram.exemplar(0).unwrap().value(),
        0.1,
        "le is inclusive"
    );
    assert_eq!(
        histogram.exemplar(1).unwrap().labels().next(),
        Some(("trace_id", "mid"))
    );
    assert!(
        histogram.exemplar(2).unwrap().value().is_nan(),
        "NaN goes to +Inf"
    );
    assert!(histogram.exemplar(3).is_none(), "no bucket 3");
    static FAMILY: Family<Method, ExemplarHistogram> = Family::new();
    FAMILY
        .get(Method::Post)
        .observe_with_exemplar(3.0, &[("span_id", "1")])
        .unwrap();
    assert_eq!(FAMILY.get(Method::Post).exemplar(9).unwrap().value(), 3.0);
    assert!(FAMILY.get(Method::Get).exemplar(9).is_none());
}

/// Two writers store exemplars whose label encodes their value; a reader checks every copy
/// it takes is one whole exemplar, never half of each.
#[test]
fn concurrent_writers_never_tear_an_exemplar() {
    static CELL: ExemplarCell = ExemplarCell::new();
    static DONE: AtomicBool = AtomicBool::new(false);
    let per_thread: u32 = if cfg!(debug_assertions) {
        100_000
    } else {
        1_000_000
    };
    let (stored, reads) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut reads = 0u64;
            while !DONE.load(Ordering::Relaxed) {
                if let Some(exemplar) = CELL.snapshot() {
                    let labels: Vec<_> = exemplar.labels().collect();
                    let value = exemplar.value();
                    // Writer 0 writes short labels, writer 1 long ones: a torn copy would mix.
                    let expected_id = if value < 1e9 {
                        format!("{value}")
                    } else {
                        format!("{value}-{}", "x".repeat(90))
                    };
                    assert_eq!(
                        labels,
                        vec![
                            ("id", expected_id.as_str()),
                            ("w", if value < 1e9 { "0" } else { "1" })
                        ]
                    );
                    reads += 1;
                }
            }
            reads
        });
        let writers: Vec<_> = (0..2u32)
            .map(|writer| {
                scope.spawn(move || {
                    let mut stored = 0u64;
                    for k in 0..per_thread {
                        let value = if writer == 0 {
                            f64::from(k)
                        } else {
                            1e9 + f64::from(k)
                        };
                        let id = if writer == 0 {
                            format!("{value}")
                        } else {
                            format!("{value}-{}", "x".repeat(90))
                        };
                        let w = if writer == 0 { "0" } else { "1" };
                        if CELL.record(&[("id", &id), ("w", w)], value, SystemTime::now())
                            == Ok(true)
                        {
                            stored += 1;
                        }
                    }
                    stored
                })
            })
            .collect();
        let stored: u64 = writers.into_iter().map(|w| w.join().expect("writer")).sum();
        DONE.store(true, Ordering::Relaxed);
        (stored, reader.join().expect("reader"))
    });
    assert!(stored > 0 && reads > 0, "stored {stored}, read {reads}");
    assert!(CELL.snapshot().is_some());
}
