//! A scrape into a reused buffer allocates nothing after the first one: counted by a global
//! allocator that counts every allocation of this test binary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use oxios_metrics::{
    Buckets, CallbackFamily, Counter, Family, FamilyWriter, FloatGauge, Format, Gauge, Histogram,
    Info, MetricType, Registry,
};
use oxios_metrics_tests::{desc, leak, registry_with, Method, Path};

struct CountingAllocator;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY-free delegation: the counting wrapper only forwards to the system allocator.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

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
    // The only test in this binary, so no other test allocates while it counts.
    // First, the counter must see an allocation at all, or the zeros below prove nothing.
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let boxed = std::hint::black_box(Box::new(5u64));
    assert!(ALLOCATIONS.load(Ordering::Relaxed) > before);
    drop(boxed);
    for (registry, format) in [
        (registry(), Format::Prometheus),
        (registry(), Format::OpenMetrics),
        (scoped_registry(), Format::Prometheus),
        (scoped_registry(), Format::OpenMetrics),
    ] {
        let mut buffer = Vec::new();
        registry.encode_to_vec(&mut buffer, format);
        let first_len = buffer.len();
        assert!(
            first_len > 5_000,
            "the exposition is substantial: {first_len} bytes"
        );
        for _ in 0..10 {
            buffer.clear();
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            registry.encode_to_vec(&mut buffer, format);
            let after = ALLOCATIONS.load(Ordering::Relaxed);
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
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        registry.encode(&mut sink, format).unwrap();
        assert_eq!(
            ALLOCATIONS.load(Ordering::Relaxed) - before,
            0,
            "{format:?}: io::Write path"
        );
    }
}
