//! The kernel's traced metrics: a native histogram of LLM call latency (classic buckets kept
//! alongside, so text scrapers still see a distribution), counters and a histogram whose
//! exemplars carry the trace ids of the simulated requests, and a summary of prompt sizes.
//!
//! Declared with `#[derive(Metrics)]` like [`KERNEL`](crate::KERNEL), whose options it shows
//! for these types (`native(..)`, classic `buckets` alongside, `quantiles`, `max_age`), and
//! registered beside it.
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

use oxios_metrics::{
    ExemplarCounter, ExemplarHistogram, ExemplarNativeHistogram, Family, Metrics, Summary,
};

use crate::Provider;

/// The kernel's metrics that carry trace ids, a native histogram and a summary.
#[derive(Metrics)]
#[metrics(prefix = "oxios")]
pub struct TraceMetrics {
    /// LLM call latency: native buckets, classic buckets alongside, trace ids as exemplars.
    // Schema 3 makes each native bucket about 9% wide; the classic buckets run from 50 ms to
    // 6.4 s, doubling; the exemplars are the latest calls' trace and span ids.
    #[metric(
        unit = "seconds",
        native(schema = 3),
        buckets = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4]
    )]
    pub llm_latency: Family<Provider, ExemplarNativeHistogram>,
    /// Tokens used by LLM calls; the exemplar is the latest call's trace id.
    pub llm_tokens: Family<Provider, ExemplarCounter>,
    /// Prompt size of LLM calls in tokens, quantiles over the last minute.
    #[metric(
        rename = "llm_prompt_tokens",
        quantiles = [0.5, 0.9, 0.99],
        max_age = "1m",
        age_buckets = 3
    )]
    pub prompt_tokens: Summary,
    /// Agent run duration; each bucket's exemplar is the trace id of its latest run.
    #[metric(unit = "seconds", buckets = [0.5, 1.0, 2.5, 5.0, 10.0, 30.0])]
    pub agent_duration: ExemplarHistogram,
}

/// The traced metrics: a plain `static`, registered beside [`KERNEL`](crate::KERNEL).
pub static TRACES: TraceMetrics = TraceMetrics::new();
