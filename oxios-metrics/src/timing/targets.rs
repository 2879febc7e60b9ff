//! The metrics `#[timed]` records into: every metric of this crate that takes observations,
//! plain, reached through a reference, or as a member of a family of them, and families of
//! them keyed by the outcome.
//!
//! The impls are marked `#[diagnostic::do_not_recommend]`: a target of the wrong type then
//! fails with the trait's own message, which lists the accepted types, rather than with a
//! list of every impl.

use super::guards::{ObserveSeconds, OutcomeTarget, TimedTarget};
use super::outcome::TimedOutcome;
use crate::exemplar::{
    ExemplarHistogram, ExemplarHistogramRef, ExemplarNativeHistogram, ExemplarNativeHistogramRef,
};
use crate::family::Family;
use crate::histogram::{Histogram, HistogramRef};
use crate::labels::LabelSet;
use crate::native::{NativeHistogram, NativeHistogramRef};
use crate::summary::{Summary, SummaryRef};

#[diagnostic::do_not_recommend]
impl<'a, T: ObserveSeconds + ?Sized> TimedTarget<'a> for &'a T {
    #[inline]
    fn observe_seconds(self, seconds: f64) {
        ObserveSeconds::observe_seconds(self, seconds);
    }
}

/// For each metric and the handle its family hands out: the metric takes durations, a
/// reference to it (a target that is itself a reference) and a borrowed handle are targets,
/// and a family of it keyed by the outcome is an outcome target. One impl per member type
/// rather than a blanket one over `FamilyMember`: a family of counters then fails with the
/// trait's message, not with an unmet `where` clause.
macro_rules! duration_targets {
    ($($metric:ident => $handle:ident),* $(,)?) => {$(
        #[diagnostic::do_not_recommend]
        impl ObserveSeconds for $metric {
            #[inline]
            fn observe_seconds(&self, seconds: f64) {
                self.observe(seconds);
            }
        }

        #[diagnostic::do_not_recommend]
        impl<'a> TimedTarget<'a> for &&'a $metric {
            #[inline]
            fn observe_seconds(self, seconds: f64) {
                self.observe(seconds);
            }
        }

        #[diagnostic::do_not_recommend]
        impl<'a> TimedTarget<'a> for &$handle<'a> {
            #[inline]
            fn observe_seconds(self, seconds: f64) {
                self.observe(seconds);
            }
        }

        #[diagnostic::do_not_recommend]
        impl<'a, L: LabelSet + From<TimedOutcome>> OutcomeTarget<'a> for &'a Family<L, $metric> {
            #[inline]
            fn observe_outcome(self, outcome: TimedOutcome, seconds: f64) {
                self.get(L::from(outcome)).observe(seconds);
            }
        }
    )*};
}

duration_targets! {
    Histogram => HistogramRef,
    NativeHistogram => NativeHistogramRef,
    Summary => SummaryRef,
    ExemplarHistogram => ExemplarHistogramRef,
    ExemplarNativeHistogram => ExemplarNativeHistogramRef,
}
