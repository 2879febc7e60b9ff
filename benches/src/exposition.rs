//! The exposition case: one counter family with a `path` label and 10,000 series, set up in
//! each implementation, written into a buffer that is cleared and reused between scrapes.

use std::sync::Arc;

use crate::oxios_labels;
use crate::peers::{fastmetrics_labels, measured_labels, prometheus_client_labels};
use crate::workload::{paths, series_value};

/// The family's HELP text.
const HELP: &str = "Requests handled, by path.";

/// Which format a scrape writes (the name predates protobuf).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    /// Prometheus text 0.0.4.
    Prometheus,
    /// OpenMetrics 1.0.
    OpenMetrics,
    /// Length-delimited `io.prometheus.client.MetricFamily` messages.
    Protobuf,
}

/// Every format the benches scrape.
pub const FORMATS: [TextFormat; 3] = [
    TextFormat::Prometheus,
    TextFormat::OpenMetrics,
    TextFormat::Protobuf,
];

impl TextFormat {
    /// The name used in benchmark ids and the report.
    pub fn id(self) -> &'static str {
        match self {
            TextFormat::Prometheus => "prometheus_0_0_4",
            TextFormat::OpenMetrics => "openmetrics_1_0",
            TextFormat::Protobuf => "protobuf",
        }
    }
}

/// One implementation's registry with the 10,000 series, and its reused output buffer.
pub trait Exposition {
    /// Writes the whole exposition into the buffer (cleared first).
    fn encode(&mut self);
    /// The text the last [`encode`](Self::encode) wrote.
    fn output(&self) -> &[u8];
}

/// Implementations that cannot write a format, with the reason (shown in the report).
pub const LEFT_OUT: &[(&str, TextFormat, &str)] = &[
    (
        "prometheus",
        TextFormat::OpenMetrics,
        "its `TextEncoder` writes text 0.0.4 only (OpenMetrics is not implemented in the crate)",
    ),
    (
        "metrics-exporter-prometheus",
        TextFormat::OpenMetrics,
        "the exporter renders text 0.0.4 (and protobuf) only",
    ),
    (
        "measured",
        TextFormat::OpenMetrics,
        "its `TextEncoder` writes text 0.0.4 only",
    ),
    (
        "prometheus-client",
        TextFormat::Prometheus,
        "its text encoder writes OpenMetrics only",
    ),
    (
        "measured",
        TextFormat::Protobuf,
        "it writes text 0.0.4 only",
    ),
    (
        "prometheus-client",
        TextFormat::Protobuf,
        "its protobuf encoder generates its messages with prost-build at build time, which needs a protoc this machine's build does not have",
    ),
    (
        "fastmetrics",
        TextFormat::Protobuf,
        "its protobuf formats (features `prost`, `protobuf`) generate their messages at build time (prost-build needs protoc)",
    ),
    (
        "metrics-exporter-prometheus",
        TextFormat::Protobuf,
        "its `protobuf` feature builds its messages with prost-build, which needs protoc",
    ),
];

/// The implementations that can write `format`, named as in the report.
pub fn implementations(format: TextFormat) -> &'static [&'static str] {
    match format {
        TextFormat::Prometheus => &[
            "oxios-metrics",
            "prometheus",
            "metrics-exporter-prometheus",
            "measured",
            "fastmetrics",
        ],
        TextFormat::OpenMetrics => &["oxios-metrics", "prometheus-client", "fastmetrics"],
        TextFormat::Protobuf => &["oxios-metrics", "prometheus"],
    }
}

/// The exposition of implementation `name` in `format`, if it can write that format.
pub fn exposition(name: &str, format: TextFormat) -> Option<Box<dyn Exposition>> {
    if !implementations(format).contains(&name) {
        return None;
    }
    Some(match name {
        "oxios-metrics" => Box::new(Oxios::new(format)),
        "prometheus" => Box::new(Prometheus::with_series(format == TextFormat::Protobuf)),
        "metrics-exporter-prometheus" => Box::new(MetricsRs::with_series()),
        "measured" => Box::new(Measured::with_series()),
        "prometheus-client" => Box::new(PrometheusClient::with_series()),
        "fastmetrics" => Box::new(Fastmetrics::new(format)),
        _ => return None,
    })
}

/// Every implementation that can write `format`, named as in the report.
pub fn expositions(format: TextFormat) -> Vec<(&'static str, Box<dyn Exposition>)> {
    implementations(format)
        .iter()
        .filter_map(|&name| exposition(name, format).map(|e| (name, e)))
        .collect()
}

mod oxios_group {
    use oxios_metrics::{
        Counter, DefinitionSite, Family, MetricDesc, MetricGroup, MetricType, MetricVisitor,
    };

    use crate::oxios_labels::Path;
    use crate::workload::ENCODE_SERIES;

    /// A hand-written group (the shape `#[derive(Metrics)]` generates).
    pub struct Group {
        pub requests: Family<Path, Counter>,
    }

    static DESC: MetricDesc = MetricDesc::new(
        "http_requests",
        super::HELP,
        MetricType::Counter,
        DefinitionSite::new(file!(), line!(), column!()),
    );

    impl Group {
        pub fn new() -> Self {
            Group {
                requests: Family::new().with_max_series(ENCODE_SERIES),
            }
        }
    }

    impl MetricGroup for Group {
        fn visit(&self, visitor: &mut dyn MetricVisitor) {
            visitor.metric(&DESC, &self.requests);
        }
    }
}

/// oxios-metrics: a registry holding one group with a dynamic family.
pub struct Oxios {
    registry: oxios_metrics::Registry,
    format: oxios_metrics::Format,
    buffer: Vec<u8>,
}

impl Oxios {
    /// The registry with its 10,000 series.
    pub fn new(format: TextFormat) -> Self {
        let group = oxios_group::Group::new();
        for (index, path) in paths().into_iter().enumerate() {
            group
                .requests
                .get(oxios_labels::Path { path })
                .add(series_value(index));
        }
        let registry = oxios_metrics::Registry::new();
        registry
            .register_owned(Box::new(group))
            .expect("one family registers");
        Oxios {
            registry,
            format: match format {
                TextFormat::Prometheus => oxios_metrics::Format::Prometheus,
                TextFormat::OpenMetrics => oxios_metrics::Format::OpenMetrics,
                TextFormat::Protobuf => oxios_metrics::Format::Protobuf,
            },
            buffer: Vec::new(),
        }
    }
}

impl Exposition for Oxios {
    fn encode(&mut self) {
        self.buffer.clear();
        self.registry.encode_to_vec(&mut self.buffer, self.format);
    }
    fn output(&self) -> &[u8] {
        &self.buffer
    }
}

/// `prometheus`: an `IntCounterVec` in a `Registry`, gathered and written by `TextEncoder`
/// (or `ProtobufEncoder`).
pub struct Prometheus {
    registry: prometheus::Registry,
    protobuf: bool,
    buffer: Vec<u8>,
}

impl Prometheus {
    /// The registry with its 10,000 series.
    pub fn with_series(protobuf: bool) -> Self {
        let registry = prometheus::Registry::new();
        let requests = prometheus::IntCounterVec::new(
            prometheus::Opts::new("http_requests_total", HELP),
            &["path"],
        )
        .expect("valid counter vec");
        registry
            .register(Box::new(requests.clone()))
            .expect("registers");
        for (index, path) in paths().iter().enumerate() {
            requests
                .with_label_values(&[path.as_str()])
                .inc_by(series_value(index));
        }
        Prometheus {
            registry,
            protobuf,
            buffer: Vec::new(),
        }
    }
}

impl Exposition for Prometheus {
    fn encode(&mut self) {
        use prometheus::Encoder;
        self.buffer.clear();
        let families = self.registry.gather();
        if self.protobuf {
            prometheus::ProtobufEncoder::new()
                .encode(&families, &mut self.buffer)
                .expect("writing to a Vec succeeds");
        } else {
            prometheus::TextEncoder::new()
                .encode(&families, &mut self.buffer)
                .expect("writing to a Vec succeeds");
        }
    }
    fn output(&self) -> &[u8] {
        &self.buffer
    }
}

/// `prometheus-client`: a `Family` in a `Registry`, written by `encoding::text::encode`.
pub struct PrometheusClient {
    registry: prometheus_client::registry::Registry,
    buffer: String,
}

impl PrometheusClient {
    /// The registry with its 10,000 series.
    pub fn with_series() -> Self {
        use prometheus_client::metrics::counter::Counter;
        use prometheus_client::metrics::family::Family;
        let mut registry = prometheus_client::registry::Registry::default();
        let requests = Family::<prometheus_client_labels::Path, Counter>::default();
        registry.register("http_requests", HELP, requests.clone());
        for (index, path) in paths().into_iter().enumerate() {
            requests
                .get_or_create(&prometheus_client_labels::Path { path })
                .inc_by(series_value(index));
        }
        PrometheusClient {
            registry,
            buffer: String::new(),
        }
    }
}

impl Exposition for PrometheusClient {
    fn encode(&mut self) {
        self.buffer.clear();
        prometheus_client::encoding::text::encode(&mut self.buffer, &self.registry)
            .expect("writing to a String succeeds");
    }
    fn output(&self) -> &[u8] {
        self.buffer.as_bytes()
    }
}

/// `metrics` with `metrics-exporter-prometheus`: counters registered on a recorder (no
/// global install, no HTTP listener), rendered by its handle.
pub struct MetricsRs {
    handle: metrics_exporter_prometheus::PrometheusHandle,
    // Kept so the counters stay registered for the handle's whole life.
    _recorder: Arc<metrics_exporter_prometheus::PrometheusRecorder>,
    buffer: Vec<u8>,
}

/// Metadata for counters registered on a `metrics` recorder directly.
pub static METRICS_METADATA: metrics::Metadata<'static> =
    metrics::Metadata::new("oxios_metrics_benches", metrics::Level::INFO, None);

impl MetricsRs {
    /// The recorder with its 10,000 series.
    pub fn with_series() -> Self {
        use metrics::Recorder;
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        recorder.describe_counter("http_requests_total".into(), None, HELP.into());
        for (index, path) in paths().into_iter().enumerate() {
            let key = metrics::Key::from_parts(
                "http_requests_total",
                vec![metrics::Label::new("path", path)],
            );
            recorder
                .register_counter(&key, &METRICS_METADATA)
                .absolute(series_value(index));
        }
        MetricsRs {
            handle: recorder.handle(),
            _recorder: Arc::new(recorder),
            buffer: Vec::new(),
        }
    }
}

impl Exposition for MetricsRs {
    fn encode(&mut self) {
        self.buffer.clear();
        self.handle
            .render_to_write(&mut self.buffer)
            .expect("writing to a Vec succeeds");
    }
    fn output(&self) -> &[u8] {
        &self.buffer
    }
}

mod measured_group {
    use measured::{CounterVec, MetricGroup};

    use crate::peers::measured_labels::PathSet;

    #[derive(MetricGroup)]
    #[metric(new())]
    pub struct Group {
        /// Requests handled, by path.
        #[metric(label_set = PathSet::new())]
        pub http_requests_total: CounterVec<PathSet>,
    }
}

/// `measured`: a derived `MetricGroup` with a `CounterVec`, written by a reused `TextEncoder`.
pub struct Measured {
    group: measured_group::Group,
    encoder: measured::text::TextEncoder<Vec<u8>>,
}

impl Measured {
    /// The group with its 10,000 series.
    pub fn with_series() -> Self {
        let group = measured_group::Group::new();
        for (index, path) in paths().iter().enumerate() {
            group
                .http_requests_total
                .inc_by(measured_labels::Path { path }, series_value(index));
        }
        Measured {
            group,
            encoder: measured::text::TextEncoder::new(Vec::new()),
        }
    }
}

impl Exposition for Measured {
    fn encode(&mut self) {
        use measured::MetricGroup;
        self.encoder.writer.clear();
        self.group
            .collect_group_into(&mut self.encoder)
            .expect("writing to a Vec succeeds");
        self.encoder.flush().expect("a Vec flushes");
    }
    fn output(&self) -> &[u8] {
        &self.encoder.writer
    }
}

/// `fastmetrics`: a `Family` in a `Registry`, written by `format::text::encode`.
pub struct Fastmetrics {
    registry: fastmetrics::registry::Registry,
    profile: fastmetrics::format::text::TextProfile,
    buffer: String,
}

impl Fastmetrics {
    /// The registry with its 10,000 series.
    pub fn new(format: TextFormat) -> Self {
        use fastmetrics::metrics::counter::Counter;
        use fastmetrics::metrics::family::Family;
        let mut registry = fastmetrics::registry::Registry::default();
        let requests = Family::<fastmetrics_labels::Path, Counter>::default();
        registry
            .register("http_requests", HELP, requests.clone())
            .expect("registers");
        for (index, path) in paths().into_iter().enumerate() {
            requests.with_or_new(&fastmetrics_labels::Path { value: path }, |counter| {
                counter.inc_by(series_value(index))
            });
        }
        Fastmetrics {
            registry,
            profile: match format {
                // Protobuf is not among fastmetrics' implementations (see LEFT_OUT).
                TextFormat::Prometheus | TextFormat::Protobuf => {
                    fastmetrics::format::text::TextProfile::PrometheusV0_0_4
                }
                TextFormat::OpenMetrics => {
                    fastmetrics::format::text::TextProfile::OpenMetricsV1_0_0 {
                        escaping_scheme: fastmetrics::format::text::EscapingScheme::Underscores,
                    }
                }
            },
            buffer: String::new(),
        }
    }
}

impl Exposition for Fastmetrics {
    fn encode(&mut self) {
        self.buffer.clear();
        fastmetrics::format::text::encode(&mut self.buffer, &self.registry, self.profile)
            .expect("writing to a String succeeds");
    }
    fn output(&self) -> &[u8] {
        self.buffer.as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::ENCODE_SERIES;

    /// Every implementation writes all 10,000 series with their values, so the benchmark
    /// compares the same work.
    #[test]
    fn every_exposition_holds_every_series() {
        for format in FORMATS {
            for (name, mut exposition) in expositions(format) {
                exposition.encode();
                exposition.encode();
                if format == TextFormat::Protobuf {
                    // Each series' label value once, and its value as a double.
                    let output = exposition.output();
                    let series = output
                        .windows(b"/api/v1/items/".len())
                        .filter(|window| window == b"/api/v1/items/")
                        .count();
                    assert_eq!(series, ENCODE_SERIES, "{name} protobuf");
                    let value = (series_value(1234) as f64).to_le_bytes();
                    assert!(
                        output.windows(8).any(|window| window == value),
                        "{name}: no series holds {}",
                        series_value(1234)
                    );
                    continue;
                }
                let text = std::str::from_utf8(exposition.output()).expect("UTF-8");
                let samples: Vec<&str> = text
                    .lines()
                    .filter(|line| line.contains("path=\"/api/v1/items/"))
                    .collect();
                assert_eq!(samples.len(), ENCODE_SERIES, "{name} {format:?}");
                let expected = format!("path=\"/api/v1/items/1234\"}} {}", series_value(1234));
                assert!(
                    samples.iter().any(|line| line.ends_with(&expected)),
                    "{name} {format:?}: no line ends with {expected}"
                );
                if format == TextFormat::OpenMetrics {
                    assert!(text.ends_with("# EOF\n"), "{name} lacks # EOF");
                }
            }
        }
    }
}
