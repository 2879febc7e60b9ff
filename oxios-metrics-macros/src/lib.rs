//! Macros of `oxios-metrics`: `#[derive(Metrics)]`, `#[derive(LabelValue)]`,
//! `#[derive(LabelSet)]` and `#[timed]`. Use them through the `oxios-metrics` crate, which
//! re-exports them.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod attr;
mod ctxt;
mod labels;
mod metrics;
mod names;
mod timed;

/// Declares a group of metrics. See `oxios_metrics` for the attributes.
#[proc_macro_derive(Metrics, attributes(metrics, metric))]
pub fn derive_metrics(input: TokenStream) -> TokenStream {
    derive(input, metrics::derive)
}

/// Makes a fieldless enum a label value (and a one-label label set).
#[proc_macro_derive(LabelValue, attributes(label))]
pub fn derive_label_value(input: TokenStream) -> TokenStream {
    derive(input, labels::value::derive)
}

/// Makes a struct a label set.
#[proc_macro_derive(LabelSet, attributes(label))]
pub fn derive_label_set(input: TokenStream) -> TokenStream {
    derive(input, labels::set::derive)
}

/// Parses the input and runs one derive, turning every collected error into a
/// `compile_error!` at its span.
fn derive(
    input: TokenStream,
    expand: fn(&mut ctxt::Ctxt, &syn::DeriveInput) -> Option<proc_macro2::TokenStream>,
) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(input) => ctxt::run(|cx| expand(cx, &input)).into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// Records a function's duration into a histogram.
#[proc_macro_attribute]
pub fn timed(args: TokenStream, item: TokenStream) -> TokenStream {
    timed::expand(args.into(), item.into()).into()
}
