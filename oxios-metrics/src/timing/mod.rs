//! Timing functions and blocks: the runtime side of `#[timed]`.
//!
//! `#[timed(TARGET)]` puts a guard at the top of the function's body (for an `async fn`, at the
//! top of the future's body). The guard reads the clock when it is created and, when it is
//! dropped, reads it again and observes the elapsed seconds into `TARGET`. Every way out of the
//! function drops it: the tail value, `return`, `?`, a panic (the guard is dropped while
//! unwinding), and for an `async fn` the future being dropped before it completes. The body
//! itself is left where it is, so `return` and `?` keep their meaning.
//!
//! The target expression is evaluated when the function exits; it must name a histogram that
//! lives for `'static`: a [`Histogram`](crate::Histogram) field of a `static` group, or a
//! member of a histogram [`Family`](crate::Family) (`METRICS.latency.get(Route::Home)`).
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
//! With `outcome`, the target is either a histogram family keyed by a label set that converts
//! from [`TimedOutcome`] (`Family<TimedOutcome, Histogram>` works as is), or an expression that
//! mentions `outcome`, which is bound to the outcome:
//! `#[timed(METRICS.calls.get(Call { tool: Tool::Shell, outcome }), outcome)]`.
//!
//! The outcome is `ok` or `error` from the `Result` the function returns (its tail value, each
//! `return` and each `?` are inspected by reference), `panic` when the guard is dropped while
//! the thread unwinds, and `cancelled` when the future of an `async fn` is dropped before it
//! completes. A `return` or `?` written inside a macro invocation (such as `bail!`) cannot be
//! seen by `#[timed]`: such an exit is recorded as `error` in a plain function and as
//! `cancelled` in an `async fn`.
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

pub use functions::{
    registration_error, FunctionDurations, FUNCTION_DURATIONS, FUNCTION_DURATION_NAME,
    FUNCTION_LABEL, MODULE_LABEL,
};
pub use guards::{GaugeTarget, HistogramTarget, OutcomeTarget};
pub use outcome::{ResultOutcome, TimedOutcome, TryOutcome};

/// What the expansion of `#[timed]` calls. Not part of the public API.
#[doc(hidden)]
pub mod expansion {
    pub use super::functions::TimedSite;
    pub use super::guards::{
        gauge_target, histogram_target, outcome_histogram, ExitTimer, InFlight, OutcomeTimer,
    };
    pub use super::outcome::TimedOutcome;
    pub use crate::histogram::Buckets;
}
