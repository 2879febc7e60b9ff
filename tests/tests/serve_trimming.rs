//! After one huge scrape the exporter's pooled buffers shrink back to the size of the
//! scrapes that follow, instead of keeping the huge one's memory for good. Alone in its
//! binary so that the resident-memory figures are this scenario's.

mod http_common;

use std::time::{Duration, Instant};

use http_common::*;
use oxios_metrics::serve::Exporter;
use oxios_metrics_tests::resident_kib;

/// The exporter's idle buffer bytes once the last response is back in the pool: a body
/// returns its buffer just after its last byte was written, which may be a moment after the
/// client read it.
fn idle_bytes(exporter: &Exporter) -> usize {
    let started = Instant::now();
    while exporter.renders_in_progress() != 0 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "a response never returned its buffer"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    exporter.idle_buffer_bytes()
}

#[test]
fn buffers_are_trimmed_after_one_huge_scrape() {
    let (registry, bulk) = bulk_registry(200_000);
    let exporter = Exporter::bind("127.0.0.1:0", registry).unwrap();
    let address = exporter.local_addr();
    let rss_before = resident_kib();
    let huge = get(address, &[]);
    assert_eq!(huge.status, 200);
    let huge_size = huge.body.len();
    drop(huge);
    let after_huge = idle_bytes(&exporter);
    let rss_huge = resident_kib();

    bulk.set_lines(100);
    let mut small_size = 0;
    let mut idle_per_scrape = Vec::new();
    for _ in 0..10 {
        let small = get(address, &[]);
        assert_eq!(small.status, 200);
        small_size = small.body.len();
        idle_per_scrape.push(idle_bytes(&exporter));
    }
    let after_small = *idle_per_scrape.last().unwrap();
    let rss_after = resident_kib();
    eprintln!(
        "one {huge_size}-byte scrape, then {small_size}-byte ones: idle buffers {after_huge} \
         bytes after it, {after_small} bytes after 10 small ones ({idle_per_scrape:?}); RSS \
         {rss_before} KiB before, {rss_huge} KiB after the huge scrape, {rss_after} KiB after \
         the small ones"
    );
    assert!(huge_size > 13_000_000 && small_size < 10_000);
    assert!(
        after_huge >= huge_size,
        "the pool kept the huge buffer for reuse"
    );
    // Kept while the huge scrape is among the last eight buffers handed back, shrunk on the
    // eighth small scrape.
    let trimmed_at = idle_per_scrape
        .iter()
        .position(|&bytes| bytes <= 2 * 64 * 1024);
    assert_eq!(trimmed_at, Some(7), "{idle_per_scrape:?}");
    // The small scrapes shrank it: at most the pool's floor (64 KiB) per idle buffer.
    assert!(
        after_small <= 2 * 64 * 1024,
        "{after_small} bytes still pooled after small scrapes"
    );
    // The memory went back to the system, not only out of the pool.
    assert!(
        rss_after + 10 * 1024 <= rss_huge,
        "resident memory {rss_huge} KiB -> {rss_after} KiB"
    );
}
