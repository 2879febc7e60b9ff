//! `CallbackFamily`: series computed at scrape time with labels, declared in a derive with
//! `read = path` or set per instance from a closure; counter values that would break the
//! exposition are left out, and a label set is written once per scrape.

#![deny(warnings, clippy::pedantic)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use oxios_metrics::{
    CallbackFamily, Counter, FamilyWriter, Format, Gauge, LabelSet, LabelValue, Metrics, Registry,
};
use oxios_metrics_tests::{openmetrics_parse, promtool_check, Checked};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Queue {
    Inbound,
    Outbound,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Peer {
    pub peer: String,
}

fn queue_depths(out: &mut FamilyWriter<'_, Queue>) {
    assert!(out.write(&Queue::Inbound, 3.0));
    assert!(out.write(&Queue::Outbound, 0.5));
    // Written twice in one scrape: the first value stands.
    assert!(!out.write(&Queue::Inbound, 99.0));
}

fn dropped_frames(out: &mut FamilyWriter<'_, Peer>) {
    let peer = |name: &str| Peer {
        peer: name.to_owned(),
    };
    assert!(out.write(&peer("a"), 12.0));
    assert!(out.write_u64(&peer("b\"quoted\""), u64::MAX));
    assert!(out.write(&peer("zero"), -0.0));
    // Not a counter value: left out, as `FloatCounter` ignores such additions.
    assert!(!out.write(&peer("nan"), f64::NAN));
    assert!(!out.write(&peer("negative"), -1.0));
    assert!(!out.write(&peer("infinite"), f64::INFINITY));
}

#[derive(Metrics)]
#[metrics(prefix = "node")]
pub struct NodeMetrics {
    /// Messages waiting, by queue.
    #[metric(read = queue_depths)]
    pub queue_depth: CallbackFamily<Queue, Gauge>,
    /// Frames dropped, by peer.
    #[metric(read = dropped_frames)]
    pub dropped_frames: CallbackFamily<Peer, Counter>,
    /// Connections, by peer; set by each instance.
    pub connections: CallbackFamily<Peer, Gauge>,
}

static NODE: NodeMetrics = NodeMetrics::new();

fn node_registry() -> Registry {
    let registry = Registry::new();
    registry.register(&NODE).expect("registers");
    registry
}

#[test]
fn declared_families_write_labelled_series_at_scrape() {
    let text = node_registry().render(Format::Prometheus);
    assert_eq!(
        text,
        concat!(
            "# HELP node_queue_depth Messages waiting, by queue.\n",
            "# TYPE node_queue_depth gauge\n",
            "node_queue_depth{queue=\"inbound\"} 3\n",
            "node_queue_depth{queue=\"outbound\"} 0.5\n",
            "# HELP node_dropped_frames_total Frames dropped, by peer.\n",
            "# TYPE node_dropped_frames_total counter\n",
            "node_dropped_frames_total{peer=\"a\"} 12\n",
            "node_dropped_frames_total{peer=\"b\\\"quoted\\\"\"} 18446744073709551615\n",
            "node_dropped_frames_total{peer=\"zero\"} 0\n",
            "# HELP node_connections Connections, by peer; set by each instance.\n",
            "# TYPE node_connections gauge\n",
        )
    );
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool: {said}");
    }
}

#[test]
fn the_openmetrics_parser_reads_every_sample() {
    let text = node_registry().render(Format::OpenMetrics);
    assert!(
        text.contains("node_dropped_frames_total{peer=\"a\"} 12.0\n"),
        "{text}"
    );
    if let Checked::Ran(said) = openmetrics_parse(&text) {
        assert_eq!(
            said,
            concat!(
                "gauge node_queue_depth{queue='inbound'} 3.0\n",
                "gauge node_queue_depth{queue='outbound'} 0.5\n",
                "counter node_dropped_frames_total{peer='a'} 12.0\n",
                "counter node_dropped_frames_total{peer='b\"quoted\"'} 18446744073709551615\n",
                "counter node_dropped_frames_total{peer='zero'} 0.0\n",
            ),
            "{text}"
        );
    }
}

#[test]
fn an_instance_sets_its_own_closure() {
    let state: Arc<Mutex<Vec<(String, f64)>>> = Arc::new(Mutex::new(vec![("a".into(), 1.0)]));
    let mut metrics = NodeMetrics::new();
    let shared = Arc::clone(&state);
    metrics.connections = CallbackFamily::from_fn(move |out: &mut FamilyWriter<'_, Peer>| {
        for (peer, count) in shared.lock().expect("not poisoned").iter() {
            out.write(&Peer { peer: peer.clone() }, *count);
        }
    });
    let registry = Registry::new();
    registry
        .register_owned(Box::new(metrics))
        .expect("registers");
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("node_connections{peer=\"a\"} 1\n"), "{text}");
    state.lock().expect("not poisoned").push(("b".into(), 2.0));
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains("node_connections{peer=\"a\"} 1\nnode_connections{peer=\"b\"} 2\n"),
        "{text}"
    );
}

static SELF_SCRAPING: Registry = Registry::new();
static NESTED_SCRAPES: AtomicU64 = AtomicU64::new(0);

fn scrapes_its_own_registry(out: &mut FamilyWriter<'_, Queue>) {
    // The first call scrapes once more from inside the scrape; the nested call writes a value.
    if NESTED_SCRAPES.fetch_add(1, Ordering::SeqCst) == 0 {
        let inner = SELF_SCRAPING.render(Format::Prometheus);
        assert!(
            inner.contains("reentrant{queue=\"inbound\"} 1\n"),
            "{inner}"
        );
    }
    out.write(&Queue::Inbound, 1.0);
}

#[derive(Metrics)]
pub struct Reentrant {
    /// Scraped from inside its own scrape.
    #[metric(read = scrapes_its_own_registry)]
    pub reentrant: CallbackFamily<Queue, Gauge>,
}

static REENTRANT: Reentrant = Reentrant::new();

#[test]
fn a_function_scraping_its_own_registry_does_not_deadlock() {
    SELF_SCRAPING.register(&REENTRANT).expect("registers");
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let text = SELF_SCRAPING.render(Format::Prometheus);
        let _ = done.send(text);
    });
    let text = finished
        .recv_timeout(Duration::from_secs(30))
        .expect("the scrape finishes instead of deadlocking");
    assert!(text.contains("reentrant{queue=\"inbound\"} 1\n"), "{text}");
    assert_eq!(NESTED_SCRAPES.load(Ordering::SeqCst), 2);
}

#[test]
fn concurrent_scrapes_each_see_every_series_once() {
    let registry = Arc::new(node_registry());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let registry = Arc::clone(&registry);
            thread::spawn(move || {
                for _ in 0..200 {
                    let text = registry.render(Format::Prometheus);
                    assert_eq!(text.matches("node_queue_depth{").count(), 2, "{text}");
                    assert_eq!(text.matches("node_dropped_frames_total{").count(), 3);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("no scrape failed");
    }
}
