//! Families of counters and gauges keep their series' line prefixes between scrapes: the
//! kept text must always be what the scrape would write afresh, after series are created and
//! removed, across formats, and for one family scraped under several names at once.

mod proto_common;

use oxios_metrics::{Counter, Family, FloatGauge, Format, Gauge, MetricType, Registry};
use oxios_metrics_tests::{desc, leak, registry_with, Method, Path};

fn path(name: &str) -> Path {
    Path { path: name.into() }
}

fn counters(registry: &Registry, format: Format) -> Vec<String> {
    registry
        .render(format)
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn kept_prefixes_follow_creation_and_removal() {
    let family: &'static Family<Path, Counter> = leak(Family::new().with_max_series(3));
    let registry = registry_with(vec![(
        desc("hits", "Hits.", MetricType::Counter, "p.rs", 1),
        family,
    )]);
    family.get(path("/a")).add(1);
    family.get(path("/b\"q\"")).add(22);
    for _ in 0..2 {
        assert_eq!(
            counters(&registry, Format::Prometheus),
            [
                "hits_total{path=\"/a\"} 1",
                "hits_total{path=\"/b\\\"q\\\"\"} 22"
            ]
        );
    }
    family.get(path("/c")).add(333);
    assert_eq!(
        counters(&registry, Format::Prometheus),
        [
            "hits_total{path=\"/a\"} 1",
            "hits_total{path=\"/b\\\"q\\\"\"} 22",
            "hits_total{path=\"/c\"} 333"
        ]
    );
    assert!(family.remove(&path("/a")));
    // The freed slot goes to a new path, first in slot order; the old prefix must not stay.
    family.get(path("/d")).add(4444);
    assert_eq!(
        counters(&registry, Format::Prometheus),
        [
            "hits_total{path=\"/d\"} 4444",
            "hits_total{path=\"/b\\\"q\\\"\"} 22",
            "hits_total{path=\"/c\"} 333"
        ]
    );
    family.get(path("/full")).inc();
    family.clear();
    assert_eq!(
        counters(&registry, Format::OpenMetrics),
        [
            "hits_total{series_overflow=\"true\"} 1",
            "oxios_metrics_series_overflow_total{family=\"hits\",reason=\"max_series\"} 1"
        ]
    );
    family.get(path("/e")).add(5);
    assert_eq!(
        counters(&registry, Format::Prometheus)[..2],
        [
            "hits_total{path=\"/e\"} 5",
            "hits_total{series_overflow=\"true\"} 1"
        ]
    );
}

#[test]
fn one_family_under_several_names_and_formats() {
    let family: &'static Family<Path, Gauge> = leak(Family::new());
    family.get(path("/x")).set(-17);
    family.get(path("/y")).set(u32::MAX.into());
    let first = registry_with(vec![(
        desc("depth", "Depth.", MetricType::Gauge, "p.rs", 2),
        family,
    )]);
    let second = registry_with(vec![(
        desc("queue_depth", "Depth.", MetricType::Gauge, "p.rs", 3),
        family,
    )]);
    let third = Registry::new();
    third
        .sub_registry_with_label("shard", "7")
        .unwrap()
        .register_owned(Box::new(oxios_metrics_tests::HandGroup::new(vec![(
            desc("depth", "Depth.", MetricType::Gauge, "p.rs", 4),
            family,
        )])))
        .unwrap();
    // More expositions than a family keeps, in turn, twice: each scrape is still exact.
    for _ in 0..2 {
        for format in [Format::Prometheus, Format::OpenMetrics] {
            assert_eq!(
                counters(&first, format),
                ["depth{path=\"/x\"} -17", "depth{path=\"/y\"} 4294967295"]
            );
            assert_eq!(
                counters(&second, format),
                [
                    "queue_depth{path=\"/x\"} -17",
                    "queue_depth{path=\"/y\"} 4294967295"
                ]
            );
            assert_eq!(
                counters(&third, format),
                [
                    "depth{shard=\"7\",path=\"/x\"} -17",
                    "depth{shard=\"7\",path=\"/y\"} 4294967295"
                ]
            );
        }
    }
}

#[test]
fn float_values_and_fixed_families_are_written_exactly() {
    let floats: &'static Family<Path, FloatGauge> = leak(Family::new());
    floats.get(path("/f")).set(0.1 + 0.2);
    floats.get(path("/g")).set(f64::NEG_INFINITY);
    let fixed: &'static Family<Method, Counter> = leak(Family::new());
    fixed.get(Method::Post).add(u64::MAX);
    let registry = registry_with(vec![
        (
            desc("ratio", "Ratio.", MetricType::Gauge, "p.rs", 5),
            floats,
        ),
        (
            desc("calls", "Calls.", MetricType::Counter, "p.rs", 6),
            fixed,
        ),
    ]);
    for _ in 0..2 {
        assert_eq!(
            counters(&registry, Format::Prometheus),
            [
                "ratio{path=\"/f\"} 0.30000000000000004",
                "ratio{path=\"/g\"} -Inf",
                "calls_total{method=\"get\"} 0",
                "calls_total{method=\"post\"} 18446744073709551615",
            ]
        );
    }
    fixed.get(Method::Get).add(100_000_000);
    assert_eq!(
        counters(&registry, Format::OpenMetrics)[2..],
        [
            "calls_total{method=\"get\"} 100000000",
            "calls_total{method=\"post\"} 18446744073709551615",
        ]
    );
}

#[test]
fn concurrent_scrapes_of_one_family_are_each_exact() {
    use std::sync::mpsc;
    use std::time::Duration;

    let family: &'static Family<Path, Counter> = leak(Family::new().with_max_series(64));
    let registry: &'static Registry = leak(registry_with(vec![(
        desc("hits", "Hits.", MetricType::Counter, "p.rs", 7),
        family,
    )]));
    for index in 0..40u64 {
        family.get(path(&format!("/p/{index}"))).add(index + 1);
    }
    // Never removed, so every scrape has at least this one.
    family.get(path("/p/99")).add(100);
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        std::thread::scope(|scope| {
            // Two scrapers race for the family's kept prefixes (one of them writes the
            // uncached way whenever the other holds them) while series come and go.
            for format in [Format::Prometheus, Format::OpenMetrics] {
                scope.spawn(move || {
                    let mut lines = 0;
                    for _ in 0..300 {
                        for line in counters(registry, format) {
                            lines += 1;
                            let rest = line
                                .strip_prefix("hits_total{path=\"/p/")
                                .unwrap_or_else(|| panic!("a stray line: {line}"));
                            let (index, value) = rest
                                .split_once("\"} ")
                                .unwrap_or_else(|| panic!("a torn line: {line}"));
                            let index: u64 = index.parse().expect("the path's number");
                            let value: u64 = value.parse().expect("a whole value");
                            // Series `i` only ever holds multiples of `i + 1`.
                            assert_eq!(value % (index + 1), 0, "{line}");
                        }
                    }
                    assert!(lines > 0, "no scrape saw a series");
                });
            }
            scope.spawn(move || {
                for round in 0..2_000u64 {
                    let index = round % 40;
                    let labels = path(&format!("/p/{index}"));
                    family.get_ref(&labels).add(index + 1);
                    if round % 7 == 0 {
                        family.remove(&labels);
                    }
                }
            });
        });
        let _ = done.send(());
    });
    finished
        .recv_timeout(Duration::from_secs(120))
        .expect("the scrapes finished in time");
}

/// One decoded series: family, labels, counter or gauge value, a counter's creation time.
type Decoded = (String, Vec<(String, String)>, f64, Option<i64>);

fn decoded(registry: &Registry) -> Vec<Decoded> {
    let mut out = Vec::new();
    registry.encode_to_vec(&mut out, Format::Protobuf);
    proto_common::decode(&out)
        .into_iter()
        .flat_map(|family| {
            let name = family.name.clone().unwrap_or_default();
            family.metric.into_iter().map(move |metric| {
                let labels = metric
                    .label
                    .iter()
                    .map(|pair| {
                        (
                            pair.name.clone().unwrap_or_default(),
                            pair.value.clone().unwrap_or_default(),
                        )
                    })
                    .collect();
                let (value, created) = match (&metric.counter, &metric.gauge) {
                    (Some(counter), _) => (
                        counter.value.unwrap_or(f64::NAN),
                        counter.created_timestamp.as_ref().map(|t| t.seconds),
                    ),
                    (None, Some(gauge)) => (gauge.value.unwrap_or(f64::NAN), None),
                    (None, None) => (f64::NAN, None),
                };
                (name.clone(), labels, value, created)
            })
        })
        .collect()
}

#[test]
fn protobuf_messages_from_kept_prefixes_decode_exactly() {
    let hits: &'static Family<Path, Counter> = leak(Family::new());
    let calls: &'static Family<Method, FloatGauge> = leak(Family::new());
    let fixed: &'static Family<Method, Counter> = leak(Family::new());
    fixed.get(Method::Get).add(3);
    let registry = registry_with(vec![
        (desc("hits", "Hits.", MetricType::Counter, "p.rs", 8), hits),
        (desc("load", "Load.", MetricType::Gauge, "p.rs", 9), calls),
        (
            desc("calls", "Calls.", MetricType::Counter, "p.rs", 10),
            fixed,
        ),
    ]);
    // A label value long enough that its message length takes two varint bytes.
    let long = "x".repeat(200);
    for (index, name) in ["/a", "/b\"q\"", long.as_str()].into_iter().enumerate() {
        hits.get(path(name)).add(index as u64 * 1000 + 1);
    }
    calls.get(Method::Post).set(-0.25);
    let pairs = |name: &str, value: &str| vec![(name.to_owned(), value.to_owned())];
    let mut first_times = None;
    for round in 0..3u64 {
        let series = decoded(&registry);
        assert_eq!(series.len(), 7, "{series:?}");
        // A fixed family's counters carry the family's creation time.
        assert_eq!(series[5].1, pairs("method", "get"));
        assert_eq!(series[5].2, 3.0);
        assert!(series[5].3.is_some() && series[6].3 == series[5].3);
        assert_eq!(series[6].2, 0.0);
        assert_eq!(series[0].0, "hits_total");
        assert_eq!(series[0].1, pairs("path", "/a"));
        assert_eq!(series[0].2, (1 + round) as f64);
        assert_eq!(series[1].1, pairs("path", "/b\"q\""));
        assert_eq!(series[1].2, 1001.0);
        assert_eq!(series[2].1, pairs("path", &long));
        assert_eq!(series[2].2, 2001.0);
        // Each dynamic counter carries its own creation time, the same in every scrape.
        let times: Vec<_> = series[..3].iter().map(|s| s.3).collect();
        assert!(times.iter().all(Option::is_some), "{times:?}");
        assert_eq!(*first_times.get_or_insert(times.clone()), times);
        assert_eq!(series[3].1, pairs("method", "get"));
        assert_eq!(series[3].2, 0.0);
        assert_eq!(series[4].1, pairs("method", "post"));
        assert_eq!(series[4].2, -0.25);
        hits.get(path("/a")).inc();
    }
    // A new series is a change: it appears, the kept prefixes follow.
    hits.get(path("/c")).add(7);
    let series = decoded(&registry);
    assert_eq!(series[3].1, pairs("path", "/c"));
    assert_eq!(series[3].2, 7.0);
}
