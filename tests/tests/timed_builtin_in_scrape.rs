//! The first call of a bare `#[timed]` function from inside a scrape of the global registry
//! (a callback gauge calls it) registers the built-in family while the scrape runs. It used to
//! wedge the global registry for good; now the scrape, other threads' first calls of other
//! bare `#[timed]` functions and other scrapes all finish. Each step has a deadline.
//!
//! A file of its own: the global registry is per process.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use oxios_metrics::{global, timed, timing, CallbackGauge, Format, Metrics};

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

static INSIDE_THE_SCRAPE: AtomicBool = AtomicBool::new(false);

#[timed]
fn first_called_inside_a_scrape() -> f64 {
    INSIDE_THE_SCRAPE.store(true, Ordering::SeqCst);
    // Slow enough that the other threads below run while the scrape is in here.
    thread::sleep(Duration::from_millis(200));
    1.0
}

#[timed]
fn called_elsewhere_meanwhile() -> u32 {
    7
}

fn read_through_timed_function() -> f64 {
    first_called_inside_a_scrape()
}

#[derive(Metrics)]
struct Probe {
    /// Calls a bare `#[timed]` function when read.
    #[metric(read = read_through_timed_function)]
    probe: CallbackGauge,
}

static PROBE: Probe = Probe::new();

#[test]
fn a_first_bare_timed_call_inside_a_scrape_wedges_nothing() {
    global().register(&PROBE).unwrap();
    let scrape = thread::spawn(|| global().render(Format::Prometheus));
    // While the scrape is inside the callback: another bare function's first call, and
    // another scrape, from other threads. Waiting for the callback to be entered, rather
    // than for a fixed time, keeps them inside it on a busy machine too.
    within(
        Duration::from_secs(5),
        "the scrape entering the callback",
        || {
            while !INSIDE_THE_SCRAPE.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(1));
            }
        },
    );
    let other_call = within(Duration::from_secs(5), "another bare #[timed] call", || {
        called_elsewhere_meanwhile()
    });
    assert_eq!(other_call, 7);
    within(Duration::from_secs(5), "a concurrent scrape", || {
        global().render(Format::OpenMetrics)
    });
    let first = within(
        Duration::from_secs(5),
        "the scrape running the callback",
        move || scrape.join().unwrap(),
    );
    assert!(first.contains("probe 1\n"), "{first}");
    assert!(timing::registration_error().is_none());
    let after = global().render(Format::Prometheus);
    assert!(
        after.contains(
            // The first scrape, the concurrent one, and this one (the probe is written first).
            "function_duration_seconds_count{function=\"first_called_inside_a_scrape\",module=\"timed_builtin_in_scrape\"} 3\n"
        ),
        "{after}"
    );
    assert!(
        after.contains(
            "function_duration_seconds_count{function=\"called_elsewhere_meanwhile\",module=\"timed_builtin_in_scrape\"} 1\n"
        ),
        "{after}"
    );
}
