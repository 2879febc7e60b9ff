//! Info metrics: constant labels describing the process, written as `name_info{...} 1`.
//!
//! The labels can change at run time ([`Info::set`], [`Info::set_static`]), so they are
//! checked when set: a name that is invalid, reserved, repeated, or equal to a constant label
//! the metric is registered with is an error, and the labels stay as they were. (Prometheus
//! drops a whole target whose scrape has one series with a repeated label name.)

use std::fmt;

use parking_lot::RwLock;

use crate::desc::MetricType;
use crate::encode::{render_labels, LabelWriter, MetricEncoder, SampleValue, WriteLabels};
use crate::labels::LabelSet;
use crate::metric::{EncodeMetric, Metric};
use crate::names;

/// An info metric: one sample of value 1 whose labels carry the information.
///
/// ```
/// use oxios_metrics::Info;
/// static BUILD: Info = Info::from_static(&[("version", env!("CARGO_PKG_VERSION"))]);
/// BUILD.set_static(&[("version", "2.0.0"), ("commit", "abc123")]).unwrap();
/// assert!(BUILD.set_static(&[("git-sha", "abc123")]).is_err());
/// assert!(BUILD.set_static(&[("commit", "a"), ("commit", "b")]).is_err());
/// ```
#[derive(Debug)]
pub struct Info {
    labels: RwLock<InfoLabels>,
    /// Names of the constant labels of every registration, which the labels must not repeat.
    constant: RwLock<Vec<Box<str>>>,
}

#[derive(Debug)]
enum InfoLabels {
    Static(&'static [(&'static str, &'static str)]),
    Rendered {
        text: Box<str>,
        names: &'static [&'static str],
    },
}

impl InfoLabels {
    fn for_each_name(&self, visit: &mut dyn FnMut(&str)) {
        match self {
            InfoLabels::Static(pairs) => pairs.iter().for_each(|(name, _)| visit(name)),
            InfoLabels::Rendered { names, .. } => names.iter().for_each(|name| visit(name)),
        }
    }
}

impl WriteLabels for InfoLabels {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        match self {
            InfoLabels::Static(pairs) => {
                for (name, value) in pairs.iter() {
                    writer.label(name, value);
                }
            }
            InfoLabels::Rendered { text, .. } => writer.rendered(text),
        }
    }
}

/// Why labels given at run time were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelError {
    label: String,
    reason: &'static str,
}

impl LabelError {
    /// The refused label name.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Why it was refused.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "label `{}` is refused: {}", self.label, self.reason)
    }
}

impl std::error::Error for LabelError {}

impl Info {
    /// An info metric with no labels yet.
    pub const fn new() -> Self {
        Info::from_static(&[])
    }

    /// An info metric with the given `(name, value)` labels. Values are escaped when written;
    /// names are checked when the metric is registered (a `const fn` cannot report them).
    pub const fn from_static(labels: &'static [(&'static str, &'static str)]) -> Self {
        Info {
            labels: RwLock::new(InfoLabels::Static(labels)),
            constant: RwLock::new(Vec::new()),
        }
    }

    /// Replaces the labels with static pairs, or leaves them as they are and says why not.
    pub fn set_static(
        &self,
        labels: &'static [(&'static str, &'static str)],
    ) -> Result<(), LabelError> {
        self.check(labels.iter().map(|(name, _)| *name))?;
        *self.labels.write() = InfoLabels::Static(labels);
        Ok(())
    }

    /// Replaces the labels with those of a label set (rendered once, here), or leaves them as
    /// they are and says why not.
    pub fn set<L: LabelSet>(&self, labels: &L) -> Result<(), LabelError> {
        self.check(L::LABEL_NAMES.iter().copied())?;
        *self.labels.write() = InfoLabels::Rendered {
            text: render_labels(labels).into_boxed_str(),
            names: L::LABEL_NAMES,
        };
        Ok(())
    }

    fn check<'a>(&self, names: impl Iterator<Item = &'a str>) -> Result<(), LabelError> {
        let constant = self.constant.read();
        let mut seen: Vec<&str> = Vec::new();
        for name in names {
            let verdict = if seen.contains(&name) {
                Err("it appears twice")
            } else if constant.iter().any(|taken| &**taken == name) {
                Err("it is a constant label of a registry or group this metric is registered in")
            } else {
                names::check_constant_label_name(name)
            };
            verdict.map_err(|reason| LabelError {
                label: name.to_owned(),
                reason,
            })?;
            seen.push(name);
        }
        Ok(())
    }
}

impl Default for Info {
    fn default() -> Self {
        Self::new()
    }
}

impl EncodeMetric for Info {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        let labels = self.labels.read();
        encoder.sample("_info", &*labels, SampleValue::Unsigned(1));
    }

    fn visit_label_names(&self, visit: &mut dyn FnMut(&str)) {
        self.labels.read().for_each_name(visit);
    }

    fn note_constant_labels(&self, names: &[&str]) {
        let mut constant = self.constant.write();
        for name in names {
            if !constant.iter().any(|known| &**known == *name) {
                constant.push((*name).into());
            }
        }
    }
}

impl Metric for Info {
    const METRIC_TYPE: MetricType = MetricType::Info;
}
