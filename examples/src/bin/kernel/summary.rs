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

fn breakers() -> String {
    let open: Vec<&str> = PROVIDERS
        .iter()
        .filter(|&&(provider, _)| KERNEL.llm.circuit_breaker_state.get(provider).get() != 0)
        .map(|&(_, name)| name)
        .collect();
    if open.is_empty() {
        "closed".to_owned()
    } else {
        format!("OPEN for {}", open.join(", "))
    }
}

/// `[  12s] agents 140 forked, 8 running | orchestrations 132 | ...`
pub fn line(elapsed: Duration, scrapes: ScrapeCounts) -> String {
    let (tools, tool_failures) = tool_calls();
    let (llms, llm_failures) = llm_calls();
    format!(
        "[{:>5}s] agents {} forked, {} running | orchestrations {} | tool calls {} ({} failed) \
         | llm calls {} ({} failed) | breakers {} | sessions {} open | working memory {} entries \
         | scrapes: openmetrics {}, text {}, protobuf {}",
        elapsed.as_secs(),
        KERNEL.agents_forked.get(),
        KERNEL.agents_running.get(),
        KERNEL.orchestration_duration.count(),
        tools,
        tool_failures,
        llms,
        llm_failures,
        breakers(),
        KERNEL.sessions_active.get(),
        KERNEL.memory_entries.get(MemoryTier::Working).get(),
        scrapes.openmetrics,
        scrapes.prometheus,
        scrapes.protobuf,
    )
}
