//! Simulated tool calls; the shell tool runs a command through the kernel's executor.

use std::time::Duration;

use oxios_metrics::timed;
use oxios_metrics_examples::{ExecResult, Outcome, Tool, ToolCall, KERNEL};

use crate::rng::Rng;

/// Every tool, for choosing one and for the summary.
pub const TOOLS: [Tool; 5] = [
    Tool::Shell,
    Tool::WebFetch,
    Tool::FileRead,
    Tool::FileWrite,
    Tool::CodeSearch,
];

/// Calls a tool and counts the call by tool and outcome.
pub async fn call(rng: &mut Rng) -> Outcome {
    let tool = TOOLS[rng.below(TOOLS.len() as u64) as usize];
    let outcome = run(tool, rng).await;
    KERNEL.tool_calls.get(ToolCall { tool, outcome }).inc();
    outcome
}

#[timed(KERNEL.tool_duration.get(tool))]
async fn run(tool: Tool, rng: &mut Rng) -> Outcome {
    // (latency range in ms, error rate, timeout rate)
    let ((low, high), error_rate, timeout_rate) = match tool {
        Tool::Shell => {
            return match exec(rng).await {
                ExecResult::Success => Outcome::Ok,
                ExecResult::Failure => Outcome::Error,
                ExecResult::Killed => Outcome::Timeout,
            }
        }
        Tool::WebFetch => ((50.0, 900.0), 0.12, 0.03),
        Tool::FileRead => ((5.0, 60.0), 0.02, 0.0),
        Tool::FileWrite => ((5.0, 80.0), 0.01, 0.0),
        Tool::CodeSearch => ((30.0, 400.0), 0.01, 0.0),
    };
    tokio::time::sleep(Duration::from_millis(rng.latency_ms(low, high))).await;
    let roll = rng.unit();
    if roll < timeout_rate {
        Outcome::Timeout
    } else if roll < timeout_rate + error_rate {
        Outcome::Error
    } else {
        Outcome::Ok
    }
}

/// Runs a command: most succeed, some fail, and a few hit the time limit and are killed.
#[timed(KERNEL.exec_duration)]
async fn exec(rng: &mut Rng) -> ExecResult {
    const TIME_LIMIT_MS: u64 = 2_500;
    let wanted = rng.latency_ms(100.0, 3_000.0);
    tokio::time::sleep(Duration::from_millis(wanted.min(TIME_LIMIT_MS))).await;
    let result = if wanted >= TIME_LIMIT_MS {
        ExecResult::Killed
    } else if rng.chance(0.12) {
        ExecResult::Failure
    } else {
        ExecResult::Success
    };
    KERNEL.exec_runs.get(result).inc();
    result
}
