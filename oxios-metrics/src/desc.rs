//! What a registry knows about a metric before it reads any value: name, HELP, type, unit, the
//! source line that declared it, and (from the derive) the header lines already rendered.

use std::fmt;
use std::sync::Arc;

/// The Prometheus type of a metric family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetricType {
    /// A monotonically increasing value; samples end in `_total`.
    Counter,
    /// A value that goes up and down.
    Gauge,
    /// Observations counted into buckets, with `_bucket`, `_sum` and `_count` samples.
    Histogram,
    /// Constant labels describing the process (`foo_info{version="1.2"} 1`).
    Info,
    /// Observations summarised as quantiles (`foo{quantile="0.5"}`), `_sum` and `_count`.
    Summary,
}

impl MetricType {
    /// The word on the `# TYPE` line in the Prometheus text format 0.0.4, which has no `info`
    /// type (an info metric is written as a gauge there).
    pub const fn prometheus_name(self) -> &'static str {
        match self {
            MetricType::Counter => "counter",
            MetricType::Gauge | MetricType::Info => "gauge",
            MetricType::Histogram => "histogram",
            MetricType::Summary => "summary",
        }
    }

    /// The word on the `# TYPE` line in OpenMetrics 1.0.
    pub const fn openmetrics_name(self) -> &'static str {
        match self {
            MetricType::Counter => "counter",
            MetricType::Gauge => "gauge",
            MetricType::Histogram => "histogram",
            MetricType::Info => "info",
            MetricType::Summary => "summary",
        }
    }

    /// The suffix the samples of this type carry after the family name, if one is fixed
    /// (`_total` for counters, `_info` for info metrics).
    pub const fn sample_suffix(self) -> &'static str {
        match self {
            MetricType::Counter => "_total",
            MetricType::Info => "_info",
            MetricType::Gauge | MetricType::Histogram | MetricType::Summary => "",
        }
    }

    /// Every suffix a family of this type puts after its name in either format. Two families
    /// clash when `name + suffix` of one equals `name + suffix` of the other.
    pub const fn exposed_suffixes(self) -> &'static [&'static str] {
        match self {
            MetricType::Counter => &["", "_total", "_created"],
            MetricType::Gauge => &[""],
            MetricType::Histogram => &["", "_bucket", "_sum", "_count", "_created"],
            MetricType::Info => &["", "_info"],
            MetricType::Summary => &["", "_sum", "_count", "_created"],
        }
    }
}

/// Where a metric was declared: shown when two declarations clash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DefinitionSite {
    /// The source file, as `file!()` gives it.
    pub file: &'static str,
    /// The 1-based line.
    pub line: u32,
    /// The 1-based column.
    pub column: u32,
}

impl DefinitionSite {
    /// A site from its parts (the derive passes `file!()`, `line!()`, `column!()` spanned on
    /// the field).
    pub const fn new(file: &'static str, line: u32, column: u32) -> Self {
        DefinitionSite { file, line, column }
    }
}

impl fmt::Display for DefinitionSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The header lines of a family, rendered at compile time for both formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderedHeaders {
    /// `# HELP` and `# TYPE` lines for the text format 0.0.4, each ending in a newline.
    pub prometheus: &'static str,
    /// `# HELP`, `# TYPE` and (with a unit) `# UNIT` lines for OpenMetrics.
    pub openmetrics: &'static str,
}

/// A metric family's description.
///
/// `name` is the family name as OpenMetrics uses it: without the `_total` of a counter's
/// sample or the `_info` of an info metric's sample, with the unit suffix when there is a unit.
/// The derive builds these in const context; collectors declare them as `static`s, or build
/// them at run time with [`MetricDesc::from_strings`] when the name is known only then.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricDesc {
    name: Text,
    help: Text,
    metric_type: MetricType,
    unit: Option<&'static str>,
    site: DefinitionSite,
    const_labels: &'static str,
    headers: Option<RenderedHeaders>,
    omits_total: bool,
}

/// Text of a description: a literal, or built at run time and shared.
#[derive(Clone, Debug, PartialEq)]
enum Text {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Text {
    fn as_str(&self) -> &str {
        match self {
            Text::Static(text) => text,
            Text::Shared(text) => text,
        }
    }
}

impl MetricDesc {
    /// Describes a family. Names and labels are checked when the owning group is registered.
    pub const fn new(
        name: &'static str,
        help: &'static str,
        metric_type: MetricType,
        site: DefinitionSite,
    ) -> Self {
        MetricDesc::with_text(Text::Static(name), Text::Static(help), metric_type, site)
    }

    /// Describes a family whose name and HELP are known only at run time (a bridge from
    /// another metrics API, say). Checked at registration like any other.
    pub fn from_strings(
        name: impl Into<Arc<str>>,
        help: impl Into<Arc<str>>,
        metric_type: MetricType,
        site: DefinitionSite,
    ) -> Self {
        MetricDesc::with_text(
            Text::Shared(name.into()),
            Text::Shared(help.into()),
            metric_type,
            site,
        )
    }

    const fn with_text(
        name: Text,
        help: Text,
        metric_type: MetricType,
        site: DefinitionSite,
    ) -> Self {
        MetricDesc {
            name,
            help,
            metric_type,
            unit: None,
            site,
            const_labels: "",
            headers: None,
            omits_total: false,
        }
    }

    /// Sets the unit; `name` must already end in `_<unit>` (OpenMetrics requires it).
    pub const fn with_unit(mut self, unit: &'static str) -> Self {
        self.unit = Some(unit);
        self
    }

    /// Sets labels that every sample of the family carries, already rendered and escaped as
    /// `name="value",other="value"`.
    pub const fn with_const_labels(mut self, rendered: &'static str) -> Self {
        self.const_labels = rendered;
        self
    }

    /// Supplies header lines rendered ahead of time. They must equal what
    /// [`render_headers`](crate::encode::render_headers) produces for this description; the
    /// derive guarantees it and the test suite checks it.
    pub const fn with_rendered_headers(mut self, headers: RenderedHeaders) -> Self {
        self.headers = Some(headers);
        self
    }

    /// Marks a counter whose samples are written without `_total` in the text format 0.0.4
    /// (`requests 5`, headed `# TYPE requests counter`), for dashboards that query a name
    /// from before the convention. OpenMetrics requires `_total` on counter samples, so
    /// OpenMetrics and protobuf still write `requests_total`: the series name then depends on
    /// the format a scraper negotiates. The derive sets it with
    /// `#[metric(allow(no_total_suffix))]`.
    pub const fn without_total_suffix(mut self) -> Self {
        self.omits_total = true;
        self
    }

    /// Whether [`without_total_suffix`](Self::without_total_suffix) was set.
    pub const fn omits_total_suffix(&self) -> bool {
        self.omits_total
    }

    /// The family name (see the type's documentation).
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// The HELP text, unescaped.
    pub fn help(&self) -> &str {
        self.help.as_str()
    }

    /// The metric type.
    pub const fn metric_type(&self) -> MetricType {
        self.metric_type
    }

    /// The unit, if one was declared.
    pub const fn unit(&self) -> Option<&'static str> {
        self.unit
    }

    /// Where the metric was declared.
    pub const fn site(&self) -> DefinitionSite {
        self.site
    }

    /// Labels rendered onto every sample (may be empty).
    pub const fn const_labels(&self) -> &'static str {
        self.const_labels
    }

    /// Header lines rendered at compile time, if any.
    pub const fn rendered_headers(&self) -> Option<RenderedHeaders> {
        self.headers
    }
}
