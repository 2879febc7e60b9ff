//! Removing series from dynamic families: `remove` and `clear` take series out of the next
//! scrape and free their slots within `max_series`; a reused slot starts from zero; the
//! overflow totals stay; label sets longer than `max_label_bytes` never get a series.

use oxios_metrics::{Counter, Family, Format, Histogram, LabelSet, MetricType};
use oxios_metrics_tests::{desc, leak, registry_with, resident_kib};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Peer {
    peer: String,
}

fn peer(name: &str) -> Peer {
    Peer { peer: name.into() }
}

#[test]
fn removed_series_leave_the_scrape_and_free_their_slot() {
    let family: &'static Family<Peer, Counter> = leak(Family::new().with_max_series(2));
    let registry = registry_with(vec![(
        desc("bytes", "Bytes.", MetricType::Counter, "r.rs", 1),
        family,
    )]);
    family.get(peer("a")).add(5);
    family.get(peer("b")).add(7);
    family.get(peer("c")).inc(); // full: overflow
    assert_eq!(family.overflowed_lookups(), 1);
    assert!(family.remove(&peer("a")));
    assert!(!family.remove(&peer("a")), "already gone");
    assert!(!family.remove(&peer("never")));
    assert_eq!(family.series_count(), 1);
    let text = registry.render(Format::Prometheus);
    assert!(!text.contains("peer=\"a\""), "{text}");
    assert!(text.contains("bytes_total{peer=\"b\"} 7\n"), "{text}");
    // The freed slot takes a new label set, from zero; nothing overflows.
    family.get(peer("c")).add(3);
    assert_eq!(family.overflowed_lookups(), 1);
    assert_eq!(family.get(peer("c")).get(), 3);
    // `a` again is a new series (the family is full again, so it overflows).
    family.get(peer("a")).inc();
    assert_eq!(family.overflowed_lookups(), 2);
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("bytes_total{peer=\"c\"} 3\n"), "{text}");
    assert!(
        text.contains("bytes_total{series_overflow=\"true\"} 2\n"),
        "{text}"
    );

    family.clear();
    assert_eq!(family.series_count(), 0);
    let text = registry.render(Format::Prometheus);
    assert!(!text.contains("peer="), "{text}");
    assert!(
        text.contains("bytes_total{series_overflow=\"true\"} 2\n"),
        "the overflow series is a total and stays: {text}"
    );
    for name in ["x", "y"] {
        family.get(peer(name)).inc();
    }
    assert_eq!(family.series_count(), 2);
    assert_eq!(family.overflowed_lookups(), 2, "cleared slots are reused");
}

#[test]
fn churn_within_max_series_holds_no_more_memory_than_the_bound() {
    let family: &'static Family<Peer, Histogram> = leak(Family::new().with_max_series(64));
    for round in 0..20_000 {
        let key = peer(&format!("peer-{round}"));
        family.get_ref(&key).observe(1.0);
        if round >= 32 {
            assert!(family.remove(&peer(&format!("peer-{}", round - 32))));
        }
    }
    assert_eq!(family.series_count(), 32);
    assert_eq!(family.overflowed_lookups(), 0, "churn never overflows");
    // Every live series saw exactly one observation: reused slots were reset.
    let registry = registry_with(vec![(
        desc("lat", "Latency.", MetricType::Histogram, "r.rs", 2),
        family,
    )]);
    let text = registry.render(Format::Prometheus);
    let counts: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("lat_count"))
        .collect();
    assert_eq!(counts.len(), 32);
    assert!(counts.iter().all(|line| line.ends_with(" 1")), "{counts:?}");
}

#[test]
fn over_long_label_sets_go_to_the_overflow_series_and_cost_nothing() {
    let family: &'static Family<Peer, Counter> = leak(Family::new());
    let registry = registry_with(vec![(
        desc("huge", "Huge labels.", MetricType::Counter, "r.rs", 3),
        family,
    )]);
    let rss_before = resident_kib();
    for index in 0..200 {
        // 1 MiB per value, each distinct.
        let mut value = format!("{index:08}");
        value.push_str(&"v".repeat(1 << 20));
        family.get(Peer { peer: value }).inc();
    }
    let rss_after = resident_kib();
    eprintln!("200 label values of 1 MiB: RSS {rss_before} -> {rss_after} KiB");
    assert_eq!(family.series_count(), 0);
    assert_eq!(family.overflows().max_label_bytes, 200);
    assert_eq!(family.overflows().max_series, 0);
    let text = registry.render(Format::Prometheus);
    assert!(
        text.len() < 2_000,
        "the scrape stays small: {} bytes",
        text.len()
    );
    assert!(
        text.contains("huge_total{series_overflow=\"true\"} 200\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "oxios_metrics_series_overflow_total{family=\"huge\",reason=\"max_label_bytes\"} 200\n"
        ),
        "{text}"
    );
    // Each value was rendered once and dropped: no 200 MB held. (Before the bound: +402 MB.)
    assert!(
        rss_after.saturating_sub(rss_before) < 64 * 1024,
        "RSS grew by {} KiB",
        rss_after.saturating_sub(rss_before)
    );
    // A value within the limit is stored; the limit is configurable.
    family.get(peer(&"a".repeat(2000))).inc();
    assert_eq!(family.series_count(), 1);
    let roomy: &'static Family<Peer, Counter> = leak(Family::new().with_max_label_bytes(1 << 21));
    roomy.get(peer(&"b".repeat(1 << 20))).inc();
    assert_eq!(roomy.series_count(), 1);
    assert_eq!(roomy.max_label_bytes(), 1 << 21);
}
