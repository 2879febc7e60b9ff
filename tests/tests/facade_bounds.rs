//! Facade families are bounded like dynamic `Family`s: series, label bytes, and the number of
//! families; every emission past a bound is kept in the overflow series or counted. And many
//! threads emitting at once lose nothing.

mod facade_support;

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use facade_support::{assert_checkers_accept, emit, recorder_with, refused, samples, value};
use oxios_metrics::facade::FacadeRecorder;
use oxios_metrics::Format;

#[test]
fn label_sets_past_max_series_share_the_overflow_series() {
    let (registry, recorder) = recorder_with(FacadeRecorder::builder().max_series(2));
    emit(&recorder, || {
        for user in ["ada", "bob", "eve", "mallory", "eve"] {
            metrics::counter!("logins", "user" => user).increment(1);
        }
        // Existing series keep counting once the family is full.
        metrics::counter!("logins", "user" => "ada").increment(10);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(
        samples(&text, "logins_total"),
        [
            "logins_total{user=\"ada\"} 11",
            "logins_total{user=\"bob\"} 1",
            "logins_total{series_overflow=\"true\"} 3",
        ]
    );
    assert_eq!(
        value(
            &text,
            "oxios_metrics_series_overflow_total{family=\"logins\",reason=\"max_series\"}"
        )
        .as_deref(),
        Some("3")
    );
    assert_checkers_accept(&registry);
}

#[test]
fn label_sets_longer_than_max_label_bytes_go_to_the_overflow_series() {
    let (registry, recorder) = recorder_with(FacadeRecorder::builder().max_label_bytes(16));
    let long = "x".repeat(100);
    emit(&recorder, || {
        metrics::gauge!("cache_entries", "key" => "short").set(1.0);
        metrics::gauge!("cache_entries", "key" => long.clone()).set(5.0);
    });
    let text = registry.render(Format::Prometheus);
    assert!(!text.contains(&long), "{text}");
    assert_eq!(
        samples(&text, "cache_entries"),
        [
            "cache_entries{key=\"short\"} 1",
            "cache_entries{series_overflow=\"true\"} 5"
        ]
    );
    assert!(text.contains(
        "oxios_metrics_series_overflow_total{family=\"cache_entries\",reason=\"max_label_bytes\"} 1\n"
    ));
    assert_checkers_accept(&registry);
}

#[test]
fn names_past_max_families_are_refused_and_counted() {
    let (registry, recorder) = recorder_with(FacadeRecorder::builder().max_families(3));
    emit(&recorder, || {
        for index in 0..10 {
            metrics::counter!(format!("generated_{index}")).increment(1);
        }
        // Families that exist keep working.
        metrics::counter!("generated_0").increment(1);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(samples(&text, "generated_0_total"), ["generated_0_total 2"]);
    assert!(text.contains("generated_2_total 1\n"));
    assert!(!text.contains("generated_3"), "{text}");
    assert_eq!(recorder.family_count(), 3);
    assert_eq!(refused(&registry, "max_families"), 7);
    assert_checkers_accept(&registry);
}

/// Runs `work` on `threads` threads and fails if they are not done within a minute, so a
/// deadlock fails the test instead of stalling it.
fn on_threads(threads: usize, work: impl Fn(usize) + Send + Sync + 'static) {
    let work = std::sync::Arc::new(work);
    let (done, finished) = mpsc::channel();
    for index in 0..threads {
        let work = work.clone();
        let done = done.clone();
        thread::spawn(move || {
            work(index);
            done.send(()).unwrap();
        });
    }
    for _ in 0..threads {
        finished
            .recv_timeout(Duration::from_secs(60))
            .expect("an emitting thread did not finish within a minute");
    }
}

#[test]
fn threads_emitting_new_and_known_keys_at_once_lose_nothing() {
    const THREADS: usize = 4;
    const ROUNDS: u64 = 5_000;
    let (registry, recorder) = recorder_with(FacadeRecorder::builder().max_series(10_000));
    let scraping = registry.clone();
    let scraper = thread::spawn(move || {
        for _ in 0..50 {
            let text = scraping.render(Format::OpenMetrics);
            assert!(text.ends_with("# EOF\n"));
        }
    });
    let shared = recorder.clone();
    on_threads(THREADS, move |thread| {
        metrics::with_local_recorder(&shared, || {
            for round in 0..ROUNDS {
                metrics::counter!("shared_events").increment(1);
                metrics::counter!("spread_events", "shard" => (round % 64).to_string())
                    .increment(1);
                metrics::gauge!("per_thread", "thread" => thread.to_string()).increment(1.0);
                metrics::histogram!("sizes_bytes").record(round as f64);
            }
        });
    });
    scraper.join().expect("the scraper finished");
    let text = registry.render(Format::Prometheus);
    let total = THREADS as u64 * ROUNDS;
    assert_eq!(
        samples(&text, "shared_events_total"),
        [format!("shared_events_total {total}")]
    );
    let spread: u64 = samples(&text, "spread_events_total")
        .iter()
        .map(|line| line.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(spread, total);
    assert_eq!(samples(&text, "spread_events_total").len(), 64);
    for thread in 0..THREADS {
        let series = format!("per_thread{{thread=\"{thread}\"}}");
        assert_eq!(value(&text, &series), Some(ROUNDS.to_string()), "{text}");
    }
    assert_eq!(
        value(&text, "sizes_bytes_count"),
        Some(total.to_string()),
        "{text}"
    );
    assert_eq!(recorder.family_count(), 4);
    assert_checkers_accept(&registry);
}
