//! A circuit breaker per LLM provider: after a run of failures it opens and refuses calls for
//! a cool-down, then lets one trial call through (half-open); the trial's outcome closes or
//! reopens it. Every change of state is published on the provider's gauge.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use oxios_metrics_examples::{CircuitState, Provider, KERNEL};

/// Consecutive failures that open the breaker.
const FAILURES_TO_OPEN: u32 = 3;
/// How long the breaker stays open before a trial call.
const COOL_DOWN: Duration = Duration::from_millis(1500);

/// The breaker of one provider.
pub struct Breaker {
    provider: Provider,
    cool_down: Duration,
    state: Mutex<State>,
}

struct State {
    circuit: CircuitState,
    consecutive_failures: u32,
    opened_at: Instant,
    trial_in_flight: bool,
}

impl Breaker {
    /// A closed breaker for `provider` (its gauge is set to closed).
    pub fn new(provider: Provider) -> Breaker {
        Breaker::with_cool_down(provider, COOL_DOWN)
    }

    /// A closed breaker that stays open for `cool_down` each time it opens.
    pub fn with_cool_down(provider: Provider, cool_down: Duration) -> Breaker {
        KERNEL.llm.set_circuit_state(provider, CircuitState::Closed);
        Breaker {
            provider,
            cool_down,
            state: Mutex::new(State {
                circuit: CircuitState::Closed,
                consecutive_failures: 0,
                opened_at: Instant::now(),
                trial_in_flight: false,
            }),
        }
    }

    /// The provider this breaker guards.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, state: &mut State, circuit: CircuitState) {
        state.circuit = circuit;
        KERNEL.llm.set_circuit_state(self.provider, circuit);
    }

    /// Whether a call may go now; after the cool-down the first caller becomes the trial.
    pub fn try_acquire(&self) -> bool {
        self.try_acquire_at(Instant::now())
    }

    /// [`try_acquire`](Self::try_acquire) as of `now`: the cool-down is measured against the
    /// caller's clock, so a test can step through it without sleeping.
    fn try_acquire_at(&self, now: Instant) -> bool {
        let mut state = self.state();
        match state.circuit {
            CircuitState::Closed => true,
            CircuitState::Open
                if now.saturating_duration_since(state.opened_at) >= self.cool_down =>
            {
                self.set(&mut state, CircuitState::HalfOpen);
                state.trial_in_flight = true;
                true
            }
            CircuitState::Open => false,
            CircuitState::HalfOpen if state.trial_in_flight => false,
            CircuitState::HalfOpen => {
                state.trial_in_flight = true;
                true
            }
        }
    }

    /// Records the outcome of a call that [`try_acquire`](Self::try_acquire) let through.
    pub fn record(&self, ok: bool) {
        self.record_at(ok, Instant::now());
    }

    /// [`record`](Self::record) as of `now`, which starts the cool-down if the breaker opens.
    fn record_at(&self, ok: bool, now: Instant) {
        let mut state = self.state();
        match (state.circuit, ok) {
            (CircuitState::HalfOpen, true) => {
                state.trial_in_flight = false;
                state.consecutive_failures = 0;
                self.set(&mut state, CircuitState::Closed);
            }
            (CircuitState::HalfOpen, false) => {
                state.trial_in_flight = false;
                state.opened_at = now;
                self.set(&mut state, CircuitState::Open);
            }
            (CircuitState::Closed, true) => state.consecutive_failures = 0,
            (CircuitState::Closed, false) => {
                state.consecutive_failures += 1;
                if state.consecutive_failures >= FAILURES_TO_OPEN {
                    state.opened_at = now;
                    self.set(&mut state, CircuitState::Open);
                }
            }
            // A call that started before the breaker opened changes nothing.
            (CircuitState::Open, _) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gauge(provider: Provider) -> i64 {
        KERNEL.llm.circuit_breaker_state.get(provider).get()
    }

    #[test]
    fn opens_after_failures_then_one_trial_closes_or_reopens_it() {
        let provider = Provider::Local;
        let cool_down = Duration::from_millis(50);
        let breaker = Breaker::with_cool_down(provider, cool_down);
        assert_eq!(gauge(provider), CircuitState::Closed as i64);
        // Failures that are not consecutive do not open it.
        for ok in [false, false, true, false, false] {
            assert!(breaker.try_acquire());
            breaker.record(ok);
        }
        assert_eq!(gauge(provider), CircuitState::Closed as i64);
        assert!(breaker.try_acquire());
        // From here the test passes the time itself: a thread descheduled for longer than the
        // cool-down (a busy machine) must not turn "still open" into "cooled down".
        let opened = Instant::now();
        breaker.record_at(false, opened);
        assert_eq!(gauge(provider), CircuitState::Open as i64);
        assert!(!breaker.try_acquire_at(opened), "open: calls are refused");
        assert!(
            !breaker.try_acquire_at(opened + cool_down - Duration::from_millis(1)),
            "open until the cool-down has passed"
        );

        let trial = opened + cool_down;
        assert!(
            breaker.try_acquire_at(trial),
            "after the cool-down one trial goes"
        );
        assert_eq!(gauge(provider), CircuitState::HalfOpen as i64);
        assert!(!breaker.try_acquire_at(trial), "only one trial at a time");
        breaker.record_at(false, trial);
        assert_eq!(
            gauge(provider),
            CircuitState::Open as i64,
            "a failed trial reopens"
        );
        assert!(
            !breaker.try_acquire_at(trial),
            "a reopened breaker cools down again"
        );

        let second_trial = trial + cool_down;
        assert!(breaker.try_acquire_at(second_trial));
        breaker.record_at(true, second_trial);
        assert_eq!(
            gauge(provider),
            CircuitState::Closed as i64,
            "a good trial closes"
        );
        assert!(breaker.try_acquire());
    }
}
