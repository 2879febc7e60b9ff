//! `#[derive(LabelValue)]` (fieldless enums) and `#[derive(LabelSet)]` (structs): parse
//! (`set`, `value`) → check (`valid`) → generate (`set_expand`, `value_expand`).

mod set;
mod set_expand;
mod valid;
mod value;
mod value_expand;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub(crate) fn derive_label_set(cx: &mut Ctxt, input: &syn::DeriveInput) -> Option<TokenStream> {
    let parsed = set::parse(cx, input)?;
    valid::check_set(cx, &parsed);
    if cx.has_errors() {
        return None;
    }
    Some(set_expand::expand(&parsed))
}

pub(crate) fn derive_label_value(cx: &mut Ctxt, input: &syn::DeriveInput) -> Option<TokenStream> {
    let parsed = value::parse(cx, input)?;
    valid::check_value(cx, &parsed);
    if cx.has_errors() {
        return None;
    }
    Some(value_expand::expand(&parsed))
}

/// The path of the runtime crate: `::oxios_metrics` unless `crate = ...` says otherwise.
fn runtime_path(custom: Option<syn::Path>) -> syn::Path {
    custom.unwrap_or_else(|| syn::parse_quote!(::oxios_metrics))
}
