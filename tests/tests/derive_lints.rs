//! DESIGN §3's code, as written, in a crate that denies warnings, missing docs and clippy's
//! pedantic group: the expansions of the derives and `#[timed]` must not trip a lint in the
//! user's crate. `cargo clippy --workspace --all-targets` (run by `.ci/run`) enforces the
//! clippy part; `cargo test` enforces the rest and runs the code.

#![deny(warnings, missing_docs, clippy::pedantic)]

use oxios_metrics::{
    timed, Counter, Family, Format, Gauge, Histogram, LabelSet, LabelValue, Metrics, Registry,
};

/// A tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    /// The shell.
    Shell,
    /// A web fetch.
    WebFetch,
    /// A file read.
    FileRead,
}

/// An outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Outcome {
    /// It worked.
    Ok,
    /// It failed.
    Error,
}

/// A tool call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct ToolCall {
    /// The tool.
    pub tool: Tool,
    /// The outcome.
    pub outcome: Outcome,
}

/// A session.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Session {
    /// The user.
    pub user: String,
}

/// The kernel's metrics.
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

/// The kernel's metrics, in a plain static.
pub static KERNEL: KernelMetrics = KernelMetrics::new();

// §3's body has no `.await`, which clippy's `unused_async` flags in the user's own code
// with or without `#[timed]`; everything the macros add passes the pedantic group.
#[allow(clippy::unused_async)]
#[timed(KERNEL.orchestration_duration)]
async fn orchestrate(task: &str) -> Result<usize, std::io::Error> {
    Ok(task.len())
}

#[timed(KERNEL.tool_duration.get(Tool::Shell))]
fn run_shell(command: &str) -> usize {
    command.len()
}

/// Polls a future that never waits to completion.
fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => unreachable!("the future does not wait"),
    }
}

#[test]
fn design_section_3_behaves_under_pedantic_lints() -> Result<(), Box<dyn std::error::Error>> {
    let registry = Registry::new();
    registry.register(&KERNEL)?;
    KERNEL.agents_forked.inc();
    KERNEL.agents_running.set(3);
    KERNEL.orchestration_duration.observe(0.3);
    KERNEL
        .tool_calls
        .get(ToolCall {
            tool: Tool::Shell,
            outcome: Outcome::Ok,
        })
        .inc();
    KERNEL.tool_duration.get(Tool::WebFetch).observe(0.02);
    KERNEL
        .session_messages
        .get(Session { user: "ada".into() })
        .inc();
    assert_eq!(ready(orchestrate("plan"))?, 4);
    assert_eq!(run_shell("ls"), 2);
    let mut out = Vec::new();
    registry.encode(&mut out, Format::Prometheus)?;
    let text = String::from_utf8(out)?;
    assert!(text.contains("oxios_agents_forked_total 1\n"));
    assert!(text.contains("oxios_tool_calls_total{tool=\"shell\",outcome=\"ok\"} 1\n"));
    assert!(text.contains("oxios_orchestration_duration_seconds_count 2\n"));
    assert!(text.contains("oxios_tool_duration_seconds_count{tool=\"shell\"} 1\n"));
    assert!(text.contains("oxios_session_messages_total{user=\"ada\"} 1\n"));
    assert_eq!(
        Format::from_accept("application/openmetrics-text; version=1.0.0").content_type(),
        "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores"
    );
    Ok(())
}
