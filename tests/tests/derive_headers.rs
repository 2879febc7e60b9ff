//! The header text `#[derive(Metrics)]` renders at compile time is byte-identical to what
//! `oxios_metrics::encode::render_headers` writes at run time, for every metric type, with
//! and without units, and for HELP text that needs escaping.

use oxios_metrics::encode::render_headers;
use oxios_metrics::{
    CallbackCounter, CallbackGauge, Counter, Family, FloatCounter, FloatGauge, Format, Gauge,
    Histogram, Info, LabelValue, MetricDesc, MetricType, Metrics,
};
use oxios_metrics_tests::descriptions;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
enum Kind {
    Alpha,
    Beta,
}

fn half() -> f64 {
    0.5
}

#[derive(Metrics)]
#[metrics(prefix = "hdr", labels(zone = "a\"b"))]
struct Headers {
    /// Plain counter.
    plain: Counter,
    #[metric(help = "Backslash \\ quote \" newline \n end.")]
    escaped: Gauge,
    /// Multi-line docs
    /// become one line, with "quotes" and a \ backslash.
    multi_line: FloatCounter,
    /// A float gauge with a unit.
    #[metric(unit = "ratio")]
    load: FloatGauge,
    /// Histogram with a unit.
    #[metric(unit = "seconds", buckets = [0.5, 1.0])]
    latency: Histogram,
    /// Histogram without a unit.
    sizes: Histogram,
    /// Info metric.
    build: Info,
    /// Counter with a unit.
    #[metric(unit = "bytes")]
    received: Counter,
    /// Counter family.
    by_kind: Family<Kind, Counter>,
    /// Histogram family with a unit.
    #[metric(unit = "seconds")]
    by_kind_latency: Family<Kind, Histogram>,
    /// Callback gauge.
    #[metric(read = half)]
    callback_level: CallbackGauge,
    /// Callback counter.
    #[metric(read = half, unit = "joules")]
    callback_energy: CallbackCounter,
    /// Ünïcödé HELP is copied as is.
    unicode: Gauge,
    #[metric(help = "  Padded help, trimmed like the runtime trims it.\n ")]
    padded: Gauge,
}

static HEADERS: Headers = Headers::new();

fn descs() -> Vec<MetricDesc> {
    HEADERS.by_kind.get(Kind::Alpha).inc();
    HEADERS.by_kind_latency.get(Kind::Beta).observe(1.0);
    descriptions(&HEADERS)
}

fn runtime_headers(desc: &MetricDesc, format: Format) -> String {
    let mut out = Vec::new();
    render_headers(&mut out, format, desc.name(), desc);
    String::from_utf8(out).unwrap()
}

#[test]
fn compile_time_headers_equal_runtime_headers() {
    let descs = descs();
    assert_eq!(descs.len(), 14);
    for desc in &descs {
        let rendered = desc.rendered_headers().expect("the derive renders headers");
        assert_eq!(
            rendered.prometheus,
            runtime_headers(desc, Format::Prometheus),
            "{}",
            desc.name()
        );
        assert_eq!(
            rendered.openmetrics,
            runtime_headers(desc, Format::OpenMetrics),
            "{}",
            desc.name()
        );
    }
}

#[test]
fn descriptions_carry_names_types_units_and_labels() {
    let descs = descs();
    let summary: Vec<(&str, MetricType, Option<&str>)> = descs
        .iter()
        .map(|desc| (desc.name(), desc.metric_type(), desc.unit()))
        .collect();
    assert_eq!(
        summary,
        [
            ("hdr_plain", MetricType::Counter, None),
            ("hdr_escaped", MetricType::Gauge, None),
            ("hdr_multi_line", MetricType::Counter, None),
            ("hdr_load_ratio", MetricType::Gauge, Some("ratio")),
            (
                "hdr_latency_seconds",
                MetricType::Histogram,
                Some("seconds")
            ),
            ("hdr_sizes", MetricType::Histogram, None),
            ("hdr_build", MetricType::Info, None),
            ("hdr_received_bytes", MetricType::Counter, Some("bytes")),
            ("hdr_by_kind", MetricType::Counter, None),
            (
                "hdr_by_kind_latency_seconds",
                MetricType::Histogram,
                Some("seconds")
            ),
            ("hdr_callback_level", MetricType::Gauge, None),
            (
                "hdr_callback_energy_joules",
                MetricType::Counter,
                Some("joules")
            ),
            ("hdr_unicode", MetricType::Gauge, None),
            ("hdr_padded", MetricType::Gauge, None),
        ]
    );
    for desc in &descs {
        assert_eq!(desc.const_labels(), "zone=\"a\\\"b\"");
        assert_eq!(desc.site().file, file!());
    }
    assert_eq!(descs[1].help(), "Backslash \\ quote \" newline \n end.");
    assert_eq!(
        descs[2].help(),
        "Multi-line docs become one line, with \"quotes\" and a \\ backslash."
    );
}

#[test]
fn escaping_differs_between_formats_as_specified() {
    let descs = descs();
    let escaped = descs[1].rendered_headers().unwrap();
    assert_eq!(
        escaped.prometheus,
        "# HELP hdr_escaped Backslash \\\\ quote \" newline \\n end.\n# TYPE hdr_escaped gauge\n"
    );
    assert_eq!(
        escaped.openmetrics,
        "# HELP hdr_escaped Backslash \\\\ quote \\\" newline \\n end.\n# TYPE hdr_escaped gauge\n"
    );
    let counter = descs[7].rendered_headers().unwrap();
    assert_eq!(
        counter.prometheus,
        "# HELP hdr_received_bytes_total Counter with a unit.\n# TYPE hdr_received_bytes_total counter\n"
    );
    assert_eq!(
        counter.openmetrics,
        "# HELP hdr_received_bytes Counter with a unit.\n# TYPE hdr_received_bytes counter\n# UNIT hdr_received_bytes bytes\n"
    );
    let info = descs[6].rendered_headers().unwrap();
    assert_eq!(
        info.prometheus,
        "# HELP hdr_build_info Info metric.\n# TYPE hdr_build_info gauge\n"
    );
    assert_eq!(
        info.openmetrics,
        "# HELP hdr_build Info metric.\n# TYPE hdr_build info\n"
    );
}

#[test]
fn definition_sites_are_the_field_lines() {
    let source = include_str!("derive_headers.rs");
    for desc in descs() {
        let site = desc.site();
        let line = source.lines().nth(site.line as usize - 1).unwrap();
        let field = desc
            .name()
            .strip_prefix("hdr_")
            .unwrap()
            .trim_end_matches("_seconds")
            .trim_end_matches("_bytes")
            .trim_end_matches("_ratio")
            .trim_end_matches("_joules");
        assert!(
            line.trim_start().starts_with(&format!("{field}:")),
            "{} points at line {}: {line:?}",
            desc.name(),
            site.line
        );
        assert_eq!(site.column as usize, line.find(field).unwrap() + 1);
    }
}
