//! Metric declarations shared by the example programs: the metric set of an agent kernel
//! (agents, orchestration, LLM calls and their circuit breakers, tools, memory, command
//! execution, sessions), declared with `#[derive(Metrics)]` and living in one `static`; and
//! beside it [`TRACES`], its metrics with trace-id exemplars, a native histogram and a
//! summary (derived too: see [`traces`]).
//!
//! ```
//! use oxios_metrics::{Format, Registry};
//! use oxios_metrics_examples::{Outcome, Tool, ToolCall, KERNEL};
//!
//! let registry = Registry::new();
//! registry.register(&KERNEL).unwrap();
//! KERNEL.tool_calls.get(ToolCall { tool: Tool::Shell, outcome: Outcome::Ok }).inc();
//! let text = registry.render(Format::Prometheus);
//! assert!(text.contains("oxios_tool_calls_total{tool=\"shell\",outcome=\"ok\"} 1\n"));
//! ```

use oxios_metrics::{Counter, Family, Gauge, Histogram, Info, LabelSet, LabelValue, Metrics};

pub mod swarm;
pub mod traces;

pub use traces::{TraceMetrics, TRACES};

/// A tool an agent can call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    /// Runs a shell command.
    Shell,
    /// Fetches a web page.
    WebFetch,
    /// Reads a file.
    FileRead,
    /// Writes a file.
    FileWrite,
    /// Searches source code.
    CodeSearch,
}

/// How a call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Outcome {
    /// It succeeded.
    Ok,
    /// It failed.
    Error,
    /// It ran out of time.
    Timeout,
}

/// A tool call: which tool, and how it ended (5 × 3 series, all present from the start).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct ToolCall {
    /// The tool.
    pub tool: Tool,
    /// How the call ended.
    pub outcome: Outcome,
}

/// A language-model provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Provider {
    /// Anthropic's API.
    Anthropic,
    /// The API of `OpenAI`.
    #[label(rename = "openai")]
    OpenAi,
    /// A model served on this machine.
    Local,
}

/// An LLM call: the provider, the model (open: model names change without a release) and
/// the outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct LlmCall {
    /// The provider.
    pub provider: Provider,
    /// The model name as the provider spells it.
    pub model: &'static str,
    /// How the call ended.
    pub outcome: Outcome,
}

/// Why an LLM call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "kind")]
pub enum LlmErrorKind {
    /// The provider refused the request for its rate.
    RateLimited,
    /// No answer in time.
    Timeout,
    /// The provider answered with a server error.
    ServerError,
    /// The answer could not be parsed.
    InvalidResponse,
}

/// An LLM error: the provider, the model and the kind of failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct LlmError {
    /// The provider.
    pub provider: Provider,
    /// The model name.
    pub model: &'static str,
    /// What went wrong.
    pub kind: LlmErrorKind,
}

/// The state of a provider's circuit breaker, as the gauge value shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CircuitState {
    /// Calls go through (gauge value 0).
    Closed = 0,
    /// One trial call is allowed (gauge value 1).
    HalfOpen = 1,
    /// Calls are refused (gauge value 2).
    Open = 2,
}

/// The LLM part of the kernel, a nested group: its names are `oxios_llm_*`.
#[derive(Metrics)]
#[metrics(prefix = "llm")]
pub struct LlmMetrics {
    /// LLM calls by provider, model and outcome.
    #[metric(max_series = 200)]
    pub calls: Family<LlmCall, Counter>,
    /// LLM call errors by provider, model and kind.
    #[metric(max_series = 200)]
    pub errors: Family<LlmError, Counter>,
    /// LLM call duration.
    #[metric(unit = "seconds", buckets = exponential(0.05, 2.0, 12))]
    pub call_duration: Family<Provider, Histogram>,
    /// Circuit-breaker state per provider: 0 closed, 1 half-open, 2 open.
    pub circuit_breaker_state: Family<Provider, Gauge>,
}

impl LlmMetrics {
    /// Sets the circuit-breaker gauge of `provider`.
    pub fn set_circuit_state(&self, provider: Provider, state: CircuitState) {
        self.circuit_breaker_state.get(provider).set(state as i64);
    }
}

/// Where a memory entry lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "tier")]
pub enum MemoryTier {
    /// The working context of a running agent.
    Working,
    /// Facts kept across sessions.
    LongTerm,
    /// The embedding index.
    Vector,
}

/// How a command run by the kernel ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "result")]
pub enum ExecResult {
    /// Exit status 0.
    Success,
    /// A non-zero exit status.
    Failure,
    /// Killed by the kernel (time or memory limit).
    Killed,
}

/// A chat session, keyed by user: an open label, so its family is bounded.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Session {
    /// The user's name.
    pub user: String,
}

/// The metrics of the agent kernel.
#[derive(Metrics)]
#[metrics(prefix = "oxios")]
pub struct KernelMetrics {
    /// Build information of the kernel.
    #[metric(labels(version = env!("CARGO_PKG_VERSION")))]
    pub build: Info,
    /// Total agents forked.
    pub agents_forked: Counter,
    /// Agents currently running.
    pub agents_running: Gauge,
    /// Full orchestration duration.
    #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0])]
    pub orchestration_duration: Histogram,
    /// LLM calls, errors, durations and circuit breakers.
    #[metric(nested)]
    pub llm: LlmMetrics,
    /// Tool calls by tool and outcome.
    pub tool_calls: Family<ToolCall, Counter>,
    /// Tool call duration.
    #[metric(unit = "seconds", buckets = exponential(0.01, 2.0, 10))]
    pub tool_duration: Family<Tool, Histogram>,
    /// Memory in use per tier.
    #[metric(rename = "memory_used", unit = "bytes")]
    pub memory: Family<MemoryTier, Gauge>,
    /// Entries stored per memory tier.
    pub memory_entries: Family<MemoryTier, Gauge>,
    /// Commands executed by result.
    pub exec_runs: Family<ExecResult, Counter>,
    /// Command execution duration.
    #[metric(unit = "seconds", buckets = linear(0.5, 0.5, 10))]
    pub exec_duration: Histogram,
    /// Sessions currently open.
    pub sessions_active: Gauge,
    /// Messages handled per session.
    #[metric(max_series = 1000)]
    pub session_messages: Family<Session, Counter>,
}

/// The kernel's metrics: a plain `static`, built at compile time.
pub static KERNEL: KernelMetrics = KernelMetrics::new();
