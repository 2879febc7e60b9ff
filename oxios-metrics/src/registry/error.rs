//! Why a registration was refused: every problem found, each naming the metric and where it
//! was declared.

use std::fmt;

use crate::desc::DefinitionSite;

/// One reason a group (or a sub-registry) could not be registered (or made).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegisterProblem {
    /// Two different families expose the same sample name.
    Clash {
        /// The sample name both expose.
        sample: String,
        /// The family registered first, and where it was declared.
        first: (String, DefinitionSite),
        /// The family being registered, and where it was declared.
        second: (String, DefinitionSite),
    },
    /// A family already registered under this name has another HELP text, type or unit, so
    /// the two cannot be written as one family.
    Mismatch {
        /// The family name.
        name: String,
        /// What differs: `"HELP text"`, `"type"`, `"unit"`, `"_total suffix"` or
        /// `"UTF-8 name declaration"`.
        what: &'static str,
        /// Where the registered family was declared.
        first: DefinitionSite,
        /// Where the family being registered was declared.
        second: DefinitionSite,
    },
    /// A member with the same name and the same constant labels is already registered: its
    /// series would be indistinguishable. Instances of one group registered side by side need
    /// constant labels that tell them apart (a sub-registry's `with_label`).
    Duplicate {
        /// The family name.
        name: String,
        /// The constant labels both have, rendered (`peer="a"`; empty for none).
        labels: String,
        /// Where the registered member was declared.
        first: DefinitionSite,
        /// Where the member being registered was declared.
        second: DefinitionSite,
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
        /// The metric (empty for a sub-registry's label).
        metric: String,
        /// The label name.
        label: String,
        /// Where the metric (or the sub-registry) was declared.
        site: DefinitionSite,
        /// What is wrong.
        reason: &'static str,
    },
    /// A constant label value a sub-registry refuses.
    InvalidLabelValue {
        /// The label name.
        label: String,
        /// Where the sub-registry was made.
        site: DefinitionSite,
        /// What is wrong.
        reason: &'static str,
    },
    /// A sub-registry prefix that breaks the naming rules.
    InvalidPrefix {
        /// The prefix as given.
        prefix: String,
        /// Where the sub-registry was made.
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
            } => write!(
                f,
                "sample name `{sample}` is exposed by `{}` (defined at {}) and by `{}` (defined at {})",
                first.0, first.1, second.0, second.1
            ),
            RegisterProblem::Mismatch {
                name,
                what,
                first,
                second,
            } => write!(
                f,
                "metric `{name}` is declared at {first} and at {second} with a different {what}: one family needs one HELP text, type and unit"
            ),
            RegisterProblem::Duplicate {
                name,
                labels,
                first,
                second,
            } => {
                let labels = if labels.is_empty() {
                    "no constant labels".to_owned()
                } else {
                    format!("the constant labels {{{labels}}}")
                };
                if first == second {
                    write!(
                        f,
                        "metric `{name}` (defined at {first}) is registered twice with {labels}: the same group, or two instances of it, in one registry; give each instance a distinguishing label (`with_label`)"
                    )
                } else {
                    write!(
                        f,
                        "metric `{name}` with {labels} is registered twice: defined at {first} and at {second}"
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
            } if metric.is_empty() => write!(
                f,
                "label name `{label}` (given at {site}) is invalid: {reason}"
            ),
            RegisterProblem::InvalidLabelName {
                metric,
                label,
                site,
                reason,
            } => write!(
                f,
                "label `{label}` of metric `{metric}` (defined at {site}) is invalid: {reason}"
            ),
            RegisterProblem::InvalidLabelValue {
                label,
                site,
                reason,
            } => write!(
                f,
                "the value of label `{label}` (given at {site}) is invalid: {reason}"
            ),
            RegisterProblem::InvalidPrefix {
                prefix,
                site,
                reason,
            } => write!(
                f,
                "prefix `{prefix}` (given at {site}) is invalid: {reason}"
            ),
        }
    }
}

/// Why a registration (or a sub-registry) was refused: every problem found, in declaration
/// order. Nothing was registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterError {
    problems: Vec<RegisterProblem>,
}

impl RegisterError {
    pub(crate) fn new(problems: Vec<RegisterProblem>) -> Self {
        debug_assert!(!problems.is_empty());
        RegisterError { problems }
    }

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
