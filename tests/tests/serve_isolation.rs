//! The standalone exporter keeps slow renders to themselves: a slow callback delays no other
//! request, renders past the limit are refused at once with `503` and `Retry-After`, a
//! response past its deadline is cut, and shutdown is bounded even when a render never
//! returns. Every wait here has a bound, so a regression fails instead of hanging.

mod http_common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use http_common::*;
use oxios_metrics::serve::{Exporter, DEFAULT_MAX_CONCURRENT_RENDERS};

fn timed_request(address: SocketAddr, path: &str) -> (Reply, Duration, Instant) {
    let started = Instant::now();
    let reply = request(address, "GET", path, &[]);
    (reply, started.elapsed(), Instant::now())
}

/// How long the slow callback takes.
const SLOW: Duration = Duration::from_secs(3);
static SLOW_ENTERED: AtomicBool = AtomicBool::new(false);
fn slow_callback() -> f64 {
    SLOW_ENTERED.store(true, Ordering::SeqCst);
    std::thread::sleep(SLOW);
    1.0
}

#[test]
fn a_slow_callback_does_not_delay_an_unrelated_request() {
    let exporter = Exporter::bind("127.0.0.1:0", callback_registry(slow_callback)).unwrap();
    let address = exporter.local_addr();
    let scrape = std::thread::spawn(move || timed_request(address, "/metrics"));
    // The 404 is asked for once the render is inside the callback, however long a busy
    // machine took to get the scrape there.
    let started = Instant::now();
    while !SLOW_ENTERED.load(Ordering::SeqCst) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never rendered"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let (not_found, latency, answered) = timed_request(address, "/nope");
    let (scrape, scrape_latency, scraped) = scrape.join().expect("the scrape thread");
    eprintln!("404 beside a {SLOW:?} render: {latency:?}; the render took {scrape_latency:?}");
    assert_eq!(not_found.status, 404);
    assert_eq!(scrape.status, 200);
    assert!(scrape.text().contains("callback 1\n"));
    assert!(scrape_latency >= SLOW);
    // One current-thread runtime rendering inline answered this 404 only once the render
    // was done. The latency bound is two thirds of the render: room for a busy machine,
    // and still short of a 404 that waited out the rest of the callback.
    assert!(answered < scraped, "the 404 waited for the render");
    assert!(latency < SLOW * 2 / 3, "the 404 took {latency:?}");
}

static HELD: Gate = Gate::new();
fn held_callback() -> f64 {
    HELD.pass();
    1.0
}

#[test]
fn renders_past_the_limit_get_503_with_retry_after_at_once() {
    let limit = 2;
    let exporter = Exporter::builder(callback_registry(held_callback))
        .max_concurrent_renders(limit)
        .bind("127.0.0.1:0")
        .unwrap();
    let address = exporter.local_addr();
    let admitted: Vec<_> = (0..limit)
        .map(|_| std::thread::spawn(move || request(address, "GET", "/metrics", &[])))
        .collect();
    assert!(
        HELD.wait_for(limit, Duration::from_secs(10)),
        "{} of {limit} renders started",
        HELD.arrived()
    );
    let over = 5;
    let started = Instant::now();
    for _ in 0..over {
        let reply = request(address, "GET", "/metrics", &[]);
        assert_eq!(reply.status, 503);
        assert_eq!(reply.header("retry-after"), Some("1"));
        assert_eq!(reply.header("connection"), Some("close"));
        assert!(reply.text().contains("too many scrapes"));
    }
    let refused_in = started.elapsed();
    // HEAD renders too, and is refused the same way; other paths are not limited.
    assert_eq!(request(address, "HEAD", "/metrics", &[]).status, 503);
    assert_eq!(request(address, "GET", "/other", &[]).status, 404);
    eprintln!("{over} scrapes over a limit of {limit} refused in {refused_in:?}");
    // A refusal that waited for a permit would wait for the gate, which stays closed until
    // below: the client's 10 s read timeout would fail the request first.
    assert!(
        refused_in < Duration::from_secs(5),
        "refusals waited: {refused_in:?}"
    );
    assert_eq!(
        HELD.arrived(),
        limit,
        "no refused scrape reached the registry"
    );
    assert_eq!(exporter.scrape_counts().rejected, over as u64 + 1);
    HELD.open();
    for scrape in admitted {
        let reply = scrape.join().expect("an admitted scrape");
        assert_eq!(reply.status, 200);
        assert!(reply.text().contains("callback 1\n"));
    }
    // The permits came back with the sent bodies.
    assert_eq!(get(address, &[]).status, 200);
    let counts = exporter.scrape_counts();
    assert_eq!(counts.prometheus, limit as u64 + 1);
    assert_eq!(counts.rejected, over as u64 + 1);
}

#[test]
fn the_default_limit_is_documented_and_sensible() {
    assert_eq!(DEFAULT_MAX_CONCURRENT_RENDERS, 4);
    let exporter = Exporter::bind("127.0.0.1:0", registry()).unwrap();
    check_content_types(exporter.local_addr());
    assert_eq!(exporter.scrape_counts().rejected, 0);
}

static LATE: Gate = Gate::new();
fn late_callback() -> f64 {
    LATE.pass();
    1.0
}

#[test]
fn a_response_past_its_deadline_is_cut() {
    let deadline = Duration::from_millis(600);
    let exporter = Exporter::builder(callback_registry(late_callback))
        .response_timeout(deadline)
        .max_concurrent_renders(1)
        .bind("127.0.0.1:0")
        .unwrap();
    let mut stream = TcpStream::connect(exporter.local_addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: late\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let ended = stream.read_to_end(&mut answer);
    let waited = started.elapsed();
    eprintln!("a render held past a {deadline:?} deadline: cut after {waited:?}");
    assert!(
        ended.is_ok() || ended.unwrap_err().kind() == std::io::ErrorKind::ConnectionReset,
        "the server closed the connection"
    );
    assert!(answer.is_empty(), "nothing was answered before the cut");
    assert!(
        waited >= deadline - Duration::from_millis(50) && waited < Duration::from_secs(5),
        "cut after {waited:?}"
    );
    // The render is still inside the callback and holds the only permit.
    assert_eq!(get(exporter.local_addr(), &[]).status, 503);
    LATE.open();
    let started = Instant::now();
    while get(exporter.local_addr(), &[]).status != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the permit never came back"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

static STUCK_ENTERED: AtomicBool = AtomicBool::new(false);
fn stuck_forever() -> f64 {
    STUCK_ENTERED.store(true, Ordering::SeqCst);
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

#[test]
fn shutdown_is_bounded_while_a_render_is_stuck_forever() {
    let exporter = Exporter::bind("127.0.0.1:0", callback_registry(stuck_forever)).unwrap();
    let address = exporter.local_addr();
    let client = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
            .write_all(b"GET /metrics HTTP/1.1\r\nHost: stuck\r\n\r\n")
            .unwrap();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        rest
    });
    let started = Instant::now();
    while !STUCK_ENTERED.load(Ordering::SeqCst) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never rendered"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // Other requests are still answered while the render is stuck.
    assert_eq!(request(address, "GET", "/nope", &[]).status, 404);
    let (done, finished) = mpsc::channel();
    let stopping = Instant::now();
    std::thread::spawn(move || {
        drop(exporter);
        let _ = done.send(());
    });
    let result = finished.recv_timeout(Duration::from_secs(10));
    let took = stopping.elapsed();
    eprintln!("drop with a render stuck forever returned after {took:?}");
    assert!(result.is_ok(), "drop still blocked after 10 s");
    // Two seconds of grace for responses in flight, then the stuck render is left behind.
    assert!(took < Duration::from_secs(4), "drop took {took:?}");
    assert!(
        TcpStream::connect(address).is_err(),
        "nothing listens any more"
    );
    let rest = client.join().expect("the client thread");
    assert!(rest.is_empty(), "the stuck scrape was never answered");
}
