//! Helpers for parsing `#[name(key = value, flag, ...)]` attributes: each key may appear
//! once, and every problem goes to the error collector instead of stopping the parse.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;

use crate::ctxt::Ctxt;

/// One attribute option: set at most once, remembering where it was set.
pub(crate) struct Slot<T> {
    name: &'static str,
    value: Option<(T, Span)>,
}

impl<T> Slot<T> {
    pub(crate) fn new(name: &'static str) -> Self {
        Slot { name, value: None }
    }

    /// Stores `value`, or reports a repeated option at `span`.
    pub(crate) fn set(&mut self, cx: &mut Ctxt, span: Span, value: T) {
        if self.value.is_some() {
            cx.error_at(span, format!("duplicate `{}` option", self.name));
        } else {
            self.value = Some((value, span));
        }
    }

    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(value, _)| value)
    }

    pub(crate) fn span(&self) -> Option<Span> {
        self.value.as_ref().map(|(_, span)| *span)
    }

    pub(crate) fn take(self) -> Option<T> {
        self.value.map(|(value, _)| value)
    }

    pub(crate) fn is_set(&self) -> bool {
        self.value.is_some()
    }
}

/// The span of a nested meta's key.
pub(crate) fn key_span(meta: &ParseNestedMeta<'_>) -> Span {
    use syn::spanned::Spanned;
    meta.path.span()
}

/// The key of a nested meta as text (`crate` included).
pub(crate) fn key_name(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// Parses `= "text"`.
pub(crate) fn string_value(meta: &ParseNestedMeta<'_>) -> syn::Result<syn::LitStr> {
    meta.value()?.parse::<syn::LitStr>()
}

/// An error for an option this attribute does not have: the closest option when the key
/// looks like a typo of one, and the list of all of them.
pub(crate) fn unknown_option(
    meta: &ParseNestedMeta<'_>,
    attribute: &str,
    known: &[&str],
) -> syn::Error {
    meta.error(unknown_option_message(attribute, &key_name(meta), known))
}

/// The message of [`unknown_option`], for attributes parsed without `ParseNestedMeta`.
pub(crate) fn unknown_option_message(attribute: &str, key: &str, known: &[&str]) -> String {
    let list = known
        .iter()
        .map(|key| format!("`{key}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match crate::names::closest(key, known) {
        Some(suggestion) => format!(
            "unknown `{attribute}` option `{key}`: did you mean `{suggestion}`? (expected one of {list})"
        ),
        None => format!("unknown `{attribute}` option `{key}`; expected one of {list}"),
    }
}

/// Skips the rest of an option that failed to parse (`= value` or `(...)`), so the
/// remaining options are still checked.
pub(crate) fn skip_value(meta: &ParseNestedMeta<'_>) {
    if meta.input.peek(syn::Token![=]) {
        let _ = meta.input.parse::<syn::Token![=]>();
        let _ = meta.input.parse::<syn::Expr>();
    } else if meta.input.peek(syn::token::Paren) {
        let _ = meta.parse_nested_meta(|inner| {
            skip_value(&inner);
            Ok(())
        });
    }
}

/// Parses every `#[name(...)]` attribute in `attrs` with `option`, collecting errors.
pub(crate) fn parse_each(
    cx: &mut Ctxt,
    attrs: &[syn::Attribute],
    name: &str,
    mut option: impl FnMut(&mut Ctxt, &ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(name)) {
        if let syn::Meta::Path(_) = attr.meta {
            cx.error_spanned_by(attr, format!("`#[{name}]` needs options: `#[{name}(...)]`"));
            continue;
        }
        let mut errors = Vec::new();
        let result = attr.parse_nested_meta(|meta| {
            if let Err(error) = option(cx, &meta) {
                errors.push(error);
                skip_value(&meta);
            }
            Ok(())
        });
        for error in errors {
            cx.syn_error(error);
        }
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
}

/// The text of the doc comments in `attrs`: lines trimmed, empty lines dropped, joined with a
/// space.
pub(crate) fn doc_text(attrs: &[syn::Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("doc")) {
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) = &attr.meta
        {
            for line in text.value().lines() {
                let line = line.trim();
                if !line.is_empty() {
                    lines.push(line.to_owned());
                }
            }
        }
    }
    lines.join(" ")
}

/// A `crate = path` value: a path, or a string holding one.
pub(crate) fn crate_path(meta: &ParseNestedMeta<'_>) -> syn::Result<syn::Path> {
    let value = meta.value()?;
    if value.peek(syn::LitStr) {
        value.parse::<syn::LitStr>()?.parse()
    } else {
        value.parse()
    }
}
