use oxios_metrics::{timed, Counter, Family, Format, Gauge, Histogram, LabelSet, LabelValue, Metrics, Registry};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool { Shell, WebFetch, FileRead }          // label values: shell, web_fetch, file_read

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Outcome { Ok, Error }

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct ToolCall { pub tool: Tool, pub outcome: Outcome }   // fixed cardinality: 3 x 2

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Session { pub user: String }                         // dynamic: bounded family

#[derive(Metrics)]
#[metrics(prefix = "oxios")]
pub struct KernelMetrics {
    /// Total agents forked.
    pub agents_forked: Counter,                        // oxios_agents_forked_total
    /// Agents currently running.
    pub agents_running: Gauge,                         // oxios_agents_running
    /// Full orchestration duration.
    #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0])]
    pub orchestration_duration: Histogram,             // oxios_orchestration_duration_seconds
    /// Tool calls by tool and outcome.
    pub tool_calls: Family<ToolCall, Counter>,         // oxios_tool_calls_total{tool="shell",outcome="ok"}
    /// Tool call duration.
    #[metric(unit = "seconds", buckets = exponential(0.01, 2.0, 10))]
    pub tool_duration: Family<Tool, Histogram>,
    /// Messages handled per session.
    #[metric(max_series = 1000)]
    pub session_messages: Family<Session, Counter>,
}

pub static KERNEL: KernelMetrics = KernelMetrics::new();   // const: no lazy init, no lock

#[timed(KERNEL.orchestration_duration)]
async fn orchestrate(task: &str) -> Result<usize, std::io::Error> { Ok(task.len()) }

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let registry = Registry::new();              // oxios_metrics::global() is the default one
    registry.register(&KERNEL)?;                 // a second group with a clashing name: Err naming both sites
    KERNEL.agents_forked.inc();
    KERNEL.agents_running.set(3);
    KERNEL.orchestration_duration.observe(0.3);
    KERNEL.tool_calls.get(ToolCall { tool: Tool::Shell, outcome: Outcome::Ok }).inc();
    KERNEL.tool_duration.get(Tool::WebFetch).observe(0.02);
    KERNEL.session_messages.get(Session { user: "ada".into() }).inc();
    let mut out = Vec::new();
    registry.encode(&mut out, Format::Prometheus)?;   // text 0.0.4; Format::OpenMetrics for OM 1.0
    let _ = Format::from_accept("application/openmetrics-text; version=1.0.0").content_type();
    Ok(())
}
