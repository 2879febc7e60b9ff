//! The rules of label sets and label values: label names (valid, snake_case, not reserved,
//! distinct) and values (non-empty, distinct after renaming).

use proc_macro2::Span;

use super::set::LabelStruct;
use super::value::{LabelEnum, LabelName};
use crate::ctxt::Ctxt;
use crate::names;

pub(super) fn check_set(cx: &mut Ctxt, input: &LabelStruct<'_>) {
    for (index, field) in input.fields.iter().enumerate() {
        check_label_name(cx, &field.label_name, field.name_span);
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
        }
    }
}

pub(super) fn check_value(cx: &mut Ctxt, input: &LabelEnum<'_>) {
    match &input.label_name {
        LabelName::Declared(literal) => check_label_name(cx, &literal.value(), literal.span()),
        LabelName::Derived(derived) => {
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
/// since a set cannot know whether it will key a histogram family.
fn check_label_name(cx: &mut Ctxt, name: &str, span: Span) {
    if let Some(problem) = names::label_name_problem(name, true) {
        cx.error_at(span, problem);
    }
}
