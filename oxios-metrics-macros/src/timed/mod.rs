//! `#[timed]`: parse the options and the function, check both, then wrap the body.
//!
//! * `args.rs` reads the options (`TARGET`, `outcome`, `in_flight = ..`, `buckets = [..]`,
//!   `name = ".."`), collecting every mistake;
//! * `function.rs` reads the item and refuses what cannot be timed (`const fn`, `extern fn`,
//!   a declaration without a body, anything that is not a function);
//! * `body.rs` finds where the timed code runs (the body, or the `async` block a function
//!   returns, as `#[async_trait]` writes it);
//! * `exits.rs` rewrites `return` and `?` so the outcome option sees the returned value;
//! * `expand.rs` writes the guards.

mod args;
mod body;
mod exits;
mod expand;
mod function;

use proc_macro2::TokenStream;

/// Collects errors so that every mistake is reported at once.
#[derive(Default)]
pub(crate) struct Errors {
    first: Option<syn::Error>,
}

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.first {
            Some(first) => first.combine(error),
            None => self.first = Some(error),
        }
    }

    fn push_spanned<T: quote::ToTokens, M: std::fmt::Display>(&mut self, tokens: T, message: M) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    fn into_result(self) -> Result<(), syn::Error> {
        self.first.map_or(Ok(()), Err)
    }
}

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = args::parse(args, &mut errors);
    let function = function::parse(item.clone(), &mut errors);
    let (Some(options), Some(function)) = (options, function) else {
        return with_item(errors, item);
    };
    function::check(&function, &options, &mut errors);
    if let Err(error) = errors.into_result() {
        // Keep the function as written so its other uses do not add unrelated errors.
        let mut out = error.to_compile_error();
        out.extend(quote::ToTokens::into_token_stream(function));
        return out;
    }
    expand::function(function, &options)
}

fn with_item(errors: Errors, item: TokenStream) -> TokenStream {
    let mut out = match errors.into_result() {
        Ok(()) => TokenStream::new(),
        Err(error) => error.to_compile_error(),
    };
    out.extend(item);
    out
}
