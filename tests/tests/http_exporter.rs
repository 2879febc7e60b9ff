//! The standalone exporter (hyper on its own thread) over real TCP.

mod http_common;

use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use http_common::*;
use oxios_metrics::serve::Exporter;
use oxios_metrics::Format;

fn exporter() -> Exporter {
    Exporter::builder(registry())
        .header_read_timeout(Duration::from_millis(400))
        .bind("127.0.0.1:0")
        .expect("bind a free loopback port")
}

#[test]
fn content_type_follows_accept() {
    check_content_types(exporter().local_addr());
}

#[test]
fn other_paths_are_not_found() {
    check_not_found(exporter().local_addr());
}

#[test]
fn other_methods_are_not_allowed() {
    check_method_not_allowed(exporter().local_addr());
}

#[test]
fn head_has_headers_and_no_body() {
    check_head(exporter().local_addr());
}

#[test]
fn gzip_round_trip() {
    check_gzip(exporter().local_addr());
}

#[test]
fn sixteen_concurrent_scrapes() {
    let exporter = Exporter::builder(registry())
        .max_concurrent_renders(16)
        .bind("127.0.0.1:0")
        .unwrap();
    check_concurrent_scrapes(exporter.local_addr());
    let counts = exporter.scrape_counts();
    assert_eq!(counts.prometheus + counts.openmetrics, 16 * 8);
    assert_eq!(counts.openmetrics, 16 * 4);
    assert!(counts.gzip > 0);
}

#[test]
fn a_slow_client_neither_blocks_scrapes_nor_keeps_its_connection() {
    let exporter = exporter();
    let mut slow = check_slow_client_does_not_block(exporter.local_addr());
    // The header-read timeout (400 ms here) ends the unfinished request.
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = match slow.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(closed, "the server closed the slow connection");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "closed after {:?}",
        started.elapsed()
    );
    assert!(
        !String::from_utf8_lossy(&rest).contains(" 200 "),
        "a half request is never answered as a scrape"
    );
}

#[test]
fn port_zero_binds_a_real_port_and_the_url_names_it() {
    let exporter = exporter();
    let address = exporter.local_addr();
    assert_ne!(address.port(), 0);
    assert!(address.ip().is_loopback());
    assert_eq!(
        exporter.url(),
        format!("http://127.0.0.1:{}/metrics", address.port())
    );
}

#[test]
fn a_taken_port_is_an_error_not_a_panic() {
    let first = exporter();
    let error = Exporter::bind(first.local_addr(), registry()).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
}

#[test]
fn shutdown_stops_serving_and_frees_the_port() {
    let exporter = exporter();
    let address = exporter.local_addr();
    assert_eq!(get(address, &[]).status, 200);
    let started = Instant::now();
    exporter.shutdown().expect("clean shutdown");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "shutdown is prompt"
    );
    assert!(
        TcpStream::connect(address).is_err(),
        "nothing listens any more"
    );
    // The port can be bound again.
    let again = Exporter::bind(address, registry()).expect("rebind after shutdown");
    assert_eq!(get(again.local_addr(), &[]).status, 200);
}

#[test]
fn shutdown_with_an_idle_slow_client_connected_is_prompt() {
    let exporter = Exporter::builder(registry())
        .header_read_timeout(Duration::from_secs(60))
        .bind("127.0.0.1:0")
        .unwrap();
    let _slow = start_slow_client(exporter.local_addr());
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    exporter.shutdown().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "shutdown took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_forced_format_ignores_accept() {
    let exporter = Exporter::builder(registry())
        .force_format(Format::Prometheus)
        .bind("127.0.0.1:0")
        .unwrap();
    let reply = get(
        exporter.local_addr(),
        &[("Accept", PROMETHEUS_SCRAPER_ACCEPT)],
    );
    assert_eq!(reply.header("content-type"), Some(PROMETHEUS));
    assert_eq!(reply.text(), registry().render(Format::Prometheus));
    assert_eq!(exporter.scrape_counts().openmetrics, 0);
    assert_eq!(exporter.scrape_counts().prometheus, 1);
}

#[test]
fn gzip_can_be_turned_off() {
    let exporter = Exporter::builder(registry())
        .gzip(false)
        .bind("127.0.0.1:0")
        .unwrap();
    let reply = get(exporter.local_addr(), &[("Accept-Encoding", "gzip")]);
    assert_eq!(reply.header("content-encoding"), None);
    assert_eq!(reply.text(), registry().render(Format::Prometheus));
}

#[test]
fn keep_alive_connections_serve_several_scrapes() {
    use std::io::Write;
    let exporter = exporter();
    let mut stream = TcpStream::connect(exporter.local_addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let expected = registry().render(Format::Prometheus);
    let request = b"GET /metrics HTTP/1.1\r\nHost: k\r\n\r\n";
    let mut received = Vec::new();
    for _ in 0..3 {
        stream.write_all(request).unwrap();
        let mut chunk = [0u8; 65536];
        let before = received.len();
        // Read until this response's body has fully arrived.
        while String::from_utf8_lossy(&received[before..])
            .matches(expected.as_str())
            .count()
            == 0
        {
            let read = stream.read(&mut chunk).unwrap();
            assert!(read > 0, "connection closed early");
            received.extend_from_slice(&chunk[..read]);
        }
    }
    let text = String::from_utf8_lossy(&received);
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3);
}

#[test]
fn a_client_that_sends_nothing_is_disconnected_after_the_timeout() {
    let exporter = exporter();
    let mut silent = TcpStream::connect(exporter.local_addr()).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = match silent.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(closed, "the server closed the silent connection");
    let waited = started.elapsed();
    // The timeout here is 400 ms; the server must neither cut in early nor wait much longer.
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(4),
        "closed after {waited:?}"
    );
}
