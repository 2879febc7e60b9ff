//! `#[derive(LabelValue)]`: the fieldless enum, parsed.

use proc_macro2::Span;

use super::runtime_path;
use crate::attr::{self, Slot};
use crate::ctxt::Ctxt;
use crate::names::{self, RenameRule};

/// An enum deriving `LabelValue`.
pub(super) struct LabelEnum<'a> {
    pub(super) ident: &'a syn::Ident,
    pub(super) label_name: LabelName,
    /// `utf8`: the declared label name may lie outside the legacy character set.
    pub(super) utf8: Option<Span>,
    pub(super) runtime: syn::Path,
    pub(super) variants: Vec<Variant<'a>>,
}

/// The label name of the enum and where it came from.
pub(super) enum LabelName {
    /// `#[label(name = "...")]`.
    Declared(syn::LitStr),
    /// The type name in snake_case.
    Derived(String),
}

impl LabelName {
    pub(super) fn text(&self) -> String {
        match self {
            LabelName::Declared(literal) => literal.value(),
            LabelName::Derived(text) => text.clone(),
        }
    }
}

pub(super) struct Variant<'a> {
    pub(super) ident: &'a syn::Ident,
    /// The value text, unescaped.
    pub(super) value: String,
    /// The token the value came from: the `rename` literal or the variant name.
    pub(super) span: Span,
}

const CONTAINER_OPTIONS: &[&str] = &["rename_all", "name", "utf8", "crate"];
const VARIANT_OPTIONS: &[&str] = &["rename"];

pub(super) fn parse<'a>(cx: &mut Ctxt, input: &'a syn::DeriveInput) -> Option<LabelEnum<'a>> {
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
    let mut utf8: Slot<()> = Slot::new("utf8");
    attr::parse_each(cx, &input.attrs, "label", |cx, meta| {
        let span = attr::key_span(meta);
        if meta.path.is_ident("utf8") {
            utf8.set(cx, span, ());
        } else if meta.path.is_ident("rename_all") {
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
            return Err(attr::unknown_option(meta, "label", CONTAINER_OPTIONS));
        }
        Ok(())
    });

    let label_name = match name.take() {
        Some(text) => LabelName::Declared(text),
        None => LabelName::Derived(names::snake_case(&names::unraw(&input.ident))),
    };

    let rule = rename_all.get().copied().unwrap_or(RenameRule::Snake);
    let mut variants = Vec::new();
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
                Err(attr::unknown_option(meta, "label", VARIANT_OPTIONS))
            }
        });
        let (value, span) = match rename.get() {
            Some(text) => (text.value(), text.span()),
            None => (
                rule.apply(&names::unraw(&variant.ident)),
                variant.ident.span(),
            ),
        };
        variants.push(Variant {
            ident: &variant.ident,
            value,
            span,
        });
    }

    Some(LabelEnum {
        ident: &input.ident,
        label_name,
        utf8: utf8.span(),
        runtime: runtime_path(krate.take()),
        variants,
    })
}
