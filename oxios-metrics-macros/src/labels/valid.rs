//! The rules of label sets and label values: label names (valid, snake_case, not reserved,
//! distinct) and values (non-empty, distinct after renaming).

use proc_macro2::Span;

use super::set::LabelStruct;
use super::value::{LabelEnum, LabelName};
use crate::ctxt::Ctxt;
use crate::names;

pub(super) fn check_set(cx: &mut Ctxt, input: &LabelStruct<'_>) {
    for (index, field) in input.fields.iter().enumerate() {
        check_label_name(cx, &field.label_name, field.name_span, field.utf8, "rename");
        if let Some(first) = input.fields[..index]
            .iter()
            .find(|earlier| earlier.label_name == field.label_name)
        {
            cx.error_at(
                field.name_span,
                format!(
                    "label `{}` is already the label of field `{}`; label names must be distinct",
                    field.label_name, first.member
                ),
            );
        } else if let Some(first) = input.fields[..index].iter().find(|earlier| {
            names::underscore_escaped(&earlier.label_name)
                == names::underscore_escaped(&field.label_name)
        }) {
            // A scrape that does not negotiate UTF-8 names would write the label twice, and
            // Prometheus refuses the whole scrape for a repeated label.
            cx.error_at(
                field.name_span,
                format!(
                    "label `{}` and label `{}` of field `{}` both read as `{}` once a scrape escapes names (`underscores`); label names must stay distinct",
                    field.label_name,
                    first.label_name,
                    first.member,
                    names::underscore_escaped(&field.label_name),
                ),
            );
        }
    }
}

pub(super) fn check_value(cx: &mut Ctxt, input: &LabelEnum<'_>) {
    match &input.label_name {
        LabelName::Declared(literal) => {
            check_label_name(cx, &literal.value(), literal.span(), input.utf8, "name");
        }
        LabelName::Derived(derived) => {
            if let Some(span) = input.utf8 {
                cx.error_at(
                    span,
                    "`utf8` is not needed: the label name derived from the type name is in the legacy character set; declare one outside it with `#[label(name = \"...\", utf8)]` or remove `utf8`",
                );
            }
            if let Some(problem) = names::label_name_problem(derived, true) {
                cx.error_spanned_by(
                    input.ident,
                    format!("the label name derived from the type name is `{derived}`: {problem}; set one with `#[label(name = \"...\")]`"),
                );
            }
        }
    }
    if input.variants.is_empty() {
        cx.error_spanned_by(
            input.ident,
            "an enum without variants has no label values; add at least one variant",
        );
    }
    for (index, variant) in input.variants.iter().enumerate() {
        if variant.value.is_empty() {
            cx.error_at(
                variant.span,
                "an empty label value is the same as no label at all; choose a non-empty value",
            );
        }
        if let Some(first) = input.variants[..index]
            .iter()
            .find(|earlier| earlier.value == variant.value)
        {
            cx.error_at(
                variant.span,
                format!(
                    "label value `{}` of `{}` is already the value of `{}`; label values must be distinct",
                    variant.value, variant.ident, first.ident
                ),
            );
        }
    }
}

/// Reports `name` if it cannot be a label name of a label set. `le` is refused in every set,
/// since a set cannot know whether it will key a histogram family. With `utf8` (its span
/// given), the name may lie outside the legacy character set, checked by the rules the
/// registry applies to such names; a legacy name does not need it.
fn check_label_name(cx: &mut Ctxt, name: &str, span: Span, utf8: Option<Span>, option: &str) {
    let problem = match utf8 {
        Some(utf8_span) if names::is_legacy_name(name) => {
            if names::label_name_problem(name, true).is_none() {
                cx.error_at(
                    utf8_span,
                    format!("`utf8` is not needed: label name `{name}` is in the legacy character set; remove it"),
                );
            }
            names::label_name_problem(name, true)
        }
        Some(_) => names::utf8_name_problem(name, "label name")
            .or_else(|| names::reserved_label_problem(name, true))
            .or_else(|| {
                let escaped = names::underscore_escaped(name);
                escaped.starts_with("__").then(|| {
                    format!("label name `{name}` reads as `{escaped}` once a scrape escapes names, and `__` starts the labels Prometheus reserves and drops")
                })
            }),
        None => names::label_name_problem(name, true).map(|problem| {
            let hint = names::utf8_hint(
                name,
                "label name",
                &format!("#[label({option} = \"...\", utf8)]"),
            );
            format!("{problem}{hint}")
        }),
    };
    if let Some(problem) = problem {
        cx.error_at(span, problem);
    }
}
