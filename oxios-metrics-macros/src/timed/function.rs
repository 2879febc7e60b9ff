//! The annotated item, and what `#[timed]` refuses to time.

use proc_macro2::TokenStream;
use syn::{Expr, Item, ItemFn, ReturnType, TraitItemFn};

use super::args::Options;
use super::Errors;

/// Parses the item; anything but a function with a body is an error on the item.
pub(crate) fn parse(item: TokenStream, errors: &mut Errors) -> Option<ItemFn> {
    if let Ok(function) = syn::parse2::<ItemFn>(item.clone()) {
        return Some(function);
    }
    if let Ok(declaration) = syn::parse2::<TraitItemFn>(item.clone()) {
        if declaration.default.is_none() {
            errors.push_spanned(
                &declaration.sig,
                "`#[timed]` needs a function body to time: put it on the implementations of this method",
            );
            return None;
        }
    }
    match syn::parse2::<Item>(item) {
        Ok(other) => {
            let what = describe(&other);
            errors.push(syn::Error::new(
                first_token_span(&other),
                format!("`#[timed]` goes on a function, not on {what}"),
            ));
        }
        Err(error) => errors.push(error),
    }
    None
}

fn describe(item: &Item) -> &'static str {
    match item {
        Item::Struct(_) => "a struct",
        Item::Enum(_) => "an enum",
        Item::Union(_) => "a union",
        Item::Impl(_) => "an impl block (put it on each method to time)",
        Item::Trait(_) => "a trait (put it on each method body to time)",
        Item::Mod(_) => "a module",
        Item::Static(_) => "a static",
        Item::Const(_) => "a constant",
        Item::Type(_) => "a type alias",
        Item::Use(_) => "a `use` declaration",
        Item::ForeignMod(_) => "an `extern` block",
        Item::Macro(_) => "a macro invocation",
        _ => "this item",
    }
}

/// The span of the item's keyword (after its attributes and visibility), where the error
/// reads best.
fn first_token_span(item: &Item) -> proc_macro2::Span {
    use syn::spanned::Spanned;
    match item {
        Item::Struct(item) => item.struct_token.span,
        Item::Enum(item) => item.enum_token.span,
        Item::Union(item) => item.union_token.span,
        Item::Impl(item) => item.impl_token.span,
        Item::Trait(item) => item.trait_token.span,
        Item::Mod(item) => item.mod_token.span,
        Item::Static(item) => item.static_token.span,
        Item::Const(item) => item.const_token.span,
        Item::Type(item) => item.type_token.span,
        Item::Use(item) => item.use_token.span,
        other => other.span(),
    }
}

/// Refuses the functions and option combinations that cannot be timed.
pub(crate) fn check(function: &ItemFn, options: &Options, errors: &mut Errors) {
    let sig = &function.sig;
    if let Some(constness) = &sig.constness {
        errors.push_spanned(
            constness,
            "`#[timed]` cannot time a `const fn`: it reads the clock at run time, which a const fn cannot do",
        );
    }
    if let Some(abi) = &sig.abi {
        let is_rust = abi.name.as_ref().is_some_and(|name| name.value() == "Rust");
        if !is_rust {
            errors.push_spanned(
                abi,
                "`#[timed]` cannot time an `extern` function: time the Rust function it calls instead",
            );
        }
    }
    if options.target.is_some() {
        for (span, option, instead) in options.bare_only_options() {
            errors.push(syn::Error::new(
                span,
                format!(
                    "`{option}` is for the bare form (`#[timed({option} = ..)]`), which records into the built-in family; {instead}"
                ),
            ));
        }
    }
    for expr in options.target.iter().chain(&options.in_flight) {
        if let Some(self_token) = rooted_in_self(expr) {
            if let Some(problem) = receiver_problem(sig) {
                errors.push(syn::Error::new(self_token.span(), problem));
            }
        }
    }
    if let Some(outcome) = &options.outcome {
        if options.target.is_none() {
            errors.push_spanned(
                outcome,
                "`outcome` needs a target keyed by the outcome: `#[timed(METRICS.calls, outcome)]` with `calls: Family<TimedOutcome, Histogram>`",
            );
        }
        if matches!(sig.output, ReturnType::Default) {
            errors.push_spanned(
                outcome,
                "`outcome` needs a function returning `Result`; this one returns `()`",
            );
        }
    }
}

/// Why a target reached through `self` cannot work in a function with this signature, or
/// `None` for a `&self` method (`&self`, `&'a self`, `self: &T`, `self: Pin<&T>`).
///
/// The guard borrows `self` from the call's start until it records at the exit, while the
/// body runs: that borrow is shared, so the body can use `self` through `&self` only. With
/// `&mut self` the borrows conflict, and with `self` by value the body may move or drop it
/// before the guard is done.
fn receiver_problem(sig: &syn::Signature) -> Option<String> {
    const INSTEAD: &str =
        "take `&self` (recording needs no `&mut`), or record into a metric of a `static` group";
    let name = &sig.ident;
    let Some(syn::FnArg::Receiver(receiver)) = sig.inputs.first() else {
        return Some(format!(
            "this target is reached through `self`, and `fn {name}` has no `self` parameter: \
             a target through `self` needs a method taking `&self`; use a metric of a `static` \
             group (`METRICS.latency`) here"
        ));
    };
    let shared = match &*receiver.ty {
        syn::Type::Reference(reference) => reference.mutability.is_none(),
        syn::Type::Path(path) => path.path.segments.last().is_some_and(|last| {
            last.ident == "Pin"
                && matches!(&last.arguments, syn::PathArguments::AngleBracketed(arguments)
                    if matches!(arguments.args.first(),
                        Some(syn::GenericArgument::Type(syn::Type::Reference(reference)))
                            if reference.mutability.is_none()))
        }),
        _ => false,
    };
    if shared {
        return None;
    }
    let mutable = match &*receiver.ty {
        syn::Type::Reference(reference) => reference.mutability.is_some(),
        _ => receiver.mutability.is_some() && receiver.reference.is_some(),
    };
    Some(if mutable {
        format!(
            "this target is reached through `self`, which `fn {name}` borrows mutably: the timer \
             holds a shared borrow of `self` from the call's start to its exit, which a body \
             using `&mut self` cannot share; {INSTEAD}"
        )
    } else {
        format!(
            "this target is reached through `self`, which `fn {name}` takes by value: the body \
             may move or drop `self` before the timer records into it at the exit; {INSTEAD}"
        )
    })
}

/// The `self` an expression's place starts from (`self.latency`, `self.metrics.get(..)`);
/// `self` inside arguments (`METRICS.latency.get(self.kind)`) does not make a target one
/// reached through `self`.
pub(crate) fn rooted_in_self(expr: &Expr) -> Option<&syn::Ident> {
    match expr {
        Expr::Path(path) if path.qself.is_none() => {
            path.path.get_ident().filter(|ident| *ident == "self")
        }
        Expr::Field(field) => rooted_in_self(&field.base),
        Expr::MethodCall(call) => rooted_in_self(&call.receiver),
        Expr::Index(index) => rooted_in_self(&index.expr),
        Expr::Paren(paren) => rooted_in_self(&paren.expr),
        Expr::Group(group) => rooted_in_self(&group.expr),
        Expr::Reference(reference) => rooted_in_self(&reference.expr),
        Expr::Unary(unary) => rooted_in_self(&unary.expr),
        _ => None,
    }
}
