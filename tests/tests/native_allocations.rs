//! Native histograms, summaries and the exemplar types allocate nothing: neither when
//! observing (schema reductions and epoch switches included) nor in a warm scrape in any
//! format. Counted by a global allocator that counts every allocation of this test binary.

use oxios_metrics::encode::{Escaping, Exposition};
use oxios_metrics::{
    Buckets, ExemplarCounter, ExemplarHistogram, ExemplarNativeHistogram, Family, Format,
    MetricType, NativeHistogram, Summary,
};
use oxios_metrics_tests::counting_alloc::{allocations, CountingAllocator};
use oxios_metrics_tests::{desc, registry_with, Method};

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

static NATIVE: NativeHistogram = NativeHistogram::new()
    .with_schema(8)
    .with_max_buckets(20)
    .with_classic_buckets(Buckets::checked(&[0.1, 1.0, 10.0]));
/// First observed inside a counted round, so its schema reductions are counted too.
static FRESH: NativeHistogram = NativeHistogram::new().with_schema(8).with_max_buckets(10);
static NATIVE_BY_METHOD: Family<Method, NativeHistogram> = Family::new();
static SUMMARY: Summary = Summary::new();
static COUNTER: ExemplarCounter = ExemplarCounter::new();
static HISTOGRAM: ExemplarHistogram = ExemplarHistogram::with_buckets(Buckets::checked(&[1.0]));
static NATIVE_EXEMPLARS: ExemplarNativeHistogram = ExemplarNativeHistogram::new();

fn observe_everything(round: u32) {
    for k in 0..2_000u32 {
        // Values over 2^-10 .. 2^10: the schema drops from 8 as the buckets fill.
        let value = 2f64.powi((k % 21) as i32 - 10) * if k % 3 == 0 { -1.0 } else { 1.0 };
        NATIVE.observe(value);
        NATIVE_BY_METHOD.get(Method::Get).observe(value);
        SUMMARY.observe(value);
        let id = [b'a' + (round % 26) as u8; 16];
        let id = std::str::from_utf8(&id).expect("ASCII");
        COUNTER
            .inc_with_exemplar(&[("trace_id", id)])
            .expect("valid");
        HISTOGRAM
            .observe_with_exemplar(value, &[("trace_id", id)])
            .expect("valid");
        NATIVE_EXEMPLARS
            .observe_with_exemplar(value, &[("trace_id", id)])
            .expect("valid");
        assert!(COUNTER.inc_with_exemplar(&[("bad-name", id)]).is_err());
    }
}

#[test]
fn observing_and_warm_scrapes_allocate_nothing() {
    // The only test in this binary, so no other test allocates while it counts.
    let before = allocations();
    let boxed = std::hint::black_box(Box::new(5u64));
    assert!(allocations() > before);
    drop(boxed);
    // The first round may allocate once per process (the summary's clock origin).
    observe_everything(0);
    let registry = registry_with(vec![
        (
            desc("native", "N.", MetricType::Histogram, "a.rs", 1),
            &NATIVE,
        ),
        (
            desc("native_family", "F.", MetricType::Histogram, "a.rs", 2),
            &NATIVE_BY_METHOD,
        ),
        (
            desc("summary", "S.", MetricType::Summary, "a.rs", 3),
            &SUMMARY,
        ),
        (
            desc("counter", "C.", MetricType::Counter, "a.rs", 4),
            &COUNTER,
        ),
        (
            desc("histogram", "H.", MetricType::Histogram, "a.rs", 5),
            &HISTOGRAM,
        ),
        (
            desc("native_exemplars", "E.", MetricType::Histogram, "a.rs", 6),
            &NATIVE_EXEMPLARS,
        ),
    ]);
    let before = allocations();
    observe_everything(1);
    assert_eq!(allocations() - before, 0, "allocations while observing");
    let before = allocations();
    for k in 0..1_000 {
        FRESH.observe(f64::from(k) * 0.37 - 100.0);
    }
    let fresh = FRESH.snapshot();
    assert_eq!(
        allocations() - before,
        0,
        "allocations while reducing and in a snapshot"
    );
    assert!(
        fresh.schema() < 8,
        "the schema was lowered in the counted round"
    );
    assert_eq!(fresh.count(), 1_000);
    // Every format, OpenMetrics also with `_created` lines, protobuf also with UTF-8 names.
    let expositions = Format::ALL.into_iter().map(Exposition::new).chain([
        Exposition::new(Format::OpenMetrics).with_created(true),
        Exposition::new(Format::Protobuf).with_escaping(Escaping::AllowUtf8),
    ]);
    let mut round = 2;
    for exposition in expositions {
        let mut buffer = Vec::new();
        registry.encode_to_vec(&mut buffer, exposition);
        let capacity = buffer.capacity();
        for _ in 0..4 {
            round += 1;
            observe_everything(round);
            buffer.clear();
            let before = allocations();
            registry.encode_to_vec(&mut buffer, exposition);
            assert_eq!(
                allocations() - before,
                0,
                "{exposition:?}: allocations in a warm scrape"
            );
            assert!(buffer.capacity() <= capacity.max(buffer.len()));
            // The scrape wrote the exemplars where the format carries them (this round's
            // trace id), and none where it does not.
            let id = [b'a' + (round % 26) as u8; 16];
            let carries =
                exposition.format().is_openmetrics() || exposition.format() == Format::Protobuf;
            assert_eq!(
                buffer.windows(16).any(|window| window == id),
                carries,
                "{exposition:?}: this round's exemplars"
            );
        }
    }
}
