//! Nested groups: a `#[metric(nested)]` field's metrics get the parent's prefix in front of
//! their own and carry the parent's constant labels; registration still catches clashes
//! between groups and names both definition sites.

use oxios_metrics::{Counter, Format, Gauge, Histogram, Metrics, Registry};

#[derive(Metrics)]
#[metrics(prefix = "cache", labels(tier = "l1"))]
struct Cache {
    /// Cache hits.
    hits: Counter,
    /// Entries held.
    entries: Gauge,
}

#[derive(Metrics)]
#[metrics(prefix = "storage")]
struct Storage {
    /// Read latency.
    #[metric(unit = "seconds", buckets = [0.5])]
    read_latency: Histogram,
    /// The storage cache.
    #[metric(nested)]
    cache: Cache,
}

#[derive(Metrics)]
#[metrics(prefix = "app", labels(service = "api\\v1"))]
struct App {
    /// Requests handled.
    requests: Counter,
    /// Storage metrics.
    #[metric(nested)]
    storage: Storage,
}

#[derive(Metrics)]
struct Unprefixed {
    /// Loose gauge.
    loose: Gauge,
    /// Cache without a parent prefix.
    #[metric(nested)]
    cache: Cache,
}

#[test]
fn prefixes_and_labels_compose() {
    static APP: App = App::new();
    let registry = Registry::new();
    registry.register(&APP).unwrap();
    APP.storage.cache.hits.inc();
    APP.storage.read_latency.observe(0.1);
    assert_eq!(
        registry.render(Format::Prometheus),
        concat!(
            "# HELP app_requests_total Requests handled.\n",
            "# TYPE app_requests_total counter\n",
            "app_requests_total{service=\"api\\\\v1\"} 0\n",
            "# HELP app_storage_read_latency_seconds Read latency.\n",
            "# TYPE app_storage_read_latency_seconds histogram\n",
            "app_storage_read_latency_seconds_bucket{service=\"api\\\\v1\",le=\"0.5\"} 1\n",
            "app_storage_read_latency_seconds_bucket{service=\"api\\\\v1\",le=\"+Inf\"} 1\n",
            "app_storage_read_latency_seconds_sum{service=\"api\\\\v1\"} 0.1\n",
            "app_storage_read_latency_seconds_count{service=\"api\\\\v1\"} 1\n",
            "# HELP app_storage_cache_hits_total Cache hits.\n",
            "# TYPE app_storage_cache_hits_total counter\n",
            "app_storage_cache_hits_total{service=\"api\\\\v1\",tier=\"l1\"} 1\n",
            "# HELP app_storage_cache_entries Entries held.\n",
            "# TYPE app_storage_cache_entries gauge\n",
            "app_storage_cache_entries{service=\"api\\\\v1\",tier=\"l1\"} 0\n",
        )
    );
    let openmetrics = registry.render(Format::OpenMetrics);
    assert!(openmetrics.contains(
        "# TYPE app_storage_read_latency_seconds histogram\n# UNIT app_storage_read_latency_seconds seconds\n"
    ));
}

#[test]
fn a_parent_without_prefix_adds_nothing() {
    static GROUP: Unprefixed = Unprefixed::new();
    let registry = Registry::new();
    registry.register(&GROUP).unwrap();
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("\nloose 0\n"), "{text}");
    assert!(
        text.contains("\ncache_hits_total{tier=\"l1\"} 0\n"),
        "{text}"
    );
}

#[test]
fn clashes_between_groups_name_both_sites() {
    static FIRST: Cache = Cache::new();
    static SECOND: Unprefixed = Unprefixed::new();
    let registry = Registry::new();
    registry.register(&FIRST).unwrap();
    let error = registry.register(&SECOND).unwrap_err().to_string();
    // `Cache` declares `hits` on line 11 of this file; both claims come from that field.
    assert!(error.contains("cache_hits"), "{error}");
    assert!(error.contains(&format!("{}:11:5", file!())), "{error}");
    // Nothing of the failed group was registered.
    assert!(!registry.render(Format::Prometheus).contains("loose"));
}

/// Records the name of each metric shown, and whether nested groups were entered.
#[derive(Default)]
struct Names(Vec<String>);

impl oxios_metrics::MetricVisitor for Names {
    fn metric(&mut self, desc: &oxios_metrics::MetricDesc, _: &dyn oxios_metrics::EncodeMetric) {
        self.0.push(desc.name().to_owned());
    }
    fn nested(&mut self, _: oxios_metrics::Scope, group: &dyn oxios_metrics::MetricGroup) {
        group.visit(self);
    }
}

#[test]
fn visit_metric_reaches_each_position_of_the_flat_order_directly() {
    use oxios_metrics::MetricGroup;
    static APP: App = App::new();
    let mut walked = Names::default();
    APP.visit(&mut walked);
    assert_eq!(
        walked.0,
        [
            "app_requests",
            "storage_read_latency_seconds",
            "cache_hits",
            "cache_entries"
        ]
    );
    for (index, name) in walked.0.iter().enumerate() {
        let mut one = Names::default();
        assert!(APP.visit_metric(index, &mut one), "position {index}");
        assert_eq!(one.0, std::slice::from_ref(name), "position {index}");
    }
    let mut none = Names::default();
    assert!(!APP.visit_metric(walked.0.len(), &mut none));
    assert!(none.0.is_empty());
    assert_eq!(
        <App as oxios_metrics::__private::DerivedGroup>::METRIC_COUNT,
        4
    );
}
