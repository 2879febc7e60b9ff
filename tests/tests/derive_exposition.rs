//! The exposition cases of DESIGN §6, produced through groups declared with
//! `#[derive(Metrics)]`, compared byte for byte in both formats.

use oxios_metrics::{
    Counter, Family, Format, Gauge, Histogram, Info, LabelSet, LabelValue, Metrics, Registry,
};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Text {
    l: String,
}

#[derive(Metrics)]
struct Escapes {
    /// Label values with escapes.
    escapes: Family<Text, Gauge>,
}

#[test]
fn label_values_are_escaped() {
    static GROUP: Escapes = Escapes::new();
    let registry = Registry::new();
    registry.register(&GROUP).unwrap();
    for (value, amount) in [("a\\b", 1), ("say \"hi\"", 2), ("one\ntwo", 3)] {
        GROUP.escapes.get(Text { l: value.into() }).set(amount);
    }
    assert_eq!(
        registry.render(Format::Prometheus),
        concat!(
            "# HELP escapes Label values with escapes.\n",
            "# TYPE escapes gauge\n",
            "escapes{l=\"a\\\\b\"} 1\n",
            "escapes{l=\"say \\\"hi\\\"\"} 2\n",
            "escapes{l=\"one\\ntwo\"} 3\n",
        )
    );
}

#[derive(Metrics)]
struct Buckets {
    /// Observed values.
    #[metric(buckets = [0.005, 0.01, 1])]
    observed: Histogram,
}

#[test]
fn histogram_buckets_are_cumulative_and_le_is_inclusive() {
    static GROUP: Buckets = Buckets::new();
    let registry = Registry::new();
    registry.register(&GROUP).unwrap();
    for value in [0.005, 0.5, 2.0] {
        GROUP.observed.observe(value);
    }
    assert_eq!(
        registry.render(Format::Prometheus),
        concat!(
            "# HELP observed Observed values.\n",
            "# TYPE observed histogram\n",
            "observed_bucket{le=\"0.005\"} 1\n",
            "observed_bucket{le=\"0.01\"} 1\n",
            "observed_bucket{le=\"1\"} 2\n",
            "observed_bucket{le=\"+Inf\"} 3\n",
            "observed_sum 2.505\n",
            "observed_count 3\n",
        )
    );
    assert_eq!(
        registry.render(Format::OpenMetrics),
        concat!(
            "# HELP observed Observed values.\n",
            "# TYPE observed histogram\n",
            "observed_bucket{le=\"0.005\"} 1\n",
            "observed_bucket{le=\"0.01\"} 1\n",
            "observed_bucket{le=\"1.0\"} 2\n",
            "observed_bucket{le=\"+Inf\"} 3\n",
            "observed_sum 2.505\n",
            "observed_count 3\n",
            "# EOF\n",
        )
    );
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct User {
    user: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
enum Method {
    Get,
    Post,
}

#[derive(Metrics)]
#[metrics(prefix = "svc")]
struct Mixed {
    /// Requests "served".
    requests: Counter,
    /// Request duration.
    #[metric(unit = "seconds", buckets = [1000000])]
    duration: Family<Method, Histogram>,
    /// Build information.
    build: Info,
    /// Users seen.
    users: Family<User, Counter>,
}

#[test]
fn both_formats_byte_exact() {
    static GROUP: Mixed = Mixed::new();
    let registry = Registry::new();
    registry.register(&GROUP).unwrap();
    GROUP.requests.add(18_446_744_073_709_551_615);
    GROUP.duration.get(Method::Post).observe(3.0);
    assert_eq!(GROUP.duration.get(Method::Get).count(), 0);
    GROUP.build.set_static(&[("version", "1.0")]).unwrap();
    assert_eq!(
        registry.render(Format::Prometheus),
        concat!(
            "# HELP svc_requests_total Requests \"served\".\n",
            "# TYPE svc_requests_total counter\n",
            "svc_requests_total 18446744073709551615\n",
            "# HELP svc_duration_seconds Request duration.\n",
            "# TYPE svc_duration_seconds histogram\n",
            "svc_duration_seconds_bucket{method=\"get\",le=\"1e+06\"} 0\n",
            "svc_duration_seconds_bucket{method=\"get\",le=\"+Inf\"} 0\n",
            "svc_duration_seconds_sum{method=\"get\"} 0\n",
            "svc_duration_seconds_count{method=\"get\"} 0\n",
            "svc_duration_seconds_bucket{method=\"post\",le=\"1e+06\"} 1\n",
            "svc_duration_seconds_bucket{method=\"post\",le=\"+Inf\"} 1\n",
            "svc_duration_seconds_sum{method=\"post\"} 3\n",
            "svc_duration_seconds_count{method=\"post\"} 1\n",
            "# HELP svc_build_info Build information.\n",
            "# TYPE svc_build_info gauge\n",
            "svc_build_info{version=\"1.0\"} 1\n",
            "# HELP svc_users_total Users seen.\n",
            "# TYPE svc_users_total counter\n",
        )
    );
    assert_eq!(
        registry.render(Format::OpenMetrics),
        concat!(
            "# HELP svc_requests Requests \\\"served\\\".\n",
            "# TYPE svc_requests counter\n",
            "svc_requests_total 18446744073709551615\n",
            "# HELP svc_duration_seconds Request duration.\n",
            "# TYPE svc_duration_seconds histogram\n",
            "# UNIT svc_duration_seconds seconds\n",
            "svc_duration_seconds_bucket{method=\"get\",le=\"1e+06\"} 0\n",
            "svc_duration_seconds_bucket{method=\"get\",le=\"+Inf\"} 0\n",
            "svc_duration_seconds_sum{method=\"get\"} 0.0\n",
            "svc_duration_seconds_count{method=\"get\"} 0\n",
            "svc_duration_seconds_bucket{method=\"post\",le=\"1e+06\"} 1\n",
            "svc_duration_seconds_bucket{method=\"post\",le=\"+Inf\"} 1\n",
            "svc_duration_seconds_sum{method=\"post\"} 3.0\n",
            "svc_duration_seconds_count{method=\"post\"} 1\n",
            "# HELP svc_build Build information.\n",
            "# TYPE svc_build info\n",
            "svc_build_info{version=\"1.0\"} 1\n",
            "# HELP svc_users Users seen.\n",
            "# TYPE svc_users counter\n",
            "# EOF\n",
        )
    );
}
