use oxios_metrics::__private::DenseSeries;
use oxios_metrics::{FamilyMember, Family, FixedLabelSet, LabelSet, LabelWriter, Metrics, Summary, WriteLabels};

/// A label set written by hand, with the label the summary writes itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Quantile;

impl WriteLabels for Quantile {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label_escaped("quantile", "x");
    }
}

impl LabelSet for Quantile {
    const LABEL_NAMES: &'static [&'static str] = &["quantile"];
    type Storage<M: FamilyMember> = DenseSeries<M, 1>;
}

impl FixedLabelSet for Quantile {
    const CARDINALITY: usize = 1;
    fn ordinal(&self) -> usize {
        0
    }
    fn write_labels_at(_ordinal: usize, writer: &mut LabelWriter<'_>) {
        writer.label_escaped("quantile", "x");
    }
}

#[derive(Metrics)]
pub struct Service {
    /// A summary family keyed by `quantile`.
    pub payload: Family<Quantile, Summary>,
}

fn main() {}
