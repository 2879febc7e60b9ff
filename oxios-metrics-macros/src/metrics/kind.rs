//! What a field's type says about the metric: its Prometheus type and how it is built.

/// A Prometheus metric type, as the macro reasons about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MetricKind {
    Counter,
    Gauge,
    Histogram,
    Info,
}

impl MetricKind {
    /// The `oxios_metrics::MetricType` variant.
    pub(super) fn variant(self) -> &'static str {
        match self {
            MetricKind::Counter => "Counter",
            MetricKind::Gauge => "Gauge",
            MetricKind::Histogram => "Histogram",
            MetricKind::Info => "Info",
        }
    }

    pub(super) fn word(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge => "gauge",
            MetricKind::Histogram => "histogram",
            MetricKind::Info => "info metric",
        }
    }

    /// The word on the `# TYPE` line of the text format 0.0.4.
    pub(super) fn prometheus_name(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge | MetricKind::Info => "gauge",
            MetricKind::Histogram => "histogram",
        }
    }

    /// The word on the `# TYPE` line of OpenMetrics.
    pub(super) fn openmetrics_name(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge => "gauge",
            MetricKind::Histogram => "histogram",
            MetricKind::Info => "info",
        }
    }

    /// The suffix of the samples (and of 0.0.4 header names).
    pub(super) fn sample_suffix(self) -> &'static str {
        match self {
            MetricKind::Counter => "_total",
            MetricKind::Info => "_info",
            MetricKind::Gauge | MetricKind::Histogram => "",
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
    /// `Type::new()` or `Type::with_buckets(...)`.
    Histogram,
    /// A `Family<L, M>`: `new()` or `with_config(...)`, then `with_max_series(...)`.
    Family,
}

/// A field type recognised as a metric.
pub(super) struct Classified<'a> {
    pub(super) kind: MetricKind,
    pub(super) construction: Construction,
    /// For a family: the label set type.
    pub(super) labels: Option<&'a syn::Type>,
}

/// Why a type is not a metric.
pub(super) enum NotAMetric<'a> {
    /// Not a metric type at all.
    Unknown,
    /// A `Family` whose arguments are missing or whose member cannot be in a family.
    BadFamily(&'a syn::Type, String),
}

const MEMBERS: &str = "`Counter`, `FloatCounter`, `Gauge`, `FloatGauge` or `Histogram`";

pub(super) fn classify(ty: &syn::Type) -> Result<Classified<'_>, NotAMetric<'_>> {
    let Some(last) = last_segment(ty) else {
        return Err(NotAMetric::Unknown);
    };
    let plain = |kind, construction| {
        Ok(Classified {
            kind,
            construction,
            labels: None,
        })
    };
    match last.ident.to_string().as_str() {
        "Counter" | "FloatCounter" => plain(MetricKind::Counter, Construction::Plain),
        "CallbackCounter" => plain(MetricKind::Counter, Construction::Callback),
        "Gauge" | "FloatGauge" => plain(MetricKind::Gauge, Construction::Plain),
        "CallbackGauge" => plain(MetricKind::Gauge, Construction::Callback),
        "Histogram" => plain(MetricKind::Histogram, Construction::Histogram),
        "Info" => plain(MetricKind::Info, Construction::Plain),
        "Family" => {
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
            let [labels, member] = types[..] else {
                return Err(NotAMetric::BadFamily(
                    ty,
                    "a family is written `Family<LabelSet, Metric>`".to_owned(),
                ));
            };
            let kind = match last_segment(member).map(|segment| segment.ident.to_string()) {
                Some(name) if name == "Counter" || name == "FloatCounter" => MetricKind::Counter,
                Some(name) if name == "Gauge" || name == "FloatGauge" => MetricKind::Gauge,
                Some(name) if name == "Histogram" => MetricKind::Histogram,
                _ => {
                    return Err(NotAMetric::BadFamily(
                        member,
                        format!("a family's metric must be {MEMBERS}"),
                    ))
                }
            };
            Ok(Classified {
                kind,
                construction: Construction::Family,
                labels: Some(labels),
            })
        }
        _ => Err(NotAMetric::Unknown),
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
