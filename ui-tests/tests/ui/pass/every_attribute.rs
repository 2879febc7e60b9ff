//! Every attribute of the three derives, with the names and values they produce.

use oxios_metrics::{
    CallbackCounter, Counter, Family, Format, Gauge, Histogram, LabelSet, LabelValue, Metrics,
    Registry,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
enum Snake { WebFetch, FileRead }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "kebab-case")]
enum Kebab { WebFetch }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "lowercase")]
enum Lower { WebFetch }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "UPPERCASE")]
enum Upper { WebFetch }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "SCREAMING_SNAKE_CASE")]
enum Screaming { WebFetch }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "camelCase")]
enum Camel { WebFetch }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "PascalCase")]
enum Pascal { WebFetch }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "snake_case")]
enum SnakeExplicit { WebFetch }

/// Explicit discriminants: ordinals still count from 0 in declaration order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "http_status", crate = ::oxios_metrics)]
enum Status {
    #[label(rename = "404 \"not found\"")]
    NotFound = 404,
    #[label(rename = "200")]
    Ok = 200,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
#[label(crate = ::oxios_metrics)]
struct Fixed {
    #[label(rename = "kind")]
    snake: Snake,
    status: Status,
    cached: bool,
}

/// An open field of a custom type marked `open`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Region(String);
impl oxios_metrics::EncodeLabelValue for Region {
    fn encode_label(&self, name: &str, writer: &mut oxios_metrics::LabelWriter<'_>) {
        writer.label(name, &self.0);
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Dynamic {
    #[label(open, rename = "zone")]
    region: Region,
    name: &'static str,
    boxed: Box<str>,
    shared: std::sync::Arc<str>,
    cow: std::borrow::Cow<'static, str>,
    small: i8,
    big: u128,
    size: usize,
    tool: Snake,
}

fn ticks() -> f64 {
    7.0
}

#[derive(Metrics)]
#[metrics(prefix = "child")]
struct Child {
    /// Child events.
    events: Counter,
}

#[derive(Metrics)]
#[metrics(prefix = "app", labels(region = "eu", note = "a \"b\"\\c"), crate = ::oxios_metrics)]
struct All {
    /// Doc lines
    ///   are trimmed
    ///
    /// and joined.
    #[metric(rename = "handled")]
    requests: Counter,
    #[metric(help = "Explicit help wins over docs.")]
    /// Ignored doc.
    level: Gauge,
    /// Already named with its unit: the suffix is appended once.
    #[metric(unit = "seconds")]
    wait_seconds: Histogram,
    /// Linear buckets.
    #[metric(unit = "seconds", buckets = linear(0.5, 0.25, 3))]
    linear: Histogram,
    /// Exponential buckets.
    #[metric(unit = "bytes", buckets = exponential(64, 4, 3))]
    payload: Histogram,
    /// Integer and negative bounds.
    #[metric(unit = "celsius", buckets = [-10, 0, 25.5])]
    temperature: Histogram,
    /// Default buckets.
    plain: Histogram,
    /// Fixed family.
    fixed: Family<Fixed, Counter>,
    /// Dynamic family.
    #[metric(max_series = 2)]
    dynamic: Family<Dynamic, Counter>,
    /// Ticks read at scrape.
    #[metric(read = ticks)]
    ticks: CallbackCounter,
    /// Nested group.
    #[metric(nested)]
    child: Child,
    /// Build information, labelled at compile time.
    #[metric(labels(version = env!("CARGO_PKG_VERSION"), r#type = "release"))]
    build: oxios_metrics::Info,
    #[metric(skip)]
    not_exported: Counter,
}

static ALL: All = All::new();

fn main() {
    assert_eq!(<Snake as LabelValue>::VALUES, &["web_fetch", "file_read"]);
    assert_eq!(<Kebab as LabelValue>::VALUES, &["web-fetch"]);
    assert_eq!(<Lower as LabelValue>::VALUES, &["webfetch"]);
    assert_eq!(<Upper as LabelValue>::VALUES, &["WEBFETCH"]);
    assert_eq!(<Screaming as LabelValue>::VALUES, &["WEB_FETCH"]);
    assert_eq!(<Camel as LabelValue>::VALUES, &["webFetch"]);
    assert_eq!(<Pascal as LabelValue>::VALUES, &["WebFetch"]);
    assert_eq!(<SnakeExplicit as LabelValue>::VALUES, &["web_fetch"]);
    assert_eq!(<Status as LabelValue>::VALUES, &["404 \\\"not found\\\"", "200"]);
    assert_eq!(LabelValue::ordinal(Status::Ok), 1);
    assert_eq!(<Status as LabelSet>::LABEL_NAMES, &["http_status"]);
    assert_eq!(<Snake as LabelSet>::LABEL_NAMES, &["snake"]);
    assert_eq!(<Fixed as LabelSet>::LABEL_NAMES, &["kind", "status", "cached"]);
    assert_eq!(<Fixed as oxios_metrics::FixedLabelSet>::CARDINALITY, 8);

    let registry = Registry::new();
    registry.register(&ALL).unwrap();
    ALL.requests.inc();
    ALL.fixed.get(Fixed { snake: Snake::FileRead, status: Status::Ok, cached: true }).inc();
    let dynamic = Dynamic {
        region: Region("north".into()),
        name: "n",
        boxed: "b".into(),
        shared: "s".into(),
        cow: "c".into(),
        small: -3,
        big: u128::MAX,
        size: 9,
        tool: Snake::WebFetch,
    };
    ALL.dynamic.get(dynamic).inc();
    ALL.not_exported.inc();
    let text = registry.render(Format::Prometheus);
    let labels = "region=\"eu\",note=\"a \\\"b\\\"\\\\c\"";
    for line in [
        "# HELP app_handled_total Doc lines are trimmed and joined.\n".to_owned(),
        format!("app_handled_total{{{labels}}} 1\n"),
        "# HELP app_level Explicit help wins over docs.\n".to_owned(),
        "# TYPE app_wait_seconds histogram\n".to_owned(),
        format!("app_linear_seconds_bucket{{{labels},le=\"1\"}} 0\n"),
        format!("app_payload_bytes_bucket{{{labels},le=\"1024\"}} 0\n"),
        format!("app_temperature_celsius_bucket{{{labels},le=\"-10\"}} 0\n"),
        format!("app_temperature_celsius_bucket{{{labels},le=\"25.5\"}} 0\n"),
        format!("app_plain_bucket{{{labels},le=\"0.005\"}} 0\n"),
        format!("app_fixed_total{{{labels},kind=\"file_read\",status=\"200\",cached=\"true\"}} 1\n"),
        format!("app_fixed_total{{{labels},kind=\"web_fetch\",status=\"404 \\\"not found\\\"\",cached=\"false\"}} 0\n"),
        format!("app_dynamic_total{{{labels},zone=\"north\",name=\"n\",boxed=\"b\",shared=\"s\",cow=\"c\",small=\"-3\",big=\"340282366920938463463374607431768211455\",size=\"9\",tool=\"web_fetch\"}} 1\n"),
        format!("app_ticks_total{{{labels}}} 7\n"),
        format!("app_child_events_total{{{labels}}} 0\n"),
        format!("app_build_info{{{labels},version=\"{}\",type=\"release\"}} 1\n", env!("CARGO_PKG_VERSION")),
    ] {
        assert!(text.contains(&line), "missing {line:?} in\n{text}");
    }
    assert!(!text.contains("not_exported"));
    let om = registry.render(Format::OpenMetrics);
    assert!(om.contains("# TYPE app_wait_seconds histogram\n# UNIT app_wait_seconds seconds\n"), "{om}");
    assert!(om.contains("# UNIT app_payload_bytes bytes\n"), "{om}");
}
