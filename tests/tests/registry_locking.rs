//! No interleaving of scrapes, registrations and removals can wedge a registry: user code
//! that runs inside a scrape (a callback) may scrape, register and unregister while other
//! threads do the same. Every case runs on a helper thread with a deadline, so a deadlock
//! fails the test instead of hanging it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use oxios_metrics::{
    CallbackGauge, Counter, Family, Format, Gauge, LabelSet, Metrics, Registration, Registry,
};
use oxios_metrics_tests::assert_well_formed;

/// Runs `work` on its own thread and returns its result, or fails if it takes longer than
/// `limit` (a thread stuck in a deadlock is left behind; the test binary still exits).
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(work());
    });
    finished
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{what} did not finish within {limit:?}: a deadlock"))
}

static SELF_SCRAPING: Registry = Registry::new();
static INNER_SCRAPES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static INSIDE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A callback that renders the registry it is registered in (one level deep: the inner
/// scrape's own call of the callback returns at once).
fn render_own_registry() -> f64 {
    if INSIDE.with(|inside| inside.replace(true)) {
        return 0.0;
    }
    let text = SELF_SCRAPING.render(Format::Prometheus);
    INSIDE.with(|inside| inside.set(false));
    INNER_SCRAPES.fetch_add(1, Ordering::Relaxed);
    // Long enough that registrations from the other thread land while it runs.
    thread::sleep(Duration::from_millis(2));
    text.len() as f64
}

#[derive(Metrics)]
struct SelfScraping {
    /// Bytes of the registry's own exposition, read by rendering it.
    #[metric(read = render_own_registry)]
    exposition_bytes: CallbackGauge,
}

static SELF_SCRAPING_GROUP: SelfScraping = SelfScraping::new();

#[derive(Metrics)]
struct Worker {
    /// Jobs done by one worker.
    jobs: Counter,
}

#[test]
fn a_callback_scraping_its_own_registry_while_another_thread_registers() {
    SELF_SCRAPING.register(&SELF_SCRAPING_GROUP).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let registered = Arc::new(AtomicU64::new(0));
    let registrar = {
        let (stop, registered) = (stop.clone(), registered.clone());
        thread::spawn(move || {
            let mut registrations = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let scope = SELF_SCRAPING
                    .sub_registry_with_label("worker", &registrations.to_string())
                    .unwrap();
                let registration = scope.register_shared(Arc::new(Worker::new())).unwrap();
                registrations += 1;
                registered.store(registrations, Ordering::Relaxed);
                drop(registration);
            }
            registrations
        })
    };
    let scrapes = within(
        Duration::from_secs(20),
        "200 self-scraping scrapes",
        move || {
            // At least 200, and on until the registrar has run: on a busy machine its thread
            // may not have been scheduled yet when the 200th scrape is done.
            let mut scrapes = 0;
            while scrapes < 200 || registered.load(Ordering::Relaxed) == 0 {
                let text = SELF_SCRAPING.render(Format::Prometheus);
                assert!(text.contains("# TYPE exposition_bytes gauge\n"), "{text}");
                scrapes += 1;
            }
            scrapes
        },
    );
    stop.store(true, Ordering::Relaxed);
    let registrations = within(
        Duration::from_secs(10),
        "the registering thread",
        move || registrar.join().unwrap(),
    );
    assert!(scrapes >= 200, "{scrapes} scrapes");
    assert!(INNER_SCRAPES.load(Ordering::Relaxed) >= scrapes);
    assert!(
        registrations > 0,
        "registrations interleaved with the scrapes"
    );
}

static REENTRANT: Registry = Registry::new();
static REGISTERED_FROM_CALLBACK: AtomicU64 = AtomicU64::new(0);

/// A callback that registers (and unregisters) a group in the registry being scraped.
fn register_from_inside() -> f64 {
    let registration = REENTRANT
        .sub_registry_with_label("from", "callback")
        .unwrap()
        .register_shared(Arc::new(Worker::new()));
    if let Ok(registration) = registration {
        REGISTERED_FROM_CALLBACK.fetch_add(1, Ordering::Relaxed);
        drop(registration);
    }
    1.0
}

#[derive(Metrics)]
struct Reentrant {
    /// Registers a group while being read.
    #[metric(read = register_from_inside)]
    registering: CallbackGauge,
}

static REENTRANT_GROUP: Reentrant = Reentrant::new();

#[test]
fn a_callback_registering_into_the_registry_being_scraped() {
    REENTRANT.register(&REENTRANT_GROUP).unwrap();
    within(Duration::from_secs(10), "scrapes that register", || {
        for _ in 0..50 {
            let text = REENTRANT.render(Format::OpenMetrics);
            assert_well_formed(&text, Format::OpenMetrics);
        }
    });
    assert_eq!(REGISTERED_FROM_CALLBACK.load(Ordering::Relaxed), 50);
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Key {
    key: String,
}

#[derive(Metrics)]
struct Churn {
    /// Events by key.
    #[metric(max_series = 50)]
    events: Family<Key, Counter>,
    /// Level.
    level: Gauge,
}

/// Every operation at once from four threads for a second: registering and dropping
/// instances, creating and removing series, scraping in both formats. Afterwards every
/// scrape was well formed and the registry is back to what it was.
#[test]
fn registration_removal_and_scrapes_all_at_once() {
    let registry = Arc::new(Registry::new());
    let permanent = Arc::new(Churn::new());
    let _kept = registry
        .sub_registry_with_label("instance", "kept")
        .unwrap()
        .register_shared(permanent.clone())
        .unwrap();
    let baseline_families = 2;
    // Each thread works for a second from the moment all four have started: a deadline
    // fixed before they were spawned could pass, on a busy machine, before one of them ran.
    let window = Duration::from_secs(1);
    let start = Arc::new(Barrier::new(4));
    let mut threads = Vec::new();
    for worker in 0..2 {
        let registry = registry.clone();
        let start = start.clone();
        threads.push(thread::spawn(move || {
            start.wait();
            let deadline = Instant::now() + window;
            let mut rounds = 0u64;
            let mut live: Vec<(Arc<Churn>, Registration)> = Vec::new();
            // At least one round each, however late the thread got to run.
            loop {
                let churn = Arc::new(Churn::new());
                let label = format!("w{worker}-{rounds}");
                let registration = registry
                    .sub_registry_with_label("instance", &label)
                    .unwrap()
                    .register_shared(churn.clone())
                    .unwrap();
                churn.events.get(Key { key: label.clone() }).inc();
                churn.level.set(rounds as i64);
                live.push((churn, registration));
                if live.len() > 8 {
                    let (old, registration) = live.remove(0);
                    old.events.clear();
                    drop(registration);
                }
                rounds += 1;
                if Instant::now() >= deadline {
                    break;
                }
            }
            rounds
        }));
    }
    {
        let permanent = permanent.clone();
        let start = start.clone();
        threads.push(thread::spawn(move || {
            start.wait();
            let deadline = Instant::now() + window;
            let mut rounds = 0u64;
            // At least one round each, however late the thread got to run.
            loop {
                let key = Key {
                    key: format!("k{}", rounds % 70),
                };
                permanent.events.get_ref(&key).inc();
                if rounds.is_multiple_of(3) {
                    permanent.events.remove(&key);
                }
                rounds += 1;
                if Instant::now() >= deadline {
                    break;
                }
            }
            rounds
        }));
    }
    let scraper = {
        let registry = registry.clone();
        thread::spawn(move || {
            start.wait();
            let deadline = Instant::now() + window;
            let mut scrapes = 0u64;
            // At least one round each, however late the thread got to run.
            loop {
                for format in [Format::Prometheus, Format::OpenMetrics] {
                    let text = registry.render(format);
                    assert_well_formed(&text, format);
                    assert!(text.contains("instance=\"kept\""), "{text}");
                }
                scrapes += 1;
                if Instant::now() >= deadline {
                    break;
                }
            }
            scrapes
        })
    };
    let counts = within(Duration::from_secs(30), "the churn", move || {
        let rounds: Vec<u64> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        (rounds, scraper.join().unwrap())
    });
    let (rounds, scrapes) = counts;
    assert!(rounds.iter().all(|&r| r > 0), "{rounds:?}");
    assert!(scrapes > 0);
    let text = registry.render(Format::Prometheus);
    assert_eq!(text.matches("# TYPE").count(), baseline_families, "{text}");
    assert!(permanent.events.series_count() <= 50);
}
