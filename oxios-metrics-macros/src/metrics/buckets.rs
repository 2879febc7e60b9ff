//! Histogram buckets declared in `#[metric(buckets = ...)]`: parsed, computed and checked
//! here, so a bad set never reaches the build of the user's crate.

use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::ctxt::Ctxt;

/// The most bucket bounds a histogram holds (`oxios_metrics::MAX_BUCKETS`).
pub(super) const MAX_BUCKETS: usize = 32;

/// A declared bucket set.
#[derive(Clone)]
pub(super) enum BucketSpec {
    /// `[0.1, 0.5, 1.0]`: each bound with the span of its token.
    List(Vec<(f64, TokenStream)>, TokenStream),
    /// `linear(start, width, count)`.
    Linear {
        start: f64,
        width: f64,
        count: usize,
        tokens: TokenStream,
    },
    /// `exponential(start, factor, count)`.
    Exponential {
        start: f64,
        factor: f64,
        count: usize,
        tokens: TokenStream,
    },
    /// `DIAL_BUCKETS`: a path to a const `[f64; N]` or `&[f64]`, checked in const context.
    Const(syn::Path),
}

/// The buckets a histogram is built with.
pub(super) enum PlannedBuckets {
    /// Computed and checked by the macro.
    Bounds(Vec<f64>),
    /// A const, checked where it is evaluated.
    Const(syn::Path),
}

impl BucketSpec {
    pub(super) fn parse(cx: &mut Ctxt, expr: &syn::Expr) -> Option<BucketSpec> {
        match expr {
            syn::Expr::Array(array) => {
                let mut bounds = Vec::new();
                for element in &array.elems {
                    match number(element) {
                        Some(value) => bounds.push((value, element.to_token_stream())),
                        None => cx.error_spanned_by(
                            element,
                            "a bucket bound is a number literal such as `0.5` or `10`",
                        ),
                    }
                }
                Some(BucketSpec::List(bounds, array.to_token_stream()))
            }
            syn::Expr::Call(call) => {
                let function = match &*call.func {
                    syn::Expr::Path(path) => path.path.get_ident().map(ToString::to_string),
                    _ => None,
                };
                let arguments: Vec<&syn::Expr> = call.args.iter().collect();
                let parse_three = |cx: &mut Ctxt, names: [&str; 2]| {
                    if arguments.len() != 3 {
                        cx.error_spanned_by(
                            call,
                            format!(
                                "expected three arguments: `({}, {}, count)`",
                                names[0], names[1]
                            ),
                        );
                        return None;
                    }
                    let first = number(arguments[0]);
                    let second = number(arguments[1]);
                    let count = count(arguments[2]);
                    if first.is_none() {
                        cx.error_spanned_by(
                            arguments[0],
                            format!("`{}` must be a number", names[0]),
                        );
                    }
                    if second.is_none() {
                        cx.error_spanned_by(
                            arguments[1],
                            format!("`{}` must be a number", names[1]),
                        );
                    }
                    if count.is_none() {
                        cx.error_spanned_by(arguments[2], "`count` must be an integer literal");
                    }
                    Some((first?, second?, count?))
                };
                match function.as_deref() {
                    Some("linear") => {
                        let (start, width, count) = parse_three(cx, ["start", "width"])?;
                        Some(BucketSpec::Linear {
                            start,
                            width,
                            count,
                            tokens: call.to_token_stream(),
                        })
                    }
                    Some("exponential") => {
                        let (start, factor, count) = parse_three(cx, ["start", "factor"])?;
                        Some(BucketSpec::Exponential {
                            start,
                            factor,
                            count,
                            tokens: call.to_token_stream(),
                        })
                    }
                    _ => {
                        cx.error_spanned_by(
                            &call.func,
                            "unknown bucket function; expected `linear(start, width, count)`, `exponential(start, factor, count)` or the path of a const (`buckets = DIAL_BUCKETS`); buckets known only at run time are set where the histogram is built, not in the derive",
                        );
                        None
                    }
                }
            }
            syn::Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => {
                Some(BucketSpec::Const(path.path.clone()))
            }
            _ => {
                cx.error_spanned_by(
                    expr,
                    "expected a list of bounds `[0.1, 0.5, 1.0]`, `linear(start, width, count)`, `exponential(start, factor, count)` or the path of a const (`buckets = DIAL_BUCKETS`)",
                );
                None
            }
        }
    }

    /// The buckets to build: computed and checked here, or a const left to const evaluation.
    pub(super) fn plan(&self, cx: &mut Ctxt) -> Option<PlannedBuckets> {
        match self {
            BucketSpec::Const(path) => Some(PlannedBuckets::Const(path.clone())),
            _ => self.bounds(cx).map(PlannedBuckets::Bounds),
        }
    }

    /// The bounds, computed as Prometheus' Go client computes them (repeated addition or
    /// multiplication), and checked. Errors are reported on the offending token.
    fn bounds(&self, cx: &mut Ctxt) -> Option<Vec<f64>> {
        let (bounds, spans, whole): (Vec<f64>, Option<Vec<&TokenStream>>, &TokenStream) = match self
        {
            BucketSpec::Const(_) => return None,
            BucketSpec::List(list, tokens) => (
                list.iter().map(|(value, _)| *value).collect(),
                Some(list.iter().map(|(_, tokens)| tokens).collect()),
                tokens,
            ),
            BucketSpec::Linear {
                start,
                width,
                count,
                tokens,
            } => {
                if *width <= 0.0 {
                    cx.error_spanned_by(
                        tokens,
                        "`linear` needs a positive `width`: bounds must increase",
                    );
                    return None;
                }
                let mut bounds = Vec::new();
                let mut next = *start;
                for _ in 0..(*count).min(MAX_BUCKETS + 1) {
                    bounds.push(next);
                    next += width;
                }
                (bounds, None, tokens)
            }
            BucketSpec::Exponential {
                start,
                factor,
                count,
                tokens,
            } => {
                if *start <= 0.0 {
                    cx.error_spanned_by(tokens, "`exponential` needs a positive `start`");
                    return None;
                }
                if *factor <= 1.0 {
                    cx.error_spanned_by(
                        tokens,
                        "`exponential` needs a `factor` greater than 1: bounds must increase",
                    );
                    return None;
                }
                let mut bounds = Vec::new();
                let mut next = *start;
                for _ in 0..(*count).min(MAX_BUCKETS + 1) {
                    bounds.push(next);
                    next *= factor;
                }
                (bounds, None, tokens)
            }
        };
        let span_of = |index: usize| spans.as_ref().map_or(whole, |spans| spans[index]);
        let mut ok = true;
        if bounds.is_empty() {
            cx.error_spanned_by(whole, "a histogram needs at least one bucket bound");
            return None;
        }
        if bounds.len() > MAX_BUCKETS {
            cx.error_spanned_by(
                whole,
                format!(
                    "too many bucket bounds: a histogram has at most {MAX_BUCKETS} (`oxios_metrics::MAX_BUCKETS`)"
                ),
            );
            return None;
        }
        for (index, &bound) in bounds.iter().enumerate() {
            if !bound.is_finite() {
                cx.error_spanned_by(
                    span_of(index),
                    format!("bucket bound #{index} is not finite: `+Inf` is always added, declare finite bounds only"),
                );
                ok = false;
                continue;
            }
            if index == 0 || !bounds[index - 1].is_finite() {
                continue;
            }
            let previous = bounds[index - 1];
            if bound == previous {
                cx.error_spanned_by(
                    span_of(index),
                    format!("bucket bound `{bound}` is repeated: bounds must be distinct"),
                );
                ok = false;
            } else if bound < previous {
                cx.error_spanned_by(
                    span_of(index),
                    format!("bucket bound `{bound}` is smaller than `{previous}` before it: sort the bounds in increasing order"),
                );
                ok = false;
            }
        }
        ok.then_some(bounds)
    }
}

/// A number literal, possibly negated, or `f64::INFINITY`/`f64::NAN`/`f64::NEG_INFINITY`
/// (accepted here only to be refused as non-finite with a clear message).
pub(super) fn number(expr: &syn::Expr) -> Option<f64> {
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
            syn::Lit::Float(float) => float.base10_parse().ok(),
            syn::Lit::Int(int) => int.base10_parse::<i64>().ok().map(|v| v as f64),
            _ => None,
        },
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => number(expr).map(|value| -value),
        syn::Expr::Path(path) => {
            let text = path
                .path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect::<Vec<_>>()
                .join("::");
            match text.as_str() {
                "f64::INFINITY" => Some(f64::INFINITY),
                "f64::NEG_INFINITY" => Some(f64::NEG_INFINITY),
                "f64::NAN" => Some(f64::NAN),
                _ => None,
            }
        }
        syn::Expr::Group(group) => number(&group.expr),
        syn::Expr::Paren(paren) => number(&paren.expr),
        _ => None,
    }
}

/// An integer literal, possibly negated.
pub(super) fn integer(expr: &syn::Expr) -> Option<i64> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => integer(expr).and_then(i64::checked_neg),
        syn::Expr::Group(group) => integer(&group.expr),
        syn::Expr::Paren(paren) => integer(&paren.expr),
        _ => None,
    }
}

fn count(expr: &syn::Expr) -> Option<usize> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        _ => None,
    }
}
