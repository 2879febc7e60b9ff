//! A scrape answered by `MetricsService` reuses its exposition buffer (and, for gzip, its
//! compressor and output buffer): after warm-up a scrape allocates only a small fixed amount
//! (response headers, the body handle), nothing that grows with the exposition. Counted by a
//! global allocator that counts the bytes every allocation of this test binary asks for.

mod http_common;

use http_common::registry;
use oxios_metrics::serve::MetricsService;
use oxios_metrics::Format;
use oxios_metrics_tests::counting_alloc::{requested_bytes, CountingAllocator};

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn request(accept: &str, accept_encoding: &str) -> http::Request<()> {
    http::Request::get("/metrics")
        .header("accept", accept)
        .header("accept-encoding", accept_encoding)
        .body(())
        .unwrap()
}

/// Bytes allocated by each of `rounds` scrapes (the response is dropped, as after sending).
fn bytes_per_scrape(
    service: &MetricsService,
    request: &http::Request<()>,
    rounds: usize,
) -> Vec<usize> {
    (0..rounds)
        .map(|_| {
            let before = requested_bytes();
            let response = service.respond(request);
            assert_eq!(response.status(), 200);
            drop(response);
            requested_bytes() - before
        })
        .collect()
}

// One test function: the counter is global, so nothing else may run beside it.
#[test]
fn scrapes_after_warm_up_allocate_a_small_fixed_amount() {
    let text = registry().render(Format::OpenMetrics);
    assert!(
        text.len() > 10_000,
        "a large enough exposition: {} bytes",
        text.len()
    );
    let service = MetricsService::new(registry());
    for (name, request) in [
        ("plain", request("application/openmetrics-text", "identity")),
        ("gzip", request("application/openmetrics-text", "gzip")),
        (
            "protobuf",
            request(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
                "identity",
            ),
        ),
        (
            "text 1.0.0, UTF-8",
            request("text/plain;version=1.0.0;escaping=allow-utf-8", "identity"),
        ),
    ] {
        // Warm-up: the pool gets its buffers (and compressor) at their working size.
        bytes_per_scrape(&service, &request, 3);
        let measured = bytes_per_scrape(&service, &request, 20);
        let most = *measured.iter().max().unwrap();
        assert!(
            most < text.len() / 10,
            "{name}: a scrape allocated up to {most} bytes for a {}-byte exposition: {measured:?}",
            text.len()
        );
        let least = *measured.iter().min().unwrap();
        assert_eq!(
            most, least,
            "{name}: per-scrape allocation varies: {measured:?}"
        );
        println!(
            "{name}: {most} bytes allocated per scrape; exposition {} bytes",
            text.len()
        );
    }
    assert_eq!(
        service.scrape_counts().gzip,
        23,
        "the gzip scrapes were compressed"
    );
    // The comparison that makes the figure meaningful: rendering into a fresh buffer
    // allocates at least the exposition's size every time.
    let before = requested_bytes();
    let fresh = registry().render(Format::OpenMetrics);
    assert!(requested_bytes() - before >= fresh.len());
}
