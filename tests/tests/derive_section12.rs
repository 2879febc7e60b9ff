//! §12's declarations as a user writes them: `SwarmMetrics` (no prefix, buckets from a
//! const, a bounded family), the migration opt-outs with what each costs, and what they do
//! not relax.

#![deny(warnings, clippy::pedantic)]

use oxios_metrics::encode::render_headers;
use oxios_metrics::{
    Counter, Family, Format, Gauge, Histogram, LabelSet, LabelValue, MetricDesc, Metrics, Registry,
};
use oxios_metrics_tests::{descriptions, openmetrics_parse, promtool_check, Checked};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Role {
    Dialer,
    Listener,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Protocol {
    pub protocol: String,
}

pub const DIAL_BUCKETS: [f64; 4] = [0.01, 0.1, 1.0, 10.0];
pub const HANDSHAKE_BUCKETS: &[f64] = &[0.005, 0.05, 0.5];

/// A library's metrics: no prefix of its own; the application chooses one.
#[derive(Metrics)]
pub struct SwarmMetrics {
    /// Connections established, by role.
    pub connections_established: Family<Role, Counter>,
    /// Dial duration.
    #[metric(unit = "seconds", buckets = DIAL_BUCKETS)]
    pub dial_duration: Histogram,
    /// Bytes received, by protocol.
    #[metric(unit = "bytes", max_series = 100)]
    pub received: Family<Protocol, Counter>,
    /// Handshake duration, by role.
    #[metric(unit = "seconds", buckets = HANDSHAKE_BUCKETS)]
    pub handshake_duration: Family<Role, Histogram>,
}

#[test]
fn swarm_metrics_builds_with_the_declared_names_buckets_and_bound() {
    let metrics = SwarmMetrics::new();
    let descs = descriptions(&metrics);
    let names: Vec<&str> = descs.iter().map(MetricDesc::name).collect();
    assert_eq!(
        names,
        [
            "connections_established",
            "dial_duration_seconds",
            "received_bytes",
            "handshake_duration_seconds"
        ]
    );
    let bounds: Vec<f64> = metrics
        .dial_duration
        .buckets()
        .iter()
        .map(|(bound, _)| *bound)
        .collect();
    assert_eq!(bounds, [0.01, 0.1, 1.0, 10.0, f64::INFINITY]);
    assert_eq!(
        metrics.handshake_duration.get(Role::Dialer).bounds(),
        HANDSHAKE_BUCKETS
    );
    assert_eq!(metrics.received.max_series(), 100);
    for index in 0..150 {
        metrics
            .received
            .get(Protocol {
                protocol: format!("/p/{index}"),
            })
            .add(1);
    }
    assert_eq!(metrics.received.series_count(), 100);
    assert_eq!(metrics.received.overflowed_lookups(), 50);
    const { assert!(Family::<Role, Counter>::FIXED_LABELS) };
    const { assert!(!Family::<Protocol, Counter>::FIXED_LABELS) };
}

/// Names existing dashboards depend on, kept with `allow(...)`.
#[derive(Metrics)]
pub struct Legacy {
    /// A type word in the name.
    #[metric(allow(type_word))]
    pub requests_counter: Counter,
    /// A non-base unit.
    #[metric(unit = "milliseconds", allow(non_base_unit))]
    pub latency: Gauge,
    /// An abbreviated unit in the name.
    #[metric(allow(abbreviated_unit))]
    pub memory_kb: Gauge,
    /// A gauge named like an info metric.
    #[metric(allow(info_suffix))]
    pub build_info: Gauge,
}

/// A counter that dashboards know without `_total`.
#[derive(Metrics)]
pub struct LegacyCounter {
    /// Requests.
    #[metric(allow(no_total_suffix))]
    pub requests: Counter,
    /// Responses, with the suffix as usual.
    pub responses: Counter,
}

#[test]
fn a_counter_without_total_is_marked_and_headed_by_its_bare_name_in_text_0_0_4() {
    let descs = descriptions(&LegacyCounter::new());
    let [requests, responses] = &descs[..] else {
        panic!("two metrics, got {descs:?}");
    };
    assert!(requests.omits_total_suffix());
    assert!(!responses.omits_total_suffix());
    let headers = requests
        .rendered_headers()
        .expect("the derive renders headers");
    assert_eq!(
        headers.prometheus,
        "# HELP requests Requests.\n# TYPE requests counter\n"
    );
    // OpenMetrics heads the family name in any case, and its samples keep `_total`.
    assert_eq!(
        headers.openmetrics,
        "# HELP requests Requests.\n# TYPE requests counter\n"
    );
    assert_eq!(
        responses.rendered_headers().map(|headers| headers.prometheus),
        Some("# HELP responses_total Responses, with the suffix as usual.\n# TYPE responses_total counter\n")
    );
}

#[test]
fn a_counter_without_total_is_written_without_it_in_text_0_0_4_only() {
    static LEGACY: LegacyCounter = LegacyCounter::new();
    LEGACY.requests.inc();
    LEGACY.responses.add(2);
    for desc in descriptions(&LEGACY) {
        let headers = desc.rendered_headers().expect("the derive renders headers");
        for (format, rendered) in [
            (Format::Prometheus, headers.prometheus),
            (Format::OpenMetrics, headers.openmetrics),
        ] {
            let mut runtime = Vec::new();
            render_headers(&mut runtime, format, desc.name(), &desc);
            assert_eq!(
                rendered.as_bytes(),
                runtime,
                "{} in {format:?}",
                desc.name()
            );
        }
    }
    let registry = Registry::new();
    registry.register(&LEGACY).expect("registers");
    let text = registry.render(Format::Prometheus);
    assert_eq!(
        text,
        concat!(
            "# HELP requests Requests.\n",
            "# TYPE requests counter\n",
            "requests 1\n",
            "# HELP responses_total Responses, with the suffix as usual.\n",
            "# TYPE responses_total counter\n",
            "responses_total 2\n",
        )
    );
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(
            said.trim_end(),
            "requests counter metrics should have \"_total\" suffix",
            "the cost promtool reports, and nothing else"
        );
    }
    let text = registry.render(Format::OpenMetrics);
    assert!(
        text.contains("# TYPE requests counter\nrequests_total 1\n"),
        "OpenMetrics requires `_total` on counter samples: {text}"
    );
    if let Checked::Ran(said) = openmetrics_parse(&text) {
        assert!(said.contains("counter requests_total{} 1\n"), "{said}");
    }
}

fn legacy_registry() -> Registry {
    static LEGACY: Legacy = Legacy::new();
    static RECORD: std::sync::Once = std::sync::Once::new();
    RECORD.call_once(|| {
        LEGACY.requests_counter.inc();
        LEGACY.latency.set(250);
        LEGACY.memory_kb.set(512);
        LEGACY.build_info.set(1);
    });
    let registry = Registry::new();
    registry.register(&LEGACY).expect("registers");
    registry
}

#[test]
fn each_opt_out_costs_what_its_documentation_says() {
    let text = legacy_registry().render(Format::Prometheus);
    assert!(text.contains("requests_counter_total 1\n"), "{text}");
    assert!(text.contains("latency_milliseconds 250\n"), "{text}");
    assert!(text.contains("memory_kb 512\n"), "{text}");
    assert!(text.contains("build_info 1\n"), "{text}");
    // promtool names exactly the conventions given up (a gauge ending in `_info` is not one
    // of its lints), and no other problem.
    if let Checked::Ran(said) = promtool_check(&text) {
        let mut lines: Vec<&str> = said.lines().filter(|line| !line.is_empty()).collect();
        lines.sort_unstable();
        assert_eq!(
            lines,
            [
                "latency_milliseconds use base unit \"seconds\" instead of \"milliseconds\"",
                "memory_kb metric names should not contain abbreviated units",
                "requests_counter_total metric name should not include type 'counter'",
            ],
            "{said}"
        );
    }
}

#[test]
fn opted_out_names_are_still_valid_openmetrics() {
    let text = legacy_registry().render(Format::OpenMetrics);
    assert!(
        text.contains("# UNIT latency_milliseconds milliseconds\n"),
        "{text}"
    );
    if let Checked::Ran(said) = openmetrics_parse(&text) {
        assert!(said.contains("gauge build_info{} 1\n"), "{said}");
        assert!(
            said.contains("counter requests_counter_total{} 1\n"),
            "{said}"
        );
        assert!(said.contains("gauge memory_kb{} 512\n"), "{said}");
    }
}
