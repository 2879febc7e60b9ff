//! Byte-exact exposition: one test per case of DESIGN §6, in both formats.

use oxios_metrics::{
    Buckets, Counter, EncodeMetric, Family, FloatGauge, Format, Gauge, Histogram, Info, MetricType,
    Registry,
};
use oxios_metrics_tests::{assert_well_formed, desc, leak, registry_with, Method, L};

fn render_both(registry: &Registry) -> (String, String) {
    let prometheus = registry.render(Format::Prometheus);
    let openmetrics = registry.render(Format::OpenMetrics);
    assert_well_formed(&prometheus, Format::Prometheus);
    assert_well_formed(&openmetrics, Format::OpenMetrics);
    (prometheus, openmetrics)
}

#[test]
fn label_values_are_escaped() {
    let family: &'static Family<L, Counter> = leak(Family::new());
    let registry = registry_with(vec![(
        desc("esc", "Escapes.", MetricType::Counter, "f.rs", 1),
        family,
    )]);
    for value in ["a\\b", "say \"hi\"", "one\ntwo", ""] {
        family.get(L(value.to_owned())).inc();
    }
    let samples = "esc_total{l=\"a\\\\b\"} 1\n\
                   esc_total{l=\"say \\\"hi\\\"\"} 1\n\
                   esc_total{l=\"one\\ntwo\"} 1\n\
                   esc_total{l=\"\"} 1\n";
    let (prometheus, openmetrics) = render_both(&registry);
    assert_eq!(
        prometheus,
        format!("# HELP esc_total Escapes.\n# TYPE esc_total counter\n{samples}")
    );
    assert_eq!(
        openmetrics,
        format!("# HELP esc Escapes.\n# TYPE esc counter\n{samples}# EOF\n")
    );
}

#[test]
fn help_escaping_differs_between_formats() {
    let gauge: &'static Gauge = leak(Gauge::new());
    let registry = registry_with(vec![(
        desc(
            "g",
            "Path C:\\tmp, \"quoted\",\nsecond line.",
            MetricType::Gauge,
            "f.rs",
            1,
        ),
        gauge,
    )]);
    let (prometheus, openmetrics) = render_both(&registry);
    assert_eq!(
        prometheus,
        "# HELP g Path C:\\\\tmp, \"quoted\",\\nsecond line.\n# TYPE g gauge\ng 0\n"
    );
    assert_eq!(
        openmetrics,
        "# HELP g Path C:\\\\tmp, \\\"quoted\\\",\\nsecond line.\n# TYPE g gauge\ng 0\n# EOF\n"
    );
}

#[test]
fn u64_counter_prints_every_digit() {
    let counter: &'static Counter = leak(Counter::new());
    counter.add(u64::MAX);
    let registry = registry_with(vec![(
        desc("big", "Big.", MetricType::Counter, "f.rs", 1),
        counter,
    )]);
    let (prometheus, openmetrics) = render_both(&registry);
    assert!(
        prometheus.ends_with("big_total 18446744073709551615\n"),
        "{prometheus}"
    );
    assert!(
        openmetrics.ends_with("big_total 18446744073709551615\n# EOF\n"),
        "{openmetrics}"
    );
    // One more wraps to zero, which Prometheus reads as a counter reset.
    counter.inc();
    assert_eq!(counter.get(), 0);
}

#[test]
fn float_samples_in_both_formats() {
    let gauges: &'static [FloatGauge; 6] = leak([const { FloatGauge::new() }; 6]);
    let values = [
        1.0,
        1e6,
        0.30000000000000004,
        f64::NAN,
        f64::NEG_INFINITY,
        2.0,
    ];
    let names = ["a", "b", "c", "d", "e", "f"];
    let mut metrics: Vec<(oxios_metrics::MetricDesc, &'static dyn EncodeMetric)> = Vec::new();
    for ((gauge, value), name) in gauges.iter().zip(values).zip(names) {
        gauge.set(value);
        metrics.push((desc(name, "F.", MetricType::Gauge, "f.rs", 1), gauge));
    }
    let registry = registry_with(metrics);
    let (prometheus, openmetrics) = render_both(&registry);
    let samples = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.starts_with('#'))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        samples(&prometheus),
        [
            "a 1",
            "b 1e+06",
            "c 0.30000000000000004",
            "d NaN",
            "e -Inf",
            "f 2"
        ]
    );
    assert_eq!(
        samples(&openmetrics),
        [
            "a 1.0",
            "b 1e+06",
            "c 0.30000000000000004",
            "d NaN",
            "e -Inf",
            "f 2.0"
        ]
    );
}

#[test]
fn le_layout_and_position() {
    static BOUNDS: &[f64] = &[1.0, 1e6];
    let family: &'static Family<Method, Histogram> =
        leak(Family::with_config(Buckets::checked(BOUNDS)));
    family.get(Method::Post).observe(5.0);
    let registry = registry_with(vec![(
        desc("h", "H.", MetricType::Histogram, "f.rs", 1),
        family,
    )]);
    let (prometheus, openmetrics) = render_both(&registry);
    assert!(
        prometheus.contains("h_bucket{method=\"post\",le=\"1\"} 0\n"),
        "{prometheus}"
    );
    assert!(
        prometheus.contains("h_bucket{method=\"post\",le=\"1e+06\"} 1\n"),
        "{prometheus}"
    );
    assert!(
        prometheus.contains("h_bucket{method=\"post\",le=\"+Inf\"} 1\n"),
        "{prometheus}"
    );
    assert!(
        openmetrics.contains("h_bucket{method=\"post\",le=\"1.0\"} 0\n"),
        "{openmetrics}"
    );
    assert!(
        openmetrics.contains("h_bucket{method=\"post\",le=\"1e+06\"} 1\n"),
        "{openmetrics}"
    );
    assert!(
        openmetrics.contains("h_sum{method=\"post\"} 5.0\n"),
        "{openmetrics}"
    );
    for line in prometheus
        .lines()
        .chain(openmetrics.lines())
        .filter(|l| l.contains("le="))
    {
        let labels = &line[line.find('{').unwrap()..=line.find('}').unwrap()];
        assert!(
            labels.ends_with("\"}") && labels.rfind("le=").unwrap() > labels.rfind(',').unwrap()
        );
    }
}

#[test]
fn histogram_buckets_are_cumulative_and_inclusive() {
    static BOUNDS: &[f64] = &[0.005, 0.01, 1.0];
    let histogram: &'static Histogram = leak(Histogram::with_buckets(Buckets::checked(BOUNDS)));
    for value in [0.005, 0.5, 2.0] {
        histogram.observe(value);
    }
    let registry = registry_with(vec![(
        desc(
            "rt_seconds",
            "Round trips.",
            MetricType::Histogram,
            "f.rs",
            1,
        )
        .with_unit("seconds"),
        histogram,
    )]);
    let (prometheus, openmetrics) = render_both(&registry);
    assert_eq!(
        prometheus,
        "# HELP rt_seconds Round trips.\n\
         # TYPE rt_seconds histogram\n\
         rt_seconds_bucket{le=\"0.005\"} 1\n\
         rt_seconds_bucket{le=\"0.01\"} 1\n\
         rt_seconds_bucket{le=\"1\"} 2\n\
         rt_seconds_bucket{le=\"+Inf\"} 3\n\
         rt_seconds_sum 2.505\n\
         rt_seconds_count 3\n"
    );
    assert_eq!(
        openmetrics,
        "# HELP rt_seconds Round trips.\n\
         # TYPE rt_seconds histogram\n\
         # UNIT rt_seconds seconds\n\
         rt_seconds_bucket{le=\"0.005\"} 1\n\
         rt_seconds_bucket{le=\"0.01\"} 1\n\
         rt_seconds_bucket{le=\"1.0\"} 2\n\
         rt_seconds_bucket{le=\"+Inf\"} 3\n\
         rt_seconds_sum 2.505\n\
         rt_seconds_count 3\n\
         # EOF\n"
    );
}

#[test]
fn empty_family_prints_headers_only() {
    let family: &'static Family<L, Gauge> = leak(Family::new());
    let registry = registry_with(vec![(
        desc("sessions", "Sessions.", MetricType::Gauge, "f.rs", 1),
        family,
    )]);
    let (prometheus, openmetrics) = render_both(&registry);
    assert_eq!(
        prometheus,
        "# HELP sessions Sessions.\n# TYPE sessions gauge\n"
    );
    assert_eq!(
        openmetrics,
        "# HELP sessions Sessions.\n# TYPE sessions gauge\n# EOF\n"
    );
}

#[test]
fn openmetrics_counter_unit_and_info() {
    let counter: &'static Counter = leak(Counter::new());
    counter.inc();
    let busy: &'static Counter = leak(Counter::new());
    busy.add(7);
    let info: &'static Info = leak(Info::from_static(&[
        ("version", "1.2.3"),
        ("commit", "a\"b"),
    ]));
    let registry = registry_with(vec![
        (
            desc("foo", "Foos.", MetricType::Counter, "f.rs", 1),
            counter,
        ),
        (
            desc("busy_seconds", "Busy time.", MetricType::Counter, "f.rs", 2).with_unit("seconds"),
            busy,
        ),
        (desc("build", "Build.", MetricType::Info, "f.rs", 3), info),
    ]);
    let (prometheus, openmetrics) = render_both(&registry);
    assert_eq!(
        openmetrics,
        "# HELP foo Foos.\n\
         # TYPE foo counter\n\
         foo_total 1\n\
         # HELP busy_seconds Busy time.\n\
         # TYPE busy_seconds counter\n\
         # UNIT busy_seconds seconds\n\
         busy_seconds_total 7\n\
         # HELP build Build.\n\
         # TYPE build info\n\
         build_info{version=\"1.2.3\",commit=\"a\\\"b\"} 1\n\
         # EOF\n"
    );
    assert_eq!(
        prometheus,
        "# HELP foo_total Foos.\n\
         # TYPE foo_total counter\n\
         foo_total 1\n\
         # HELP busy_seconds_total Busy time.\n\
         # TYPE busy_seconds_total counter\n\
         busy_seconds_total 7\n\
         # HELP build_info Build.\n\
         # TYPE build_info gauge\n\
         build_info{version=\"1.2.3\",commit=\"a\\\"b\"} 1\n"
    );
}

#[test]
fn const_labels_come_first_and_series_labels_follow() {
    let family: &'static Family<Method, Counter> = leak(Family::new());
    family.get(Method::Get).add(2);
    let registry = registry_with(vec![(
        desc("req", "Requests.", MetricType::Counter, "f.rs", 1)
            .with_const_labels("service=\"api\""),
        family,
    )]);
    let (prometheus, _) = render_both(&registry);
    assert!(
        prometheus.contains("req_total{service=\"api\",method=\"get\"} 2\n"),
        "{prometheus}"
    );
    assert!(
        prometheus.contains("req_total{service=\"api\",method=\"post\"} 0\n"),
        "{prometheus}"
    );
}

#[test]
fn content_negotiation() {
    assert_eq!(
        Format::Prometheus.content_type(),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    assert_eq!(
        Format::OpenMetrics.content_type(),
        "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores"
    );
    let cases = [
        (
            "application/openmetrics-text; version=1.0.0",
            Format::OpenMetrics,
        ),
        ("application/openmetrics-text", Format::OpenMetrics),
        (
            "application/openmetrics-text;version=0.0.1",
            Format::OpenMetricsV0,
        ),
        (
            "APPLICATION/OPENMETRICS-TEXT; VERSION=1.0.0",
            Format::OpenMetrics,
        ),
        (
            "application/openmetrics-text; version=2.0.0",
            Format::OpenMetricsV2,
        ),
        (
            "application/openmetrics-text; version=3.0.0",
            Format::Prometheus,
        ),
        ("application/openmetrics-text;q=0", Format::Prometheus),
        (
            "text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5",
            Format::Prometheus,
        ),
        (
            "text/plain;q=0.5,application/openmetrics-text;q=0.9",
            Format::OpenMetrics,
        ),
        ("*/*", Format::Prometheus),
        ("", Format::Prometheus),
        (";;;,,=q", Format::Prometheus),
        ("application/openmetrics-text;q=nan", Format::Prometheus),
    ];
    for (accept, expected) in cases {
        assert_eq!(
            Format::from_accept(accept).format(),
            expected,
            "Accept: {accept:?}"
        );
    }
}

#[test]
fn info_labels_set_from_a_label_set_are_rendered_once_and_escaped() {
    let info: &'static Info = leak(Info::new());
    let registry = registry_with(vec![(
        desc("build", "Build.", MetricType::Info, "f.rs", 1),
        info,
    )]);
    assert!(registry
        .render(Format::Prometheus)
        .ends_with("build_info 1\n"));
    info.set(&L("v1 \"rc\"\n".to_owned())).unwrap();
    assert!(
        registry
            .render(Format::Prometheus)
            .ends_with("build_info{l=\"v1 \\\"rc\\\"\\n\"} 1\n"),
        "{}",
        registry.render(Format::Prometheus)
    );
}
