//! Writers on several threads lose nothing, and scrapes taken while they write are each
//! self-consistent.

use std::sync::atomic::{AtomicBool, Ordering};

use oxios_metrics::{
    Buckets, Counter, Family, FloatCounter, FloatGauge, Format, Gauge, Histogram, MetricType,
};
use oxios_metrics_tests::{desc, registry_with, Method, Path};

const THREADS: usize = 2;
/// Ten million operations per thread in release builds (`cargo test --release`); one million
/// in debug builds, where each operation is ~10 times slower, to keep the suite fast.
const PER_THREAD: u64 = if cfg!(debug_assertions) {
    1_000_000
} else {
    10_000_000
};

#[test]
fn two_threads_of_increments_are_exact() {
    static COUNTER: Counter = Counter::new();
    static GAUGE: Gauge = Gauge::new();
    static FAMILY: Family<Method, Counter> = Family::new();
    static FLOAT: FloatCounter = FloatCounter::new();
    static HISTOGRAM: Histogram = Histogram::with_buckets(Buckets::checked(&[0.5, 1.0, 2.0]));
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            scope.spawn(move || {
                for _ in 0..PER_THREAD {
                    COUNTER.inc();
                    GAUGE.inc();
                    FAMILY
                        .get(if thread == 0 {
                            Method::Get
                        } else {
                            Method::Post
                        })
                        .inc();
                    FLOAT.add(0.5);
                    HISTOGRAM.observe(if thread == 0 { 1.0 } else { 2.0 });
                }
            });
        }
    });
    assert_eq!(COUNTER.get(), THREADS as u64 * PER_THREAD);
    assert_eq!(GAUGE.get(), (THREADS as u64 * PER_THREAD) as i64);
    assert_eq!(FAMILY.get(Method::Get).get(), PER_THREAD);
    assert_eq!(FAMILY.get(Method::Post).get(), PER_THREAD);
    // Halves add exactly in binary floating point up to 2^53.
    assert_eq!(FLOAT.get(), (THREADS as u64 * PER_THREAD) as f64 * 0.5);
    assert_eq!(HISTOGRAM.count(), THREADS as u64 * PER_THREAD);
    assert_eq!(
        HISTOGRAM.buckets(),
        vec![
            (0.5, 0),
            (1.0, PER_THREAD),
            (2.0, 2 * PER_THREAD),
            (f64::INFINITY, 2 * PER_THREAD)
        ]
    );
    // Whole numbers add exactly in binary floating point up to 2^53.
    assert_eq!(HISTOGRAM.sum(), PER_THREAD as f64 * 3.0);
}

#[test]
fn float_values_are_never_torn() {
    // Two bit patterns that differ in every byte: a torn read would show a mix.
    const A: f64 = 1.0000000000000002; // 0x3FF0000000000001
    const B: f64 = -2.9999999999999996; // 0xC007FFFFFFFFFFFF
    static GAUGE: FloatGauge = FloatGauge::new();
    GAUGE.set(A);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for value in [A, B] {
            let stop = &stop;
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    GAUGE.set(value);
                }
            });
        }
        for _ in 0..PER_THREAD {
            let read = GAUGE.get();
            assert!(
                read.to_bits() == A.to_bits() || read.to_bits() == B.to_bits(),
                "torn: {read:e}"
            );
        }
        stop.store(true, Ordering::Relaxed);
    });
}

#[test]
fn dynamic_family_under_contention_keeps_every_increment() {
    static FAMILY: Family<Path, Counter> = Family::new().with_max_series(50);
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            scope.spawn(move || {
                for index in 0..100_000u64 {
                    // 100 distinct paths: 50 get series, the rest share the overflow.
                    let path = format!("/{}", (index + thread as u64) % 100);
                    FAMILY.get(Path { path }).inc();
                }
            });
        }
    });
    assert_eq!(FAMILY.series_count(), 50);
    let text = {
        let registry = registry_with(vec![(
            desc("hits", "Hits.", MetricType::Counter, "c.rs", 1),
            &FAMILY,
        )]);
        registry.render(Format::Prometheus)
    };
    let total: u64 = text
        .lines()
        .filter(|line| line.starts_with("hits_total"))
        .map(|line| line.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(
        total,
        THREADS as u64 * 100_000,
        "every increment is in a series or the overflow"
    );
    assert!(
        text.contains("hits_total{series_overflow=\"true\"}"),
        "{text}"
    );
    assert!(FAMILY.overflowed_lookups() > 0);
}

/// Parses one histogram's lines out of an exposition: cumulative bucket counts, `_count`.
fn histogram_lines(text: &str, name: &str) -> (Vec<u64>, u64) {
    let mut buckets = Vec::new();
    let mut count = None;
    for line in text.lines() {
        let value = || line.rsplit(' ').next().unwrap().parse::<u64>().unwrap();
        if line.starts_with(&format!("{name}_bucket{{")) {
            buckets.push(value());
        } else if line.starts_with(&format!("{name}_count")) {
            count = Some(value());
        }
    }
    (buckets, count.expect("a _count line"))
}

#[test]
fn a_thousand_scrapes_under_two_writers_are_each_consistent() {
    static HISTOGRAM: Histogram =
        Histogram::with_buckets(Buckets::checked(&[0.1, 0.2, 0.5, 1.0, 2.0]));
    let registry = registry_with(vec![(
        desc("work_seconds", "Work.", MetricType::Histogram, "c.rs", 1).with_unit("seconds"),
        &HISTOGRAM,
    )]);
    let stop = AtomicBool::new(false);
    let mut last_count = 0;
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let stop = &stop;
            scope.spawn(move || {
                let mut step = thread as u64;
                while !stop.load(Ordering::Relaxed) {
                    HISTOGRAM.observe((step % 30) as f64 * 0.1);
                    step += 1;
                }
            });
        }
        let mut buffer = Vec::new();
        for scrape in 0..1000 {
            for format in [Format::Prometheus, Format::OpenMetrics] {
                buffer.clear();
                registry.encode_to_vec(&mut buffer, format);
                let text = std::str::from_utf8(&buffer).unwrap();
                let (buckets, count) = histogram_lines(text, "work_seconds");
                assert_eq!(buckets.len(), 6);
                assert!(
                    buckets.windows(2).all(|pair| pair[0] <= pair[1]),
                    "scrape {scrape}: {buckets:?}"
                );
                assert_eq!(
                    buckets[5], count,
                    "scrape {scrape}: +Inf bucket equals _count"
                );
                assert!(
                    count >= last_count,
                    "scrape {scrape}: _count never goes back"
                );
                last_count = count;
            }
        }
        stop.store(true, Ordering::Relaxed);
    });
    assert!(last_count > 0, "the writers ran during the scrapes");
    assert_eq!(HISTOGRAM.count(), HISTOGRAM.buckets().last().unwrap().1);
}
