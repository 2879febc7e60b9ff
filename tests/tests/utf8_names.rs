//! Names outside the legacy character set, declared with `MetricDesc::with_utf8_names`:
//! checked at registration, kept apart from every family they would read like once escaped,
//! and written in every format and scheme as a scrape negotiates.

use std::sync::Arc;

use oxios_metrics::{
    Counter, Escaping, Exposition, Family, Format, LabelSet, LabelWriter, MetricDesc, MetricType,
    RegisterProblem, Registry, WriteLabels,
};
use oxios_metrics_tests::{desc, leak, HandGroup};

mod proto_common;

fn utf8(name: &'static str, line: u32) -> MetricDesc {
    desc(
        name,
        "Requests.",
        MetricType::Counter,
        "utf8_names.rs",
        line,
    )
    .with_utf8_names()
}

/// A label set whose label name is an OpenTelemetry attribute.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Method(&'static str);

impl WriteLabels for Method {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("http.request.method", self.0);
    }
}

impl LabelSet for Method {
    const LABEL_NAMES: &'static [&'static str] = &["http.request.method"];
    type Storage<M: oxios_metrics::FamilyMember> =
        oxios_metrics::__private::DynamicSeries<Method, M>;
}

#[test]
fn undeclared_names_outside_the_legacy_set_are_refused() {
    let registry = Registry::new();
    let counter: &'static Counter = leak(Counter::new());
    let refused = registry.register_owned(Box::new(HandGroup::new(vec![(
        desc("http.server.requests", "R.", MetricType::Counter, "u.rs", 1),
        counter,
    )])));
    assert!(matches!(
        refused.unwrap_err().problems(),
        [RegisterProblem::InvalidMetricName { .. }]
    ));
}

#[test]
fn declared_names_are_checked_by_the_utf8_rules() {
    let counter: &'static Counter = leak(Counter::new());
    for name in [
        "",
        "__reserved",
        "a\"b",
        "a\\b",
        "a=b",
        "a,b",
        "a{b}",
        "tab\there",
    ] {
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        let registry = Registry::new();
        let refused =
            registry.register_owned(Box::new(HandGroup::new(vec![(utf8(name, 2), counter)])));
        assert!(refused.is_err(), "{name:?} was accepted");
    }
    let registry = Registry::new();
    registry
        .register_owned(Box::new(HandGroup::new(vec![(
            utf8("ünï.花火 requests", 3),
            counter,
        )])))
        .unwrap();
}

#[test]
fn a_name_that_reads_like_another_once_escaped_is_refused_until_it_leaves() {
    let registry = Registry::new();
    let dotted: &'static Counter = leak(Counter::new());
    let plain: &'static Counter = leak(Counter::new());
    let registration = registry
        .register_shared(Arc::new(HandGroup::new(vec![(
            utf8("http.requests", 4),
            dotted,
        )])))
        .unwrap();
    let clash = registry
        .register_owned(Box::new(HandGroup::new(vec![(
            desc("http_requests", "Requests.", MetricType::Counter, "u.rs", 5),
            plain,
        )])))
        .unwrap_err();
    assert!(
        matches!(&clash.problems()[0], RegisterProblem::Clash { sample, .. } if sample == "http_requests"),
        "{clash}"
    );
    // Under `dots` the dotted name reads `http_dot_requests`: taken too.
    let dots = registry.register_owned(Box::new(HandGroup::new(vec![(
        desc(
            "http_dot_requests",
            "Requests.",
            MetricType::Counter,
            "u.rs",
            6,
        ),
        plain,
    )])));
    assert!(dots.is_err());
    drop(registration);
    registry
        .register_owned(Box::new(HandGroup::new(vec![(
            desc("http_requests", "Requests.", MetricType::Counter, "u.rs", 7),
            plain,
        )])))
        .expect("the escaped forms were released with the dotted family");
}

#[test]
fn a_registry_writes_declared_names_as_each_scrape_negotiates() {
    let requests: &'static Family<Method, Counter> = leak(Family::new());
    requests.get(Method("GET")).add(3);
    let registry = Registry::new();
    registry
        .register_owned(Box::new(HandGroup::new(vec![(
            utf8("http.server.requests", 8),
            requests,
        )])))
        .unwrap();
    let cases = [
        (
            Exposition::new(Format::PrometheusV1).with_escaping(Escaping::AllowUtf8),
            "# HELP \"http.server.requests_total\" Requests.\n\
             # TYPE \"http.server.requests_total\" counter\n\
             {\"http.server.requests_total\",\"http.request.method\"=\"GET\"} 3\n",
        ),
        (
            Exposition::new(Format::Prometheus),
            "# HELP http_server_requests_total Requests.\n\
             # TYPE http_server_requests_total counter\n\
             http_server_requests_total{http_request_method=\"GET\"} 3\n",
        ),
        (
            Exposition::new(Format::OpenMetrics).with_escaping(Escaping::Dots),
            "# HELP http_dot_server_dot_requests Requests.\n\
             # TYPE http_dot_server_dot_requests counter\n\
             http_dot_server_dot_requests_total{http_dot_request_dot_method=\"GET\"} 3\n\
             # EOF\n",
        ),
        (
            Exposition::new(Format::OpenMetrics).with_escaping(Escaping::Values),
            "# HELP U__http_2e_server_2e_requests Requests.\n\
             # TYPE U__http_2e_server_2e_requests counter\n\
             U__http_2e_server_2e_requests_total{U__http_2e_request_2e_method=\"GET\"} 3\n\
             # EOF\n",
        ),
    ];
    for (exposition, expected) in cases {
        assert_eq!(registry.render(exposition), expected, "{exposition:?}");
    }
    for (escaping, name, label) in [
        (
            Escaping::AllowUtf8,
            "http.server.requests_total",
            "http.request.method",
        ),
        (
            Escaping::Underscores,
            "http_server_requests_total",
            "http_request_method",
        ),
    ] {
        let mut bytes = Vec::new();
        registry.encode_to_vec(
            &mut bytes,
            Exposition::new(Format::Protobuf).with_escaping(escaping),
        );
        let families = proto_common::decode(&bytes);
        assert_eq!(families[0].name.as_deref(), Some(name));
        assert_eq!(families[0].metric[0].label[0].name.as_deref(), Some(label));
        assert_eq!(families[0].metric[0].label[0].value.as_deref(), Some("GET"));
    }
}
