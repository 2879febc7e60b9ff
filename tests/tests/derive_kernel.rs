//! The agent-kernel metric set of the examples crate, declared with `#[derive(Metrics)]`:
//! its names, and its exposition checked by `promtool check metrics` and an independent
//! OpenMetrics parser.

use std::sync::Once;

use oxios_metrics::{Format, Registry};
use oxios_metrics_examples::{
    CircuitState, ExecResult, LlmCall, LlmError, LlmErrorKind, MemoryTier, Outcome, Provider,
    Session, Tool, ToolCall, KERNEL,
};
use oxios_metrics_tests::{openmetrics_parse, promtool_check, Checked};

/// A registry holding `KERNEL`, whose values are set once for all tests of this file (the
/// tests run in parallel and share the static).
fn exercised_registry() -> Registry {
    static EXERCISE: Once = Once::new();
    EXERCISE.call_once(exercise);
    let registry = Registry::new();
    registry
        .register(&KERNEL)
        .expect("the kernel set registers");
    registry
}

fn exercise() {
    KERNEL
        .build
        .set_static(&[("version", "1.2.3"), ("commit", "abc\"123")])
        .unwrap();
    KERNEL.agents_forked.inc();
    KERNEL.agents_running.set(3);
    KERNEL.orchestration_duration.observe(0.3);
    KERNEL.orchestration_duration.observe(42.0);
    let call = LlmCall {
        provider: Provider::OpenAi,
        model: "gpt-4o",
        outcome: Outcome::Ok,
    };
    KERNEL.llm.calls.get(call).inc();
    KERNEL
        .llm
        .errors
        .get(LlmError {
            provider: Provider::Anthropic,
            model: "claude \"sonnet\"\\4",
            kind: LlmErrorKind::RateLimited,
        })
        .inc();
    KERNEL.llm.call_duration.get(Provider::Local).observe(1.5);
    KERNEL
        .llm
        .set_circuit_state(Provider::Anthropic, CircuitState::Open);
    KERNEL
        .tool_calls
        .get(ToolCall {
            tool: Tool::WebFetch,
            outcome: Outcome::Timeout,
        })
        .inc();
    KERNEL.tool_duration.get(Tool::Shell).observe(0.02);
    KERNEL.memory.get(MemoryTier::LongTerm).set(1 << 20);
    KERNEL.memory_entries.get(MemoryTier::Vector).set(512);
    KERNEL.exec_runs.get(ExecResult::Killed).inc();
    KERNEL.exec_duration.observe(0.7);
    KERNEL.sessions_active.set(2);
    KERNEL
        .session_messages
        .get(Session {
            user: "ada\nlovelace".into(),
        })
        .inc();
}

#[test]
fn kernel_names_follow_the_declarations() {
    let text = exercised_registry().render(Format::Prometheus);
    for expected in [
        "# TYPE oxios_build_info gauge\n",
        "oxios_build_info{version=\"1.2.3\",commit=\"abc\\\"123\"} 1\n",
        "# HELP oxios_agents_forked_total Total agents forked.\n",
        "oxios_agents_forked_total 1\n",
        "oxios_agents_running 3\n",
        "oxios_orchestration_duration_seconds_bucket{le=\"0.5\"} 1\n",
        "oxios_orchestration_duration_seconds_bucket{le=\"60\"} 2\n",
        "oxios_llm_calls_total{provider=\"openai\",model=\"gpt-4o\",outcome=\"ok\"} 1\n",
        "oxios_llm_errors_total{provider=\"anthropic\",model=\"claude \\\"sonnet\\\"\\\\4\",kind=\"rate_limited\"} 1\n",
        "oxios_llm_call_duration_seconds_bucket{provider=\"local\",le=\"1.6\"} 1\n",
        "oxios_llm_circuit_breaker_state{provider=\"anthropic\"} 2\n",
        "oxios_llm_circuit_breaker_state{provider=\"openai\"} 0\n",
        "oxios_tool_calls_total{tool=\"web_fetch\",outcome=\"timeout\"} 1\n",
        "oxios_tool_calls_total{tool=\"code_search\",outcome=\"error\"} 0\n",
        "oxios_tool_duration_seconds_bucket{tool=\"shell\",le=\"0.02\"} 1\n",
        "oxios_memory_used_bytes{tier=\"long_term\"} 1048576\n",
        "oxios_memory_entries{tier=\"vector\"} 512\n",
        "oxios_exec_runs_total{result=\"killed\"} 1\n",
        "oxios_exec_duration_seconds_bucket{le=\"1\"} 1\n",
        "oxios_sessions_active 2\n",
        "oxios_session_messages_total{user=\"ada\\nlovelace\"} 1\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let om = exercised_registry_text_om();
    assert!(om.contains("# TYPE oxios_orchestration_duration_seconds histogram\n# UNIT oxios_orchestration_duration_seconds seconds\n"));
    assert!(om.contains("# TYPE oxios_build info\n"));
    assert!(om.ends_with("# EOF\n"));
}

fn exercised_registry_text_om() -> String {
    exercised_registry().render(Format::OpenMetrics)
}

#[test]
fn kernel_exposition_passes_promtool() {
    let text = exercised_registry().render(Format::Prometheus);
    match promtool_check(&text) {
        Checked::Ran(said) => assert_eq!(said, "", "promtool:\n{said}\n---\n{text}"),
        Checked::Missing => {}
    }
}

#[test]
fn kernel_openmetrics_exposition_parses() {
    let text = exercised_registry_text_om();
    match openmetrics_parse(&text) {
        Checked::Ran(said) => {
            assert!(
                said.contains("counter oxios_agents_forked_total{} 1\n"),
                "{said}\n---\n{text}"
            );
            assert!(
                said.contains("info oxios_build_info{commit='abc\"123',version='1.2.3'} 1\n"),
                "{said}\n---\n{text}"
            );
        }
        Checked::Missing => {}
    }
}
