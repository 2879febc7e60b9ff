//! Registration's first step: walking a group to learn what it declares, checking every name
//! and label on the way. It runs before any lock is taken, since `visit` is the group's own
//! code and may do anything, registering other groups included.

use crate::desc::{DefinitionSite, MetricDesc, MetricType};
use crate::encode::escaped_forms;
use crate::family::OVERFLOW_LABEL;
use crate::metric::EncodeMetric;
use crate::names;

use super::error::RegisterProblem;
use super::group::{MetricGroup, MetricVisitor, Scope};
use super::scrape::Headers;
use super::OVERFLOW_METRIC;

/// One metric of a group as it will be exposed: its final name, its description, and the
/// constant labels of this member.
pub(crate) struct Declared {
    /// Position in the group's visit order.
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) identity: FamilyIdentity,
    pub(crate) headers: Headers,
    /// Rendered `a="x",b="y"` text every sample of this member carries.
    pub(crate) const_labels: String,
    /// The constant labels as sorted `(name, escaped value)` pairs: two members with equal
    /// keys would write the same series.
    pub(crate) label_key: Vec<(String, String)>,
}

/// What members of one family must agree on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FamilyIdentity {
    pub(crate) metric_type: MetricType,
    pub(crate) help: String,
    pub(crate) unit: Option<String>,
    pub(crate) omits_total: bool,
    pub(crate) utf8_names: bool,
    pub(crate) site: DefinitionSite,
}

impl FamilyIdentity {
    /// What differs between two declarations of one family, if anything.
    pub(crate) fn difference(&self, other: &FamilyIdentity) -> Option<&'static str> {
        if self.metric_type != other.metric_type {
            Some("type")
        } else if self.help != other.help {
            Some("HELP text")
        } else if self.unit != other.unit {
            Some("unit")
        } else if self.omits_total != other.omits_total {
            Some("_total suffix")
        } else if self.utf8_names != other.utf8_names {
            Some("UTF-8 name declaration")
        } else {
            None
        }
    }
}

/// The prefix and constant labels a registration adds to every metric of the group.
#[derive(Clone, Debug, Default)]
pub(crate) struct ScopeText {
    /// Prepended as is (ends in `_` unless empty).
    pub(crate) prefix: String,
    /// Rendered, escaped `name="value"` pairs (may be empty).
    pub(crate) labels: String,
}

/// Walks `group` and returns what it declares, or every problem found.
pub(crate) fn declare(
    group: &dyn MetricGroup,
    scope: &ScopeText,
) -> Result<Vec<Declared>, Vec<RegisterProblem>> {
    let mut walker = Walker {
        prefix: scope.prefix.clone(),
        const_labels: scope.labels.clone(),
        next_index: 0,
        declared: Vec::new(),
        problems: Vec::new(),
    };
    group.visit(&mut walker);
    if walker.problems.is_empty() {
        Ok(walker.declared)
    } else {
        Err(walker.problems)
    }
}

struct Walker {
    prefix: String,
    const_labels: String,
    next_index: usize,
    declared: Vec<Declared>,
    problems: Vec<RegisterProblem>,
}

impl Walker {
    fn check_name(&mut self, name: &str, desc: &MetricDesc) {
        let site = desc.site();
        let verdict = if desc.utf8_names() {
            names::check_utf8_name(name)
        } else {
            names::check_metric_name(name)
        };
        if let Err(reason) = verdict {
            self.problems.push(RegisterProblem::InvalidMetricName {
                name: name.to_owned(),
                site,
                reason,
            });
        }
        let reserved = desc.metric_type().exposed_suffixes().iter().any(|exposed| {
            format!("{name}{exposed}")
                .strip_prefix(OVERFLOW_METRIC)
                .is_some_and(|rest| MetricType::Counter.exposed_suffixes().contains(&rest))
        });
        if reserved {
            self.problems.push(RegisterProblem::InvalidMetricName {
                name: name.to_owned(),
                site,
                reason: "the name is reserved for the registry's own overflow counter",
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
    }

    /// Checks every label name a member's samples carry, and returns the constant labels as
    /// sorted pairs.
    fn check_labels(
        &mut self,
        name: &str,
        desc: &MetricDesc,
        const_labels: &str,
        metric: &dyn EncodeMetric,
    ) -> Vec<(String, String)> {
        let site = desc.site();
        let metric_type = desc.metric_type();
        let utf8 = desc.utf8_names();
        let mut seen: Vec<String> = Vec::new();
        let mut problems = Vec::new();
        let mut check = |label: &str, problems: &mut Vec<RegisterProblem>| {
            let verdict = if seen.iter().any(|earlier| earlier == label) {
                Err("the label appears twice")
            } else if utf8 && seen.iter().any(|earlier| escapes_alike(earlier, label)) {
                Err("the label reads like another label of the series once a scrape escapes names (`http.method` and `http_method` are both `http_method` under `underscores`)")
            } else if label == "le" && metric_type == MetricType::Histogram {
                Err("`le` is the bucket label of histograms")
            } else if label == "quantile" {
                Err("`quantile` is reserved for summaries")
            } else if label == OVERFLOW_LABEL || (utf8 && escapes_alike(label, OVERFLOW_LABEL)) {
                Err("`series_overflow` marks the overflow series of dynamic families")
            } else if utf8 && escapes_reserved(label) {
                Err("the label starts with `__` once a scrape escapes names (`..x` under `underscores`, `_x.y` under `dots`), a prefix Prometheus reserves and drops")
            } else if utf8 && label.contains(':') {
                // Label names never hold `:`; as a name it passes for legacy and would be
                // written unescaped, which no text parser accepts.
                Err("a label name may not hold `:`")
            } else if utf8 {
                names::check_utf8_name(label)
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
        let mut pairs = Vec::new();
        match names::rendered_label_pairs(const_labels) {
            Ok(found) => {
                for (label, value) in found {
                    check(label, &mut problems);
                    pairs.push((label.to_owned(), value.to_owned()));
                }
            }
            Err(reason) => problems.push(RegisterProblem::InvalidLabelName {
                metric: name.to_owned(),
                label: const_labels.to_owned(),
                site,
                reason,
            }),
        }
        let constant_names: Vec<&str> = pairs.iter().map(|(label, _)| label.as_str()).collect();
        metric.note_constant_labels(&constant_names);
        metric.visit_label_names(&mut |label| check(label, &mut problems));
        self.problems.extend(problems);
        pairs.sort();
        pairs
    }
}

impl MetricVisitor for Walker {
    fn metric(&mut self, desc: &MetricDesc, metric: &dyn EncodeMetric) {
        let index = self.next_index;
        self.next_index += 1;
        let name = format!("{}{}", self.prefix, desc.name());
        self.check_name(&name, desc);
        let const_labels = match (self.const_labels.is_empty(), desc.const_labels().is_empty()) {
            (true, _) => desc.const_labels().to_owned(),
            (false, true) => self.const_labels.clone(),
            (false, false) => format!("{},{}", self.const_labels, desc.const_labels()),
        };
        let label_key = self.check_labels(&name, desc, &const_labels, metric);
        let headers = Headers::render(&name, desc);
        self.declared.push(Declared {
            index,
            identity: FamilyIdentity {
                metric_type: desc.metric_type(),
                help: desc.help().trim().to_owned(),
                unit: desc.unit().map(str::to_owned),
                omits_total: desc.omits_total_suffix(),
                utf8_names: desc.utf8_names(),
                site: desc.site(),
            },
            name,
            headers,
            const_labels,
            label_key,
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

/// Whether two label names are written the same in some escaping scheme (each written as a
/// scrape writes it: legacy names as they are, others escaped).
fn escapes_alike(first: &str, second: &str) -> bool {
    escaped_forms(first)
        .iter()
        .zip(&escaped_forms(second))
        .any(|(first, second)| first == second)
}

/// Whether a label name is written with the reserved `__` prefix under `underscores` or
/// `dots` (`values` always starts an escaped name with `U__`).
fn escapes_reserved(label: &str) -> bool {
    escaped_forms(label)[..2]
        .iter()
        .any(|form| form.starts_with(b"__"))
}
