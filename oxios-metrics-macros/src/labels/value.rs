//! `#[derive(LabelValue)]`: parsing and checking a fieldless enum.

use proc_macro2::{Span, TokenStream};

use super::{check_label_name, runtime_path, value_expand};
use crate::attr::{self, Slot};
use crate::ctxt::Ctxt;
use crate::names::{self, RenameRule};

/// A checked enum, ready to expand.
pub(super) struct LabelEnum<'a> {
    pub(super) ident: &'a syn::Ident,
    pub(super) label_name: String,
    pub(super) runtime: syn::Path,
    pub(super) variants: Vec<Variant<'a>>,
}

pub(super) struct Variant<'a> {
    pub(super) ident: &'a syn::Ident,
    /// The value text, escaped for the exposition.
    pub(super) escaped_value: String,
}

pub(crate) fn derive(cx: &mut Ctxt, input: &syn::DeriveInput) -> Option<TokenStream> {
    let parsed = parse(cx, input)?;
    if cx.has_errors() {
        return None;
    }
    Some(value_expand::expand(&parsed))
}

fn parse<'a>(cx: &mut Ctxt, input: &'a syn::DeriveInput) -> Option<LabelEnum<'a>> {
    let data = match &input.data {
        syn::Data::Enum(data) => data,
        syn::Data::Struct(data) => {
            cx.error_spanned_by(
                data.struct_token,
                "`#[derive(LabelValue)]` needs a fieldless enum; for a struct of labels use `#[derive(LabelSet)]`",
            );
            return None;
        }
        syn::Data::Union(data) => {
            cx.error_spanned_by(
                data.union_token,
                "`#[derive(LabelValue)]` needs a fieldless enum, not a union",
            );
            return None;
        }
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "a label value enum cannot be generic: its values are fixed at compile time",
        );
    }

    let mut rename_all: Slot<RenameRule> = Slot::new("rename_all");
    let mut name: Slot<syn::LitStr> = Slot::new("name");
    let mut krate: Slot<syn::Path> = Slot::new("crate");
    attr::parse_each(cx, &input.attrs, "label", |cx, meta| {
        let span = attr::key_span(meta);
        if meta.path.is_ident("rename_all") {
            let rule_text = attr::string_value(meta)?;
            match RenameRule::from_name(&rule_text.value()) {
                Some(rule) => rename_all.set(cx, span, rule),
                None => cx.error_spanned_by(
                    &rule_text,
                    format!(
                        "unknown `rename_all` rule `{}`; expected one of {}",
                        rule_text.value(),
                        RenameRule::NAMES
                    ),
                ),
            }
        } else if meta.path.is_ident("name") {
            let text = attr::string_value(meta)?;
            name.set(cx, span, text);
        } else if meta.path.is_ident("crate") {
            let path = attr::crate_path(meta)?;
            krate.set(cx, span, path);
        } else {
            return Err(attr::unknown_option(
                meta,
                "label",
                &["rename_all", "name", "crate"],
            ));
        }
        Ok(())
    });

    let label_name = match name.get() {
        Some(text) => {
            check_label_name(cx, &text.value(), text.span());
            text.value()
        }
        None => {
            let derived = names::snake_case(&names::unraw(&input.ident));
            if let Some(problem) = names::label_name_problem(&derived, true) {
                cx.error_spanned_by(
                    &input.ident,
                    format!("the label name derived from the type name is `{derived}`: {problem}; set one with `#[label(name = \"...\")]`"),
                );
            }
            derived
        }
    };

    if data.variants.is_empty() {
        cx.error_spanned_by(
            &input.ident,
            "an enum without variants has no label values; add at least one variant",
        );
    }

    let rule = rename_all.get().copied().unwrap_or(RenameRule::Snake);
    let mut variants = Vec::new();
    let mut seen: Vec<(String, &syn::Ident)> = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, syn::Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                format!(
                    "variant `{}` has fields: label values are fieldless variants (use `#[derive(LabelSet)]` on a struct for several labels)",
                    variant.ident
                ),
            );
        }
        let mut rename: Slot<syn::LitStr> = Slot::new("rename");
        attr::parse_each(cx, &variant.attrs, "label", |cx, meta| {
            if meta.path.is_ident("rename") {
                let text = attr::string_value(meta)?;
                rename.set(cx, attr::key_span(meta), text);
                Ok(())
            } else {
                Err(attr::unknown_option(meta, "label", &["rename"]))
            }
        });
        let (value, span): (String, Span) = match rename.get() {
            Some(text) => (text.value(), text.span()),
            None => (
                rule.apply(&names::unraw(&variant.ident)),
                variant.ident.span(),
            ),
        };
        if value.is_empty() {
            cx.error_at(
                span,
                "an empty label value is the same as no label at all; choose a non-empty value",
            );
        }
        if let Some((_, first)) = seen.iter().find(|(earlier, _)| *earlier == value) {
            cx.error_at(
                span,
                format!(
                    "label value `{value}` of `{}` is already the value of `{first}`; label values must be distinct",
                    variant.ident
                ),
            );
        }
        seen.push((value.clone(), &variant.ident));
        variants.push(Variant {
            ident: &variant.ident,
            escaped_value: names::escape_label_value(&value),
        });
    }

    Some(LabelEnum {
        ident: &input.ident,
        label_name,
        runtime: runtime_path(krate.take()),
        variants,
    })
}
