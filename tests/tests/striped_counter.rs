//! `StripedCounter`: no increment is lost when threads hit it at once, scrapes read the sum
//! (alone and as family members, in both formats), and a removed series comes back at zero.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use oxios_metrics::{Family, Format, MetricType, StripedCounter, STRIPES};
use oxios_metrics_tests::{desc, leak, registry_with, Method, Path};

/// Runs `work` on a thread and fails if it takes longer than `limit`.
fn within<T: Send + 'static>(limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(work());
    });
    finished
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the threads did not finish within {limit:?}"))
}

#[test]
fn concurrent_increments_are_all_counted_and_scraped_as_one_sample() {
    let counter: &'static StripedCounter = leak(StripedCounter::new());
    let registry = registry_with(vec![(
        desc("hits", "Hits.", MetricType::Counter, "s.rs", 1),
        counter,
    )]);
    // More threads than cells, so some share one.
    let threads = STRIPES * 2 + 1;
    let per_thread = 20_000u64;
    within(Duration::from_secs(60), move || {
        thread::scope(|scope| {
            for t in 0..threads {
                scope.spawn(move || {
                    for _ in 0..per_thread {
                        counter.inc();
                    }
                    counter.add(t as u64);
                });
            }
        });
    });
    let extra: u64 = (0..threads as u64).sum();
    let expected = threads as u64 * per_thread + extra;
    assert_eq!(counter.get(), expected);
    assert_eq!(
        registry.render(Format::Prometheus),
        format!("# HELP hits_total Hits.\n# TYPE hits_total counter\nhits_total {expected}\n")
    );
    assert_eq!(
        registry.render(Format::OpenMetrics),
        format!("# HELP hits Hits.\n# TYPE hits counter\nhits_total {expected}\n# EOF\n")
    );
}

#[test]
fn scrapes_during_increments_never_go_down() {
    let counter: &'static StripedCounter = leak(StripedCounter::new());
    let readings = within(Duration::from_secs(60), move || {
        thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(move || {
                    for _ in 0..50_000 {
                        counter.inc();
                    }
                });
            }
            let mut readings = Vec::new();
            for _ in 0..1_000 {
                readings.push(counter.get());
            }
            readings
        })
    });
    assert!(
        readings.windows(2).all(|pair| pair[0] <= pair[1]),
        "a counter read went down"
    );
    assert_eq!(counter.get(), 100_000);
}

#[test]
fn striped_counters_as_family_members() {
    let fixed: &'static Family<Method, StripedCounter> = leak(Family::new());
    let dynamic: &'static Family<Path, StripedCounter> = leak(Family::new().with_max_series(4));
    let registry = registry_with(vec![
        (
            desc("calls", "Calls.", MetricType::Counter, "s.rs", 2),
            fixed,
        ),
        (
            desc("requests", "Requests.", MetricType::Counter, "s.rs", 3),
            dynamic,
        ),
    ]);
    within(Duration::from_secs(60), move || {
        thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(move || {
                    for _ in 0..1_000 {
                        fixed.get(Method::Post).inc();
                        dynamic.get(Path { path: "/a".into() }).add(2);
                    }
                });
            }
        });
    });
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("calls_total{method=\"get\"} 0\n"), "{text}");
    assert!(
        text.contains("calls_total{method=\"post\"} 3000\n"),
        "{text}"
    );
    assert!(
        text.contains("requests_total{path=\"/a\"} 6000\n"),
        "{text}"
    );

    // A removed series' slot is reused from zero, across all its cells.
    let a = Path { path: "/a".into() };
    assert!(dynamic.remove(&a));
    for name in ["/b", "/c", "/d", "/e"] {
        dynamic.get(Path { path: name.into() }).inc();
    }
    assert_eq!(dynamic.overflowed_lookups(), 0);
    let text = registry.render(Format::Prometheus);
    assert!(!text.contains("path=\"/a\""), "{text}");
    for name in ["/b", "/c", "/d", "/e"] {
        assert!(
            text.contains(&format!("requests_total{{path=\"{name}\"}} 1\n")),
            "{text}"
        );
    }
}

mod derived {
    use oxios_metrics::{Family, Format, LabelValue, Metrics, Registry, StripedCounter};

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
    enum Shard {
        Left,
        Right,
    }

    #[derive(Metrics)]
    #[metrics(prefix = "hot")]
    struct Hot {
        /// Packets forwarded.
        packets: StripedCounter,
        /// Packets forwarded, by shard.
        by_shard: Family<Shard, StripedCounter>,
    }

    static HOT: Hot = Hot::new();

    #[test]
    fn a_derived_group_declares_striped_counters() {
        let registry = Registry::new();
        registry.register(&HOT).expect("registers");
        HOT.packets.add(5);
        HOT.by_shard.get(Shard::Right).inc();
        assert_eq!(HOT.by_shard.get(Shard::Left).get(), 0);
        assert_eq!(
            registry.render(Format::Prometheus),
            concat!(
                "# HELP hot_packets_total Packets forwarded.\n",
                "# TYPE hot_packets_total counter\n",
                "hot_packets_total 5\n",
                "# HELP hot_by_shard_total Packets forwarded, by shard.\n",
                "# TYPE hot_by_shard_total counter\n",
                "hot_by_shard_total{shard=\"left\"} 0\n",
                "hot_by_shard_total{shard=\"right\"} 1\n",
            )
        );
    }
}
