//! The facade's own counters: emissions it refused, and names and units it rewrote. They are
//! a group of their own, registered with the recorder, with every series present from the
//! start (at zero) so that `increase(...)` sees the first problem.

use crate::counter::Counter;
use crate::desc::{DefinitionSite, MetricDesc, MetricType};
use crate::encode::{LabelWriter, MetricEncoder, WriteLabels};
use crate::metric::{EncodeMetric, FamilyMember};
use crate::registry::{MetricGroup, MetricVisitor};

/// The family that counts refused emissions (its samples end in `_total`).
pub const REFUSED_METRIC: &str = "oxios_metrics_facade_refused";
/// The family that counts names and units the facade rewrote or dropped.
pub const REWRITTEN_METRIC: &str = "oxios_metrics_facade_rewritten";

/// Why an emission got a handle that records nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    InvalidName = 0,
    InvalidLabels = 1,
    Clash = 2,
    MaxFamilies = 3,
}

/// What the facade changed so that a metric could be exposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rewrite {
    MetricName = 0,
    LabelName = 1,
    Unit = 2,
}

/// A counter per value of one label.
struct Tally<const N: usize> {
    label: &'static str,
    values: [&'static str; N],
    counts: [Counter; N],
}

impl<const N: usize> Tally<N> {
    const fn new(label: &'static str, values: [&'static str; N]) -> Self {
        Tally {
            label,
            values,
            counts: [const { Counter::new() }; N],
        }
    }
}

struct OneLabel {
    name: &'static str,
    value: &'static str,
}

impl WriteLabels for OneLabel {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label_escaped(self.name, self.value);
    }
}

impl<const N: usize> EncodeMetric for Tally<N> {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        for (value, count) in self.values.iter().zip(&self.counts) {
            let labels = OneLabel {
                name: self.label,
                value,
            };
            <Counter as FamilyMember>::encode_series(count, &(), &labels, encoder);
        }
    }

    fn visit_label_names(&self, visit: &mut dyn FnMut(&str)) {
        visit(self.label);
    }
}

/// The facade's counters, as a group.
pub(crate) struct Stats {
    refused: Tally<4>,
    rewritten: Tally<3>,
    refused_desc: MetricDesc,
    rewritten_desc: MetricDesc,
}

impl Stats {
    pub(crate) fn new() -> Self {
        let site = DefinitionSite::new(file!(), line!(), column!());
        Stats {
            refused: Tally::new(
                "reason",
                ["invalid_name", "invalid_labels", "clash", "max_families"],
            ),
            rewritten: Tally::new("what", ["metric_name", "label_name", "unit"]),
            refused_desc: MetricDesc::new(
                REFUSED_METRIC,
                "Emissions through the metrics facade that got a handle recording nothing, by reason: a metric name or label set Prometheus refuses, a name another family already exposes, or too many families.",
                MetricType::Counter,
                site,
            ),
            rewritten_desc: MetricDesc::new(
                REWRITTEN_METRIC,
                "Metric names and label names the metrics facade rewrote by Prometheus' rules, and units it left off (no base unit, or described after first use).",
                MetricType::Counter,
                site,
            ),
        }
    }

    pub(crate) fn refused(&self, reason: Refusal) {
        self.refused.counts[reason as usize].inc();
    }

    pub(crate) fn rewritten(&self, what: Rewrite) {
        self.rewritten.counts[what as usize].inc();
    }
}

impl MetricGroup for Stats {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&self.refused_desc, &self.refused);
        visitor.metric(&self.rewritten_desc, &self.rewritten);
    }
}
