//! `#[derive(LabelValue)]` (fieldless enums) and `#[derive(LabelSet)]` (structs).

pub(crate) mod set;
mod set_expand;
pub(crate) mod value;
mod value_expand;

use proc_macro2::Span;

use crate::ctxt::Ctxt;
use crate::names;

/// Reports `name` if it cannot be a label name of a label set. `le` is refused in every set,
/// since a set cannot know whether it will key a histogram family.
fn check_label_name(cx: &mut Ctxt, name: &str, span: Span) {
    if let Some(problem) = names::label_name_problem(name, true) {
        cx.error_at(span, problem);
    }
}

/// The path of the runtime crate: `::oxios_metrics` unless `crate = ...` says otherwise.
fn runtime_path(custom: Option<syn::Path>) -> syn::Path {
    custom.unwrap_or_else(|| syn::parse_quote!(::oxios_metrics))
}
