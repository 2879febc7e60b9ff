//! Every derive under `#![deny(warnings, missing_docs)]`: the generated code adds no
//! undocumented public item and triggers no lint.
#![deny(warnings, missing_docs)]
#![forbid(unsafe_code)]

use oxios_metrics::{
    CallbackGauge, Counter, Family, FloatCounter, FloatGauge, Format, Gauge, Histogram, Info,
    LabelSet, LabelValue, Metrics, Registry,
};

/// A tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "kebab-case")]
pub enum Tool {
    /// A shell.
    Shell,
    /// A web fetch.
    WebFetch,
}

/// A fixed label set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Call {
    /// The tool.
    pub tool: Tool,
    /// Whether it worked.
    pub ok: bool,
}

/// A dynamic label set.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Peer {
    /// The address.
    #[label(rename = "peer")]
    pub address: String,
    /// The port.
    pub port: u16,
}

fn cores() -> f64 {
    2.0
}

/// A nested group.
#[derive(Metrics)]
#[metrics(prefix = "inner")]
pub struct Inner {
    /// Inner hits.
    pub hits: Counter,
}

/// The group.
#[derive(Metrics)]
#[metrics(prefix = "app", labels(service = "api"))]
pub struct AppMetrics {
    /// Build info.
    pub build: Info,
    /// Requests.
    pub requests: Counter,
    /// Bytes sent.
    #[metric(unit = "bytes")]
    pub sent: FloatCounter,
    /// Level.
    pub level: Gauge,
    /// Load.
    #[metric(unit = "ratio")]
    pub load: FloatGauge,
    /// Cores.
    #[metric(read = cores)]
    pub cores: CallbackGauge,
    /// Latency.
    #[metric(unit = "seconds", buckets = linear(0.1, 0.1, 5))]
    pub latency: Histogram,
    /// Calls.
    pub calls: Family<Call, Counter>,
    /// Call latency.
    #[metric(unit = "seconds", buckets = [0.5, 1.0])]
    pub call_latency: Family<Tool, Histogram>,
    /// Peers.
    #[metric(max_series = 4)]
    pub peers: Family<Peer, Gauge>,
    /// Nested.
    #[metric(nested)]
    pub inner: Inner,
    /// Kept beside the metrics but not exported.
    #[metric(skip)]
    pub scratch: Counter,
}

/// The group's static.
pub static METRICS: AppMetrics = AppMetrics::new();

fn main() {
    let registry = Registry::new();
    registry.register(&METRICS).unwrap();
    METRICS.calls.get(Call { tool: Tool::WebFetch, ok: true }).inc();
    METRICS.peers.get(Peer { address: "10.0.0.1".into(), port: 80 }).set(1);
    METRICS.scratch.inc();
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("app_calls_total{service=\"api\",tool=\"web-fetch\",ok=\"true\"} 1\n"), "{text}");
    assert!(text.contains("app_peers{service=\"api\",peer=\"10.0.0.1\",port=\"80\"} 1\n"), "{text}");
    assert!(text.contains("app_inner_hits_total{service=\"api\"} 0\n"), "{text}");
    assert!(text.contains("app_cores{service=\"api\"} 2\n"), "{text}");
    assert!(!text.contains("scratch"), "{text}");
}
