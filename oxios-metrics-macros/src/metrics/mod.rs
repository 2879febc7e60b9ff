//! `#[derive(Metrics)]`: parse (`ast`, `attr`, `kind`, `buckets`) → check (`valid`) →
//! generate (`expand`).

mod ast;
mod attr;
mod buckets;
mod expand;
mod kind;
mod valid;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub(crate) fn derive(cx: &mut Ctxt, input: &syn::DeriveInput) -> Option<TokenStream> {
    let group = ast::parse(cx, input)?;
    let plan = valid::check(cx, &group);
    if cx.has_errors() {
        return None;
    }
    Some(expand::expand(&plan))
}
