//! The struct deriving `Metrics`, parsed: the group, its fields and their attributes.

use super::attr::{self, ConstLabel, FieldAttrs};
use super::kind::{self, Classified, NotAMetric};
use crate::ctxt::Ctxt;

/// A struct deriving `Metrics`.
pub(super) struct Group<'a> {
    pub(super) ident: &'a syn::Ident,
    pub(super) vis: &'a syn::Visibility,
    pub(super) runtime: syn::Path,
    pub(super) prefix: Option<syn::LitStr>,
    pub(super) const_labels: Vec<ConstLabel>,
    pub(super) fields: Vec<Field<'a>>,
    /// A field's type makes the struct declaration fail on its own, with a message saying
    /// what to write (see `NotAMetric::FailsOnItsOwn`), so nothing is generated.
    pub(super) fails_on_its_own: bool,
}

/// One field of the group.
pub(super) struct Field<'a> {
    pub(super) member: &'a syn::Ident,
    pub(super) ty: &'a syn::Type,
    pub(super) attrs: FieldAttrs,
    /// The doc comment, lines trimmed and joined with a space.
    pub(super) doc: String,
    pub(super) role: Role<'a>,
}

/// What a field is to the group.
pub(super) enum Role<'a> {
    Metric(Classified<'a>),
    /// A group of its own (`#[metric(nested)]`).
    Nested,
    /// Not part of the group (`#[metric(skip)]`).
    Skip,
    /// A type that is not a metric; already reported.
    Invalid,
}

pub(super) fn parse<'a>(cx: &mut Ctxt, input: &'a syn::DeriveInput) -> Option<Group<'a>> {
    const NEEDS: &str = "`#[derive(Metrics)]` needs a struct with named fields, one per metric";
    let fields = match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(fields),
            ..
        }) => fields,
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Unnamed(fields),
            ..
        }) => {
            cx.error_spanned_by(
                fields,
                format!("{NEEDS}: a tuple struct has no field names to name its metrics"),
            );
            return None;
        }
        syn::Data::Struct(_) => {
            cx.error_spanned_by(
                &input.ident,
                format!("{NEEDS}: a unit struct has no metrics"),
            );
            return None;
        }
        syn::Data::Enum(data) => {
            cx.error_spanned_by(data.enum_token, format!("{NEEDS}, not an enum"));
            return None;
        }
        syn::Data::Union(data) => {
            cx.error_spanned_by(data.union_token, format!("{NEEDS}, not a union"));
            return None;
        }
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "a metrics group cannot be generic: it is built by a `const fn new()` for a `static`",
        );
    }
    let container = attr::container(cx, &input.attrs);
    let mut fails_on_its_own = false;
    let fields = fields
        .named
        .iter()
        .filter_map(|field| {
            let member = field.ident.as_ref()?;
            let attrs = attr::field(cx, &field.attrs);
            let role = if attrs.skip.is_some() {
                Role::Skip
            } else if attrs.nested.is_some() {
                Role::Nested
            } else {
                match kind::classify(&field.ty) {
                    Ok(classified) => Role::Metric(classified),
                    Err(NotAMetric::Unknown) => {
                        cx.error_spanned_by(
                            &field.ty,
                            format!("this field's type is not a metric: expected {}; mark a group deriving `Metrics` with `#[metric(nested)]` and any other value with `#[metric(skip)]`", kind::FIELD_TYPES),
                        );
                        Role::Invalid
                    }
                    Err(NotAMetric::BadFamily(at, message)) => {
                        cx.error_spanned_by(at, message);
                        Role::Invalid
                    }
                    Err(NotAMetric::FailsOnItsOwn) => {
                        fails_on_its_own = true;
                        Role::Invalid
                    }
                }
            };
            Some(Field {
                member,
                ty: &field.ty,
                attrs,
                doc: crate::attr::doc_text(&field.attrs),
                role,
            })
        })
        .collect();
    Some(Group {
        ident: &input.ident,
        vis: &input.vis,
        runtime: container
            .runtime
            .unwrap_or_else(|| syn::parse_quote!(::oxios_metrics)),
        prefix: container.prefix,
        const_labels: container.labels,
        fields,
        fails_on_its_own,
    })
}
