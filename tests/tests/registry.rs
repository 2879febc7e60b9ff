//! Registration: clashes between groups are errors naming the sample, both metrics and both
//! definition sites; nothing is half-registered; invalid hand-written names are refused.

use oxios_metrics::{
    Counter, Family, Format, Gauge, Histogram, Info, MetricType, RegisterProblem, Registry,
};
use oxios_metrics_tests::{desc, leak, HandGroup, Method};

#[test]
fn clash_names_both_sites_and_registers_nothing() {
    let registry = Registry::new();
    let first = HandGroup::new(vec![
        (
            desc("jobs", "Jobs.", MetricType::Counter, "src/kernel.rs", 10),
            leak(Counter::new()),
        ),
        (
            desc("queue", "Queue.", MetricType::Gauge, "src/kernel.rs", 12),
            leak(Gauge::new()),
        ),
    ]);
    registry.register_owned(Box::new(first)).unwrap();
    let before = registry.render(Format::Prometheus);
    // `jobs_total` as a gauge collides with the counter's `jobs_total` sample.
    let second = HandGroup::new(vec![
        (
            desc("fresh", "Fresh.", MetricType::Gauge, "src/tools.rs", 3),
            leak(Gauge::new()),
        ),
        (
            desc(
                "jobs_total",
                "Jobs again.",
                MetricType::Gauge,
                "src/tools.rs",
                7,
            ),
            leak(Gauge::new()),
        ),
    ]);
    let error = registry.register_owned(Box::new(second)).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("jobs_total"), "{message}");
    assert!(message.contains("src/kernel.rs:10:5"), "{message}");
    assert!(message.contains("src/tools.rs:7:5"), "{message}");
    assert!(
        matches!(&error.problems()[0], RegisterProblem::Clash { sample, .. } if sample == "jobs_total")
    );
    // Nothing of the failed group was registered: `fresh` does not appear, no HELP twice.
    assert_eq!(registry.render(Format::Prometheus), before);
    assert!(!before.contains("fresh"));
}

#[test]
fn histogram_and_gauge_suffix_clash() {
    let registry = Registry::new();
    registry
        .register_owned(Box::new(HandGroup::new(vec![(
            desc("rpc", "RPC.", MetricType::Histogram, "a.rs", 1),
            leak(Histogram::new()),
        )])))
        .unwrap();
    for (name, metric_type) in [
        ("rpc_count", MetricType::Gauge),
        ("rpc_sum", MetricType::Gauge),
        ("rpc_bucket", MetricType::Gauge),
        ("rpc", MetricType::Counter),
    ] {
        let metric: &'static dyn oxios_metrics::EncodeMetric = match metric_type {
            MetricType::Counter => leak(Counter::new()),
            _ => leak(Gauge::new()),
        };
        let result = registry.register_owned(Box::new(HandGroup::new(vec![(
            desc(name, "X.", metric_type, "b.rs", 2),
            metric,
        )])));
        let error = result.expect_err(name);
        assert!(error.to_string().contains("a.rs:1:5"), "{error}");
    }
    // An info metric `rpc` would expose `rpc_info` and `rpc`: clash on `rpc`.
    let info = HandGroup::new(vec![(
        desc("rpc", "I.", MetricType::Info, "c.rs", 1),
        leak(Info::new()),
    )]);
    assert!(registry.register_owned(Box::new(info)).is_err());
}

#[test]
fn the_same_static_group_twice_is_an_error_not_a_second_help() {
    struct Group(Counter);
    impl oxios_metrics::MetricGroup for Group {
        fn visit(&self, visitor: &mut dyn oxios_metrics::MetricVisitor) {
            visitor.metric(
                &desc("once", "Once.", MetricType::Counter, "g.rs", 4),
                &self.0,
            );
        }
    }
    static GROUP: Group = Group(Counter::new());
    let registry = Registry::new();
    registry.register(&GROUP).unwrap();
    let error = registry.register(&GROUP).unwrap_err();
    assert!(error.to_string().contains("registered twice"), "{error}");
    assert_eq!(
        registry
            .render(Format::Prometheus)
            .matches("# HELP")
            .count(),
        1
    );
}

#[test]
fn clash_inside_one_hand_written_group() {
    let registry = Registry::new();
    let group = HandGroup::new(vec![
        (
            desc("a", "A.", MetricType::Counter, "x.rs", 1),
            leak(Counter::new()),
        ),
        (
            desc("a_total", "A.", MetricType::Gauge, "x.rs", 2),
            leak(Gauge::new()),
        ),
    ]);
    let error = registry.register_owned(Box::new(group)).unwrap_err();
    assert!(
        error.to_string().contains("x.rs:1:5") && error.to_string().contains("x.rs:2:5"),
        "{error}"
    );
}

#[test]
fn invalid_hand_written_names_are_refused_with_reasons() {
    let registry = Registry::new();
    let cases: Vec<(
        oxios_metrics::MetricDesc,
        &'static dyn oxios_metrics::EncodeMetric,
        &str,
    )> = vec![
        (
            desc("bad-name", "B.", MetricType::Gauge, "n.rs", 1),
            leak(Gauge::new()),
            "only ASCII",
        ),
        (
            desc("a:b", "B.", MetricType::Gauge, "n.rs", 2),
            leak(Gauge::new()),
            "recording rules",
        ),
        (
            desc("__x", "B.", MetricType::Gauge, "n.rs", 3),
            leak(Gauge::new()),
            "reserved",
        ),
        (
            desc("9lives", "B.", MetricType::Gauge, "n.rs", 4),
            leak(Gauge::new()),
            "start with",
        ),
        (
            desc("latency", "B.", MetricType::Gauge, "n.rs", 5).with_unit("seconds"),
            leak(Gauge::new()),
            "ending in `_<unit>`",
        ),
        (
            desc("labelled", "B.", MetricType::Counter, "n.rs", 6)
                .with_const_labels("le=\"1\",x-y=\"2\""),
            leak(Counter::new()),
            "only ASCII",
        ),
        (
            desc("info_bad", "B.", MetricType::Info, "n.rs", 7),
            leak(Info::from_static(&[("a", "1"), ("a", "2")])),
            "appears twice",
        ),
    ];
    for (desc, metric, reason) in cases {
        let name = desc.name().to_owned();
        let error = registry
            .register_owned(Box::new(HandGroup::new(vec![(desc, metric)])))
            .expect_err(&name);
        assert!(error.to_string().contains(reason), "{name}: {error}");
    }
    // `le` is refused on histograms only.
    let histogram_with_le = HandGroup::new(vec![(
        desc("h", "H.", MetricType::Histogram, "n.rs", 8).with_const_labels("le=\"1\""),
        leak(Histogram::new()),
    )]);
    let error = registry
        .register_owned(Box::new(histogram_with_le))
        .unwrap_err();
    assert!(error.to_string().contains("`le`"), "{error}");
    assert_eq!(registry.render(Format::Prometheus), "");
}

#[test]
fn nested_scope_prefixes_names_and_adds_labels() {
    use oxios_metrics::{MetricGroup, MetricVisitor, Scope};
    struct Inner(Family<Method, Counter>);
    impl MetricGroup for Inner {
        fn visit(&self, visitor: &mut dyn MetricVisitor) {
            visitor.metric(
                &desc("calls", "Calls.", MetricType::Counter, "n.rs", 1),
                &self.0,
            );
        }
    }
    struct Outer(Inner, Inner);
    impl MetricGroup for Outer {
        fn visit(&self, visitor: &mut dyn MetricVisitor) {
            visitor.nested(
                Scope {
                    prefix: "llm_",
                    const_labels: "tier=\"a\"",
                },
                &self.0,
            );
            visitor.nested(
                Scope {
                    prefix: "tool_",
                    const_labels: "",
                },
                &self.1,
            );
        }
    }
    static OUTER: Outer = Outer(Inner(Family::new()), Inner(Family::new()));
    OUTER.0 .0.get(Method::Get).inc();
    let registry = Registry::new();
    registry.register(&OUTER).unwrap();
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("# HELP llm_calls_total Calls.\n"), "{text}");
    assert!(
        text.contains("llm_calls_total{tier=\"a\",method=\"get\"} 1\n"),
        "{text}"
    );
    assert!(
        text.contains("tool_calls_total{method=\"post\"} 0\n"),
        "{text}"
    );
}

#[test]
fn the_overflow_counter_name_is_reserved() {
    let registry = Registry::new();
    let group = HandGroup::new(vec![(
        desc(
            "oxios_metrics_series_overflow",
            "Mine.",
            MetricType::Counter,
            "r.rs",
            1,
        ),
        leak(Counter::new()),
    )]);
    let error = registry.register_owned(Box::new(group)).unwrap_err();
    assert!(error.to_string().contains("reserved"), "{error}");
}

#[test]
fn blank_help_is_refused() {
    let registry = Registry::new();
    for (line, help) in [(1, ""), (2, " "), (3, "\t \n")] {
        let group = HandGroup::new(vec![(
            desc("quiet", help, MetricType::Gauge, "h.rs", line),
            leak(Gauge::new()),
        )]);
        let error = registry.register_owned(Box::new(group)).unwrap_err();
        assert!(
            matches!(&error.problems()[0], RegisterProblem::MissingHelp { name, .. } if name == "quiet"),
            "{error}"
        );
        assert!(error.to_string().contains("no HELP text"), "{error}");
    }
}
