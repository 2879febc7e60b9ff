//! The one-line live summary the demo prints.

use std::time::Duration;

use oxios_metrics::serve::ScrapeCounts;
use oxios_metrics_examples::{LlmCall, MemoryTier, Outcome, Provider, ToolCall, KERNEL};

use crate::llm::MODELS;
use crate::tools::TOOLS;

const PROVIDERS: [(Provider, &str); 3] = [
    (Provider::Anthropic, "anthropic"),
    (Provider::OpenAi, "openai"),
    (Provider::Local, "local"),
];

fn tool_calls() -> (u64, u64) {
    let mut all = 0;
    let mut failed = 0;
    for tool in TOOLS {
        for outcome in [Outcome::Ok, Outcome::Error, Outcome::Timeout] {
            let calls = KERNEL.tool_calls.get(ToolCall { tool, outcome }).get();
            all += calls;
            if outcome != Outcome::Ok {
                failed += calls;
            }
        }
    }
    (all, failed)
}

fn llm_calls() -> (u64, u64) {
    let all: u64 = PROVIDERS
        .iter()
        .map(|&(provider, _)| KERNEL.llm.call_duration.get(provider).count())
        .sum();
    let ok: u64 = MODELS
        .iter()
        .map(|&(provider, model, _)| {
            let call = LlmCall {
                provider,
                model,
                outcome: Outcome::Ok,
            };
            KERNEL.llm.calls.get(call).get()
        })
        .sum();
    (all, all.saturating_sub(ok))
}

/// The widest a status line gets: one line of a 100-column terminal.
pub const WIDTH: usize = 100;

fn breakers() -> String {
    let open: Vec<&str> = PROVIDERS
        .iter()
        .filter(|&&(provider, _)| KERNEL.llm.circuit_breaker_state.get(provider).get() != 0)
        .map(|&(_, name)| name)
        .collect();
    if open.is_empty() {
        "breakers closed".to_owned()
    } else {
        format!("breakers OPEN: {}", open.join(","))
    }
}

/// `[   12s] agents 140 forked, 8 running | tools 530 (12 failed) | llm 210 (3 failed) | ...`:
/// the kernel's counts, most telling first, as many as fit in [`WIDTH`] columns.
pub fn line(elapsed: Duration, scrapes: ScrapeCounts) -> String {
    let (tools, tool_failures) = tool_calls();
    let (llms, llm_failures) = llm_calls();
    fit(&[
        format!(
            "[{:>5}s] agents {} forked, {} running",
            elapsed.as_secs(),
            KERNEL.agents_forked.get(),
            KERNEL.agents_running.get()
        ),
        format!("tools {tools} ({tool_failures} failed)"),
        format!("llm {llms} ({llm_failures} failed)"),
        breakers(),
        format!(
            "scrapes {} om, {} text, {} proto",
            scrapes.openmetrics, scrapes.prometheus, scrapes.protobuf
        ),
        format!("orchestrations {}", KERNEL.orchestration_duration.count()),
        format!("sessions {}", KERNEL.sessions_active.get()),
        format!(
            "memory {}",
            KERNEL.memory_entries.get(MemoryTier::Working).get()
        ),
    ])
}

/// Joins `parts` with ` | `, leaving out those that would take the line past [`WIDTH`]
/// columns (the first part is always there, cut to the width if it must be).
fn fit(parts: &[String]) -> String {
    let mut line = String::new();
    let mut width = 0;
    for part in parts {
        let columns = part.chars().count();
        if width == 0 {
            line = part.chars().take(WIDTH).collect();
            width = columns.min(WIDTH);
        } else if width + 3 + columns <= WIDTH {
            line.push_str(" | ");
            line.push_str(part);
            width += 3 + columns;
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_never_passes_the_width() {
        let max = u64::MAX;
        let parts = [
            format!("[{max:>5}s] agents {max} forked, {max} running"),
            format!("tools {max} ({max} failed)"),
            "breakers OPEN: anthropic,openai,local".to_owned(),
            "memory 4".to_owned(),
        ];
        let line = fit(&parts);
        assert!(line.chars().count() <= WIDTH, "{line}");
        assert!(line.starts_with(&parts[0]), "{line}");
        // A part that does not fit is left out; a later one that fits is kept.
        assert!(!line.contains("tools"), "{line}");
        assert!(line.ends_with(" | memory 4"), "{line}");
        assert_eq!(fit(&["x".repeat(300)]).chars().count(), WIDTH);
    }

    #[test]
    fn a_live_line_fits_and_starts_with_the_agents() {
        let line = line(
            Duration::from_secs(12),
            ScrapeCounts {
                openmetrics: 3,
                prometheus: 1,
                ..ScrapeCounts::default()
            },
        );
        assert!(line.chars().count() <= WIDTH, "{line}");
        assert!(line.starts_with("[   12s] agents "), "{line}");
        assert!(line.contains(" | tools "), "{line}");
    }
}
