//! The guards `#[timed]` puts at the top of a function body, and the traits that decide which
//! expressions may be a target.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

use super::outcome::{ResultOutcome, TimedOutcome, TryOutcome};
use crate::family::Family;
use crate::gauge::Gauge;
use crate::histogram::{Histogram, HistogramRef};
use crate::labels::LabelSet;

/// A histogram `#[timed]` can record into, borrowed for `'static`: `&Histogram` of a
/// `static`, or a histogram family member.
///
/// The expansion borrows the target expression (`&TARGET`), so a histogram in a `static` is
/// `&'static Histogram`, and a family member (a [`HistogramRef`]) is borrowed as a temporary.
/// A histogram in a `const`, a local or `self` is not `'static` and is refused at compile time
/// (observations into a `const` would go to a fresh copy each time and be lost).
#[diagnostic::on_unimplemented(
    message = "`#[timed]` records into a histogram, and `{Self}` is not a borrowed `Histogram` or histogram family member",
    label = "not a histogram",
    note = "the target must be a `Histogram` in a `static` (`METRICS.latency`) or a member of a histogram family (`METRICS.latency.get(labels)`)"
)]
pub trait HistogramTarget {
    /// The series to observe into.
    fn histogram(self) -> HistogramRef<'static>;
}

impl HistogramTarget for &'static Histogram {
    #[inline]
    fn histogram(self) -> HistogramRef<'static> {
        self.as_ref()
    }
}

impl HistogramTarget for &&'static Histogram {
    #[inline]
    fn histogram(self) -> HistogramRef<'static> {
        Histogram::as_ref(self)
    }
}

impl HistogramTarget for &HistogramRef<'static> {
    #[inline]
    fn histogram(self) -> HistogramRef<'static> {
        *self
    }
}

/// Resolves the target of `#[timed(TARGET)]`.
#[inline]
pub fn histogram_target<T: HistogramTarget>(target: T) -> HistogramRef<'static> {
    target.histogram()
}

/// A histogram family `#[timed(FAMILY, outcome)]` can record into: keyed by a label set that
/// converts from [`TimedOutcome`], in a `static`.
#[diagnostic::on_unimplemented(
    message = "`#[timed(FAMILY, outcome)]` needs a histogram `Family` keyed by the outcome, and `{Self}` is not one",
    label = "not a histogram family keyed by the outcome",
    note = "use a `static` `Family<TimedOutcome, Histogram>`, a family whose label set implements `From<TimedOutcome>`, or an expression that mentions `outcome` (`METRICS.calls.get(Call {{ tool, outcome }})`)"
)]
pub trait OutcomeTarget {
    /// The series for `outcome`.
    fn series(self, outcome: TimedOutcome) -> HistogramRef<'static>;
}

impl<L: LabelSet + From<TimedOutcome>> OutcomeTarget for &'static Family<L, Histogram> {
    #[inline]
    fn series(self, outcome: TimedOutcome) -> HistogramRef<'static> {
        self.get(L::from(outcome))
    }
}

/// Resolves the target of `#[timed(FAMILY, outcome)]` for one outcome.
#[inline]
pub fn outcome_histogram<T: OutcomeTarget>(
    family: T,
    outcome: TimedOutcome,
) -> HistogramRef<'static> {
    family.series(outcome)
}

/// A gauge `#[timed(.., in_flight = GAUGE)]` counts running calls in: a [`Gauge`] in a
/// `static`, or a gauge family member.
#[diagnostic::on_unimplemented(
    message = "`in_flight` needs a `Gauge`, and `{Self}` is not a borrowed `Gauge` or gauge family member",
    label = "not a gauge",
    note = "the in-flight gauge must be a `Gauge` in a `static` (`METRICS.running`) or a member of a gauge family"
)]
pub trait GaugeTarget {
    /// The gauge.
    fn gauge(self) -> &'static Gauge;
}

impl GaugeTarget for &'static Gauge {
    #[inline]
    fn gauge(self) -> &'static Gauge {
        self
    }
}

impl GaugeTarget for &&'static Gauge {
    #[inline]
    fn gauge(self) -> &'static Gauge {
        self
    }
}

/// Resolves the gauge of `in_flight = GAUGE`.
#[inline]
pub fn gauge_target<T: GaugeTarget>(target: T) -> &'static Gauge {
    target.gauge()
}

/// Observes the seconds since [`start`](Self::start) into the histogram its target gives
/// when dropped.
#[must_use = "the timer observes when dropped; bind it with `let`"]
pub struct ExitTimer<F: FnMut() -> HistogramRef<'static>> {
    start: Instant,
    target: F,
}

impl<F: FnMut() -> HistogramRef<'static>> ExitTimer<F> {
    /// Reads the clock; `target` is called once, at the drop.
    #[inline]
    pub fn start(target: F) -> Self {
        ExitTimer {
            start: Instant::now(),
            target,
        }
    }
}

impl<F: FnMut() -> HistogramRef<'static>> Drop for ExitTimer<F> {
    #[inline]
    fn drop(&mut self) {
        let seconds = self.start.elapsed().as_secs_f64();
        (self.target)().observe(seconds);
    }
}

const RUNNING: u8 = 0;
const RETURNED_OK: u8 = 1;
const RETURNED_ERROR: u8 = 2;

/// Like [`ExitTimer`], with the outcome of the call passed to the target.
///
/// The expansion hands each returned value to [`finish`](Self::finish) and each operand of
/// `?` to [`watch`](Self::watch); a drop before either saw a return is a panic (the thread is
/// unwinding) or otherwise the `unseen_exit` outcome given at the start.
#[must_use = "the timer observes when dropped; bind it with `let`"]
pub struct OutcomeTimer<F: FnMut(TimedOutcome) -> HistogramRef<'static>> {
    start: Instant,
    state: AtomicU8,
    unseen_exit: TimedOutcome,
    target: F,
}

impl<F: FnMut(TimedOutcome) -> HistogramRef<'static>> OutcomeTimer<F> {
    /// Reads the clock. `unseen_exit` is recorded when the guard is dropped without a seen
    /// return and without a panic: `Cancelled` for an `async fn`, `Error` for a plain one.
    #[inline]
    pub fn start(target: F, unseen_exit: TimedOutcome) -> Self {
        OutcomeTimer {
            start: Instant::now(),
            state: AtomicU8::new(RUNNING),
            unseen_exit,
            target,
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

impl<F: FnMut(TimedOutcome) -> HistogramRef<'static>> Drop for OutcomeTimer<F> {
    #[inline]
    fn drop(&mut self) {
        let seconds = self.start.elapsed().as_secs_f64();
        let outcome = match self.state.load(Ordering::Relaxed) {
            RETURNED_OK => TimedOutcome::Ok,
            RETURNED_ERROR => TimedOutcome::Error,
            _ if std::thread::panicking() => TimedOutcome::Panic,
            _ => self.unseen_exit,
        };
        (self.target)(outcome).observe(seconds);
    }
}

/// Adds one to a gauge now and subtracts it when dropped.
#[must_use = "the gauge is decremented when this is dropped; bind it with `let`"]
#[derive(Debug)]
pub struct InFlight {
    gauge: &'static Gauge,
}

impl InFlight {
    /// Increments `gauge`.
    #[inline]
    pub fn enter(gauge: &'static Gauge) -> Self {
        gauge.inc();
        InFlight { gauge }
    }
}

impl Drop for InFlight {
    #[inline]
    fn drop(&mut self) {
        self.gauge.dec();
    }
}
