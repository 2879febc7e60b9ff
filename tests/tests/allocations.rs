//! A scrape into a reused buffer allocates nothing after the first one: counted by a global
//! allocator that counts every allocation of this test binary.

use oxios_metrics::encode::FamilyEncoder;
use oxios_metrics::{
    Buckets, CallbackFamily, Counter, Escaping, Exposition, Family, FamilyWriter, FloatGauge,
    Format, Gauge, Histogram, Info, MetricType, Registry,
};
use oxios_metrics_tests::counting_alloc::{allocations, CountingAllocator};
use oxios_metrics_tests::{desc, leak, registry_with, Method, Path};

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn per_method(out: &mut FamilyWriter<'_, Method>) {
    out.write(&Method::Get, 1.5);
    out.write(&Method::Post, 2.0);
    out.write(&Method::Get, 3.0); // a repeat, left out
}

fn registry() -> Registry {
    let counters: &'static Family<Method, Counter> = leak(Family::new());
    counters.get(Method::Get).inc();
    let paths: &'static Family<Path, Counter> = leak(Family::new());
    for index in 0..200 {
        paths
            .get(Path {
                path: format!("/p/{index}\"q\""),
            })
            .inc();
    }
    let gauge: &'static Gauge = leak(Gauge::new());
    let float: &'static FloatGauge = leak(FloatGauge::new());
    float.set(0.1 + 0.2);
    let latency: &'static Family<Method, Histogram> =
        leak(Family::with_config(Buckets::checked(&[
            0.01, 0.1, 1.0, 10.0,
        ])));
    latency.get(Method::Post).observe(0.5);
    let histogram: &'static Histogram = leak(Histogram::new());
    histogram.observe(3.0);
    let info: &'static Info = leak(Info::from_static(&[("version", "1")]));
    let sparse: &'static Family<Method, Histogram> = leak(Family::new().sparse());
    sparse.get(Method::Post).observe(0.2);
    let computed: &'static CallbackFamily<Method, Counter> = leak(CallbackFamily::new(per_method));
    let durations: &'static Family<Path, Histogram> = leak(Family::new());
    for index in 0..50 {
        durations
            .get(Path {
                path: format!("/d/{index}\"q\""),
            })
            .observe(index as f64 / 7.0);
    }
    registry_with(vec![
        (desc("c", "C.", MetricType::Counter, "a.rs", 1), counters),
        (desc("p", "P.", MetricType::Counter, "a.rs", 2), paths),
        (desc("g", "G.", MetricType::Gauge, "a.rs", 3), gauge),
        (desc("f", "F \"q\".", MetricType::Gauge, "a.rs", 4), float),
        (desc("l", "L.", MetricType::Histogram, "a.rs", 5), latency),
        (desc("h", "H.", MetricType::Histogram, "a.rs", 6), histogram),
        (desc("i", "I.", MetricType::Info, "a.rs", 7), info),
        (desc("s", "S.", MetricType::Histogram, "a.rs", 8), sparse),
        (desc("k", "K.", MetricType::Counter, "a.rs", 9), computed),
        (
            desc("d", "D.", MetricType::Histogram, "a.rs", 10),
            durations,
        ),
    ])
}

/// Instances of one group under sub-registries (one family, several members), with a
/// run-time prefix and escaped constant labels.
fn scoped_registry() -> Registry {
    #[derive(oxios_metrics::Metrics)]
    struct Instance {
        /// Requests by method.
        requests: Family<Method, Counter>,
        /// Sessions by path.
        sessions: Family<Path, Counter>,
        /// Latency.
        #[metric(unit = "seconds", buckets = [0.1, 1.0])]
        latency: Histogram,
    }
    let registry = Registry::new();
    for peer in 0..20 {
        let instance = std::sync::Arc::new(Instance::new());
        instance.requests.get(Method::Get).add(peer);
        instance
            .sessions
            .get(Path {
                path: format!("/{peer}\\"),
            })
            .inc();
        instance.latency.observe(0.5);
        let registration = registry
            .sub_registry_with_prefix("app")
            .unwrap()
            .with_label("peer", &format!("p\"{peer}"))
            .unwrap()
            .register_shared(instance)
            .unwrap();
        registration.keep();
    }
    registry
}

#[test]
fn scrapes_after_the_first_allocate_nothing() {
    // The only test in this binary, so no other test allocates while it counts (the
    // harness itself allocates when a test ends, so every check shares this one test).
    // First, the counter must see an allocation at all, or the zeros below prove nothing.
    let before = allocations();
    let boxed = std::hint::black_box(Box::new(5u64));
    assert!(allocations() > before);
    drop(boxed);
    // Every format, in the default scheme and with UTF-8 names allowed, with OpenMetrics'
    // `_created` samples on (they add the most work per series) and off (families then
    // write from their kept line prefixes).
    let mut cases = Vec::new();
    for build in [registry as fn() -> Registry, scoped_registry] {
        for format in Format::ALL {
            for escaping in [Escaping::Underscores, Escaping::AllowUtf8] {
                for created in [true, false] {
                    let exposition = Exposition::new(format)
                        .with_escaping(escaping)
                        .with_created(created);
                    cases.push((build(), exposition));
                }
            }
        }
    }
    for (registry, format) in cases {
        let mut buffer = Vec::new();
        registry.encode_to_vec(&mut buffer, format);
        let first_len = buffer.len();
        assert!(
            first_len > 4_000,
            "the exposition is substantial: {first_len} bytes"
        );
        for _ in 0..10 {
            buffer.clear();
            let before = allocations();
            registry.encode_to_vec(&mut buffer, format);
            let after = allocations();
            assert_eq!(
                after - before,
                0,
                "{format:?}: allocations in a warm scrape"
            );
            assert_eq!(buffer.len(), first_len);
        }
        // The io::Write path keeps a per-thread buffer: warm, it allocates nothing either.
        let mut sink = std::io::sink();
        registry.encode(&mut sink, format).unwrap();
        let before = allocations();
        registry.encode(&mut sink, format).unwrap();
        assert_eq!(allocations() - before, 0, "{format:?}: io::Write path");
    }
    names_outside_the_legacy_set_are_written_without_allocating();
}

/// Names outside the legacy set go through the quoting and escaping writers.
fn names_outside_the_legacy_set_are_written_without_allocating() {
    let families: &'static Family<Path, Counter> = leak(Family::new());
    for index in 0..100 {
        families
            .get(Path {
                path: format!("/p/{index}"),
            })
            .inc();
    }
    let desc = desc(
        "http.server.requests",
        "Requests.",
        MetricType::Counter,
        "a.rs",
        1,
    );
    for format in Format::ALL {
        for escaping in Escaping::ALL {
            let exposition = Exposition::new(format)
                .with_escaping(escaping)
                .with_created(true);
            let mut buffer = Vec::new();
            let write = |buffer: &mut Vec<u8>| {
                buffer.clear();
                let mut family = FamilyEncoder::begin(buffer, exposition, desc.name(), &desc);
                family.member(families, "");
                family.finish();
            };
            write(&mut buffer);
            let first_len = buffer.len();
            assert!(first_len > 2_000, "{first_len} bytes");
            let before = allocations();
            for _ in 0..10 {
                write(&mut buffer);
            }
            assert_eq!(
                allocations() - before,
                0,
                "{exposition:?}: allocations in a warm write"
            );
            assert_eq!(buffer.len(), first_len);
        }
    }
}
