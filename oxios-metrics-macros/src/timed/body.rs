//! Where the timed code runs: the function body, or the `async` block a plain function
//! returns as its future.
//!
//! An `async fn` inside an `#[async_trait]` impl reaches `#[timed]` already rewritten by
//! `async_trait` into a plain function whose body ends in `Box::pin(async move { .. })`. Timing
//! that body would measure only building the future, so the guard goes inside the `async`
//! block instead, as it does for an `async fn`. The same holds for any function whose body
//! ends in an `async` block (`-> impl Future<..>`, `-> BoxFuture<..>`).

use syn::{Block, Expr, GenericArgument, ItemFn, PathArguments, ReturnType, Stmt, Type};

/// The block the guards go into.
pub(crate) struct TimedBody<'a> {
    pub(crate) block: &'a mut Block,
    /// True when the block runs as a future, which can be dropped before it completes.
    pub(crate) is_future: bool,
    /// The type the block produces, when it can be written (for the outcome option).
    pub(crate) output: Option<Type>,
}

pub(crate) fn locate(function: &mut ItemFn) -> TimedBody<'_> {
    let declared = match &function.sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some((**ty).clone()),
    };
    if function.sig.asyncness.is_some() {
        return TimedBody {
            block: &mut function.block,
            is_future: true,
            output: declared,
        };
    }
    if tail_async_block(&function.block).is_some() {
        let output = declared.as_ref().and_then(future_output);
        let block = tail_async_block_mut(&mut function.block).expect("checked just above");
        return TimedBody {
            block,
            is_future: true,
            output,
        };
    }
    TimedBody {
        block: &mut function.block,
        is_future: false,
        output: declared,
    }
}

/// The `async` block that ends `block`, directly or as the one argument of a call to a
/// function named `pin` (`Box::pin(async move { .. })`).
fn tail_async_block(block: &Block) -> Option<&Block> {
    let Some(Stmt::Expr(tail, None)) = block.stmts.last() else {
        return None;
    };
    match unwrap_parens(tail) {
        Expr::Async(async_block) => Some(&async_block.block),
        Expr::Call(call) if call.args.len() == 1 && is_pin_path(&call.func) => {
            match unwrap_parens(&call.args[0]) {
                Expr::Async(async_block) => Some(&async_block.block),
                _ => None,
            }
        }
        _ => None,
    }
}

fn tail_async_block_mut(block: &mut Block) -> Option<&mut Block> {
    let Some(Stmt::Expr(tail, None)) = block.stmts.last_mut() else {
        return None;
    };
    match unwrap_parens_mut(tail) {
        Expr::Async(async_block) => Some(&mut async_block.block),
        Expr::Call(call) if call.args.len() == 1 && is_pin_path(&call.func) => {
            match unwrap_parens_mut(&mut call.args[0]) {
                Expr::Async(async_block) => Some(&mut async_block.block),
                _ => None,
            }
        }
        _ => None,
    }
}

fn is_pin_path(func: &Expr) -> bool {
    matches!(unwrap_parens(func), Expr::Path(path)
        if path.path.segments.last().is_some_and(|segment| segment.ident == "pin"))
}

fn unwrap_parens(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(inner) => unwrap_parens(&inner.expr),
        Expr::Group(inner) => unwrap_parens(&inner.expr),
        other => other,
    }
}

fn unwrap_parens_mut(expr: &mut Expr) -> &mut Expr {
    match expr {
        Expr::Paren(inner) => unwrap_parens_mut(&mut inner.expr),
        Expr::Group(inner) => unwrap_parens_mut(&mut inner.expr),
        other => other,
    }
}

/// `T` in a return type mentioning `Future<Output = T>`, anywhere inside it.
fn future_output(ty: &Type) -> Option<Type> {
    match ty {
        Type::Path(path) => path.path.segments.iter().find_map(|segment| {
            let PathArguments::AngleBracketed(arguments) = &segment.arguments else {
                return None;
            };
            arguments.args.iter().find_map(|argument| match argument {
                GenericArgument::AssocType(binding) if binding.ident == "Output" => {
                    Some(binding.ty.clone())
                }
                GenericArgument::Type(inner) => future_output(inner),
                _ => None,
            })
        }),
        Type::ImplTrait(bounds) => bounds.bounds.iter().find_map(bound_output),
        Type::TraitObject(bounds) => bounds.bounds.iter().find_map(bound_output),
        Type::Paren(inner) => future_output(&inner.elem),
        Type::Group(inner) => future_output(&inner.elem),
        _ => None,
    }
}

fn bound_output(bound: &syn::TypeParamBound) -> Option<Type> {
    let syn::TypeParamBound::Trait(bound) = bound else {
        return None;
    };
    future_output(&Type::Path(syn::TypePath {
        qself: None,
        path: bound.path.clone(),
    }))
}
