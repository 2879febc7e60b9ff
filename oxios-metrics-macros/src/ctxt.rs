//! Collects every error a derive finds, so the user sees all of them in one build.

use proc_macro2::TokenStream;
use quote::ToTokens;

/// The errors found so far while expanding one derive.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Vec<syn::Error>,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Ctxt::default()
    }

    /// Records an error pointing at `tokens`.
    pub(crate) fn error_spanned_by<T: ToTokens, M: std::fmt::Display>(
        &mut self,
        tokens: T,
        message: M,
    ) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error at `span`.
    pub(crate) fn error_at<M: std::fmt::Display>(&mut self, span: proc_macro2::Span, message: M) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error produced by `syn`'s parsers.
    pub(crate) fn syn_error(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// All errors as `compile_error!` invocations, or `None` when there were none.
    pub(crate) fn into_compile_errors(self) -> Option<TokenStream> {
        if self.errors.is_empty() {
            return None;
        }
        Some(
            self.errors
                .into_iter()
                .map(|error| error.to_compile_error())
                .collect(),
        )
    }
}

/// Runs a derive: `expand` returns code and may leave errors in the context. With errors,
/// the code returned is a fallback that only keeps the user's other uses of the type from
/// adding errors of their own.
pub(crate) fn run(expand: impl FnOnce(&mut Ctxt) -> Option<TokenStream>) -> TokenStream {
    let mut cx = Ctxt::new();
    let output = expand(&mut cx).unwrap_or_default();
    match cx.into_compile_errors() {
        Some(mut errors) => {
            errors.extend(output);
            errors
        }
        None => output,
    }
}
