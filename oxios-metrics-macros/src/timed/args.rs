//! The options of `#[timed(...)]`.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::{Expr, ExprArray, ExprLit, ExprUnary, Ident, Lit, LitStr, Token, UnOp};

use super::Errors;

/// The most finite bucket bounds a histogram holds (the runtime's `MAX_BUCKETS`).
const MAX_BUCKETS: usize = 32;

/// The options' keys, for suggestions.
const OPTIONS: &[&str] = &["outcome", "in_flight", "buckets", "name", "crate"];

const OPTIONS_HELP: &str =
    "expected `outcome`, `in_flight = GAUGE`, `buckets = [..]`, `name = \"..\"` or `crate = PATH`";

/// Buckets for the bare form.
pub(crate) enum BucketsOption {
    /// A literal list, checked here.
    Checked(Vec<f64>),
    /// Any other expression of type `&'static [f64]`, checked in const context.
    Expr(Expr),
}

#[derive(Default)]
pub(crate) struct Options {
    /// `None` for the bare form.
    pub(crate) target: Option<Expr>,
    /// The `outcome` keyword, when given.
    pub(crate) outcome: Option<Ident>,
    pub(crate) in_flight: Option<Expr>,
    pub(crate) buckets: Option<(Ident, BucketsOption)>,
    pub(crate) name: Option<(Ident, LitStr)>,
    /// Where the runtime crate is, when not at `::oxios_metrics` (a re-export).
    pub(crate) krate: Option<syn::Path>,
}

pub(crate) fn parse(args: TokenStream, errors: &mut Errors) -> Option<Options> {
    let parser = |input: ParseStream<'_>| parse_options(input, errors);
    match parser.parse2(args) {
        Ok(options) => Some(options),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

fn parse_options(input: ParseStream<'_>, errors: &mut Errors) -> syn::Result<Options> {
    let mut options = Options::default();
    let mut first = true;
    while !input.is_empty() {
        let is_option = input.peek(Ident) && input.peek2(Token![=]) && !input.peek2(Token![==]);
        let is_flag = input.peek(Ident) && (input.peek2(Token![,]) || peek2_is_end(input));
        if input.peek(Token![crate]) && input.peek2(Token![=]) {
            let key: Token![crate] = input.parse()?;
            input.parse::<Token![=]>()?;
            let path = if input.peek(LitStr) {
                input.parse::<LitStr>()?.parse::<syn::Path>()?
            } else {
                syn::Path::parse_mod_style(input)?
            };
            if options.krate.is_some() {
                errors.push_spanned(key, "`crate` is given twice");
            }
            options.krate = Some(path);
        } else if is_option {
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: Expr = input.parse()?;
            option(&mut options, key, value, errors);
        } else if is_flag && (!first || input.fork().parse::<Ident>()? == "outcome") {
            let key: Ident = input.parse()?;
            flag(&mut options, key, errors);
        } else {
            let target: Expr = input.parse()?;
            if first {
                options.target = Some(target);
            } else {
                errors.push_spanned(
                    &target,
                    format!("the histogram to record into comes first, before the options; {OPTIONS_HELP}"),
                );
            }
        }
        first = false;
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(options)
}

fn peek2_is_end(input: ParseStream<'_>) -> bool {
    let fork = input.fork();
    fork.parse::<Ident>().is_ok() && fork.is_empty()
}

fn flag(options: &mut Options, key: Ident, errors: &mut Errors) {
    if key == "outcome" {
        if options.outcome.is_some() {
            errors.push_spanned(&key, "`outcome` is given twice");
        }
        options.outcome = Some(key);
    } else if key.to_string().chars().any(|c| c.is_ascii_uppercase()) {
        errors.push_spanned(
            &key,
            format!("the histogram to record into comes first, before the options: `#[timed({key}, ..)]`"),
        );
    } else if ["in_flight", "buckets", "name"]
        .iter()
        .any(|known| key == known)
    {
        errors.push_spanned(&key, format!("`{key}` needs a value: `{key} = ..`"));
    } else {
        errors.push_spanned(&key, unknown(&key));
    }
}

/// The message for an option `#[timed]` does not have, suggesting the closest one.
fn unknown(key: &Ident) -> String {
    let text = key.to_string();
    match crate::names::closest(&text, OPTIONS) {
        Some(suggestion) => {
            format!("unknown option `{text}`: did you mean `{suggestion}`? ({OPTIONS_HELP})")
        }
        None => format!("unknown option `{text}`: {OPTIONS_HELP}"),
    }
}

fn option(options: &mut Options, key: Ident, value: Expr, errors: &mut Errors) {
    let repeated = |errors: &mut Errors, key: &Ident| {
        errors.push_spanned(key, format!("`{key}` is given twice"));
    };
    if key == "in_flight" {
        if options.in_flight.is_some() {
            repeated(errors, &key);
        }
        options.in_flight = Some(value);
    } else if key == "buckets" {
        if options.buckets.is_some() {
            repeated(errors, &key);
        }
        let buckets = match value {
            Expr::Array(array) => match check_buckets(&array, errors) {
                Some(bounds) => BucketsOption::Checked(bounds),
                None => return,
            },
            other => BucketsOption::Expr(other),
        };
        options.buckets = Some((key, buckets));
    } else if key == "name" {
        if options.name.is_some() {
            repeated(errors, &key);
        }
        match value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(name),
                ..
            }) => {
                if name.value().is_empty() {
                    errors.push_spanned(&name, "the function label cannot be empty");
                }
                options.name = Some((key, name));
            }
            other => errors.push_spanned(
                &other,
                "`name` takes a string literal: `name = \"checkout\"`",
            ),
        }
    } else if key == "outcome" {
        errors.push_spanned(
            &key,
            "`outcome` takes no value: `#[timed(METRICS.calls, outcome)]`",
        );
    } else {
        errors.push_spanned(&key, unknown(&key));
    }
}

/// Checks a literal bucket list as the runtime's `Buckets::new` does, with a span per bound.
fn check_buckets(array: &ExprArray, errors: &mut Errors) -> Option<Vec<f64>> {
    if array.elems.is_empty() {
        errors.push_spanned(array, "a histogram needs at least one bucket bound");
        return None;
    }
    if array.elems.len() > MAX_BUCKETS {
        errors.push_spanned(
            array,
            format!("a histogram has at most {MAX_BUCKETS} bucket bounds"),
        );
        return None;
    }
    let mut bounds = Vec::with_capacity(array.elems.len());
    let mut ok = true;
    for element in &array.elems {
        let Some(bound) = number(element) else {
            errors.push_spanned(
                element,
                "a bucket bound is a number literal, such as `0.25`",
            );
            ok = false;
            continue;
        };
        if !bound.is_finite() {
            errors.push_spanned(
                element,
                "bucket bounds must be finite (`+Inf` is added by itself)",
            );
            ok = false;
        } else if bounds.last().is_some_and(|&previous| bound <= previous) {
            errors.push_spanned(
                element,
                "bucket bounds must be sorted and distinct: this one is not greater than the one before it",
            );
            ok = false;
        }
        bounds.push(bound);
    }
    ok.then_some(bounds)
}

fn number(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => match lit {
            Lit::Float(float) => float.base10_parse().ok(),
            // Bounds above 2^53 round to the nearest f64, as a float literal would.
            #[allow(clippy::cast_precision_loss)]
            Lit::Int(int) => int.base10_parse::<u64>().ok().map(|value| value as f64),
            _ => None,
        },
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => number(expr).map(|value| -value),
        Expr::Group(group) => number(&group.expr),
        _ => None,
    }
}

impl Options {
    /// The options of the bare form given beside a target, with what to do instead.
    pub(crate) fn bare_only_options(&self) -> Vec<(Span, &'static str, &'static str)> {
        let mut spans = Vec::new();
        if let Some((key, _)) = &self.buckets {
            spans.push((
                key.span(),
                "buckets",
                "declare the buckets on the target histogram instead",
            ));
        }
        if let Some((key, _)) = &self.name {
            spans.push((
                key.span(),
                "name",
                "the target histogram already has its own name",
            ));
        }
        spans
    }
}
