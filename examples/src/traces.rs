//! The kernel's traced metrics: a native histogram of LLM call latency (classic buckets kept
//! alongside, so text scrapers still see a distribution), counters and a histogram whose
//! exemplars carry the trace ids of the simulated requests, and a summary of prompt sizes.
//!
//! `#[derive(Metrics)]` does not classify these field types yet, so the group is written by
//! hand: a [`MetricGroup`] showing each metric with its description. It is registered beside
//! [`KERNEL`](crate::KERNEL).
//!
//! ```
//! use oxios_metrics::{Format, Registry};
//! use oxios_metrics_examples::{Provider, TRACES};
//!
//! let registry = Registry::new();
//! registry.register(&TRACES).unwrap();
//! TRACES
//!     .llm_tokens
//!     .get(Provider::Local)
//!     .add_with_exemplar(120, &[("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")])
//!     .unwrap();
//! let text = registry.render(Format::OpenMetrics);
//! assert!(text.contains(
//!     "oxios_llm_tokens_total{provider=\"local\"} 120 # {trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\"} 120.0 "
//! ));
//! ```

use std::time::Duration;

use oxios_metrics::{
    Buckets, DefinitionSite, ExemplarCounter, ExemplarHistogram, ExemplarNativeHistogram, Family,
    MetricDesc, MetricGroup, MetricType, MetricVisitor, NativeConfig, Summary,
};

use crate::Provider;

/// The kernel's metrics that carry trace ids, a native histogram and a summary.
pub struct TraceMetrics {
    /// LLM call latency per provider: native buckets (schema 3, about 9% wide), classic
    /// buckets alongside, and the latest calls' trace and span ids as exemplars.
    pub llm_latency: Family<Provider, ExemplarNativeHistogram>,
    /// Tokens used per provider; the exemplar is the latest call's trace id.
    pub llm_tokens: Family<Provider, ExemplarCounter>,
    /// Prompt size in tokens: quantiles over the last minute.
    pub prompt_tokens: Summary,
    /// Whole agent runs; each bucket's exemplar is the trace id of its latest run.
    pub agent_duration: ExemplarHistogram,
}

/// The classic buckets kept beside the native ones: 50 ms to 6.4 s, doubling.
const LLM_CLASSIC_BUCKETS: Buckets = Buckets::checked(&[0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4]);

const fn desc(
    name: &'static str,
    help: &'static str,
    metric_type: MetricType,
    line: u32,
) -> MetricDesc {
    MetricDesc::new(
        name,
        help,
        metric_type,
        DefinitionSite::new(file!(), line, 5),
    )
}

static LLM_LATENCY: MetricDesc = desc(
    "oxios_llm_latency_seconds",
    "LLM call latency: native buckets, classic buckets alongside, trace ids as exemplars.",
    MetricType::Histogram,
    line!(),
)
.with_unit("seconds");
static LLM_TOKENS: MetricDesc = desc(
    "oxios_llm_tokens",
    "Tokens used by LLM calls; the exemplar is the latest call's trace id.",
    MetricType::Counter,
    line!(),
);
static PROMPT_TOKENS: MetricDesc = desc(
    "oxios_llm_prompt_tokens",
    "Prompt size of LLM calls in tokens, quantiles over the last minute.",
    MetricType::Summary,
    line!(),
);
static AGENT_DURATION: MetricDesc = desc(
    "oxios_agent_duration_seconds",
    "Agent run duration; each bucket's exemplar is the trace id of its latest run.",
    MetricType::Histogram,
    line!(),
)
.with_unit("seconds");

impl TraceMetrics {
    /// Every series at zero.
    pub const fn new() -> Self {
        TraceMetrics {
            llm_latency: Family::with_config(
                NativeConfig::new()
                    .with_schema(3)
                    .with_classic_buckets(LLM_CLASSIC_BUCKETS),
            ),
            llm_tokens: Family::new(),
            prompt_tokens: Summary::new()
                .with_quantiles(&[0.5, 0.9, 0.99])
                .with_max_age(Duration::from_secs(60))
                .with_age_buckets(3),
            agent_duration: ExemplarHistogram::with_buckets(Buckets::checked(&[
                0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ])),
        }
    }
}

impl Default for TraceMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl MetricGroup for TraceMetrics {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&LLM_LATENCY, &self.llm_latency);
        visitor.metric(&LLM_TOKENS, &self.llm_tokens);
        visitor.metric(&PROMPT_TOKENS, &self.prompt_tokens);
        visitor.metric(&AGENT_DURATION, &self.agent_duration);
    }
}

/// The traced metrics: a plain `static`, registered beside [`KERNEL`](crate::KERNEL).
pub static TRACES: TraceMetrics = TraceMetrics::new();
