//! Registries the size of real services: a hand-written group of thousands of metrics
//! scrapes with a bounded number of walks of the group (it used to take one walk per family,
//! quadratic), writes the same bytes as one family at a time would, and keeps each family's
//! header when the group stops showing a metric.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use oxios_metrics::{
    DefinitionSite, Family, Format, Gauge, MetricDesc, MetricGroup, MetricType, MetricVisitor,
    Registry,
};
use oxios_metrics_tests::L;

/// `descs.len()` gauges that count how often the group is walked; it can hide its last metric.
struct Collector {
    descs: Vec<MetricDesc>,
    gauges: Vec<Gauge>,
    walks: AtomicUsize,
    hide_last: AtomicBool,
}

impl Collector {
    fn new(families: usize) -> Collector {
        Collector {
            descs: (0..families)
                .map(|index| {
                    MetricDesc::from_strings(
                        format!("collector_queue_{index}"),
                        format!("Queue {index}."),
                        MetricType::Gauge,
                        DefinitionSite::new("registry_scale.rs", 1, 1),
                    )
                })
                .collect(),
            gauges: (0..families).map(|_| Gauge::new()).collect(),
            walks: AtomicUsize::new(0),
            hide_last: AtomicBool::new(false),
        }
    }
}

impl MetricGroup for Collector {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        self.walks.fetch_add(1, Ordering::Relaxed);
        let shown = self.descs.len() - usize::from(self.hide_last.load(Ordering::Relaxed));
        for (desc, gauge) in self.descs.iter().zip(&self.gauges).take(shown) {
            visitor.metric(desc, gauge);
        }
    }
}

/// The exposition one family at a time: each family's metric found by its own walk.
fn expected(collector: &Collector, format: Format) -> String {
    let shown = collector.descs.len() - usize::from(collector.hide_last.load(Ordering::Relaxed));
    let mut text = String::new();
    for (index, desc) in collector.descs.iter().enumerate() {
        text.push_str(&format!(
            "# HELP {0} {1}\n# TYPE {0} gauge\n",
            desc.name(),
            desc.help()
        ));
        if index < shown {
            text.push_str(&format!(
                "{} {}\n",
                desc.name(),
                collector.gauges[index].get()
            ));
        }
    }
    if format == Format::OpenMetrics {
        text.push_str("# EOF\n");
    }
    text
}

#[test]
fn a_hand_written_group_of_thousands_of_families_is_walked_once_per_pass() {
    const FAMILIES: usize = 5_000;
    let collector: &'static Collector = Box::leak(Box::new(Collector::new(FAMILIES)));
    for (index, gauge) in collector.gauges.iter().enumerate() {
        gauge.set(index as i64);
    }
    let registry = Registry::new();
    registry.register(collector).unwrap();
    for format in [Format::Prometheus, Format::OpenMetrics] {
        let before = collector.walks.load(Ordering::Relaxed);
        let text = registry.render(format);
        let walks = collector.walks.load(Ordering::Relaxed) - before;
        // One walk to write, one to look for overflow counts.
        assert!(walks <= 2, "{walks} walks of the group for one scrape");
        // (Compared without printing: the expositions are 5,000 families long.)
        let expected = expected(collector, format);
        let first_difference = text.bytes().zip(expected.bytes()).position(|(a, b)| a != b);
        assert!(
            text == expected,
            "{format:?} differs from byte {first_difference:?}"
        );
    }
    // A metric the group stops showing leaves its family's header, as before.
    collector.hide_last.store(true, Ordering::Relaxed);
    assert!(registry.render(Format::Prometheus) == expected(collector, Format::Prometheus));
}

/// Families whose members come from several groups, interleaved with single-group runs, in
/// registration order; with an overflowed family the overflow counter sums every member.
#[test]
fn runs_and_merged_families_keep_registration_order_and_overflow_sums() {
    let registry = Registry::new();
    let collector: &'static Collector = Box::leak(Box::new(Collector::new(3)));
    registry.register(collector).unwrap();
    let family_desc = || {
        MetricDesc::from_strings(
            "collector_sessions".to_string(),
            "Sessions.",
            MetricType::Gauge,
            DefinitionSite::new("registry_scale.rs", 2, 1),
        )
    };
    struct Sessions {
        desc: MetricDesc,
        sessions: Family<L, Gauge>,
    }
    impl MetricGroup for Sessions {
        fn visit(&self, visitor: &mut dyn MetricVisitor) {
            visitor.metric(&self.desc, &self.sessions);
        }
    }
    let mut kept = Vec::new();
    for shard in ["a", "b"] {
        let sessions = std::sync::Arc::new(Sessions {
            desc: family_desc(),
            sessions: Family::new().with_max_series(1),
        });
        sessions.sessions.get(L("x".into())).set(1);
        sessions.sessions.get(L("y".into())).set(2); // overflows
        let scope = registry.sub_registry_with_label("shard", shard).unwrap();
        kept.push(scope.register_shared(sessions).unwrap());
    }
    let text = registry.render(Format::Prometheus);
    let names: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .collect();
    assert_eq!(
        names,
        [
            "collector_queue_0 gauge",
            "collector_queue_1 gauge",
            "collector_queue_2 gauge",
            "collector_sessions gauge",
            "oxios_metrics_series_overflow_total counter",
        ]
    );
    assert!(text.contains(
        "oxios_metrics_series_overflow_total{family=\"collector_sessions\",reason=\"max_series\"} 2\n"
    ));
    assert!(text.contains("collector_sessions{shard=\"a\",l=\"x\"} 1\n"));
    assert!(text.contains("collector_sessions{shard=\"b\",l=\"x\"} 1\n"));
}
