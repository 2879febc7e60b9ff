//! Every form of `#[timed]` compiles warning-free under `deny(warnings, unreachable_code)`,
//! and the §3 contract's `orchestrate` records into a derived group's histogram.

#![deny(warnings, unreachable_code, missing_docs)]

mod reexport {
    pub use oxios_metrics as metrics;
}

use oxios_metrics::{timed, Family, Gauge, Histogram, LabelSet, LabelValue, Metrics, TimedOutcome};

/// Tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    /// Shell.
    Shell,
    /// Web fetch.
    WebFetch,
}

/// A tool call and how it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct ToolCall {
    /// The tool.
    pub tool: Tool,
    /// How it ended.
    pub outcome: TimedOutcome,
}

/// The kernel's metrics.
#[derive(Metrics)]
#[metrics(prefix = "oxios")]
pub struct KernelMetrics {
    /// Agents currently running.
    pub agents_running: Gauge,
    /// Full orchestration duration.
    #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0])]
    pub orchestration_duration: Histogram,
    /// Tool call duration.
    #[metric(unit = "seconds", buckets = exponential(0.01, 2.0, 10))]
    pub tool_duration: Family<Tool, Histogram>,
    /// Tool calls by outcome.
    #[metric(unit = "seconds")]
    pub tool_calls: Family<ToolCall, Histogram>,
    /// Calls by outcome.
    #[metric(unit = "seconds")]
    pub calls: Family<TimedOutcome, Histogram>,
}

/// The kernel's metrics.
pub static KERNEL: KernelMetrics = KernelMetrics::new();

#[timed(KERNEL.orchestration_duration)]
async fn orchestrate(task: &str) -> Result<usize, std::io::Error> {
    Ok(task.len())
}

#[timed(KERNEL.tool_duration.get(Tool::Shell), in_flight = KERNEL.agents_running)]
fn shell(command: &str) -> usize {
    command.len()
}

#[timed(KERNEL.tool_calls.get(ToolCall { tool, outcome }), outcome)]
fn call(tool: Tool, input: &str) -> Result<u32, std::num::ParseIntError> {
    let _ = tool;
    let value: u32 = input.parse()?;
    if value == 0 {
        return Ok(1);
    }
    Ok(value)
}

#[timed(KERNEL.calls, outcome)]
async fn later(fail: bool) -> Result<(), String> {
    if fail {
        return Err("no".to_owned());
    }
    Ok(())
}

#[timed(KERNEL.calls, outcome)]
fn diverges() -> Result<(), String> {
    todo!()
}

#[timed(KERNEL.calls, outcome)]
fn loops_forever() -> Result<(), String> {
    loop {
        std::thread::yield_now();
    }
}

#[timed]
fn bare() {}

#[timed(buckets = [0.001, 0.01, 0.1], name = "tuned")]
fn tuned() {}

#[timed(crate = crate::reexport::metrics)]
fn through_a_reexport() {}

struct Worker {
    tool: Tool,
}

impl Worker {
    #[timed(KERNEL.tool_duration.get(self.tool))]
    fn work(&self) -> Tool {
        self.tool
    }
}

fn main() {
    let _ = orchestrate("task");
    assert_eq!(shell("ls"), 2);
    assert_eq!(call(Tool::WebFetch, "0"), Ok(1));
    let _ = later(true);
    let _ = (
        diverges as fn() -> Result<(), String>,
        loops_forever as fn() -> Result<(), String>,
    );
    bare();
    tuned();
    through_a_reexport();
    assert_eq!(
        Worker {
            tool: Tool::WebFetch
        }
        .work(),
        Tool::WebFetch
    );
    assert_eq!(KERNEL.tool_duration.get(Tool::WebFetch).count(), 1);
    assert_eq!(KERNEL.tool_duration.get(Tool::Shell).count(), 1);
    assert_eq!(
        KERNEL
            .tool_calls
            .get(ToolCall {
                tool: Tool::WebFetch,
                outcome: TimedOutcome::Ok
            })
            .count(),
        1
    );
}
