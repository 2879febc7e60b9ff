//! The rules of a metrics group: names, suffixes, units, HELP, labels, and sample names that
//! would collide (the type-specific options are checked in `typed`). Produces the plan
//! `expand` turns into code.

use proc_macro2::Span;

use super::ast::{Field, Group, Role};
use super::attr::{Allow, ConstLabel, FieldAttrs, InfoLabel};
use super::kind::{Classified, Construction, MetricKind};
use super::typed::{self, TypedPlan};
use crate::ctxt::Ctxt;
use crate::names::{self, Convention, NonBase};

/// A checked group.
pub(super) struct Plan<'g, 'a> {
    pub(super) group: &'g Group<'a>,
    /// The constant labels, rendered `name="value",...`.
    pub(super) const_labels: String,
    /// The prefix a nested group's names get: `prefix_`, or empty.
    pub(super) nested_prefix: String,
    pub(super) items: Vec<Item<'g, 'a>>,
}

pub(super) enum Item<'g, 'a> {
    // Boxed: a plan is large beside the other variants' references.
    Metric(Box<MetricPlan<'g, 'a>>),
    Nested(&'g Field<'a>),
    Skip(&'g Field<'a>),
}

/// One checked metric field.
pub(super) struct MetricPlan<'g, 'a> {
    pub(super) field: &'g Field<'a>,
    pub(super) class: &'g Classified<'a>,
    /// The family name (OpenMetrics' name: no `_total`/`_info`, with the unit).
    pub(super) name: String,
    pub(super) help: String,
    pub(super) unit: Option<String>,
    /// Buckets, native and summary options.
    pub(super) typed: TypedPlan,
    /// The names may lie outside the legacy character set (`#[metric(utf8)]`).
    pub(super) utf8: bool,
    /// The name passed the character-set rules (collisions are checked only then: an
    /// invalid name is already reported).
    pub(super) valid_name: bool,
    /// A counter written without `_total` in the text format 0.0.4 (`allow(no_total_suffix)`).
    pub(super) omits_total: bool,
}

pub(super) fn check<'g, 'a>(cx: &mut Ctxt, group: &'g Group<'a>) -> Plan<'g, 'a> {
    let prefix = group.prefix.as_ref().map(|prefix| check_prefix(cx, prefix));
    let const_labels = check_const_labels(cx, group);
    let mut items = Vec::new();
    for field in &group.fields {
        match &field.role {
            Role::Skip => {
                refuse_extra_options(cx, field, "skip", "leaves the field out of the group");
                items.push(Item::Skip(field));
            }
            Role::Nested => {
                refuse_extra_options(
                    cx,
                    field,
                    "nested",
                    "takes its names, HELP and options from the nested struct's own derive",
                );
                items.push(Item::Nested(field));
            }
            Role::Invalid => {}
            Role::Metric(class) => {
                if let Some(plan) =
                    check_metric(cx, prefix.as_deref(), &group.const_labels, field, class)
                {
                    items.push(Item::Metric(Box::new(plan)));
                }
            }
        }
    }
    check_collisions(cx, &items);
    Plan {
        group,
        const_labels,
        nested_prefix: prefix
            .map(|prefix| format!("{prefix}_"))
            .unwrap_or_default(),
        items,
    }
}

fn check_prefix(cx: &mut Ctxt, prefix: &syn::LitStr) -> String {
    let text = prefix.value();
    if let Some(problem) = names::metric_name_problem(&text) {
        cx.error_spanned_by(prefix, format!("invalid prefix: {problem}"));
    } else if text.ends_with('_') {
        cx.error_spanned_by(
            prefix,
            format!(
                "remove the trailing `_`: the prefix and the name are joined with one `_` (`prefix = \"{}\"`)",
                text.trim_end_matches('_')
            ),
        );
    } else {
        for segment in text.split('_') {
            if let Some((_, problem)) = names::segment_problem(segment) {
                cx.error_spanned_by(prefix, format!("invalid prefix: {problem}"));
            }
        }
    }
    text
}

fn check_const_labels(cx: &mut Ctxt, group: &Group<'_>) -> String {
    let mut rendered = Vec::new();
    for (index, label) in group.const_labels.iter().enumerate() {
        if let Some(problem) = names::label_name_problem(&label.name, true) {
            cx.error_at(label.name_span, format!("constant label: {problem}"));
        }
        if group.const_labels[..index]
            .iter()
            .any(|earlier| earlier.name == label.name)
        {
            cx.error_at(
                label.name_span,
                format!(
                    "constant label `{}` is declared twice; label names must be distinct",
                    label.name
                ),
            );
        }
        if label.value.value().is_empty() {
            cx.error_spanned_by(
                &label.value,
                "an empty label value is the same as no label at all; give it a value or remove it",
            );
        }
        rendered.push(format!(
            "{}=\"{}\"",
            label.name,
            names::escape_label_value(&label.value.value())
        ));
    }
    rendered.join(",")
}

fn refuse_extra_options(cx: &mut Ctxt, field: &Field<'_>, mode: &str, why: &str) {
    let attrs = &field.attrs;
    let mut extra = attrs.metric_options();
    if mode == "skip" {
        if let Some(span) = attrs.nested {
            extra.push(("nested", span));
        }
    }
    for (option, span) in extra {
        cx.error_at(
            span,
            format!("`{option}` cannot be combined with `{mode}`: `{mode}` {why}"),
        );
    }
}

/// The family name and the span of the token it came from (the rename literal or the field).
fn name_part(field: &Field<'_>) -> (String, Span) {
    match &field.attrs.rename {
        Some(rename) => (rename.value(), rename.span()),
        None => (names::unraw(field.member), field.member.span()),
    }
}

fn check_metric<'g, 'a>(
    cx: &mut Ctxt,
    prefix: Option<&str>,
    const_labels: &[ConstLabel],
    field: &'g Field<'a>,
    class: &'g Classified<'a>,
) -> Option<MetricPlan<'g, 'a>> {
    let kind = class.kind;
    let attrs = &field.attrs;
    let (part, part_span) = name_part(field);
    let mut name_ok = true;
    // The opt-outs that some rule below needed; any other one is reported as unneeded.
    let mut allows_used: Vec<Allow> = Vec::new();
    let utf8 = attrs.utf8.is_some();
    let problem = if utf8 {
        names::utf8_name_problem(&part, "metric name")
    } else {
        names::metric_name_problem(&part).map(|problem| {
            let hint = names::utf8_hint(&part, "metric name", "#[metric(rename = \"...\", utf8)]");
            format!("{problem}{hint}")
        })
    };
    // Whether the conventions were checked at all (they are not on an invalid name).
    let conventions_checked = problem.is_none();
    if let Some(problem) = problem {
        let what = if attrs.rename.is_some() {
            "invalid `rename`"
        } else {
            "invalid metric name"
        };
        cx.error_at(part_span, format!("{what}: {problem}"));
        name_ok = false;
    } else {
        for segment in segments(&part) {
            if let Some((convention, problem)) = names::segment_problem(segment) {
                let allow = allow_for(convention);
                if attrs.allows(allow) {
                    allows_used.push(allow);
                } else {
                    cx.error_at(
                        part_span,
                        format!(
                            "{problem}; a name existing dashboards depend on can be kept with `#[metric(allow({}))]`",
                            convention.allow_name()
                        ),
                    );
                    name_ok = false;
                }
            }
        }
    }

    let unit = match &attrs.unit {
        Some(unit) if kind == MetricKind::Info => {
            cx.error_spanned_by(
                unit,
                "an info metric has no unit: OpenMetrics parsers reject `# UNIT` on an info metric; remove `unit`",
            );
            None
        }
        Some(unit) => check_unit(cx, unit, attrs, &mut allows_used),
        None => None,
    };
    let mut name = match prefix {
        Some(prefix) => format!("{prefix}_{part}"),
        None => part.clone(),
    };
    if let (Some(unit), Some(last)) = (&unit, segments(&part).last()) {
        if last != unit && names::BASE_UNITS.contains(last) {
            cx.error_at(
                part_span,
                format!("the name ends in the unit `{last}` but `unit = \"{unit}\"`: the name and the unit must agree"),
            );
            name_ok = false;
        } else if last == unit && part != *unit && !part.ends_with(&format!("_{unit}")) {
            // OpenMetrics requires `_<unit>` at the end of a name with a unit; `.seconds`
            // would get a second `_seconds` after it.
            let stem = &part[..part.len() - unit.len() - 1];
            cx.error_at(
                part_span,
                format!("a name with a unit ends in `_{unit}` (OpenMetrics requires it): write `{stem}_{unit}`, or `{stem}` and let the unit be appended"),
            );
            name_ok = false;
        }
    }
    if let Some(unit) = &unit {
        // The unit suffix is appended once: a name that already ends in it keeps it.
        if part != *unit && !part.ends_with(&format!("_{unit}")) {
            name.push('_');
            name.push_str(unit);
        }
    }
    if name_ok {
        // A scrape that does not negotiate UTF-8 names sees the escaped name, so that is
        // the one whose suffix must not mislead.
        let exposed = names::underscore_escaped(&name);
        check_suffix(cx, &exposed, kind, part_span, attrs, &mut allows_used);
    }
    let omits_total = attrs.allows(Allow::NoTotalSuffix);
    if omits_total && kind == MetricKind::Counter {
        allows_used.push(Allow::NoTotalSuffix);
    }

    let help = match &attrs.help {
        Some(help) if help.value().trim().is_empty() => {
            cx.error_spanned_by(help, "`help` cannot be empty: say what the metric measures");
            String::new()
        }
        // Trimmed as the runtime trims it when rendering, so the headers built here match.
        Some(help) => help.value().trim().to_owned(),
        None if field.doc.is_empty() => {
            cx.error_spanned_by(
                field.member,
                format!(
                    "metric `{}` has no HELP text: add a doc comment (`/// What it counts.`) or `#[metric(help = \"...\")]`",
                    names::unraw(field.member)
                ),
            );
            String::new()
        }
        None => field.doc.clone(),
    };

    let typed = typed::check(cx, field, class);
    if let Some((_, span)) = attrs.max_series {
        match class.construction {
            // Whether the family is dynamic is known from its label set's type only: a
            // const assertion spanned here refuses a fixed one (see `expand`).
            Construction::Family => {}
            Construction::CallbackFamily => cx.error_at(
                span,
                "`max_series` bounds the series a `Family` creates; a `CallbackFamily` writes what its function gives at each scrape",
            ),
            _ => cx.error_at(
                span,
                "`max_series` bounds the series of a `Family`; this field is a single series",
            ),
        }
    }
    if let Some(span) = attrs.sparse {
        if class.construction != Construction::Family {
            cx.error_at(
                span,
                "`sparse` makes a fixed `Family` expose only the label combinations used; this field is not a `Family`",
            );
        }
    }
    match (&attrs.read, class.construction) {
        (None, Construction::Callback) => cx.error_spanned_by(
            field.ty,
            "a callback metric reads its value from a function: add `#[metric(read = path::to::function)]` (a `fn() -> f64`)",
        ),
        (Some(_), Construction::Callback | Construction::CallbackFamily) | (None, _) => {}
        (Some((_, span)), _) => cx.error_at(
            *span,
            "`read` supplies the function of a `CallbackGauge`, `CallbackCounter` or `CallbackFamily`; this field is not one",
        ),
    }
    if let Some((labels, span)) = &attrs.info_labels {
        if kind == MetricKind::Info {
            check_info_labels(cx, labels, const_labels);
        } else {
            cx.error_at(
                *span,
                format!(
                    "`labels` gives an `Info` metric its labels; `{}` is a {}",
                    names::unraw(field.member),
                    kind.word()
                ),
            );
        }
    }
    if conventions_checked {
        report_unneeded_allows(cx, field, kind, &allows_used);
    }
    if let Some(span) = attrs.utf8 {
        check_utf8_needed(cx, field, class, &part, span);
    }
    Some(MetricPlan {
        field,
        class,
        name,
        help,
        unit,
        typed,
        utf8,
        valid_name: conventions_checked,
        omits_total: omits_total && kind == MetricKind::Counter,
    })
}

/// The `_`-separated segments of a name the conventions look at; a name declared `utf8`
/// is also split at other punctuation and spaces (`http.server.duration_ms`).
fn segments(name: &str) -> Vec<&str> {
    name.split(|c: char| c == '_' || c.is_ascii_punctuation() || c.is_whitespace())
        .collect()
}

/// `utf8` waives nothing on a single metric whose name is legacy (its labels, constant or
/// an `Info`'s, are identifiers), so it is refused there like an unneeded `allow`; a
/// family's label set may hold UTF-8 label names, which only the type knows (a const
/// assertion in `expand` refuses them without `utf8`).
fn check_utf8_needed(
    cx: &mut Ctxt,
    field: &Field<'_>,
    class: &Classified<'_>,
    part: &str,
    span: Span,
) {
    if names::is_legacy_name(part)
        && !matches!(
            class.construction,
            Construction::Family | Construction::CallbackFamily
        )
    {
        cx.error_at(
            span,
            format!(
                "`utf8` is not needed: the name of `{}` is in the legacy character set and it has no labels of its own; remove it",
                names::unraw(field.member)
            ),
        );
    }
}

/// The opt-out that waives a naming convention.
fn allow_for(convention: Convention) -> Allow {
    match convention {
        Convention::TypeWord => Allow::TypeWord,
        Convention::NonBaseUnit => Allow::NonBaseUnit,
        Convention::AbbreviatedUnit => Allow::AbbreviatedUnit,
    }
}

/// An opt-out that waives nothing would hide the next real problem, so it is refused.
fn report_unneeded_allows(cx: &mut Ctxt, field: &Field<'_>, kind: MetricKind, used: &[Allow]) {
    let member = names::unraw(field.member);
    for (allow, span) in &field.attrs.allow {
        if used.contains(allow) {
            continue;
        }
        let why = match allow {
            Allow::NoTotalSuffix => format!(
                "`no_total_suffix` applies to counters; `{member}` is a {}",
                kind.word()
            ),
            Allow::InfoSuffix if kind != MetricKind::Gauge => format!(
                "`info_suffix` applies to gauges whose name ends in `_info`; `{member}` is a {}",
                kind.word()
            ),
            Allow::InfoSuffix => {
                format!("`info_suffix` is not needed: the name of `{member}` does not end in `_info`")
            }
            Allow::TypeWord => format!(
                "`type_word` is not needed: the name of `{member}` has no metric type word"
            ),
            Allow::NonBaseUnit => format!(
                "`non_base_unit` is not needed: neither the name nor the unit of `{member}` is a non-base unit"
            ),
            Allow::AbbreviatedUnit => format!(
                "`abbreviated_unit` is not needed: neither the name nor the unit of `{member}` is an abbreviated unit"
            ),
        };
        cx.error_at(*span, format!("{why}; remove it from `allow(...)`"));
    }
}

fn check_info_labels(cx: &mut Ctxt, labels: &[InfoLabel], const_labels: &[ConstLabel]) {
    for (index, label) in labels.iter().enumerate() {
        if let Some(problem) = names::label_name_problem(&label.name, true) {
            cx.error_at(label.name_span, problem);
        }
        if labels[..index]
            .iter()
            .any(|earlier| earlier.name == label.name)
        {
            cx.error_at(
                label.name_span,
                format!(
                    "label `{}` is declared twice; label names must be distinct",
                    label.name
                ),
            );
        } else if const_labels
            .iter()
            .any(|constant| constant.name == label.name)
        {
            cx.error_at(
                label.name_span,
                format!(
                    "label `{}` is also a constant label of the group",
                    label.name
                ),
            );
        }
    }
}

fn check_unit(
    cx: &mut Ctxt,
    unit: &syn::LitStr,
    attrs: &FieldAttrs,
    allows_used: &mut Vec<Allow>,
) -> Option<String> {
    let text = unit.value();
    if names::BASE_UNITS.contains(&text.as_str()) {
        return Some(text);
    }
    match names::non_base_unit(&text) {
        Some((_, kind)) if attrs.allows(unit_allow(kind)) => {
            allows_used.push(unit_allow(kind));
            return Some(text);
        }
        Some((base, kind)) => {
            let hint = if base == "ratio" {
                "record 0.5 for 50%".to_owned()
            } else {
                format!("record values in {base}")
            };
            cx.error_spanned_by(
                unit,
                format!(
                    "`{text}` is not a base unit: use `{base}`, the base unit ({hint}); a unit existing dashboards depend on can be kept with `#[metric(allow({}))]`",
                    unit_allow(kind).name()
                ),
            );
        }
        None => cx.error_spanned_by(
            unit,
            format!(
                "unknown unit `{text}`; a unit is a base unit: {}",
                names::BASE_UNITS
                    .iter()
                    .map(|unit| format!("`{unit}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
    None
}

fn unit_allow(kind: NonBase) -> Allow {
    match kind {
        NonBase::Word => Allow::NonBaseUnit,
        NonBase::Abbreviation => Allow::AbbreviatedUnit,
    }
}

fn check_suffix(
    cx: &mut Ctxt,
    name: &str,
    kind: MetricKind,
    span: Span,
    attrs: &FieldAttrs,
    allows_used: &mut Vec<Allow>,
) {
    let word = kind.word();
    if name.ends_with("_total") {
        if kind == MetricKind::Counter && attrs.allows(Allow::NoTotalSuffix) {
            let stem = name.trim_end_matches("_total");
            cx.error_at(
                span,
                format!(
                    "remove `_total`: OpenMetrics adds it to counter samples even with `no_total_suffix`, which would write `{name}` in 0.0.4 but `{name}_total` in OpenMetrics; a counter named `{stem}` is written `{stem}_total` in both without the opt-out"
                ),
            );
        } else if kind == MetricKind::Counter {
            cx.error_at(
                span,
                format!(
                    "remove `_total`: it is added to a counter's samples (`{name}` would be exposed as `{name}_total`)"
                ),
            );
        } else {
            cx.error_at(
                span,
                format!("a {word} must not end in `_total`: that suffix marks counters"),
            );
        }
    }
    if name.ends_with("_bucket") && kind != MetricKind::Histogram {
        cx.error_at(
            span,
            format!(
                "a {word} must not end in `_bucket`: that suffix marks a histogram's buckets; rename it"
            ),
        );
    }
    for suffix in ["_count", "_sum"] {
        if name.ends_with(suffix) && !matches!(kind, MetricKind::Histogram | MetricKind::Summary) {
            cx.error_at(
                span,
                format!(
                    "a {word} must not end in `{suffix}`: that suffix marks the samples of histograms and summaries; rename it"
                ),
            );
        }
    }
    if name.ends_with("_created") {
        cx.error_at(
            span,
            "a metric must not end in `_created`: OpenMetrics uses it for the creation time of counters, histograms and summaries",
        );
    }
    if name.ends_with("_info") {
        if kind == MetricKind::Info {
            cx.error_at(
                span,
                "remove `_info`: it is added to an info metric's sample",
            );
        } else if kind == MetricKind::Gauge && attrs.allows(Allow::InfoSuffix) {
            allows_used.push(Allow::InfoSuffix);
        } else if kind == MetricKind::Gauge {
            cx.error_at(
                span,
                "a gauge must not end in `_info`: that suffix marks info metrics (use `Info`); a gauge existing dashboards depend on can keep it with `#[metric(allow(info_suffix))]`",
            );
        } else {
            cx.error_at(
                span,
                format!("a {word} must not end in `_info`: that suffix marks info metrics"),
            );
        }
    }
}

/// Two metrics of the group must not expose the same sample name in either format, nor
/// once a name outside the legacy character set is escaped for a scrape that does not take
/// UTF-8 names (the `underscores` scheme; the registry checks the other schemes), and none
/// may expose the registry's own overflow counter.
fn check_collisions(cx: &mut Ctxt, items: &[Item<'_, '_>]) {
    // Each claim: the name a scrape may read, the metric, and whether it reads it escaped.
    let mut claims: Vec<(String, &MetricPlan<'_, '_>, bool)> = Vec::new();
    for item in items {
        let Item::Metric(plan) = item else { continue };
        let plan: &MetricPlan<'_, '_> = plan;
        if !plan.valid_name {
            continue;
        }
        let forms = |plan: &MetricPlan<'_, '_>| -> Vec<(String, String)> {
            let mut forms = Vec::new();
            for suffix in plan.class.kind.exposed_suffixes() {
                let sample = format!("{}{suffix}", plan.name);
                let escaped = names::underscore_escaped(&sample);
                if escaped != sample {
                    forms.push((escaped, sample.clone()));
                }
                forms.push((sample.clone(), sample));
            }
            forms
        };
        let mut reported = false;
        for (form, sample) in forms(plan) {
            if reported {
                break;
            }
            if let Some(problem) = names::reserved_sample_problem(&form) {
                cx.error_at(name_part(plan.field).1, problem);
                reported = true;
            } else if let Some((_, first, first_escaped)) =
                claims.iter().find(|(claimed, _, _)| *claimed == form)
            {
                let how = if form == sample {
                    String::new()
                } else {
                    format!(" once escaped (a scrape without UTF-8 names reads `{form}`)")
                };
                let exposes = if *first_escaped {
                    "already exposes it once escaped"
                } else {
                    "already exposes it"
                };
                cx.error_at(
                    name_part(plan.field).1,
                    format!(
                        "sample name `{sample}` collides{how}: {} `{}` (field `{}`) {exposes}",
                        first.class.kind.word(),
                        first.name,
                        names::unraw(first.field.member),
                    ),
                );
                reported = true;
            }
        }
        for (form, sample) in forms(plan) {
            let escaped = form != sample;
            claims.push((form, plan, escaped));
        }
    }
}
