//! For the outcome option: hand every value leaving the function to the guard.
//!
//! `return VALUE` becomes `return GUARD.finish(VALUE)` and `VALUE?` becomes
//! `GUARD.watch(VALUE)?`; both pass the value through unchanged after looking at it by
//! reference, so `return` and `?` keep their meaning and types. Closures, `async` blocks,
//! `const` blocks and nested items have exits of their own and are left alone, as are macro
//! invocations, whose tokens are not Rust syntax yet.

use proc_macro2::Ident;
use syn::spanned::Spanned;
use syn::{Block, Expr, Stmt};

pub(crate) fn rewrite_block(block: &mut Block, guard: &Ident) {
    for stmt in &mut block.stmts {
        rewrite_stmt(stmt, guard);
    }
}

fn rewrite_stmt(stmt: &mut Stmt, guard: &Ident) {
    match stmt {
        Stmt::Local(local) => {
            if let Some(init) = &mut local.init {
                rewrite_expr(&mut init.expr, guard);
                if let Some((_, diverge)) = &mut init.diverge {
                    rewrite_expr(diverge, guard);
                }
            }
        }
        Stmt::Expr(expr, _) => rewrite_expr(expr, guard),
        Stmt::Item(_) | Stmt::Macro(_) => {}
    }
}

fn rewrite_all<'a>(exprs: impl IntoIterator<Item = &'a mut Expr>, guard: &Ident) {
    for expr in exprs {
        rewrite_expr(expr, guard);
    }
}

#[allow(clippy::too_many_lines, clippy::match_same_arms)] // one arm per kind of expression
fn rewrite_expr(expr: &mut Expr, guard: &Ident) {
    match expr {
        Expr::Try(try_expr) => {
            rewrite_expr(&mut try_expr.expr, guard);
            let operand = &try_expr.expr;
            let span = operand.span();
            let watched: Expr = syn::parse_quote_spanned!(span=> #guard.watch(#operand));
            *try_expr.expr = watched;
        }
        Expr::Return(return_expr) => {
            if let Some(value) = &mut return_expr.expr {
                rewrite_expr(value, guard);
                let span = value.span();
                let finished: Expr = syn::parse_quote_spanned!(span=> #guard.finish(#value));
                **value = finished;
            }
        }
        // Their own `return` and `?` leave them, not the function.
        Expr::Closure(_) | Expr::Async(_) | Expr::Const(_) | Expr::TryBlock(_) | Expr::Macro(_) => {
        }
        Expr::Array(array) => rewrite_all(&mut array.elems, guard),
        Expr::Assign(assign) => rewrite_all([&mut *assign.left, &mut *assign.right], guard),
        Expr::Await(await_expr) => rewrite_expr(&mut await_expr.base, guard),
        Expr::Binary(binary) => rewrite_all([&mut *binary.left, &mut *binary.right], guard),
        Expr::Block(block) => rewrite_block(&mut block.block, guard),
        Expr::Break(break_expr) => rewrite_all(break_expr.expr.as_deref_mut(), guard),
        Expr::Call(call) => {
            rewrite_expr(&mut call.func, guard);
            rewrite_all(&mut call.args, guard);
        }
        Expr::Cast(cast) => rewrite_expr(&mut cast.expr, guard),
        Expr::Field(field) => rewrite_expr(&mut field.base, guard),
        Expr::ForLoop(for_loop) => {
            rewrite_expr(&mut for_loop.expr, guard);
            rewrite_block(&mut for_loop.body, guard);
        }
        Expr::Group(group) => rewrite_expr(&mut group.expr, guard),
        Expr::If(if_expr) => {
            rewrite_expr(&mut if_expr.cond, guard);
            rewrite_block(&mut if_expr.then_branch, guard);
            if let Some((_, else_branch)) = &mut if_expr.else_branch {
                rewrite_expr(else_branch, guard);
            }
        }
        Expr::Index(index) => rewrite_all([&mut *index.expr, &mut *index.index], guard),
        Expr::Let(let_expr) => rewrite_expr(&mut let_expr.expr, guard),
        Expr::Loop(loop_expr) => rewrite_block(&mut loop_expr.body, guard),
        Expr::Match(match_expr) => {
            rewrite_expr(&mut match_expr.expr, guard);
            for arm in &mut match_expr.arms {
                if let Some((_, condition)) = &mut arm.guard {
                    rewrite_expr(condition, guard);
                }
                rewrite_expr(&mut arm.body, guard);
            }
        }
        Expr::MethodCall(call) => {
            rewrite_expr(&mut call.receiver, guard);
            rewrite_all(&mut call.args, guard);
        }
        Expr::Paren(paren) => rewrite_expr(&mut paren.expr, guard),
        Expr::Range(range) => {
            rewrite_all(range.start.as_deref_mut(), guard);
            rewrite_all(range.end.as_deref_mut(), guard);
        }
        Expr::RawAddr(raw) => rewrite_expr(&mut raw.expr, guard),
        Expr::Reference(reference) => rewrite_expr(&mut reference.expr, guard),
        Expr::Repeat(repeat) => rewrite_expr(&mut repeat.expr, guard),
        Expr::Struct(struct_expr) => {
            for field in &mut struct_expr.fields {
                rewrite_expr(&mut field.expr, guard);
            }
            rewrite_all(struct_expr.rest.as_deref_mut(), guard);
        }
        Expr::Tuple(tuple) => rewrite_all(&mut tuple.elems, guard),
        Expr::Unary(unary) => rewrite_expr(&mut unary.expr, guard),
        Expr::Unsafe(unsafe_expr) => rewrite_block(&mut unsafe_expr.block, guard),
        Expr::While(while_expr) => {
            rewrite_expr(&mut while_expr.cond, guard);
            rewrite_block(&mut while_expr.body, guard);
        }
        Expr::Yield(yield_expr) => rewrite_all(yield_expr.expr.as_deref_mut(), guard),
        // Paths, literals and the rest hold no exits.
        _ => {}
    }
}
