//! `#[derive(Metrics)]`: parse (`ast`, `attr`, `kind`, `buckets`, `native`, `summary`) →
//! check (`valid`) → generate (`expand`).

mod ast;
mod attr;
mod buckets;
mod expand;
mod kind;
mod native;
mod summary;
mod typed;
mod valid;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub(crate) fn derive(cx: &mut Ctxt, input: &syn::DeriveInput) -> Option<TokenStream> {
    let group = ast::parse(cx, input)?;
    let plan = valid::check(cx, &group);
    if group.fails_on_its_own {
        return None;
    }
    if cx.has_errors() {
        // Generic structs get no fallback (their impls would need the parameters), nor do
        // structs with a field that is not a metric (it cannot be built).
        let buildable = input.generics.params.is_empty()
            && group
                .fields
                .iter()
                .all(|field| !matches!(field.role, ast::Role::Invalid));
        return buildable.then(|| expand::fallback(&plan));
    }
    Some(expand::expand(&plan))
}
