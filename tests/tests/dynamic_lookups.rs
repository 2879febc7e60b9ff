//! Dynamic-family lookups while series are created, removed and re-created: lookups of
//! existing series mostly skip the lock (read copies of the label map), and that must never
//! lose an increment, send one to another label set's series, or let a removed series be
//! found again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use oxios_metrics::{Counter, Family, Format, MetricType};
use oxios_metrics_tests::{desc, leak, registry_with, Path};

fn path(index: usize) -> Path {
    Path {
        path: format!("/p/{index}"),
    }
}

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
fn stable_series_count_exactly_while_others_are_removed_and_recreated() {
    const STABLE: usize = 200;
    const CHURNED: usize = 50;
    const ROUNDS: u64 = 300;
    // Full, so every re-created series reuses a freed slot.
    let family: &'static Family<Path, Counter> =
        leak(Family::new().with_max_series(STABLE + CHURNED));
    let stable: &'static [Path] = leak((0..STABLE).map(path).collect::<Vec<_>>());
    let churned: &'static [Path] = leak((STABLE..STABLE + CHURNED).map(path).collect::<Vec<_>>());
    for labels in stable {
        family.get_ref(labels);
    }
    let done: &'static AtomicBool = leak(AtomicBool::new(false));
    let rounds = within(Duration::from_secs(120), move || {
        thread::scope(|scope| {
            let counters: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(move || {
                        for _ in 0..ROUNDS {
                            for labels in stable {
                                family.get_ref(labels).inc();
                            }
                        }
                    })
                })
                .collect();
            // Only this thread touches the churned labels, and the stable ones are never
            // removed, so no handle is used after its series is removed: every count is exact.
            let churner = scope.spawn(move || {
                let mut round = 0u64;
                while !done.load(Ordering::Relaxed) || round < 20 {
                    for labels in churned {
                        family.get_ref(labels).add(3);
                        family.get_ref(labels).inc();
                        assert_eq!(family.get_ref(labels).get(), 4, "{labels:?} round {round}");
                        assert!(family.remove(labels), "{labels:?} round {round}");
                    }
                    round += 1;
                }
                round
            });
            for counter in counters {
                counter.join().expect("a counting thread panicked");
            }
            done.store(true, Ordering::Relaxed);
            churner.join().expect("the churning thread panicked")
        })
    });
    assert!(rounds >= 20, "{rounds} rounds");
    assert_eq!(family.overflowed_lookups(), 0);
    for labels in stable {
        assert_eq!(family.get_ref(labels).get(), 2 * ROUNDS, "{labels:?}");
    }
    assert_eq!(family.series_count(), STABLE);
}

#[test]
fn lookups_count_exactly_with_no_removals() {
    const USERS: usize = 500;
    const ROUNDS: u64 = 100;
    let family: &'static Family<Path, Counter> = leak(Family::new().with_max_series(USERS));
    let registry = registry_with(vec![(
        desc("hits", "Hits.", MetricType::Counter, "d.rs", 1),
        family,
    )]);
    let labels: &'static [Path] = leak((0..USERS).map(path).collect::<Vec<_>>());
    within(Duration::from_secs(120), move || {
        thread::scope(|scope| {
            for thread in 0..3 {
                scope.spawn(move || {
                    // Each thread creates a third of the series as it goes, then all count.
                    for round in 0..ROUNDS {
                        for (index, labels) in labels.iter().enumerate() {
                            if round > 0 || index % 3 == thread {
                                family.get_ref(labels).add(index as u64 + 1);
                            }
                        }
                    }
                });
            }
        });
    });
    let text = registry.render(Format::Prometheus);
    for (index, labels) in labels.iter().enumerate() {
        // Round 0 added once (by the creating thread), every later round three times.
        let expected = (index as u64 + 1) * (1 + 3 * (ROUNDS - 1));
        assert_eq!(family.get_ref(labels).get(), expected, "{labels:?}");
        let line = format!("hits_total{{path=\"{}\"}} {expected}\n", labels.path);
        assert!(text.contains(&line), "{line}");
    }
    assert_eq!(family.series_count(), USERS);
}
