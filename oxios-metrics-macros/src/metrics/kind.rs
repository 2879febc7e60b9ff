//! What a field's type says about the metric: its Prometheus type and how it is built.

/// A Prometheus metric type, as the macro reasons about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MetricKind {
    Counter,
    Gauge,
    Histogram,
    Info,
    Summary,
}

impl MetricKind {
    /// The `oxios_metrics::MetricType` variant.
    pub(super) fn variant(self) -> &'static str {
        match self {
            MetricKind::Counter => "Counter",
            MetricKind::Gauge => "Gauge",
            MetricKind::Histogram => "Histogram",
            MetricKind::Info => "Info",
            MetricKind::Summary => "Summary",
        }
    }

    pub(super) fn word(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge => "gauge",
            MetricKind::Histogram => "histogram",
            MetricKind::Info => "info metric",
            MetricKind::Summary => "summary",
        }
    }

    /// The word on the `# TYPE` line of the text format 0.0.4.
    pub(super) fn prometheus_name(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge | MetricKind::Info => "gauge",
            MetricKind::Histogram => "histogram",
            MetricKind::Summary => "summary",
        }
    }

    /// The word on the `# TYPE` line of OpenMetrics.
    pub(super) fn openmetrics_name(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge => "gauge",
            MetricKind::Histogram => "histogram",
            MetricKind::Info => "info",
            MetricKind::Summary => "summary",
        }
    }

    /// The suffix of the samples (and of 0.0.4 header names).
    pub(super) fn sample_suffix(self) -> &'static str {
        match self {
            MetricKind::Counter => "_total",
            MetricKind::Info => "_info",
            MetricKind::Gauge | MetricKind::Histogram | MetricKind::Summary => "",
        }
    }

    /// Every suffix the family exposes after its name, in either format (the same table as
    /// `MetricType::exposed_suffixes` of the runtime).
    pub(super) fn exposed_suffixes(self) -> &'static [&'static str] {
        match self {
            MetricKind::Counter => &["", "_total", "_created"],
            MetricKind::Gauge => &[""],
            MetricKind::Histogram => &["", "_bucket", "_sum", "_count", "_created"],
            MetricKind::Info => &["", "_info"],
            MetricKind::Summary => &["", "_sum", "_count", "_created"],
        }
    }
}

/// How the field's value is built in `new()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Construction {
    /// `Type::new()`.
    Plain,
    /// `Type::new(read)`: a callback metric.
    Callback,
    /// `Type::new()`, or built from its options (see [`Options`]): `with_buckets(...)` for
    /// a classic histogram, `with_config(...)` for a native histogram or a summary.
    Configured,
    /// A `Family<L, M>`: `new()` or `with_config(...)`, then `with_max_series(...)`.
    Family,
    /// A `CallbackFamily<L, M>`: `new(read)`, or `empty()` to be set per instance.
    CallbackFamily,
}

/// The type-specific options a metric (or a family's member) takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Options {
    /// None: counters, gauges, info metrics, callbacks.
    None,
    /// `buckets = ...`: a classic histogram (`Histogram`, `ExemplarHistogram`).
    Classic,
    /// `native(...)`, and `buckets = ...` for classic buckets kept alongside
    /// (`NativeHistogram`, `ExemplarNativeHistogram`).
    Native,
    /// `quantiles`, `max_age`, `age_buckets` (`Summary`).
    Summary,
}

/// A field type recognised as a metric.
pub(super) struct Classified<'a> {
    pub(super) kind: MetricKind,
    pub(super) construction: Construction,
    pub(super) options: Options,
    /// The metric type's name as written (`NativeHistogram`; a family's member type), for
    /// messages.
    pub(super) type_name: String,
    /// For a family: the label set type.
    pub(super) labels: Option<&'a syn::Type>,
}

/// Why a type is not a metric.
pub(super) enum NotAMetric<'a> {
    /// Not a metric type at all.
    Unknown,
    /// A `Family` whose arguments are missing or whose member is not a type this derive
    /// knows as a family member.
    BadFamily(&'a syn::Type, String),
    /// A type whose declaration in the struct already fails on its own, with a message that
    /// says what to write instead: a family keyed by something plainly not a label set
    /// (`String`, an integer, a tuple; `LabelSet`'s message says to wrap it), a family of a
    /// metric that cannot be a family's series (`Info`, a callback metric; `FamilyMember`'s
    /// message lists the members), or a callback family of something other than gauges or
    /// counters. The derive adds nothing, so that message is the only one.
    FailsOnItsOwn,
}

/// The metrics a `Family` holds, as `FamilyMember`'s message in the runtime lists them.
pub(super) const MEMBERS: &str = "`Counter`, `FloatCounter`, `StripedCounter`, `ExemplarCounter`, `Gauge`, `FloatGauge`, `Histogram`, `ExemplarHistogram`, `NativeHistogram`, `ExemplarNativeHistogram` or `Summary`";

/// The metric types a field may have, for the message on one that is none of them.
pub(super) const FIELD_TYPES: &str = "`Counter`, `FloatCounter`, `StripedCounter`, `ExemplarCounter`, `CallbackCounter`, `Gauge`, `FloatGauge`, `CallbackGauge`, `Histogram`, `ExemplarHistogram`, `NativeHistogram`, `ExemplarNativeHistogram`, `Summary`, `Info`, `Family<Labels, Metric>` or `CallbackFamily<Labels, Gauge>`";

/// A metric that can be a family's series: its type and options.
fn member(name: &str) -> Option<(MetricKind, Options)> {
    Some(match name {
        "Counter" | "FloatCounter" | "StripedCounter" | "ExemplarCounter" => {
            (MetricKind::Counter, Options::None)
        }
        "Gauge" | "FloatGauge" => (MetricKind::Gauge, Options::None),
        "Histogram" | "ExemplarHistogram" => (MetricKind::Histogram, Options::Classic),
        "NativeHistogram" | "ExemplarNativeHistogram" => (MetricKind::Histogram, Options::Native),
        "Summary" => (MetricKind::Summary, Options::Summary),
        _ => return None,
    })
}

/// Metrics of this crate that are not family members: a family of one fails on its own
/// (`FamilyMember`'s message).
const NOT_MEMBERS: &[&str] = &[
    "Info",
    "CallbackGauge",
    "CallbackCounter",
    "Family",
    "CallbackFamily",
];

pub(super) fn classify(ty: &syn::Type) -> Result<Classified<'_>, NotAMetric<'_>> {
    let Some(last) = last_segment(ty) else {
        return Err(NotAMetric::Unknown);
    };
    let name = last.ident.to_string();
    let classified = |kind, construction, options| {
        Ok(Classified {
            kind,
            construction,
            options,
            type_name: name.clone(),
            labels: None,
        })
    };
    if let Some((kind, options)) = member(&name) {
        let construction = if options == Options::None {
            Construction::Plain
        } else {
            Construction::Configured
        };
        return classified(kind, construction, options);
    }
    match name.as_str() {
        "CallbackCounter" => classified(MetricKind::Counter, Construction::Callback, Options::None),
        "CallbackGauge" => classified(MetricKind::Gauge, Construction::Callback, Options::None),
        "Info" => classified(MetricKind::Info, Construction::Plain, Options::None),
        "CallbackFamily" => {
            let [labels, member] = family_arguments(ty, last, "CallbackFamily<LabelSet, Gauge>")?;
            if !could_be_label_set(labels) {
                return Err(NotAMetric::FailsOnItsOwn);
            }
            let kind = match last_segment(member).map(|segment| segment.ident.to_string()) {
                Some(name) if name == "Counter" => MetricKind::Counter,
                Some(name) if name == "Gauge" => MetricKind::Gauge,
                // `CallbackMember`'s own message names the two choices.
                _ => return Err(NotAMetric::FailsOnItsOwn),
            };
            Ok(Classified {
                kind,
                construction: Construction::CallbackFamily,
                options: Options::None,
                type_name: name.clone(),
                labels: Some(labels),
            })
        }
        "Family" => {
            let [labels, member_ty] = family_arguments(ty, last, "Family<LabelSet, Metric>")?;
            if !could_be_label_set(labels) {
                return Err(NotAMetric::FailsOnItsOwn);
            }
            let member_name = last_segment(member_ty).map(|segment| segment.ident.to_string());
            let Some((kind, options)) = member_name.as_deref().and_then(member) else {
                // `FamilyMember`'s message covers these; a name the derive does not know may
                // still be an alias of a member, which only the derive can refuse.
                if member_name
                    .as_deref()
                    .is_some_and(|name| NOT_MEMBERS.contains(&name))
                    || !could_be_label_set(member_ty)
                {
                    return Err(NotAMetric::FailsOnItsOwn);
                }
                return Err(NotAMetric::BadFamily(
                    member_ty,
                    format!("a family's metric must be {MEMBERS}"),
                ));
            };
            Ok(Classified {
                kind,
                construction: Construction::Family,
                options,
                type_name: member_name.unwrap_or_default(),
                labels: Some(labels),
            })
        }
        _ => Err(NotAMetric::Unknown),
    }
}

/// The two type arguments of `Family<L, M>` or `CallbackFamily<L, M>`.
fn family_arguments<'a>(
    ty: &'a syn::Type,
    last: &'a syn::PathSegment,
    shape: &str,
) -> Result<[&'a syn::Type; 2], NotAMetric<'a>> {
    let types: Vec<&syn::Type> = match &last.arguments {
        syn::PathArguments::AngleBracketed(arguments) => arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    match types[..] {
        [labels, member] => Ok([labels, member]),
        _ => Err(NotAMetric::BadFamily(
            ty,
            format!("a family is written `{shape}`"),
        )),
    }
}

/// False for types that are never label sets (nor family members): the runtime implements
/// `LabelSet` and `FamilyMember` for none of them, and no other crate may (the orphan rule).
/// A label set is a struct deriving `LabelSet` or an enum deriving `LabelValue`.
fn could_be_label_set(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return true;
            };
            // Only bare names and `std::`/`core::`/`alloc::` paths: a path into another crate
            // may well name a label set called `Path` or `Box`.
            let std_or_bare = path.path.segments.len() == 1
                || path.path.segments.first().is_some_and(|first| {
                    first.ident == "std" || first.ident == "core" || first.ident == "alloc"
                });
            let name = last.ident.to_string();
            !(std_or_bare
                && matches!(
                    name.as_str(),
                    "String"
                        | "str"
                        | "bool"
                        | "char"
                        | "f32"
                        | "f64"
                        | "i8"
                        | "i16"
                        | "i32"
                        | "i64"
                        | "i128"
                        | "isize"
                        | "u8"
                        | "u16"
                        | "u32"
                        | "u64"
                        | "u128"
                        | "usize"
                        | "Box"
                        | "Rc"
                        | "Arc"
                        | "Cow"
                        | "Option"
                        | "Vec"
                        | "HashMap"
                        | "BTreeMap"
                ))
        }
        syn::Type::Group(group) => could_be_label_set(&group.elem),
        syn::Type::Paren(paren) => could_be_label_set(&paren.elem),
        syn::Type::Reference(_)
        | syn::Type::Tuple(_)
        | syn::Type::Array(_)
        | syn::Type::Slice(_)
        | syn::Type::Ptr(_)
        | syn::Type::BareFn(_) => false,
        _ => true,
    }
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        syn::Type::Group(group) => last_segment(&group.elem),
        syn::Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}
