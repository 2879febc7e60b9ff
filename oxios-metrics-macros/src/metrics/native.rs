//! `#[metric(native(schema = 3, zero_threshold = 1e-9, max_buckets = 160))]`: the options of
//! a native histogram, parsed and checked here against the ranges `NativeConfig` accepts, so
//! the const builders the expansion calls never panic.

use proc_macro2::{Delimiter, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;

use super::buckets;
use crate::attr::{self, Slot};
use crate::ctxt::Ctxt;

/// The coarsest and finest schemas (`oxios_metrics::native::MIN_SCHEMA`, `MAX_SCHEMA`).
const MIN_SCHEMA: i64 = -4;
const MAX_SCHEMA: i64 = 8;
/// The most buckets per sign (`oxios_metrics::native::NATIVE_MAX_BUCKETS`).
const MAX_BUCKETS: u64 = 160;

const OPTIONS: &[&str] = &["schema", "zero_threshold", "max_buckets"];

/// The checked options of `native(...)`; those left out keep `NativeConfig`'s defaults.
#[derive(Clone, Debug, Default)]
pub(super) struct NativeSpec {
    pub(super) schema: Option<i8>,
    pub(super) zero_threshold: Option<f64>,
    pub(super) max_buckets: Option<u16>,
}

/// Parses the parenthesised options after `native`. Values out of range are reported on
/// their own token and left out of the spec.
pub(super) fn parse(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<NativeSpec> {
    // Peeked first: parsing a token tree after a bare `native` would take the `,` after it.
    let parenthesised = meta.input.peek(syn::token::Paren);
    let options = match parenthesised.then(|| meta.input.parse::<TokenTree>()) {
        Some(Ok(TokenTree::Group(group))) if group.delimiter() == Delimiter::Parenthesis => group,
        _ => {
            return Err(meta.error(
                "`native` takes its options in parentheses: `native(schema = 3, zero_threshold = 1e-9, max_buckets = 160)`; leave it out for the defaults (schema 3, zero threshold 2^-128, 160 buckets)",
            ))
        }
    };
    if options.stream().is_empty() {
        cx.error_at(
            options.span(),
            "`native()` sets nothing: give `schema`, `zero_threshold` or `max_buckets`, or remove it for the defaults",
        );
        return Ok(NativeSpec::default());
    }
    let mut schema: Slot<Option<i8>> = Slot::new("schema");
    let mut zero_threshold: Slot<Option<f64>> = Slot::new("zero_threshold");
    let mut max_buckets: Slot<Option<u16>> = Slot::new("max_buckets");
    let mut errors = Vec::new();
    let parsed = syn::meta::parser(|option| {
        let span = attr::key_span(&option);
        let known = option.path.is_ident("schema")
            || option.path.is_ident("zero_threshold")
            || option.path.is_ident("max_buckets");
        if !known {
            // Reported, and the value skipped, so the options after it are still checked.
            errors.push(attr::unknown_option(&option, "native", OPTIONS));
            attr::skip_value(&option);
            return Ok(());
        }
        // A missing `=` or value is reported on the option's name: inside the parentheses,
        // syn's own error would point at the end of the stream, which has no span of the
        // user's and lands on the derive.
        let name = option
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !option.input.peek(syn::Token![=]) {
            errors.push(option.error(format!("`{name}` needs a value: `{name} = ...`")));
            attr::skip_value(&option);
            return Ok(());
        }
        let value = option.value()?;
        if value.is_empty() || value.peek(syn::Token![,]) {
            errors.push(option.error(format!("`{name}` needs a value after `=`")));
            return Ok(());
        }
        let value: syn::Expr = value.parse()?;
        if option.path.is_ident("schema") {
            let checked = check_schema(cx, &value);
            schema.set(cx, span, checked);
        } else if option.path.is_ident("zero_threshold") {
            let checked = check_zero_threshold(cx, &value);
            zero_threshold.set(cx, span, checked);
        } else {
            let checked = check_max_buckets(cx, &value);
            max_buckets.set(cx, span, checked);
        }
        Ok(())
    })
    .parse2(options.stream());
    for error in errors {
        cx.syn_error(error);
    }
    parsed?;
    Ok(NativeSpec {
        schema: schema.take().flatten(),
        zero_threshold: zero_threshold.take().flatten(),
        max_buckets: max_buckets.take().flatten(),
    })
}

fn check_schema(cx: &mut Ctxt, value: &syn::Expr) -> Option<i8> {
    let Some(schema) = buckets::integer(value) else {
        cx.error_spanned_by(value, "`schema` is an integer literal from -4 to 8");
        return None;
    };
    if !(MIN_SCHEMA..=MAX_SCHEMA).contains(&schema) {
        cx.error_spanned_by(
            value,
            format!(
                "`schema` must be in -4..=8, not {schema}: schema `s` puts 2^s buckets in each power of two, from 1 in 16 powers (-4) to 256 per power (8)"
            ),
        );
        return None;
    }
    i8::try_from(schema).ok()
}

fn check_zero_threshold(cx: &mut Ctxt, value: &syn::Expr) -> Option<f64> {
    let Some(threshold) = buckets::number(value) else {
        cx.error_spanned_by(
            value,
            "`zero_threshold` is a number literal such as `1e-9` or `0`",
        );
        return None;
    };
    if !threshold.is_finite() || threshold < 0.0 {
        cx.error_spanned_by(
            value,
            format!(
                "`zero_threshold` must be a finite number >= 0, not {threshold}: observations with |v| <= it go to the zero bucket"
            ),
        );
        return None;
    }
    Some(threshold)
}

fn check_max_buckets(cx: &mut Ctxt, value: &syn::Expr) -> Option<u16> {
    let Some(max) = buckets::integer(value) else {
        cx.error_spanned_by(value, "`max_buckets` is an integer literal from 1 to 160");
        return None;
    };
    if max < 1 {
        cx.error_spanned_by(
            value,
            "`max_buckets` must be at least 1: the histogram needs room for one bucket of each sign",
        );
        return None;
    }
    if max.unsigned_abs() > MAX_BUCKETS {
        cx.error_spanned_by(
            value,
            format!(
                "`max_buckets` must be at most {MAX_BUCKETS} (`oxios_metrics::native::NATIVE_MAX_BUCKETS`), not {max}: each sign's buckets live in a fixed ring of that size"
            ),
        );
        return None;
    }
    u16::try_from(max).ok()
}
