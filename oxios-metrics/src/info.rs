//! Info metrics: constant labels describing the process, written as `name_info{...} 1`.

use std::borrow::Cow;

use parking_lot::RwLock;

use crate::desc::MetricType;
use crate::encode::{render_labels, LabelWriter, MetricEncoder, SampleValue, WriteLabels};
use crate::labels::LabelSet;
use crate::metric::{EncodeMetric, Metric};

/// An info metric: one sample of value 1 whose labels carry the information.
///
/// ```
/// use oxios_metrics::Info;
/// static BUILD: Info = Info::from_static(&[("version", env!("CARGO_PKG_VERSION"))]);
/// BUILD.set_static(&[("version", "2.0.0"), ("commit", "abc123")]);
/// ```
#[derive(Debug)]
pub struct Info {
    labels: RwLock<InfoLabels>,
}

#[derive(Debug)]
enum InfoLabels {
    Static(&'static [(&'static str, &'static str)]),
    Rendered(Cow<'static, str>),
}

impl WriteLabels for InfoLabels {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        match self {
            InfoLabels::Static(pairs) => {
                for (name, value) in pairs.iter() {
                    writer.label(name, value);
                }
            }
            InfoLabels::Rendered(text) => writer.rendered(text),
        }
    }
}

impl Info {
    /// An info metric with no labels yet.
    pub const fn new() -> Self {
        Info::from_static(&[])
    }

    /// An info metric with the given `(name, value)` labels. Values are escaped when written;
    /// names must be valid label names (checked at registration).
    pub const fn from_static(labels: &'static [(&'static str, &'static str)]) -> Self {
        Info {
            labels: RwLock::new(InfoLabels::Static(labels)),
        }
    }

    /// Replaces the labels with static pairs.
    pub fn set_static(&self, labels: &'static [(&'static str, &'static str)]) {
        *self.labels.write() = InfoLabels::Static(labels);
    }

    /// Replaces the labels with those of a label set (rendered once, here).
    pub fn set<L: LabelSet>(&self, labels: &L) {
        *self.labels.write() = InfoLabels::Rendered(Cow::Owned(render_labels(labels)));
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
        // Rendered label sets were checked by their derive; static pairs are checked here.
        if let InfoLabels::Static(pairs) = &*self.labels.read() {
            for (name, _) in pairs.iter() {
                visit(name);
            }
        }
    }
}

impl Metric for Info {
    const METRIC_TYPE: MetricType = MetricType::Info;
}
