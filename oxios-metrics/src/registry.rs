//! Registries: which groups of metrics a scrape writes, and the guarantee that no two of them
//! expose the same sample name.
//!
//! Registration walks a group once: it checks every name (for groups that did not come from
//! the derive, which checks at compile time), claims every sample name the families expose
//! (`foo`, `foo_total`, `foo_bucket`, ...) and keeps the header lines to write. A clash with a
//! claim already held is an error naming the sample, both metrics and both definition sites;
//! nothing of the group is registered then. A scrape then only copies header bytes and asks
//! each metric to write its samples.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io;

use parking_lot::RwLock;

use crate::desc::{DefinitionSite, MetricDesc, MetricType};
use crate::encode::{render_headers, Format, LabelWriter, MetricEncoder, SampleValue, WriteLabels};
use crate::family::OVERFLOW_LABEL;
use crate::metric::EncodeMetric;
use crate::names;

/// The counter a registry adds once a dynamic family has overflowed: lookups of new label
/// sets sent to the family's overflow series, labelled by family. The name is reserved: a
/// group that claims it is refused.
pub const OVERFLOW_METRIC: &str = "oxios_metrics_series_overflow";

const OVERFLOW_HEADER_PROMETHEUS: &str = "# HELP oxios_metrics_series_overflow_total Lookups of new label sets sent to a dynamic family's overflow series because the family held max_series series.\n# TYPE oxios_metrics_series_overflow_total counter\n";
const OVERFLOW_HEADER_OPENMETRICS: &str = "# HELP oxios_metrics_series_overflow Lookups of new label sets sent to a dynamic family's overflow series because the family held max_series series.\n# TYPE oxios_metrics_series_overflow counter\n";

/// A group of metrics registered and scraped together; what `#[derive(Metrics)]` implements.
pub trait MetricGroup: Send + Sync {
    /// Shows every metric of the group to `visitor`, in a fixed order (the derive uses
    /// declaration order). The order and number must be the same on every call.
    fn visit(&self, visitor: &mut dyn MetricVisitor);
}

/// Receives the metrics of a group.
pub trait MetricVisitor {
    /// One metric family.
    fn metric(&mut self, desc: &MetricDesc, metric: &dyn EncodeMetric);

    /// A group nested inside another: its names get `scope.prefix` in front and its samples
    /// `scope.const_labels` in addition to their own.
    fn nested(&mut self, scope: Scope, group: &dyn MetricGroup);
}

/// What a parent group adds to a nested group's metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// Prepended to each name as is (include the separating `_`).
    pub prefix: &'static str,
    /// Rendered `name="value"` labels added to every sample (may be empty).
    pub const_labels: &'static str,
}

/// One reason a group could not be registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterProblem {
    /// Two families expose the same sample name.
    Clash {
        /// The sample name both expose.
        sample: String,
        /// The family registered first, and where it was declared.
        first: (String, DefinitionSite),
        /// The family being registered, and where it was declared.
        second: (String, DefinitionSite),
    },
    /// A metric name that Prometheus would refuse or that breaks a naming rule.
    InvalidMetricName {
        /// The name.
        name: String,
        /// Where it was declared.
        site: DefinitionSite,
        /// What is wrong.
        reason: &'static str,
    },
    /// A metric whose HELP text is empty or only whitespace (promtool reports "no help text").
    MissingHelp {
        /// The metric.
        name: String,
        /// Where it was declared.
        site: DefinitionSite,
    },
    /// A label name that Prometheus would refuse or that is reserved.
    InvalidLabelName {
        /// The metric.
        metric: String,
        /// The label name.
        label: String,
        /// Where the metric was declared.
        site: DefinitionSite,
        /// What is wrong.
        reason: &'static str,
    },
}

impl fmt::Display for RegisterProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegisterProblem::Clash {
                sample,
                first,
                second,
            } => {
                if first == second {
                    write!(
                        f,
                        "metric `{}` (defined at {}) is registered twice: the same group, or two instances of it, in one registry",
                        first.0, first.1
                    )
                } else {
                    write!(
                        f,
                        "sample name `{sample}` is exposed by `{}` (defined at {}) and by `{}` (defined at {})",
                        first.0, first.1, second.0, second.1
                    )
                }
            }
            RegisterProblem::MissingHelp { name, site } => write!(
                f,
                "metric `{name}` (defined at {site}) has no HELP text: say what it measures"
            ),
            RegisterProblem::InvalidMetricName { name, site, reason } => {
                write!(
                    f,
                    "metric name `{name}` (defined at {site}) is invalid: {reason}"
                )
            }
            RegisterProblem::InvalidLabelName {
                metric,
                label,
                site,
                reason,
            } => write!(
                f,
                "label `{label}` of metric `{metric}` (defined at {site}) is invalid: {reason}"
            ),
        }
    }
}

/// Why [`Registry::register`] refused a group: every problem found, in declaration order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterError {
    problems: Vec<RegisterProblem>,
}

impl RegisterError {
    /// Every problem found.
    pub fn problems(&self) -> &[RegisterProblem] {
        &self.problems
    }
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RegisterError {}

/// A family as the registry writes it: the final name and header text.
struct FamilyText {
    name: Cow<'static, str>,
    const_labels: Cow<'static, str>,
    prometheus_header: Cow<'static, str>,
    openmetrics_header: Cow<'static, str>,
}

enum GroupRef {
    Static(&'static dyn MetricGroup),
    Owned(Box<dyn MetricGroup>),
}

impl GroupRef {
    fn get(&self) -> &dyn MetricGroup {
        match self {
            GroupRef::Static(group) => *group,
            GroupRef::Owned(group) => group.as_ref(),
        }
    }
}

struct RegisteredGroup {
    group: GroupRef,
    families: Vec<FamilyText>,
}

struct State {
    groups: Vec<RegisteredGroup>,
    /// Every exposed sample name, with the family that exposes it and its site.
    claims: BTreeMap<String, (String, DefinitionSite)>,
}

/// A set of metric groups written together by a scrape.
///
/// ```
/// use oxios_metrics::{Format, Registry};
/// let registry = Registry::new();
/// let mut out = Vec::new();
/// registry.encode(&mut out, Format::OpenMetrics).unwrap();
/// assert_eq!(out, b"# EOF\n");
/// ```
pub struct Registry {
    state: RwLock<State>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.read();
        f.debug_struct("Registry")
            .field("groups", &state.groups.len())
            .field("sample_names", &state.claims.len())
            .finish()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

static GLOBAL: Registry = Registry::new();

/// The process-wide default registry.
pub fn global() -> &'static Registry {
    &GLOBAL
}

impl Registry {
    /// An empty registry.
    pub const fn new() -> Self {
        Registry {
            state: RwLock::new(State {
                groups: Vec::new(),
                claims: BTreeMap::new(),
            }),
        }
    }

    /// Registers a group that lives in a `static`.
    ///
    /// Fails, registering nothing, when a name is invalid or a sample name is already exposed
    /// by a registered family; the error names the metric and both definition sites.
    pub fn register<G: MetricGroup + 'static>(
        &self,
        group: &'static G,
    ) -> Result<(), RegisterError> {
        self.add(GroupRef::Static(group))
    }

    /// Registers a group the registry owns from now on (collectors built at run time).
    pub fn register_owned(&self, group: Box<dyn MetricGroup>) -> Result<(), RegisterError> {
        self.add(GroupRef::Owned(group))
    }

    fn add(&self, group: GroupRef) -> Result<(), RegisterError> {
        let mut state = self.state.write();
        let mut collector = Collector {
            prefix: String::new(),
            const_labels: String::new(),
            families: Vec::new(),
            claims: Vec::new(),
            problems: Vec::new(),
        };
        group.get().visit(&mut collector);
        let mut new_claims: BTreeMap<String, (String, DefinitionSite)> = BTreeMap::new();
        for (sample, owner) in collector.claims {
            let reserved = sample
                .strip_prefix(OVERFLOW_METRIC)
                .is_some_and(|suffix| MetricType::Counter.exposed_suffixes().contains(&suffix));
            if reserved {
                collector.problems.push(RegisterProblem::InvalidMetricName {
                    name: owner.0.clone(),
                    site: owner.1,
                    reason: "the name is reserved for the registry's own overflow counter",
                });
                continue;
            }
            if let Some(first) = state
                .claims
                .get(&sample)
                .or_else(|| new_claims.get(&sample))
            {
                // A family claims several samples; report each pair of families once.
                let duplicate = collector.problems.iter().any(|problem| {
                    matches!(problem, RegisterProblem::Clash { first: f, second: s, .. }
                        if *f == *first && *s == owner)
                });
                if !duplicate {
                    collector.problems.push(RegisterProblem::Clash {
                        sample: sample.clone(),
                        first: first.clone(),
                        second: owner.clone(),
                    });
                }
                continue;
            }
            new_claims.insert(sample, owner);
        }
        if !collector.problems.is_empty() {
            return Err(RegisterError {
                problems: collector.problems,
            });
        }
        state.claims.extend(new_claims);
        state.groups.push(RegisteredGroup {
            group,
            families: collector.families,
        });
        Ok(())
    }

    /// Writes every registered family in `format` to `writer`, in registration order (and
    /// declaration order within a group), with one `write_all` call.
    ///
    /// The text is built in a buffer kept per thread, so a scrape allocates only the first
    /// time a thread scrapes (or when the text outgrows the buffer).
    pub fn encode<W: io::Write + ?Sized>(&self, writer: &mut W, format: Format) -> io::Result<()> {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => {
                buffer.clear();
                self.encode_to_vec(&mut buffer, format);
                writer.write_all(&buffer)
            }
            // A metric that scrapes a registry while being scraped: use a fresh buffer.
            Err(_) => {
                let mut buffer = Vec::new();
                self.encode_to_vec(&mut buffer, format);
                writer.write_all(&buffer)
            }
        })
    }

    /// Appends the exposition to `out`. With `out` reused (cleared) between scrapes this
    /// allocates nothing once `out` is large enough.
    pub fn encode_to_vec(&self, out: &mut Vec<u8>, format: Format) {
        let state = self.state.read();
        for registered in &state.groups {
            let mut scrape = Scrape {
                families: &registered.families,
                next: 0,
                out: &mut *out,
                format,
            };
            registered.group.get().visit(&mut scrape);
        }
        write_overflow_counts(&state.groups, out, format);
        drop(state);
        if format.is_openmetrics() {
            out.extend_from_slice(b"# EOF\n");
        }
    }

    /// The exposition as a `String`.
    pub fn render(&self, format: Format) -> String {
        let mut out = Vec::new();
        self.encode_to_vec(&mut out, format);
        String::from_utf8(out)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }
}

/// Writes [`OVERFLOW_METRIC`] when some family has overflowed: a second walk over the groups
/// that reads one atomic per family and allocates nothing.
fn write_overflow_counts(groups: &[RegisteredGroup], out: &mut Vec<u8>, format: Format) {
    let mut any = false;
    for registered in groups {
        let mut visitor = Overflows {
            families: &registered.families,
            next: 0,
            out: &mut *out,
            format,
            header_written: &mut any,
        };
        registered.group.get().visit(&mut visitor);
    }
}

/// Writes one overflow sample per overflowed family.
struct Overflows<'a> {
    families: &'a [FamilyText],
    next: usize,
    out: &'a mut Vec<u8>,
    format: Format,
    header_written: &'a mut bool,
}

impl MetricVisitor for Overflows<'_> {
    fn metric(&mut self, _desc: &MetricDesc, metric: &dyn EncodeMetric) {
        let Some(family) = self.families.get(self.next) else {
            return;
        };
        self.next += 1;
        let overflowed = metric.overflowed_lookups();
        if overflowed == 0 {
            return;
        }
        if !*self.header_written {
            *self.header_written = true;
            self.out.extend_from_slice(if self.format.is_openmetrics() {
                OVERFLOW_HEADER_OPENMETRICS.as_bytes()
            } else {
                OVERFLOW_HEADER_PROMETHEUS.as_bytes()
            });
        }
        let family_name = FamilyLabel(&family.name);
        MetricEncoder::new(self.out, self.format, OVERFLOW_METRIC, "").sample(
            "_total",
            &family_name,
            SampleValue::Unsigned(overflowed),
        );
    }

    fn nested(&mut self, _scope: Scope, group: &dyn MetricGroup) {
        group.visit(self);
    }
}

struct FamilyLabel<'a>(&'a str);

impl WriteLabels for FamilyLabel<'_> {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label_escaped("family", self.0);
    }
}

/// Walks a group at registration.
struct Collector {
    prefix: String,
    const_labels: String,
    families: Vec<FamilyText>,
    claims: Vec<(String, (String, DefinitionSite))>,
    problems: Vec<RegisterProblem>,
}

impl Collector {
    fn check_names(&mut self, name: &str, desc: &MetricDesc, metric: &dyn EncodeMetric) {
        let site = desc.site();
        if let Err(reason) = names::check_metric_name(name) {
            self.problems.push(RegisterProblem::InvalidMetricName {
                name: name.to_owned(),
                site,
                reason,
            });
        }
        if desc.help().trim().is_empty() {
            self.problems.push(RegisterProblem::MissingHelp {
                name: name.to_owned(),
                site,
            });
        }
        if let Some(unit) = desc.unit() {
            let suffixed = name
                .strip_suffix(unit)
                .is_some_and(|rest| rest.ends_with('_'));
            if !suffixed {
                self.problems.push(RegisterProblem::InvalidMetricName {
                    name: name.to_owned(),
                    site,
                    reason: "a metric with a unit must have a name ending in `_<unit>`",
                });
            }
        }
        let mut seen: Vec<String> = Vec::new();
        let metric_type = desc.metric_type();
        let mut check_label = |label: &str, problems: &mut Vec<RegisterProblem>| {
            let verdict = if seen.iter().any(|earlier| earlier == label) {
                Err("the label appears twice")
            } else if label == "le" && metric_type == MetricType::Histogram {
                Err("`le` is the bucket label of histograms")
            } else if label == "quantile" {
                Err("`quantile` is reserved for summaries")
            } else if label == OVERFLOW_LABEL {
                Err("`series_overflow` marks the overflow series of dynamic families")
            } else {
                names::check_label_name(label)
            };
            if let Err(reason) = verdict {
                problems.push(RegisterProblem::InvalidLabelName {
                    metric: name.to_owned(),
                    label: label.to_owned(),
                    site,
                    reason,
                });
            }
            seen.push(label.to_owned());
        };
        for rendered in [desc.const_labels(), self.const_labels.as_str()] {
            match names::rendered_label_names(rendered) {
                Ok(labels) => {
                    for label in labels {
                        check_label(label, &mut self.problems);
                    }
                }
                Err(reason) => self.problems.push(RegisterProblem::InvalidLabelName {
                    metric: name.to_owned(),
                    label: rendered.to_owned(),
                    site,
                    reason,
                }),
            }
        }
        let mut problems = std::mem::take(&mut self.problems);
        metric.visit_label_names(&mut |label| check_label(label, &mut problems));
        self.problems = problems;
    }
}

impl MetricVisitor for Collector {
    fn metric(&mut self, desc: &MetricDesc, metric: &dyn EncodeMetric) {
        let scoped = !self.prefix.is_empty() || !self.const_labels.is_empty();
        let name: Cow<'static, str> = if self.prefix.is_empty() {
            Cow::Borrowed(desc.name())
        } else {
            Cow::Owned(format!("{}{}", self.prefix, desc.name()))
        };
        self.check_names(&name, desc, metric);
        for suffix in desc.metric_type().exposed_suffixes() {
            self.claims
                .push((format!("{name}{suffix}"), (name.to_string(), desc.site())));
        }
        let const_labels: Cow<'static, str> = if self.const_labels.is_empty() {
            Cow::Borrowed(desc.const_labels())
        } else if desc.const_labels().is_empty() {
            Cow::Owned(self.const_labels.clone())
        } else {
            Cow::Owned(format!("{},{}", self.const_labels, desc.const_labels()))
        };
        let (prometheus_header, openmetrics_header) = match desc.rendered_headers() {
            Some(headers) if !scoped => (
                Cow::Borrowed(headers.prometheus),
                Cow::Borrowed(headers.openmetrics),
            ),
            _ => {
                let render = |format| {
                    let mut text = Vec::new();
                    render_headers(&mut text, format, &name, desc);
                    Cow::Owned(String::from_utf8_lossy(&text).into_owned())
                };
                (render(Format::Prometheus), render(Format::OpenMetrics))
            }
        };
        self.families.push(FamilyText {
            name,
            const_labels,
            prometheus_header,
            openmetrics_header,
        });
    }

    fn nested(&mut self, scope: Scope, group: &dyn MetricGroup) {
        let saved_prefix = self.prefix.len();
        let saved_labels = self.const_labels.len();
        // An outer prefix goes in front of an inner one.
        self.prefix.push_str(scope.prefix);
        if !scope.const_labels.is_empty() {
            if !self.const_labels.is_empty() {
                self.const_labels.push(',');
            }
            self.const_labels.push_str(scope.const_labels);
        }
        group.visit(self);
        self.prefix.truncate(saved_prefix);
        self.const_labels.truncate(saved_labels);
    }
}

/// Walks a group at scrape time, pairing each metric with the text prepared at registration.
struct Scrape<'a> {
    families: &'a [FamilyText],
    next: usize,
    out: &'a mut Vec<u8>,
    format: Format,
}

impl MetricVisitor for Scrape<'_> {
    fn metric(&mut self, _desc: &MetricDesc, metric: &dyn EncodeMetric) {
        // A group that shows more metrics than it did at registration gets the extra ones
        // skipped rather than written without a checked name.
        let Some(family) = self.families.get(self.next) else {
            return;
        };
        self.next += 1;
        let header = if self.format.is_openmetrics() {
            &family.openmetrics_header
        } else {
            &family.prometheus_header
        };
        self.out.extend_from_slice(header.as_bytes());
        let mut encoder =
            MetricEncoder::new(self.out, self.format, &family.name, &family.const_labels);
        metric.encode(&mut encoder);
    }

    fn nested(&mut self, _scope: Scope, group: &dyn MetricGroup) {
        group.visit(self);
    }
}
