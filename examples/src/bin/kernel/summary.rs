//! The one-line live summary the demo prints.

use std::time::Duration;

use oxios_metrics::serve::ScrapeCounts;
use oxios_metrics_examples::{LlmCall, MemoryTier, Outcome, Provider, ToolCall, KERNEL, TRACES};

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

/// The two status lines: the kernel's counts ([`line()`]) and what its traced metrics show
/// ([`traced_line`]).
pub fn status(elapsed: Duration, scrapes: ScrapeCounts) -> String {
    format!("{}\n{}", line(elapsed, scrapes), traced_line(elapsed))
}

/// The upper bound of the native bucket holding the `quantile` of every provider's LLM
/// latencies (the bound `histogram_quantile` over the native histogram stays under), or
/// `None` before the first call.
fn llm_latency_quantile(quantile: f64) -> Option<f64> {
    let mut buckets: Vec<(f64, u64)> = Vec::new();
    let mut total = 0;
    for (provider, _) in PROVIDERS {
        let snapshot = TRACES.llm_latency.get(provider).snapshot();
        buckets.push((snapshot.zero_threshold(), snapshot.zero_count()));
        for (index, count) in snapshot.positive().iter() {
            buckets.push((snapshot.upper_bound(index), count));
        }
        total += snapshot.count();
    }
    if total == 0 {
        return None;
    }
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let rank = ((quantile * total as f64).ceil() as u64).max(1);
    let mut seen = 0;
    buckets.into_iter().find_map(|(bound, count)| {
        seen += count;
        (seen >= rank).then_some(bound)
    })
}

/// The trace id of the newest exemplar on the token counters, if any.
fn newest_trace() -> Option<String> {
    PROVIDERS
        .iter()
        .filter_map(|&(provider, _)| TRACES.llm_tokens.get(provider).exemplar())
        .max_by_key(|exemplar| exemplar.timestamp_nanos())
        .and_then(|exemplar| {
            exemplar
                .labels()
                .find(|&(name, _)| name == "trace_id")
                .map(|(_, id)| id.to_owned())
        })
}

/// `[   12s] llm latency p90 1.31s | prompt tokens p50 1234, p99 3900 | trace 4bf92f35…`: the
/// native histogram's 90th percentile (a bucket bound), the summary's quantiles and the
/// newest trace id an exemplar carries, as many as fit in [`WIDTH`] columns.
pub fn traced_line(elapsed: Duration) -> String {
    let latency = llm_latency_quantile(0.9).map_or("-".to_owned(), |bound| format!("{bound:.2}s"));
    let prompt = TRACES.prompt_tokens.snapshot();
    let quantile = |q: f64| {
        prompt
            .quantile(q)
            .filter(|value| !value.is_nan())
            .map_or("-".to_owned(), |value| format!("{value:.0}"))
    };
    let tokens: u64 = PROVIDERS
        .iter()
        .map(|&(provider, _)| TRACES.llm_tokens.get(provider).get())
        .sum();
    let mut parts = vec![
        format!("[{:>5}s] llm latency p90 {latency}", elapsed.as_secs()),
        format!(
            "prompt tokens p50 {}, p99 {}",
            quantile(0.5),
            quantile(0.99)
        ),
    ];
    if let Some(trace) = newest_trace() {
        let shown: String = trace.chars().take(16).collect();
        parts.push(format!("trace {shown}"));
    }
    parts.push(format!("tokens {tokens}"));
    fit(&parts)
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

    #[test]
    fn the_traced_line_shows_the_native_histogram_summary_and_trace() {
        TRACES
            .llm_latency
            .get(Provider::Local)
            .observe_with_exemplar(0.3, &[("trace_id", "00f067aa0ba902b7")])
            .unwrap();
        TRACES.prompt_tokens.observe(1_000.0);
        TRACES
            .llm_tokens
            .get(Provider::OpenAi)
            .add_with_exemplar(1_000, &[("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")])
            .unwrap();
        let line = traced_line(Duration::from_secs(12));
        assert!(line.chars().count() <= WIDTH, "{line}");
        // 0.3 s lies in the native bucket (2^(-14/8), 2^(-13/8)] at schema 3.
        let bound = 2f64.powf(-13.0 / 8.0);
        assert!(
            line.starts_with(&format!("[   12s] llm latency p90 {bound:.2}s | ")),
            "{line}"
        );
        assert!(line.contains("prompt tokens p50 1000, p99 1000"), "{line}");
        assert!(line.contains("trace 4bf92f3577b34da6"), "{line}");
        let status = status(Duration::from_secs(12), ScrapeCounts::default());
        assert_eq!(status.lines().count(), 2);
        assert!(status.lines().all(|line| line.chars().count() <= WIDTH));
    }
}
