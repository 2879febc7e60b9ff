//! Simulated LLM calls behind per-provider circuit breakers, with failover: when the preferred
//! provider's breaker is open the agent tries the next one. One provider has a recurring
//! incident (a burst of rate limiting and server errors) that trips its breaker.

use std::time::{Duration, Instant};

use oxios_metrics::timed;
use oxios_metrics_examples::{LlmCall, LlmError, LlmErrorKind, Outcome, Provider, KERNEL, TRACES};

use crate::breaker::Breaker;
use crate::rng::Rng;
use crate::trace::{SpanId, TraceId};

/// The models the kernel uses: provider, model name, latency range in ms.
pub const MODELS: [(Provider, &str, (f64, f64)); 5] = [
    (Provider::Anthropic, "claude-sonnet", (300.0, 2_500.0)),
    (Provider::Anthropic, "claude-haiku", (80.0, 700.0)),
    (Provider::OpenAi, "gpt-4o", (300.0, 2_000.0)),
    (Provider::OpenAi, "gpt-4o-mini", (80.0, 600.0)),
    (Provider::Local, "llama-3-8b", (150.0, 1_200.0)),
];

/// The provider with incidents, how long each lasts, and how often one starts.
const INCIDENT: (Provider, Duration, Duration) = (
    Provider::Anthropic,
    Duration::from_secs(3),
    Duration::from_secs(20),
);

/// The breakers, one per provider, in order of preference.
pub struct Providers {
    breakers: [Breaker; 3],
    started: Instant,
}

impl Providers {
    /// Every provider with a closed breaker.
    pub fn new() -> Providers {
        Providers {
            breakers: [
                Breaker::new(Provider::Anthropic),
                Breaker::new(Provider::OpenAi),
                Breaker::new(Provider::Local),
            ],
            started: Instant::now(),
        }
    }

    fn in_incident(&self, provider: Provider) -> bool {
        let (troubled, length, every) = INCIDENT;
        // The first incident starts a few seconds in, so a short run shows the calm first.
        let phase = (self.started.elapsed() + every - Duration::from_secs(8)).as_millis()
            % every.as_millis();
        provider == troubled && phase < length.as_millis()
    }
}

/// One LLM call for an agent step: picks a model, fails over past open breakers, and counts
/// the call, its outcome and any error, its latency and tokens (with the agent's trace id
/// and the call's span id as exemplars). `Err` when no provider would take the call.
pub async fn call(
    rng: &mut Rng,
    providers: &Providers,
    trace: &TraceId,
) -> Result<Outcome, NoProvider> {
    let preferred = match rng.below(100) {
        0..=49 => 0,
        50..=84 => 1,
        _ => 2,
    };
    for offset in 0..providers.breakers.len() {
        let breaker = &providers.breakers[(preferred + offset) % providers.breakers.len()];
        if !breaker.try_acquire() {
            continue;
        }
        let provider = breaker.provider();
        let choices: Vec<_> = MODELS.iter().filter(|(p, ..)| *p == provider).collect();
        let &(_, model, latency) = choices[rng.below(choices.len() as u64) as usize];
        let started = Instant::now();
        let result = request(provider, latency, providers.in_incident(provider), rng).await;
        breaker.record(result.is_ok());
        record_traced(rng, provider, started.elapsed(), result.is_ok(), trace);
        let outcome = match result {
            Ok(()) => Outcome::Ok,
            Err(LlmErrorKind::Timeout) => Outcome::Timeout,
            Err(_) => Outcome::Error,
        };
        KERNEL
            .llm
            .calls
            .get(LlmCall {
                provider,
                model,
                outcome,
            })
            .inc();
        if let Err(kind) = result {
            KERNEL
                .llm
                .errors
                .get(LlmError {
                    provider,
                    model,
                    kind,
                })
                .inc();
        }
        return Ok(outcome);
    }
    Err(NoProvider)
}

/// The call's latency in the native histogram (its span within the agent's trace as the
/// exemplar), its prompt size in the summary, and the tokens it used (prompt, and the
/// completion if it answered) on the provider's counter, the trace id as the exemplar.
fn record_traced(
    rng: &mut Rng,
    provider: Provider,
    latency: Duration,
    answered: bool,
    trace: &TraceId,
) {
    let span = SpanId::new(rng);
    let prompt = 200 + rng.latency_ms(0.0, 3_800.0);
    let completion = if answered {
        50 + rng.latency_ms(0.0, 1_450.0)
    } else {
        0
    };
    TRACES.prompt_tokens.observe(prompt as f64);
    let recorded = TRACES
        .llm_latency
        .get(provider)
        .observe_with_exemplar(
            latency.as_secs_f64(),
            &[("trace_id", trace.as_str()), ("span_id", span.as_str())],
        )
        .and_then(|()| {
            TRACES
                .llm_tokens
                .get(provider)
                .add_with_exemplar(prompt + completion, &[("trace_id", trace.as_str())])
        });
    if let Err(error) = recorded {
        eprintln!("kernel: exemplar refused: {error}");
    }
}

/// Every provider's breaker was open.
#[derive(Debug)]
pub struct NoProvider;

#[timed(KERNEL.llm.call_duration.get(provider))]
async fn request(
    provider: Provider,
    (low, high): (f64, f64),
    incident: bool,
    rng: &mut Rng,
) -> Result<(), LlmErrorKind> {
    tokio::time::sleep(Duration::from_millis(rng.latency_ms(low, high))).await;
    let roll = rng.unit();
    let error_rate = if incident { 0.7 } else { 0.04 };
    if roll >= error_rate {
        return Ok(());
    }
    let kinds = if incident {
        &[LlmErrorKind::RateLimited, LlmErrorKind::ServerError][..]
    } else {
        &[
            LlmErrorKind::RateLimited,
            LlmErrorKind::Timeout,
            LlmErrorKind::ServerError,
            LlmErrorKind::InvalidResponse,
        ][..]
    };
    Err(kinds[rng.below(kinds.len() as u64) as usize])
}
