//! The guards `#[timed]` puts at the top of a function body, and the traits that decide which
//! expressions may be a target.
//!
//! A target reached from a `static` (`METRICS.latency`) must be borrowed for `'static`, so a
//! `const` or a temporary, whose observations would be lost, is refused at compile time. A
//! target reached through `self` (`self.metrics.latency` in a `&self` method) is borrowed
//! for as long as the call runs, which the guard never outlives.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

use super::outcome::{ResultOutcome, TimedOutcome, TryOutcome};
use crate::gauge::Gauge;

/// A metric that takes a duration in seconds as one observation: what `#[timed]` records
/// into. Implemented by [`Histogram`](crate::Histogram),
/// [`NativeHistogram`](crate::NativeHistogram), [`Summary`](crate::Summary),
/// [`ExemplarHistogram`](crate::ExemplarHistogram) and
/// [`ExemplarNativeHistogram`](crate::ExemplarNativeHistogram) (an exemplar type records the
/// duration without an exemplar); other metrics that summarise observations implement it to
/// become `#[timed]` targets (a metric in a `static` or in a group reached through `self`).
///
/// A family member handle that carries its family's lifetime (as
/// [`HistogramRef`](crate::HistogramRef) does) implements [`TimedTarget`] for a reference to
/// it instead, so that a member of a `static` family counts as `'static`:
/// `impl<'a, 'b> TimedTarget<'a> for &'b MyRef<'a>`.
#[diagnostic::on_unimplemented(
    message = "`#[timed]` records into a histogram or a summary, and `{Self}` does not take durations",
    label = "not a histogram or summary",
    note = "the target must be a `Histogram`, `NativeHistogram`, `Summary`, `ExemplarHistogram` or `ExemplarNativeHistogram` (`METRICS.latency`, or `self.metrics.latency` in a `&self` method), or a member of a family of them (`METRICS.latency.get(labels)`)"
)]
pub trait ObserveSeconds {
    /// Records one observation of `seconds`.
    fn observe_seconds(&self, seconds: f64);
}

/// A target of `#[timed(TARGET)]`, borrowed for `'a`: what the expansion's `&TARGET` is.
///
/// Implemented for a borrowed [`ObserveSeconds`] metric (`&'a Histogram`), a borrowed
/// reference to one (`&&'a Histogram`, for a target that is itself a reference), and a
/// borrowed family member handle (`&HistogramRef<'a>`, `&SummaryRef<'a>`, ...). A target
/// reached from a `static` must be `TimedTarget<'static>`.
#[diagnostic::on_unimplemented(
    message = "`#[timed]` records into a histogram or a summary, and `{Self}` is not a borrowed one or a member of a family of them",
    label = "not a histogram or summary",
    note = "the target must be a `Histogram`, `NativeHistogram`, `Summary`, `ExemplarHistogram` or `ExemplarNativeHistogram` (`METRICS.latency`, or `self.metrics.latency` in a `&self` method), or a member of a family of them (`METRICS.latency.get(labels)`)"
)]
pub trait TimedTarget<'a> {
    /// Records one observation of `seconds`.
    fn observe_seconds(self, seconds: f64);
}

/// Records into the target of `#[timed(TARGET)]` reached from a `static`.
#[inline]
pub fn observe_static<T: TimedTarget<'static>>(target: T, seconds: f64) {
    target.observe_seconds(seconds);
}

/// Records into the target of `#[timed(self.…)]`, borrowed for the call.
#[inline]
pub fn observe_borrowed<'a, T: TimedTarget<'a>>(target: T, seconds: f64) {
    target.observe_seconds(seconds);
}

/// A family `#[timed(FAMILY, outcome)]` can record into, borrowed for `'a`: of any
/// [`ObserveSeconds`] member of this crate, keyed by a label set that converts from
/// [`TimedOutcome`].
#[diagnostic::on_unimplemented(
    message = "`#[timed(FAMILY, outcome)]` needs a histogram or summary `Family` keyed by the outcome, and `{Self}` is not one",
    label = "not a histogram or summary family keyed by the outcome",
    note = "use a `Family<TimedOutcome, Histogram>` (or of `NativeHistogram`, `Summary`, `ExemplarHistogram`, `ExemplarNativeHistogram`), a family whose label set implements `From<TimedOutcome>`, or an expression that mentions `outcome` (`METRICS.calls.get(Call {{ tool, outcome }})`)"
)]
pub trait OutcomeTarget<'a> {
    /// Records `seconds` into the series for `outcome`.
    fn observe_outcome(self, outcome: TimedOutcome, seconds: f64);
}

/// Records into the family of `#[timed(FAMILY, outcome)]` reached from a `static`.
#[inline]
pub fn observe_outcome_static<T: OutcomeTarget<'static>>(
    family: T,
    outcome: TimedOutcome,
    seconds: f64,
) {
    family.observe_outcome(outcome, seconds);
}

/// Records into the family of `#[timed(self.…, outcome)]`, borrowed for the call.
#[inline]
pub fn observe_outcome_borrowed<'a, T: OutcomeTarget<'a>>(
    family: T,
    outcome: TimedOutcome,
    seconds: f64,
) {
    family.observe_outcome(outcome, seconds);
}

/// A gauge `#[timed(.., in_flight = GAUGE)]` counts running calls in, borrowed for `'a`: a
/// [`Gauge`], or a gauge family member.
#[diagnostic::on_unimplemented(
    message = "`in_flight` needs a `Gauge`, and `{Self}` is not a borrowed `Gauge` or gauge family member",
    label = "not a gauge",
    note = "the in-flight gauge must be a `Gauge` (`METRICS.running`, or `self.metrics.running` in a `&self` method) or a member of a gauge family"
)]
pub trait GaugeTarget<'a> {
    /// The gauge.
    fn gauge(self) -> &'a Gauge;
}

impl<'a> GaugeTarget<'a> for &'a Gauge {
    #[inline]
    fn gauge(self) -> &'a Gauge {
        self
    }
}

impl<'a> GaugeTarget<'a> for &&'a Gauge {
    #[inline]
    fn gauge(self) -> &'a Gauge {
        self
    }
}

/// Resolves the gauge of `in_flight = GAUGE` reached from a `static`.
#[inline]
pub fn gauge_static<T: GaugeTarget<'static>>(target: T) -> &'static Gauge {
    target.gauge()
}

/// Resolves the gauge of `in_flight = self.…`, borrowed for the call.
#[inline]
pub fn gauge_borrowed<'a, T: GaugeTarget<'a>>(target: T) -> &'a Gauge {
    target.gauge()
}

/// Hands the seconds since [`start`](Self::start) to its closure when dropped.
#[must_use = "the timer observes when dropped; bind it with `let`"]
pub struct ExitTimer<F: FnMut(f64)> {
    start: Instant,
    observe: F,
}

impl<F: FnMut(f64)> ExitTimer<F> {
    /// Reads the clock; `observe` is called once, at the drop.
    #[inline]
    pub fn start(observe: F) -> Self {
        ExitTimer {
            start: Instant::now(),
            observe,
        }
    }
}

impl<F: FnMut(f64)> Drop for ExitTimer<F> {
    #[inline]
    fn drop(&mut self) {
        let seconds = self.start.elapsed().as_secs_f64();
        (self.observe)(seconds);
    }
}

const RUNNING: u8 = 0;
const RETURNED_OK: u8 = 1;
const RETURNED_ERROR: u8 = 2;

/// Like [`ExitTimer`], with the outcome of the call passed to the closure.
///
/// The expansion hands each returned value to [`finish`](Self::finish) and each operand of
/// `?` to [`watch`](Self::watch). A drop before either saw a return is a panic when the
/// thread started unwinding during the call, and otherwise the `unseen_exit` outcome given at
/// the start (an exit `#[timed]` cannot see, such as a `return` inside a macro). A call made
/// while another panic unwinds (from a `Drop`) is judged by its own exits, not by that panic.
#[must_use = "the timer observes when dropped; bind it with `let`"]
pub struct OutcomeTimer<F: FnMut(TimedOutcome, f64)> {
    start: Instant,
    state: AtomicU8,
    /// Whether the thread was already unwinding when the call began: then unwinding at the
    /// drop says nothing about this call.
    unwinding_at_start: bool,
    unseen_exit: TimedOutcome,
    observe: F,
}

impl<F: FnMut(TimedOutcome, f64)> OutcomeTimer<F> {
    /// Reads the clock. `unseen_exit` is recorded when the guard is dropped without a seen
    /// return and without a panic of this call: `Cancelled` for an `async fn`, `Error` for a
    /// plain one.
    #[inline]
    pub fn start(observe: F, unseen_exit: TimedOutcome) -> Self {
        OutcomeTimer {
            start: Instant::now(),
            state: AtomicU8::new(RUNNING),
            unwinding_at_start: std::thread::panicking(),
            unseen_exit,
            observe,
        }
    }

    /// Notes the outcome of a value being returned, and passes it through.
    #[inline]
    pub fn finish<R: ResultOutcome>(&self, value: R) -> R {
        let state = match value.outcome() {
            TimedOutcome::Ok => RETURNED_OK,
            _ => RETURNED_ERROR,
        };
        self.state.store(state, Ordering::Relaxed);
        value
    }

    /// Notes an error when `?` on `value` is about to return it, and passes it through.
    #[inline]
    pub fn watch<R: TryOutcome>(&self, value: R) -> R {
        if value.returns_error() {
            self.state.store(RETURNED_ERROR, Ordering::Relaxed);
        }
        value
    }
}

impl<F: FnMut(TimedOutcome, f64)> Drop for OutcomeTimer<F> {
    #[inline]
    fn drop(&mut self) {
        let seconds = self.start.elapsed().as_secs_f64();
        let outcome = match self.state.load(Ordering::Relaxed) {
            RETURNED_OK => TimedOutcome::Ok,
            RETURNED_ERROR => TimedOutcome::Error,
            _ if std::thread::panicking() && !self.unwinding_at_start => TimedOutcome::Panic,
            _ => self.unseen_exit,
        };
        (self.observe)(outcome, seconds);
    }
}

/// Adds one to a gauge now and subtracts it when dropped.
#[must_use = "the gauge is decremented when this is dropped; bind it with `let`"]
#[derive(Debug)]
pub struct InFlight<'a> {
    gauge: &'a Gauge,
}

impl<'a> InFlight<'a> {
    /// Increments `gauge`.
    #[inline]
    pub fn enter(gauge: &'a Gauge) -> Self {
        gauge.inc();
        InFlight { gauge }
    }
}

impl Drop for InFlight<'_> {
    #[inline]
    fn drop(&mut self) {
        self.gauge.dec();
    }
}
