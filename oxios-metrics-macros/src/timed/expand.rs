//! Writes the guards at the top of the timed block.
//!
//! ```text
//! fn work(..) -> R {
//!     let __oxios_timer = ExitTimer::start(|seconds| observe_static(&TARGET, seconds));
//!     let __oxios_in_flight = InFlight::enter(gauge_static(&GAUGE));   // with `in_flight`
//!     { /* the body, as written */ }
//! }
//! ```
//!
//! A target reached from a `static` goes through the `*_static` functions, which require a
//! `'static` borrow (so a `const` or a temporary is refused); one reached through `self` goes
//! through the `*_borrowed` ones, borrowed for the call.
//!
//! The body stays in its own block so that its items and statements keep their order and
//! lints (an item after our `let` would otherwise trip `clippy::items_after_statements`).
//! The guards' names are hygienic (`Span::mixed_site`), so the body cannot see or shadow
//! them. With `outcome`, exits are rewritten (see `exits.rs`) and the body's tail value is
//! handed to the guard before it is returned.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Block, Expr, ItemFn, Stmt, Type};

use super::args::{BucketsOption, Options};
use super::body::{self, TimedBody};
use super::exits;
use super::function::rooted_in_self;

pub(crate) fn function(mut function: ItemFn, options: &Options) -> TokenStream {
    let function_name = match &options.name {
        Some((_, name)) => name.value(),
        None => function.sig.ident.unraw().to_string(),
    };
    let TimedBody {
        block,
        is_future,
        output,
    } = body::locate(&mut function);
    let private = if let Some(path) = &options.krate {
        quote!(#path::__private::timed)
    } else {
        quote!(::oxios_metrics::__private::timed)
    };
    let timer = Ident::new("__oxios_timer", Span::mixed_site());
    let in_flight_guard = Ident::new("__oxios_in_flight", Span::mixed_site());

    let mut prelude = TokenStream::new();
    // Hygienic, so a target mentioning a variable named `seconds` still sees the user's.
    let seconds = Ident::new("seconds", Span::mixed_site());
    match (&options.target, &options.outcome) {
        (None, _) => {
            let site = Ident::new("__OXIOS_TIMED_SITE", Span::mixed_site());
            let buckets = buckets(options, &private);
            prelude.extend(quote! {
                static #site: #private::TimedSite =
                    #private::TimedSite::new(#function_name, ::core::module_path!(), #buckets);
                let #timer = #private::ExitTimer::start(|#seconds: f64| #site.histogram().observe(#seconds));
            });
        }
        (Some(target), None) => {
            let borrowed = borrow(target);
            let observe = through(target, "observe_static", "observe_borrowed");
            prelude.extend(quote! {
                let #timer = #private::ExitTimer::start(|#seconds: f64| #private::#observe(#borrowed, #seconds));
            });
        }
        (Some(target), Some(_)) => {
            let outcome = Ident::new("outcome", Span::call_site());
            let borrowed = borrow(target);
            let record = if mentions(target.to_token_stream(), "outcome") {
                let observe = through(target, "observe_static", "observe_borrowed");
                quote!(#private::#observe(#borrowed, #seconds))
            } else {
                let observe = through(target, "observe_outcome_static", "observe_outcome_borrowed");
                quote!(#private::#observe(#borrowed, #outcome, #seconds))
            };
            let unseen_exit = if is_future {
                quote!(#private::TimedOutcome::Cancelled)
            } else {
                quote!(#private::TimedOutcome::Error)
            };
            prelude.extend(quote! {
                let #timer = #private::OutcomeTimer::start(
                    |#[allow(unused_variables)] #outcome: #private::TimedOutcome, #seconds: f64| #record,
                    #unseen_exit,
                );
            });
        }
    }
    if let Some(gauge) = &options.in_flight {
        let borrowed = borrow(gauge);
        let resolve = through(gauge, "gauge_static", "gauge_borrowed");
        prelude.extend(quote! {
            let #in_flight_guard = #private::InFlight::enter(#private::#resolve(#borrowed));
        });
    }

    // The body's own braces, marked as coming from this macro so that `unused_braces` does
    // not read the body as redundant braces around the tail of the block holding the guards.
    let body_braces = Span::mixed_site().located_at(block.brace_token.span.join());
    let mut inner = Block {
        brace_token: syn::token::Brace(body_braces),
        stmts: std::mem::take(&mut block.stmts),
    };
    if options.outcome.is_some() {
        exits::rewrite_block(&mut inner, &timer);
        finish_tail(&mut inner, &timer, output.as_ref());
    }
    let stmts: Block = syn::parse_quote!({ #prelude #inner });
    block.stmts = stmts.stmts;
    function.into_token_stream()
}

/// `&TARGET`, with the target in an invisible group (so precedence holds without parentheses
/// a lint would flag) and the borrow spanned on the target, where a type error belongs.
fn borrow(target: &Expr) -> TokenStream {
    let span = target.span();
    let mut group = Group::new(Delimiter::None, target.to_token_stream());
    group.set_span(span);
    quote_spanned!(span=> &#group)
}

/// The runtime function for a target: the `'static` one for a target reached from a
/// `static`, the borrowed one for a target reached through `self`.
fn through(target: &Expr, from_static: &str, from_self: &str) -> Ident {
    let name = if rooted_in_self(target).is_some() {
        from_self
    } else {
        from_static
    };
    Ident::new(name, Span::call_site())
}

fn mentions(tokens: TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => mentions(group.stream(), name),
        _ => false,
    })
}

fn buckets(options: &Options, private: &TokenStream) -> TokenStream {
    match &options.buckets {
        None => quote!(#private::Buckets::DEFAULT),
        Some((_, BucketsOption::Checked(bounds))) => {
            let bounds = bounds
                .iter()
                .map(|&bound| proc_macro2::Literal::f64_suffixed(bound));
            quote!(#private::Buckets::checked(&[#(#bounds),*]))
        }
        Some((_, BucketsOption::Expr(expr))) => {
            // The whole call carries the expression's span, so a failed const check points
            // at the buckets rather than at the attribute.
            let private = respan(private.clone(), expr.span());
            quote_spanned!(expr.span()=> #private::Buckets::checked(#expr))
        }
    }
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut inner = Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                token = TokenTree::Group(inner);
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}

/// Hands the block's tail value to the guard: `let value: OUTPUT = GUARD.finish(TAIL); value`.
///
/// The binding is annotated with the function's output type (with `impl Trait` parts left to
/// inference) so the tail is checked against it exactly as before, coercions included. When
/// the tail diverges (`todo!()`), the hand-over after it is unreachable by design; the
/// `allow` (of that and of clippy's `diverging_sub_expression`) covers that statement only.
fn finish_tail(block: &mut Block, timer: &Ident, output: Option<&Type>) {
    let tail = match block.stmts.pop() {
        Some(Stmt::Expr(expr, None)) => expr,
        Some(Stmt::Macro(mac)) if mac.semi_token.is_none() => Expr::Macro(syn::ExprMacro {
            attrs: mac.attrs,
            mac: mac.mac,
        }),
        Some(other) => {
            block.stmts.push(other);
            return;
        }
        None => return,
    };
    let returned = Ident::new("__oxios_returned", Span::mixed_site());
    let annotation = output.map(|ty| {
        let ty = infer_impl_trait(ty.clone());
        quote!(: #ty)
    });
    let span = tail.span();
    let finish: Vec<Stmt> = syn::parse_quote_spanned! {span=>
        #[allow(unreachable_code, clippy::diverging_sub_expression)]
        let #returned #annotation = #timer.finish(#tail);
    };
    block.stmts.extend(finish);
    block
        .stmts
        .push(Stmt::Expr(syn::parse_quote!(#returned), None));
}

/// Replaces each `impl Trait` inside a type with `_`, which a `let` annotation allows.
fn infer_impl_trait(ty: Type) -> Type {
    match ty {
        Type::ImplTrait(impl_trait) => Type::Infer(syn::TypeInfer {
            underscore_token: syn::Token![_](impl_trait.impl_token.span),
        }),
        Type::Path(mut path) => {
            for segment in &mut path.path.segments {
                if let syn::PathArguments::AngleBracketed(arguments) = &mut segment.arguments {
                    for argument in &mut arguments.args {
                        if let syn::GenericArgument::Type(inner) = argument {
                            *inner = infer_impl_trait(inner.clone());
                        }
                    }
                }
            }
            Type::Path(path)
        }
        Type::Reference(mut reference) => {
            *reference.elem = infer_impl_trait(*reference.elem);
            Type::Reference(reference)
        }
        Type::Tuple(mut tuple) => {
            for elem in &mut tuple.elems {
                *elem = infer_impl_trait(elem.clone());
            }
            Type::Tuple(tuple)
        }
        Type::Paren(paren) => infer_impl_trait(*paren.elem),
        Type::Group(group) => infer_impl_trait(*group.elem),
        other => other,
    }
}
