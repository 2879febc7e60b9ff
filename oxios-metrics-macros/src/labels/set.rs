//! `#[derive(LabelSet)]`: the struct of labels, parsed.

use proc_macro2::Span;

use super::runtime_path;
use crate::attr::{self, Slot};
use crate::ctxt::Ctxt;
use crate::names;

/// A struct deriving `LabelSet`.
pub(super) struct LabelStruct<'a> {
    pub(super) ident: &'a syn::Ident,
    pub(super) runtime: syn::Path,
    pub(super) fields: Vec<LabelField<'a>>,
}

pub(super) struct LabelField<'a> {
    pub(super) member: &'a syn::Ident,
    pub(super) ty: &'a syn::Type,
    pub(super) label_name: String,
    /// The token the label name came from: the `rename` literal or the field name.
    pub(super) name_span: Span,
    /// Open values (strings, integers) make the set dynamic.
    pub(super) open: bool,
    /// `utf8`: the label name may lie outside the legacy character set.
    pub(super) utf8: Option<Span>,
}

impl LabelStruct<'_> {
    pub(super) fn is_fixed(&self) -> bool {
        self.fields.iter().all(|field| !field.open)
    }
}

const CONTAINER_OPTIONS: &[&str] = &["crate"];
const FIELD_OPTIONS: &[&str] = &["rename", "open", "utf8"];

pub(super) fn parse<'a>(cx: &mut Ctxt, input: &'a syn::DeriveInput) -> Option<LabelStruct<'a>> {
    let fields = match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(fields),
            ..
        }) => fields,
        syn::Data::Struct(syn::DataStruct { fields, .. }) => {
            let message = "`#[derive(LabelSet)]` needs a struct with named fields: each field name is a label name";
            match fields {
                syn::Fields::Unit => cx.error_spanned_by(&input.ident, message),
                _ => cx.error_spanned_by(fields, message),
            }
            return None;
        }
        syn::Data::Enum(data) => {
            cx.error_spanned_by(
                data.enum_token,
                "`#[derive(LabelSet)]` needs a struct with named fields; for a fieldless enum of values use `#[derive(LabelValue)]`",
            );
            return None;
        }
        syn::Data::Union(data) => {
            cx.error_spanned_by(
                data.union_token,
                "`#[derive(LabelSet)]` needs a struct with named fields, not a union",
            );
            return None;
        }
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "a label set cannot be generic: use concrete field types (`&'static str` rather than a lifetime)",
        );
    }
    let mut krate: Slot<syn::Path> = Slot::new("crate");
    attr::parse_each(cx, &input.attrs, "label", |cx, meta| {
        if meta.path.is_ident("crate") {
            let path = attr::crate_path(meta)?;
            krate.set(cx, attr::key_span(meta), path);
            Ok(())
        } else {
            Err(attr::unknown_option(meta, "label", CONTAINER_OPTIONS))
        }
    });
    if fields.named.is_empty() {
        cx.error_spanned_by(
            &input.ident,
            "a label set needs at least one field; a metric without labels needs no family",
        );
    }

    let mut parsed = Vec::new();
    for field in &fields.named {
        let Some(member) = field.ident.as_ref() else {
            continue;
        };
        let mut rename: Slot<syn::LitStr> = Slot::new("rename");
        let mut open: Slot<()> = Slot::new("open");
        let mut utf8: Slot<()> = Slot::new("utf8");
        attr::parse_each(cx, &field.attrs, "label", |cx, meta| {
            let span = attr::key_span(meta);
            if meta.path.is_ident("rename") {
                let text = attr::string_value(meta)?;
                rename.set(cx, span, text);
            } else if meta.path.is_ident("open") {
                open.set(cx, span, ());
            } else if meta.path.is_ident("utf8") {
                utf8.set(cx, span, ());
            } else {
                return Err(attr::unknown_option(meta, "label", FIELD_OPTIONS));
            }
            Ok(())
        });
        let (label_name, name_span) = match rename.get() {
            Some(text) => (text.value(), text.span()),
            None => (names::unraw(member), member.span()),
        };
        parsed.push(LabelField {
            member,
            ty: &field.ty,
            label_name,
            name_span,
            open: open.is_set() || is_open_type(&field.ty),
            utf8: utf8.span(),
        });
    }
    Some(LabelStruct {
        ident: &input.ident,
        runtime: runtime_path(krate.take()),
        fields: parsed,
    })
}

/// Whether a field type holds open values: strings and integers.
fn is_open_type(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(reference) => is_str(&reference.elem),
        syn::Type::Group(group) => is_open_type(&group.elem),
        syn::Type::Paren(paren) => is_open_type(&paren.elem),
        syn::Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return false;
            };
            let name = last.ident.to_string();
            match name.as_str() {
                "String" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16"
                | "u32" | "u64" | "u128" | "usize" => true,
                "Box" | "Arc" | "Cow" => match &last.arguments {
                    syn::PathArguments::AngleBracketed(arguments) => {
                        arguments.args.iter().any(|argument| {
                            matches!(argument, syn::GenericArgument::Type(inner) if is_str(inner))
                        })
                    }
                    _ => false,
                },
                _ => false,
            }
        }
        _ => false,
    }
}

fn is_str(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.qself.is_none() && path.path.is_ident("str"))
}
