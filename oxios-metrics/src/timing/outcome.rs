//! The outcome label of a timed call, and how a returned value is classified.

use std::task::Poll;

use crate::encode::{LabelWriter, WriteLabels};
use crate::family::DenseSeries;
use crate::labels::{FixedLabelSet, LabelSet, LabelValue};
use crate::metric::FamilyMember;

/// How a timed call ended: the label `outcome` with the values `ok`, `error`, `panic` and
/// `cancelled`.
///
/// It is a fixed label value, so it can key a family on its own
/// (`Family<TimedOutcome, Histogram>`) or be a field of a derived label set.
///
/// ```
/// use oxios_metrics::{Family, Histogram, TimedOutcome};
/// static CALLS: Family<TimedOutcome, Histogram> = Family::new();
/// CALLS.get(TimedOutcome::Error).observe(0.25);
/// assert_eq!(CALLS.get(TimedOutcome::Error).count(), 1);
/// assert_eq!(CALLS.get(TimedOutcome::Ok).count(), 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimedOutcome {
    /// The function returned `Ok`.
    Ok,
    /// The function returned `Err` (by its value, `return` or `?`).
    Error,
    /// The function panicked.
    Panic,
    /// The future of an `async fn` was dropped before it completed.
    Cancelled,
}

const OUTCOME_LABEL: &str = "outcome";

impl LabelValue for TimedOutcome {
    const CARDINALITY: usize = 4;
    const VALUES: &'static [&'static str] = &["ok", "error", "panic", "cancelled"];

    #[inline]
    fn ordinal(self) -> usize {
        self as usize
    }
}

impl WriteLabels for TimedOutcome {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label_escaped(OUTCOME_LABEL, Self::VALUES[LabelValue::ordinal(*self)]);
    }
}

impl LabelSet for TimedOutcome {
    const LABEL_NAMES: &'static [&'static str] = &[OUTCOME_LABEL];
    type Storage<M: FamilyMember> = DenseSeries<M, { <TimedOutcome as LabelValue>::CARDINALITY }>;
}

impl FixedLabelSet for TimedOutcome {
    const CARDINALITY: usize = <TimedOutcome as LabelValue>::CARDINALITY;

    #[inline]
    fn ordinal(&self) -> usize {
        LabelValue::ordinal(*self)
    }

    fn write_labels_at(ordinal: usize, writer: &mut LabelWriter<'_>) {
        writer.label_escaped(OUTCOME_LABEL, Self::VALUES[ordinal]);
    }
}

/// A value a function with `#[timed(.., outcome)]` returns: `Ok` or `Err`.
#[diagnostic::on_unimplemented(
    message = "`#[timed(.., outcome)]` needs a function returning `Result`, not `{Self}`",
    label = "the outcome is read from this value",
    note = "remove `outcome`, or return a `Result`"
)]
pub trait ResultOutcome {
    /// `Ok` or `Error`.
    fn outcome(&self) -> TimedOutcome;
}

impl<T, E> ResultOutcome for Result<T, E> {
    #[inline]
    fn outcome(&self) -> TimedOutcome {
        match self {
            Ok(_) => TimedOutcome::Ok,
            Err(_) => TimedOutcome::Error,
        }
    }
}

/// A value `?` is applied to in a function with `#[timed(.., outcome)]`: whether `?` will
/// return early with an error.
#[diagnostic::on_unimplemented(
    message = "`#[timed(.., outcome)]` cannot tell whether `?` on `{Self}` returns an error",
    note = "`?` is understood on `Result`, `Poll<Result>` and `Poll<Option<Result>>`"
)]
pub trait TryOutcome {
    /// True when `?` on this value returns from the function.
    fn returns_error(&self) -> bool;
}

impl<T, E> TryOutcome for Result<T, E> {
    #[inline]
    fn returns_error(&self) -> bool {
        self.is_err()
    }
}

impl<T, E> TryOutcome for Poll<Result<T, E>> {
    #[inline]
    fn returns_error(&self) -> bool {
        matches!(self, Poll::Ready(Err(_)))
    }
}

impl<T, E> TryOutcome for Poll<Option<Result<T, E>>> {
    #[inline]
    fn returns_error(&self) -> bool {
        matches!(self, Poll::Ready(Some(Err(_))))
    }
}
