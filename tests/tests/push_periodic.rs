//! Periodic and on-exit pushes against a real Pushgateway on loopback: the gateway sees the
//! values move while the pusher runs, stops seeing them move once it is stopped, and the
//! on-exit guard pushes exactly when it should.

use std::time::{Duration, Instant};

use oxios_metrics::push::{GroupingKey, PushError, PushMethod, Pushgateway};
use oxios_metrics::{Counter, Metrics, Registry};
use oxios_metrics_tests::pushgateway::{
    eventually, parse_samples, sample_value, start_pushgateway, Gateway,
};
use oxios_metrics_tests::{leak, ClosedPort};

#[derive(Metrics)]
#[metrics(prefix = "periodic")]
struct Progress {
    /// Items done.
    items: Counter,
}

fn progress_registry() -> (&'static Progress, &'static Registry) {
    let progress: &'static Progress = leak(Progress::new());
    let registry: &'static Registry = leak(Registry::new());
    registry.register(progress).expect("the group registers");
    (progress, registry)
}

/// The gateway's value of `periodic_items_total` for `job` (no instance label).
fn items_on_gateway(gateway: &Gateway, job: &str) -> Option<f64> {
    sample_value(
        &parse_samples(&gateway.scrape()),
        "periodic_items_total",
        &[("job", job), ("instance", "")],
    )
}

const INTERVAL: Duration = Duration::from_millis(100);
const PATIENCE: Duration = Duration::from_secs(10);

#[test]
fn a_periodic_push_is_seen_updating_and_stops_when_stopped() {
    let Some(gateway) = start_pushgateway() else {
        return;
    };
    let client = Pushgateway::new(&gateway.url()).unwrap();
    let (progress, registry) = progress_registry();
    let key = GroupingKey::new("periodic");
    let pusher = client
        .push_every(&key, registry, INTERVAL, PushMethod::Replace)
        .expect("the pusher starts");

    // The first push happens at once, before any item is done.
    assert!(
        eventually(PATIENCE, || items_on_gateway(&gateway, "periodic")
            == Some(0.0)),
        "first push not seen"
    );
    for target in [1u64, 5, 42] {
        progress.items.add(target - progress.items.get());
        assert!(
            eventually(PATIENCE, || items_on_gateway(&gateway, "periodic")
                == Some(target as f64)),
            "the gateway never showed {target}: {:?}",
            items_on_gateway(&gateway, "periodic")
        );
    }
    // Four values seen means four pushes reached the gateway; the pusher counts the last one
    // once its response is read, which can be just after the gateway shows it.
    assert!(
        eventually(PATIENCE, || pusher.stats().succeeded >= 4),
        "{:?}",
        pusher.stats()
    );
    let stats = pusher.stats();
    assert_eq!(stats.failed, 0, "{stats:?}");

    let stopping = Instant::now();
    let stats = pusher.stop();
    assert!(
        stopping.elapsed() < Duration::from_secs(5),
        "stop waited {:?}",
        stopping.elapsed()
    );
    assert_eq!(stats.failed, 0, "{stats:?}");
    progress.items.add(100);
    // Ten intervals without a pusher: the gateway keeps the last pushed value.
    std::thread::sleep(INTERVAL * 10);
    assert_eq!(items_on_gateway(&gateway, "periodic"), Some(42.0));
}

#[test]
fn finish_pushes_the_final_values_and_drop_stops_the_thread() {
    let Some(gateway) = start_pushgateway() else {
        return;
    };
    let client = Pushgateway::new(&gateway.url()).unwrap();
    let (progress, registry) = progress_registry();
    let key = GroupingKey::new("finishing");
    // A long interval: after the first push, only `finish` can bring the new value.
    let pusher = client
        .push_every(
            &key,
            registry,
            Duration::from_secs(3600),
            PushMethod::Replace,
        )
        .unwrap();
    assert!(eventually(PATIENCE, || items_on_gateway(
        &gateway,
        "finishing"
    ) == Some(0.0)));
    progress.items.add(7);
    pusher.finish().expect("the final push succeeds");
    assert_eq!(items_on_gateway(&gateway, "finishing"), Some(7.0));

    // Dropping wakes the thread out of its hour-long wait at once.
    let pusher = client
        .push_every(
            &GroupingKey::new("dropped"),
            registry,
            Duration::from_secs(3600),
            PushMethod::Add,
        )
        .unwrap();
    assert!(eventually(PATIENCE, || items_on_gateway(
        &gateway, "dropped"
    ) == Some(7.0)));
    let dropping = Instant::now();
    drop(pusher);
    assert!(dropping.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_periodic_push_to_a_gateway_that_is_down_counts_failures_and_keeps_trying() {
    // Nothing listens on this port, and nothing else can take it while the test runs.
    let closed = ClosedPort::new();
    let client = Pushgateway::builder(&format!("http://127.0.0.1:{}", closed.port()))
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let (_, registry) = progress_registry();
    let pusher = client
        .push_every(
            &GroupingKey::new("down"),
            registry,
            INTERVAL,
            PushMethod::Replace,
        )
        .unwrap();
    assert!(eventually(PATIENCE, || pusher.stats().failed >= 3));
    let stats = pusher.stop();
    assert_eq!(stats.succeeded, 0);
    let error = stats.last_error.expect("the last error is kept");
    assert!(matches!(*error, PushError::Connect { .. }), "{error}");
}

#[test]
fn invalid_periodic_pushes_are_refused_before_a_thread_starts() {
    let client = Pushgateway::new("http://127.0.0.1:9").unwrap();
    let (_, registry) = progress_registry();
    let zero = client.push_every(
        &GroupingKey::new("j"),
        registry,
        Duration::ZERO,
        PushMethod::Replace,
    );
    assert!(matches!(zero, Err(PushError::InvalidInterval)), "{zero:?}");
    let bad_key = client.push_every(
        &GroupingKey::new("j").label("bad label", "v"),
        registry,
        INTERVAL,
        PushMethod::Replace,
    );
    assert!(
        matches!(bad_key, Err(PushError::InvalidGroupingKey { .. })),
        "{bad_key:?}"
    );
    let on_exit = client.push_on_exit(&GroupingKey::new(""), registry, PushMethod::Replace);
    assert!(
        matches!(on_exit, Err(PushError::InvalidGroupingKey { .. })),
        "{on_exit:?}"
    );
}

#[test]
fn the_on_exit_guard_pushes_once_on_drop_on_panic_and_on_finish_but_not_when_cancelled() {
    let Some(gateway) = start_pushgateway() else {
        return;
    };
    let client = Pushgateway::new(&gateway.url()).unwrap();
    let (progress, registry) = progress_registry();

    {
        let _guard = client
            .push_on_exit(&GroupingKey::new("dropped"), registry, PushMethod::Replace)
            .unwrap();
        progress.items.add(3);
        assert_eq!(
            items_on_gateway(&gateway, "dropped"),
            None,
            "nothing is pushed before the guard goes"
        );
    }
    assert_eq!(items_on_gateway(&gateway, "dropped"), Some(3.0));

    // A job thread that panics: the guard pushes while the panic unwinds.
    let job_client = client.clone();
    let unwound = std::thread::spawn(move || {
        let _guard = job_client
            .push_on_exit(&GroupingKey::new("panicked"), registry, PushMethod::Replace)
            .unwrap();
        progress.items.add(1);
        panic!("the batch job fails");
    })
    .join();
    assert!(unwound.is_err());
    assert_eq!(items_on_gateway(&gateway, "panicked"), Some(4.0));

    let guard = client
        .push_on_exit(&GroupingKey::new("finished"), registry, PushMethod::Replace)
        .unwrap();
    guard.finish().expect("the push at finish succeeds");
    assert_eq!(items_on_gateway(&gateway, "finished"), Some(4.0));

    client
        .push_on_exit(
            &GroupingKey::new("cancelled"),
            registry,
            PushMethod::Replace,
        )
        .unwrap()
        .cancel();
    assert_eq!(items_on_gateway(&gateway, "cancelled"), None);
}
