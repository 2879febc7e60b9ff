//! The options only some metric types take: `buckets` (classic histograms, and the classic
//! buckets of a native one), `native(...)` (native histograms) and `quantiles`, `max_age`,
//! `age_buckets` (summaries). Each is refused, on its own key, on a type it does not apply to.

use std::time::Duration;

use proc_macro2::Span;

use super::ast::Field;
use super::buckets::PlannedBuckets;
use super::kind::{Classified, MetricKind, Options};
use super::native::NativeSpec;
use super::summary::Quantiles;
use crate::ctxt::Ctxt;
use crate::names;

/// The checked type-specific options of one metric.
#[derive(Default)]
pub(super) struct TypedPlan {
    /// Declared buckets (classic, or alongside native ones); `None` for the default set (a
    /// classic histogram) or none at all (a native one).
    pub(super) buckets: Option<PlannedBuckets>,
    pub(super) native: Option<NativeSpec>,
    pub(super) summary: SummaryPlan,
}

/// The checked options of a summary; those left out keep `SummaryConfig`'s defaults.
#[derive(Default)]
pub(super) struct SummaryPlan {
    pub(super) quantiles: Option<Quantiles>,
    pub(super) max_age: Option<Duration>,
    pub(super) age_buckets: Option<usize>,
}

impl SummaryPlan {
    pub(super) fn is_empty(&self) -> bool {
        self.quantiles.is_none() && self.max_age.is_none() && self.age_buckets.is_none()
    }
}

pub(super) fn check(cx: &mut Ctxt, field: &Field<'_>, class: &Classified<'_>) -> TypedPlan {
    let attrs = &field.attrs;
    let member = names::unraw(field.member);
    let what = describe(class);
    let mut plan = TypedPlan::default();

    if let Some((spec, span)) = &attrs.buckets {
        match class.options {
            Options::Classic | Options::Native => plan.buckets = spec.plan(cx),
            Options::Summary => cx.error_at(
                *span,
                format!("`buckets` applies to histograms; `{member}` is {what}, which reports `quantiles` instead"),
            ),
            Options::None => cx.error_at(
                *span,
                format!("`buckets` applies to histograms; `{member}` is {what}"),
            ),
        }
    }

    if let Some((spec, span)) = &attrs.native {
        match class.options {
            Options::Native => plan.native = Some(spec.clone()),
            Options::Classic => cx.error_at(
                *span,
                format!(
                    "`native` configures a native histogram; `{member}` is {what}, with classic buckets only: declare it `NativeHistogram` (or `ExemplarNativeHistogram`), whose `buckets` then become classic buckets kept alongside"
                ),
            ),
            _ => cx.error_at(
                *span,
                format!("`native` configures a native histogram; `{member}` is {what}"),
            ),
        }
    }

    let summary_options = [
        ("quantiles", attrs.quantiles.as_ref().map(|(_, span)| *span)),
        ("max_age", attrs.max_age.as_ref().map(|(_, span)| *span)),
        (
            "age_buckets",
            attrs.age_buckets.as_ref().map(|(_, span)| *span),
        ),
    ];
    if class.options == Options::Summary {
        plan.summary = SummaryPlan {
            quantiles: attrs.quantiles.as_ref().and_then(|(q, _)| q.clone()),
            max_age: attrs.max_age.as_ref().and_then(|(age, _)| *age),
            age_buckets: attrs.age_buckets.as_ref().and_then(|(count, _)| *count),
        };
    } else {
        for (option, span) in summary_options {
            if let Some(span) = span {
                refuse_summary_option(cx, option, span, &member, &what, class.kind);
            }
        }
    }
    plan
}

fn refuse_summary_option(
    cx: &mut Ctxt,
    option: &str,
    span: Span,
    member: &str,
    what: &str,
    kind: MetricKind,
) {
    let hint = if kind == MetricKind::Histogram {
        ": a histogram's quantiles are computed at query time (`histogram_quantile`); declare it `Summary` for quantiles computed in the process"
    } else {
        ""
    };
    cx.error_at(
        span,
        format!("`{option}` applies to summaries; `{member}` is {what}{hint}"),
    );
}

/// `a counter`, `an \`ExemplarHistogram\``, `a family of \`NativeHistogram\``, for
/// messages.
fn describe(class: &Classified<'_>) -> String {
    let name = &class.type_name;
    match (class.labels, class.kind) {
        (Some(_), _) if class.options != Options::None => format!("a family of `{name}`"),
        (Some(_), kind) => format!("a family of {}s", kind.word()),
        (None, _) if class.options != Options::None => {
            let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            };
            format!("{article} `{name}`")
        }
        (None, MetricKind::Info) => "an info metric".to_owned(),
        (None, kind) => format!("a {}", kind.word()),
    }
}
