//! Timing functions and blocks: the runtime side of `#[timed]`.
//!
//! `#[timed(TARGET)]` puts a guard at the top of the function's body (for an `async fn`, at the
//! top of the future's body). The guard reads the clock when it is created and, when it is
//! dropped, reads it again and observes the elapsed seconds into `TARGET`. Every way out of the
//! function drops it: the tail value, `return`, `?`, a panic (the guard is dropped while
//! unwinding), and for an `async fn` the future being dropped before it completes. The body
//! itself is left where it is, so `return` and `?` keep their meaning.
//!
//! The target expression is evaluated when the function exits. It names a metric that takes
//! observations (any [`ObserveSeconds`] metric: a [`Histogram`](crate::Histogram),
//! [`NativeHistogram`](crate::NativeHistogram), [`Summary`](crate::Summary),
//! [`ExemplarHistogram`](crate::ExemplarHistogram) or
//! [`ExemplarNativeHistogram`](crate::ExemplarNativeHistogram), or a member of a family of
//! any of them) in one of two ways:
//!
//! * from a `static`: a [`Histogram`](crate::Histogram) field of a `static` group, or a member
//!   of a histogram [`Family`](crate::Family) (`METRICS.latency.get(Route::Home)`). It must be
//!   borrowed for `'static`, so a `const` (a fresh copy at each use, whose observations would
//!   be lost) or a temporary is refused at compile time;
//! * through `self`, in a `&self` method: `self.metrics.dial_duration` where
//!   `metrics: Arc<SwarmMetrics>`, or `self.metrics.latency.get(self.route)`. This is how a
//!   library times the per-instance groups it hands to the application's registry. The guard
//!   holds a shared borrow of `self` for the call, so `&mut self` and `self` by value are
//!   refused on the `self` token, as are functions without `self`.
//!
//! `in_flight` and the `outcome` family are reached the same two ways.
//!
//! ```
//! use std::sync::Arc;
//! use oxios_metrics::{timed, Histogram, Metrics};
//!
//! #[derive(Metrics)]
//! pub struct PoolMetrics {
//!     /// Checkout duration.
//!     #[metric(unit = "seconds")]
//!     pub checkout: Histogram,
//! }
//!
//! pub struct Pool {
//!     metrics: Arc<PoolMetrics>,
//! }
//!
//! impl Pool {
//!     #[timed(self.metrics.checkout)]
//!     pub fn checkout(&self) -> usize {
//!         4
//!     }
//! }
//!
//! let pool = Pool { metrics: Arc::new(PoolMetrics::new()) };
//! pool.checkout();
//! assert_eq!(pool.metrics.checkout.count(), 1);
//! ```
//!
//! # Options
//!
//! | option | what |
//! |---|---|
//! | `#[timed(TARGET)]` | observe into `TARGET` |
//! | `#[timed]` | observe into the built-in family [`FUNCTION_DURATION_NAME`], labelled with the function and module (see [`FUNCTION_DURATIONS`]) |
//! | `#[timed(buckets = [0.001, 0.01, 0.1])]` | the built-in family, with these buckets for this function |
//! | `#[timed(name = "checkout")]` | the built-in family, with this `function` label instead of the function's name |
//! | `#[timed(TARGET, outcome)]` | for a function returning `Result`: label the observation with a [`TimedOutcome`] |
//! | `#[timed(..., in_flight = METRICS.running)]` | add one to a [`Gauge`](crate::Gauge) on entry and subtract it on every exit |
//!
//! # Outcomes
//!
//! With `outcome`, the target is either a family of one of those metrics keyed by a label set
//! that converts from [`TimedOutcome`] (`Family<TimedOutcome, Histogram>` or
//! `Family<TimedOutcome, Summary>` works as is), or an expression that
//! mentions `outcome`, which is bound to the outcome:
//! `#[timed(METRICS.calls.get(Call { tool: Tool::Shell, outcome }), outcome)]`.
//!
//! The outcome is `ok` or `error` from the `Result` the function returns (its tail value, each
//! `return` and each `?` are inspected by reference), `panic` when the call itself panics
//! (the guard is dropped while the thread unwinds from a panic that started during the call),
//! and `cancelled` when the future of an `async fn` is dropped before it completes. A
//! `return` or `?` written inside a macro invocation (such as `bail!`) cannot be seen by
//! `#[timed]`: such an exit is recorded as `error` in a plain function and as `cancelled` in
//! an `async fn`.
//!
//! A call made while another panic unwinds (from a `Drop`, say) is judged by its own exits:
//! its `Ok` is `ok` and its `Err` is `error`, whether seen or returned from a macro. Only one
//! case cannot be told apart there: such a call that panics itself, with the panic caught
//! inside the `Drop`, is recorded as its unseen-exit outcome rather than `panic`, since the
//! thread was unwinding already when it began.
//!
//! # Timing blocks
//!
//! Without the attribute, [`Histogram::start_timer`](crate::Histogram::start_timer) (and the
//! same on a family member) returns a guard that observes when dropped:
//!
//! ```
//! use oxios_metrics::Histogram;
//! static STEP: Histogram = Histogram::new();
//! {
//!     let _timer = STEP.start_timer();
//!     // the timed block
//! }
//! assert_eq!(STEP.count(), 1);
//! ```
//!
//! # Cost
//!
//! Per call: two clock reads and one observation, plus for the bare form one atomic load of
//! the call site's link. No allocation, no lock, no hashing (a fixed-label family member is an
//! array index). The built-in family takes a lock once per annotated function, on its first
//! call, to link the call site into the family and register the family on
//! [`global()`](crate::global).

mod functions;
mod guards;
mod outcome;
mod targets;

pub use functions::{
    registration_error, FunctionDurations, FUNCTION_DURATIONS, FUNCTION_DURATION_NAME,
    FUNCTION_LABEL, MODULE_LABEL,
};
pub use guards::{GaugeTarget, ObserveSeconds, OutcomeTarget, TimedTarget};
pub use outcome::{ResultOutcome, TimedOutcome, TryOutcome};

/// What the expansion of `#[timed]` calls. Not part of the public API.
#[doc(hidden)]
pub mod expansion {
    pub use super::functions::TimedSite;
    pub use super::guards::{
        gauge_borrowed, gauge_static, observe_borrowed, observe_outcome_borrowed,
        observe_outcome_static, observe_static, ExitTimer, InFlight, OutcomeTimer,
    };
    pub use super::outcome::TimedOutcome;
    pub use crate::histogram::Buckets;
}
