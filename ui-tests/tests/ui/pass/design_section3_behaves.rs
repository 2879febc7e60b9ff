//! §3's declarations, checked against the comments that say what they expose.

use oxios_metrics::{Counter, Family, Format, Gauge, Histogram, LabelSet, LabelValue, Metrics, Registry};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool { Shell, WebFetch, FileRead }

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Outcome { Ok, Error }

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct ToolCall { pub tool: Tool, pub outcome: Outcome }

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Session { pub user: String }

#[derive(Metrics)]
#[metrics(prefix = "oxios")]
pub struct KernelMetrics {
    /// Total agents forked.
    pub agents_forked: Counter,
    /// Agents currently running.
    pub agents_running: Gauge,
    /// Full orchestration duration.
    #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0])]
    pub orchestration_duration: Histogram,
    /// Tool calls by tool and outcome.
    pub tool_calls: Family<ToolCall, Counter>,
    /// Tool call duration.
    #[metric(unit = "seconds", buckets = exponential(0.01, 2.0, 10))]
    pub tool_duration: Family<Tool, Histogram>,
    /// Messages handled per session.
    #[metric(max_series = 1000)]
    pub session_messages: Family<Session, Counter>,
}

pub static KERNEL: KernelMetrics = KernelMetrics::new();

fn main() {
    assert_eq!(<Tool as LabelValue>::VALUES, &["shell", "web_fetch", "file_read"]);
    assert_eq!(<ToolCall as oxios_metrics::FixedLabelSet>::CARDINALITY, 6);
    let registry = Registry::new();
    registry.register(&KERNEL).unwrap();
    KERNEL.tool_calls.get(ToolCall { tool: Tool::Shell, outcome: Outcome::Ok }).inc();
    KERNEL.session_messages.get(Session { user: "ada".into() }).inc();
    assert_eq!(KERNEL.session_messages.max_series(), 1000);
    let text = registry.render(Format::Prometheus);
    for line in [
        "oxios_agents_forked_total 0\n",
        "oxios_agents_running 0\n",
        "oxios_orchestration_duration_seconds_bucket{le=\"60\"} 0\n",
        "oxios_tool_calls_total{tool=\"shell\",outcome=\"ok\"} 1\n",
        "oxios_tool_duration_seconds_bucket{tool=\"web_fetch\",le=\"5.12\"} 0\n",
        "oxios_session_messages_total{user=\"ada\"} 1\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let second = Registry::new();
    second.register(&KERNEL).unwrap();
    let error = second.register(&KERNEL).unwrap_err().to_string();
    assert!(error.contains("design_section3_behaves.rs:21"), "{error}");
}
