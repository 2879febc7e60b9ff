//! The standalone exporter under load and abuse: a thousand scrapes at concurrency 16,
//! malformed and oversized requests, clients that never finish. Nothing panics, no thread is
//! left stuck (shutdown stays prompt), memory stays flat, and every honest scrape is answered
//! byte for byte.

mod http_common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use http_common::*;
use oxios_metrics::serve::Exporter;
use oxios_metrics::Format;
use oxios_metrics_tests::resident_kib;

const HEADER_READ_TIMEOUT: Duration = Duration::from_millis(500);

/// The tests of this binary run one at a time: the load test compares the resident memory
/// of the whole process, which the others' huge requests and stalled clients would inflate.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn alone() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// An exporter allowing the 16 renders at once that the load test sends.
fn exporter() -> Exporter {
    Exporter::builder(registry())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_concurrent_renders(16)
        .bind("127.0.0.1:0")
        .expect("bind a free loopback port")
}

/// Sends raw bytes and returns what the server answered before closing (or within 5 s).
fn raw_exchange(address: SocketAddr, bytes: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // The server may answer and close before reading everything: a failed write is fine.
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

fn status_of(answer: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

fn assert_scrape_still_works(address: SocketAddr) {
    let reply = get(address, &[("Accept", PROMETHEUS_SCRAPER_ACCEPT)]);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        registry().render(Format::OpenMetrics).into_bytes()
    );
}

#[test]
fn a_thousand_scrapes_at_concurrency_16_with_flat_memory() {
    let _alone = alone();
    let exporter = exporter();
    let address = exporter.local_addr();
    let expected = [
        registry().render(Format::Prometheus).into_bytes(),
        registry().render(Format::OpenMetrics).into_bytes(),
    ];
    let scrape_round = |per_thread: usize| {
        std::thread::scope(|scope| {
            for thread in 0..16 {
                let expected = &expected;
                scope.spawn(move || {
                    for index in 0..per_thread {
                        let openmetrics = (thread + index) % 2 == 1;
                        let accept = if openmetrics {
                            PROMETHEUS_SCRAPER_ACCEPT
                        } else {
                            "text/plain"
                        };
                        let reply = get(address, &[("Accept", accept)]);
                        assert_eq!(reply.status, 200);
                        assert!(
                            reply.body == expected[usize::from(openmetrics)],
                            "scrape body differs"
                        );
                    }
                });
            }
        });
    };
    scrape_round(8); // warm the buffer pools
    let rss_before = resident_kib();
    let started = Instant::now();
    scrape_round(63); // 16 × 63 = 1,008 scrapes
    let elapsed = started.elapsed();
    let rss_after = resident_kib();
    eprintln!(
        "1,008 scrapes at concurrency 16 in {elapsed:?}; RSS {rss_before} -> {rss_after} KiB"
    );
    let counts = exporter.scrape_counts();
    assert_eq!(counts.prometheus + counts.openmetrics, 16 * (8 + 63));
    assert!(
        rss_after <= rss_before + 8 * 1024,
        "resident memory grew from {rss_before} KiB to {rss_after} KiB"
    );
    let stopping = Instant::now();
    exporter.shutdown().expect("shutdown");
    assert!(
        stopping.elapsed() < Duration::from_secs(3),
        "shutdown took {:?}",
        stopping.elapsed()
    );
}

#[test]
fn malformed_requests_get_an_error_or_a_close_and_nothing_breaks() {
    let _alone = alone();
    let exporter = exporter();
    let address = exporter.local_addr();
    let malformed: &[&[u8]] = &[
        b"\x00\x01\x02GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /metrics HTTP/9.9\r\n\r\n",
        b"GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n",
        b"GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
        b"GET /metrics HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"\r\n\r\n\r\n\r\n",
        "GET /m\u{e9}trics HTTP/1.1\r\n\r\n".as_bytes(),
    ];
    for request in malformed {
        let answer = raw_exchange(address, request);
        if let Some(status) = status_of(&answer) {
            assert!(
                status != 200
                    || request.starts_with(b"GET /metrics HTTP/1.1\r\nHost: a\r\nTransfer"),
                "{:?} was answered {status}",
                String::from_utf8_lossy(request)
            );
        }
        assert_scrape_still_works(address);
    }
    // A POST announcing a 10 MB body it never sends is refused without waiting for the body.
    let started = Instant::now();
    let answer = raw_exchange(
        address,
        b"POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_of(&answer), Some(405));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_scrape_still_works(address);
}

#[test]
fn oversized_requests_are_refused_and_nothing_breaks() {
    let _alone = alone();
    let exporter = exporter();
    let address = exporter.local_addr();
    let long_path = format!("GET /{} HTTP/1.1\r\nHost: a\r\n\r\n", "a".repeat(200_000));
    let huge_header = format!(
        "GET /metrics HTTP/1.1\r\nHost: a\r\nX-Big: {}\r\n\r\n",
        "b".repeat(1 << 20)
    );
    let many_headers = format!(
        "GET /metrics HTTP/1.1\r\nHost: a\r\n{}\r\n",
        (0..10_000)
            .map(|index| format!("X-{index}: v\r\n"))
            .collect::<String>()
    );
    for request in [long_path, huge_header, many_headers] {
        let answer = raw_exchange(address, request.as_bytes());
        // hyper answers 431/414/400 or closes; what matters is that it is not served as a
        // scrape and that the server is still there.
        assert_ne!(
            status_of(&answer),
            Some(200),
            "an oversized request was served"
        );
        assert_scrape_still_works(address);
    }
}

#[test]
fn clients_that_never_finish_neither_block_others_nor_stay_forever() {
    let _alone = alone();
    let exporter = exporter();
    let address = exporter.local_addr();
    let mut stalled: Vec<TcpStream> = (0..50)
        .map(|index| {
            let mut stream = TcpStream::connect(address).expect("connect");
            // Half a request line, half a header, or nothing at all.
            let partial: &[u8] = match index % 3 {
                0 => b"GET /metr",
                1 => b"GET /metrics HTTP/1.1\r\nHost: loc",
                _ => b"",
            };
            stream.write_all(partial).unwrap();
            stream
        })
        .collect();
    // Other scrapes are answered while the 50 connections hang. A server that served the
    // connections one at a time would wait out their 50 header-read timeouts (25 s) first;
    // the bound leaves a busy machine room for the 20 scrapes themselves.
    let started = Instant::now();
    for _ in 0..20 {
        assert_scrape_still_works(address);
    }
    assert!(
        started.elapsed() < HEADER_READ_TIMEOUT * 20,
        "scrapes waited {:?}",
        started.elapsed()
    );
    // Every stalled connection is closed by the server after the header-read timeout.
    for stream in &mut stalled {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut rest = Vec::new();
        let closed = match stream.read_to_end(&mut rest) {
            Ok(_) => true,
            Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
        };
        assert!(closed, "a stalled connection stayed open");
        assert_ne!(status_of(&rest), Some(200));
    }
    assert!(started.elapsed() < Duration::from_secs(20));
    let stopping = Instant::now();
    exporter.shutdown().expect("shutdown");
    assert!(stopping.elapsed() < Duration::from_secs(3));
}
