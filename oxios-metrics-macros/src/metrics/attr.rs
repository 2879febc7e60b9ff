//! The `#[metrics(...)]` (container) and `#[metric(...)]` (field) attributes.

use proc_macro2::Span;

use super::buckets::BucketSpec;
use super::native::{self, NativeSpec};
use super::summary::{self, Quantiles};
use crate::attr::{self, Slot};
use crate::ctxt::Ctxt;

/// `#[metrics(prefix = "...", labels(key = "value", ...), crate = path)]`.
pub(super) struct ContainerAttrs {
    pub(super) prefix: Option<syn::LitStr>,
    pub(super) labels: Vec<ConstLabel>,
    pub(super) runtime: Option<syn::Path>,
}

/// One constant label of a group.
pub(super) struct ConstLabel {
    pub(super) name: String,
    pub(super) name_span: Span,
    pub(super) value: syn::LitStr,
}

const CONTAINER_OPTIONS: &[&str] = &["prefix", "labels", "crate"];

pub(super) fn container(cx: &mut Ctxt, attrs: &[syn::Attribute]) -> ContainerAttrs {
    let mut prefix: Slot<syn::LitStr> = Slot::new("prefix");
    let mut labels_slot: Slot<()> = Slot::new("labels");
    let mut labels = Vec::new();
    let mut runtime: Slot<syn::Path> = Slot::new("crate");
    attr::parse_each(cx, attrs, "metrics", |cx, meta| {
        let span = attr::key_span(meta);
        if meta.path.is_ident("prefix") {
            let text = attr::string_value(meta)?;
            prefix.set(cx, span, text);
        } else if meta.path.is_ident("labels") {
            labels_slot.set(cx, span, ());
            meta.parse_nested_meta(|label| {
                let Some(name) = label.path.get_ident() else {
                    return Err(label.error("a label name is a single identifier"));
                };
                let value = attr::string_value(&label)?;
                labels.push(ConstLabel {
                    name: crate::names::unraw(name),
                    name_span: name.span(),
                    value,
                });
                Ok(())
            })?;
        } else if meta.path.is_ident("crate") {
            let path = attr::crate_path(meta)?;
            runtime.set(cx, span, path);
        } else {
            return Err(attr::unknown_option(meta, "metrics", CONTAINER_OPTIONS));
        }
        Ok(())
    });
    for misplaced in attrs.iter().filter(|attr| attr.path().is_ident("metric")) {
        cx.error_spanned_by(
            misplaced.path(),
            "`#[metric(...)]` goes on fields; on the struct use `#[metrics(...)]`",
        );
    }
    ContainerAttrs {
        prefix: prefix.take(),
        labels,
        runtime: runtime.take(),
    }
}

/// One label of an `Info` metric: the value is any `&'static str` expression.
pub(super) struct InfoLabel {
    pub(super) name: String,
    pub(super) name_span: Span,
    pub(super) value: syn::Expr,
}

/// A naming convention one metric opts out of with `#[metric(allow(...))]`, for names that
/// existing dashboards and alerts already depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Allow {
    /// A counter whose 0.0.4 samples are `name`, not `name_total`.
    NoTotalSuffix,
    /// A metric type word as a name segment.
    TypeWord,
    /// A unit that is not a base unit, as a whole word.
    NonBaseUnit,
    /// An abbreviated unit.
    AbbreviatedUnit,
    /// A gauge whose name ends in `_info`.
    InfoSuffix,
}

impl Allow {
    pub(super) const NAMES: &'static [&'static str] = &[
        "no_total_suffix",
        "type_word",
        "non_base_unit",
        "abbreviated_unit",
        "info_suffix",
    ];

    fn from_name(name: &str) -> Option<Allow> {
        Some(match name {
            "no_total_suffix" => Allow::NoTotalSuffix,
            "type_word" => Allow::TypeWord,
            "non_base_unit" => Allow::NonBaseUnit,
            "abbreviated_unit" => Allow::AbbreviatedUnit,
            "info_suffix" => Allow::InfoSuffix,
            _ => return None,
        })
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Allow::NoTotalSuffix => "no_total_suffix",
            Allow::TypeWord => "type_word",
            Allow::NonBaseUnit => "non_base_unit",
            Allow::AbbreviatedUnit => "abbreviated_unit",
            Allow::InfoSuffix => "info_suffix",
        }
    }
}

/// `#[metric(...)]` on a field.
#[derive(Default)]
pub(super) struct FieldAttrs {
    pub(super) rename: Option<syn::LitStr>,
    pub(super) help: Option<syn::LitStr>,
    pub(super) unit: Option<syn::LitStr>,
    pub(super) buckets: Option<(BucketSpec, Span)>,
    /// `native(...)` of a native histogram.
    pub(super) native: Option<(NativeSpec, Span)>,
    /// `quantiles = ...` of a summary (`None` inside when refused).
    pub(super) quantiles: Option<(Option<Quantiles>, Span)>,
    /// `max_age = ...` of a summary (`None` inside when refused).
    pub(super) max_age: Option<(Option<std::time::Duration>, Span)>,
    /// `age_buckets = N` of a summary (`None` inside when refused).
    pub(super) age_buckets: Option<(Option<usize>, Span)>,
    /// `utf8`: names (and label names) may lie outside the legacy character set.
    pub(super) utf8: Option<Span>,
    pub(super) max_series: Option<(usize, Span)>,
    pub(super) read: Option<(syn::Path, Span)>,
    /// `labels(name = value, ...)` of an `Info` metric.
    pub(super) info_labels: Option<(Vec<InfoLabel>, Span)>,
    /// The conventions waived, each with the span of its word.
    pub(super) allow: Vec<(Allow, Span)>,
    /// `sparse`: a fixed family exposes only the combinations used.
    pub(super) sparse: Option<Span>,
    pub(super) skip: Option<Span>,
    pub(super) nested: Option<Span>,
}

impl FieldAttrs {
    /// Whether `allow(...)` waives `convention`.
    pub(super) fn allows(&self, convention: Allow) -> bool {
        self.allow.iter().any(|(allowed, _)| *allowed == convention)
    }
}

impl FieldAttrs {
    /// The spans of every option other than `skip` and `nested`, with their names.
    pub(super) fn metric_options(&self) -> Vec<(&'static str, Span)> {
        let mut options = Vec::new();
        if let Some(rename) = &self.rename {
            options.push(("rename", rename.span()));
        }
        if let Some(help) = &self.help {
            options.push(("help", help.span()));
        }
        if let Some(unit) = &self.unit {
            options.push(("unit", unit.span()));
        }
        if let Some((_, span)) = &self.buckets {
            options.push(("buckets", *span));
        }
        if let Some((_, span)) = &self.native {
            options.push(("native", *span));
        }
        if let Some((_, span)) = &self.quantiles {
            options.push(("quantiles", *span));
        }
        if let Some((_, span)) = &self.max_age {
            options.push(("max_age", *span));
        }
        if let Some((_, span)) = &self.age_buckets {
            options.push(("age_buckets", *span));
        }
        if let Some(span) = self.utf8 {
            options.push(("utf8", span));
        }
        if let Some((_, span)) = &self.max_series {
            options.push(("max_series", *span));
        }
        if let Some((_, span)) = &self.read {
            options.push(("read", *span));
        }
        if let Some((_, span)) = &self.info_labels {
            options.push(("labels", *span));
        }
        if let Some((_, span)) = self.allow.first() {
            options.push(("allow", *span));
        }
        if let Some(span) = self.sparse {
            options.push(("sparse", span));
        }
        options
    }
}

const FIELD_OPTIONS: &[&str] = &[
    "rename",
    "help",
    "unit",
    "buckets",
    "native",
    "quantiles",
    "max_age",
    "age_buckets",
    "utf8",
    "max_series",
    "read",
    "labels",
    "allow",
    "sparse",
    "skip",
    "nested",
];

pub(super) fn field(cx: &mut Ctxt, attrs: &[syn::Attribute]) -> FieldAttrs {
    let mut rename: Slot<syn::LitStr> = Slot::new("rename");
    let mut help: Slot<syn::LitStr> = Slot::new("help");
    let mut unit: Slot<syn::LitStr> = Slot::new("unit");
    let mut buckets: Slot<BucketSpec> = Slot::new("buckets");
    let mut native: Slot<NativeSpec> = Slot::new("native");
    let mut quantiles: Slot<Option<Quantiles>> = Slot::new("quantiles");
    let mut max_age: Slot<Option<std::time::Duration>> = Slot::new("max_age");
    let mut age_buckets: Slot<Option<usize>> = Slot::new("age_buckets");
    let mut utf8: Slot<()> = Slot::new("utf8");
    let mut max_series: Slot<usize> = Slot::new("max_series");
    let mut read: Slot<syn::Path> = Slot::new("read");
    let mut info_labels: Slot<Vec<InfoLabel>> = Slot::new("labels");
    let mut allow_slot: Slot<()> = Slot::new("allow");
    let mut allow: Vec<(Allow, Span)> = Vec::new();
    let mut sparse: Slot<()> = Slot::new("sparse");
    let mut skip: Slot<()> = Slot::new("skip");
    let mut nested: Slot<()> = Slot::new("nested");
    attr::parse_each(cx, attrs, "metric", |cx, meta| {
        let span = attr::key_span(meta);
        if meta.path.is_ident("rename") {
            let text = attr::string_value(meta)?;
            rename.set(cx, span, text);
        } else if meta.path.is_ident("help") {
            let text = attr::string_value(meta)?;
            help.set(cx, span, text);
        } else if meta.path.is_ident("unit") {
            let text = attr::string_value(meta)?;
            unit.set(cx, span, text);
        } else if meta.path.is_ident("buckets") {
            let expr: syn::Expr = meta.value()?.parse()?;
            if let Some(spec) = BucketSpec::parse(cx, &expr) {
                buckets.set(cx, span, spec);
            }
        } else if meta.path.is_ident("native") {
            let spec = native::parse(cx, meta)?;
            native.set(cx, span, spec);
        } else if meta.path.is_ident("quantiles") {
            let expr: syn::Expr = meta.value()?.parse()?;
            let parsed = summary::parse_quantiles(cx, &expr);
            quantiles.set(cx, span, parsed);
        } else if meta.path.is_ident("max_age") {
            let expr: syn::Expr = meta.value()?.parse()?;
            let parsed = summary::parse_max_age(cx, &expr);
            max_age.set(cx, span, parsed);
        } else if meta.path.is_ident("age_buckets") {
            let expr: syn::Expr = meta.value()?.parse()?;
            let parsed = summary::parse_age_buckets(cx, &expr);
            age_buckets.set(cx, span, parsed);
        } else if meta.path.is_ident("utf8") {
            utf8.set(cx, span, ());
        } else if meta.path.is_ident("max_series") {
            let literal: syn::LitInt = meta.value()?.parse()?;
            let limit: usize = literal.base10_parse()?;
            if limit == 0 {
                cx.error_spanned_by(
                    &literal,
                    "`max_series` must be at least 1: the family needs room for one series",
                );
            }
            max_series.set(cx, span, limit);
        } else if meta.path.is_ident("read") {
            let path: syn::Path = meta.value()?.parse()?;
            read.set(cx, span, path);
        } else if meta.path.is_ident("labels") {
            let mut labels = Vec::new();
            meta.parse_nested_meta(|label| {
                let Some(name) = label.path.get_ident() else {
                    return Err(label.error("a label name is a single identifier"));
                };
                labels.push(InfoLabel {
                    name: crate::names::unraw(name),
                    name_span: name.span(),
                    value: label.value()?.parse()?,
                });
                Ok(())
            })?;
            info_labels.set(cx, span, labels);
        } else if meta.path.is_ident("allow") {
            allow_slot.set(cx, span, ());
            meta.parse_nested_meta(|word| {
                let name = attr::key_name(&word);
                let word_span = attr::key_span(&word);
                match Allow::from_name(&name) {
                    Some(convention) if allow.iter().any(|(seen, _)| *seen == convention) => {
                        cx.error_at(word_span, format!("`{name}` is allowed twice"));
                    }
                    Some(convention) => allow.push((convention, word_span)),
                    None => {
                        return Err(word.error(attr::unknown_option_message(
                            "allow",
                            &name,
                            Allow::NAMES,
                        )))
                    }
                }
                Ok(())
            })?;
        } else if meta.path.is_ident("sparse") {
            sparse.set(cx, span, ());
        } else if meta.path.is_ident("skip") {
            skip.set(cx, span, ());
        } else if meta.path.is_ident("nested") {
            nested.set(cx, span, ());
        } else {
            return Err(attr::unknown_option(meta, "metric", FIELD_OPTIONS));
        }
        Ok(())
    });
    for misplaced in attrs.iter().filter(|attr| attr.path().is_ident("metrics")) {
        cx.error_spanned_by(
            misplaced.path(),
            "`#[metrics(...)]` goes on the struct; on a field use `#[metric(...)]`",
        );
    }
    FieldAttrs {
        rename: rename.take(),
        help: help.take(),
        unit: unit.take(),
        buckets: buckets
            .span()
            .zip(buckets.get().cloned())
            .map(|(s, b)| (b, s)),
        native: spanned(native),
        quantiles: spanned(quantiles),
        max_age: spanned(max_age),
        age_buckets: spanned(age_buckets),
        utf8: utf8.span(),
        max_series: max_series
            .span()
            .zip(max_series.get().copied())
            .map(|(s, m)| (m, s)),
        read: read.span().zip(read.get().cloned()).map(|(s, p)| (p, s)),
        info_labels: info_labels
            .span()
            .zip(info_labels.take())
            .map(|(s, l)| (l, s)),
        allow,
        sparse: sparse.span(),
        skip: skip.span(),
        nested: nested.span(),
    }
}

/// A slot's value with the span of its key.
fn spanned<T>(slot: Slot<T>) -> Option<(T, Span)> {
    let span = slot.span()?;
    slot.take().map(|value| (value, span))
}
