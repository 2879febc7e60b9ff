//! Forty clients ask for a ~14 MB exposition and never read. The exporter renders at most
//! its limit of them (the rest get `503` and a closed connection at once), holds at most
//! that many expositions, and cuts the stalled connections at the response deadline.
//! Alone in its binary so that the resident-memory figures are this scenario's.

mod http_common;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use http_common::*;
use oxios_metrics::serve::Exporter;
use oxios_metrics::Format;
use oxios_metrics_tests::resident_kib;

const CLIENTS: usize = 40;
const LIMIT: usize = 4;
/// The shortest response deadline used; see [`deadline_for`].
const DEADLINE: Duration = Duration::from_secs(3);
/// How long after the deadline every connection must have been closed, at least.
const MARGIN: Duration = Duration::from_millis(700);

/// The response deadline for renders that take `render` each here. The admitted renders
/// must be done well before the deadline, so that it cuts responses that have started
/// (`200` and part of the body) rather than renders: [`DEADLINE`] on an idle machine, and
/// longer where four renders at once cannot finish in it (a debug build on a busy one).
fn deadline_for(render: Duration) -> Duration {
    DEADLINE.max(render * 8)
}

#[test]
fn non_reading_clients_pin_at_most_the_render_limit_and_are_cut_at_the_deadline() {
    let (registry, bulk) = bulk_registry(200_000);
    let timed = Instant::now();
    let size = registry.render(Format::Prometheus).len();
    let render = timed.elapsed();
    let deadline = deadline_for(render);
    let margin = MARGIN.max(render);
    let exporter = Exporter::builder(registry)
        .max_concurrent_renders(LIMIT)
        .response_timeout(deadline)
        .header_read_timeout(Duration::from_secs(1))
        .bind("127.0.0.1:0")
        .unwrap();
    let address = exporter.local_addr();
    let rss_before = resident_kib();
    let started = Instant::now();
    let mut clients: Vec<TcpStream> = (0..CLIENTS)
        .map(|_| {
            let mut stream = TcpStream::connect(address).unwrap();
            stream
                .write_all(b"GET /metrics HTTP/1.1\r\nHost: never-reads\r\n\r\n")
                .unwrap();
            stream
        })
        .collect();
    // Sample resident memory while the clients sit on their responses, until just before
    // the deadline.
    let mut rss_peak = rss_before;
    while started.elapsed() < deadline - Duration::from_millis(300) {
        rss_peak = rss_peak.max(resident_kib());
        std::thread::sleep(Duration::from_millis(20));
    }
    let in_flight = exporter.scrape_counts();
    // Past the deadline (and its margin) every connection must have been closed.
    while started.elapsed() < deadline + margin {
        rss_peak = rss_peak.max(resident_kib());
        std::thread::sleep(Duration::from_millis(20));
    }
    let rss_at_deadline = resident_kib();
    let looked = Instant::now();
    let drained: Vec<Drained> = clients
        .iter_mut()
        .map(|stream| drain(stream, Duration::from_millis(150)))
        .collect();
    let looked_in = looked.elapsed();
    drop(clients);
    std::thread::sleep(Duration::from_millis(200));
    let rss_after = resident_kib();

    let closed = drained.iter().filter(|client| client.closed).count();
    let refused = drained
        .iter()
        .filter(|client| client.closed && client.status == Some(503))
        .count();
    let cut = drained
        .iter()
        .filter(|client| client.closed && client.status == Some(200))
        .count();
    let cut_bytes: Vec<usize> = drained
        .iter()
        .filter(|client| client.status == Some(200))
        .map(|client| client.bytes)
        .collect();
    let mib = |kib: u64| kib as f64 / 1024.0;
    eprintln!(
        "{CLIENTS} non-reading clients, exposition {size} bytes (rendered in {render:?}), \
         limit {LIMIT}, deadline {deadline:?}: RSS {:.1} MiB before, peak {:.1} MiB, {:.1} MiB at the deadline, \
         {:.1} MiB after they closed; {closed}/{CLIENTS} closed by the server ({refused} \
         refused with 503, {cut} cut mid-body after {cut_bytes:?} bytes); counts {in_flight:?}",
        mib(rss_before),
        mib(rss_peak),
        mib(rss_at_deadline),
        mib(rss_after),
    );
    assert!(size > 13_000_000, "a ~14 MB exposition: {size} bytes");
    assert_eq!(in_flight.prometheus, LIMIT as u64, "renders admitted");
    assert_eq!(in_flight.rejected, (CLIENTS - LIMIT) as u64);
    assert_eq!(closed, CLIENTS, "connections still open after the deadline");
    assert_eq!(refused, CLIENTS - LIMIT);
    assert_eq!(cut, LIMIT);
    for bytes in cut_bytes {
        assert!(
            bytes < size,
            "a cut response was not complete: {bytes} bytes"
        );
    }
    assert!(
        looked_in < Duration::from_secs(3),
        "draining took {looked_in:?}"
    );
    // At most the limit's expositions (plus one for allocator slack) were ever held.
    let bound_kib = ((LIMIT + 1) * size / 1024) as u64;
    assert!(
        rss_peak <= rss_before + bound_kib,
        "resident memory grew by {} KiB, bound {bound_kib} KiB",
        rss_peak - rss_before
    );
    // The cut freed the responses: the exporter keeps only its pooled buffers (at most
    // two per render) and serves again.
    assert!(exporter.idle_buffer_bytes() <= LIMIT * 2 * size);
    // A small exposition, so that a busy machine answers within the client's read timeout.
    bulk.set_lines(100);
    assert_eq!(get(address, &[]).status, 200);
}
