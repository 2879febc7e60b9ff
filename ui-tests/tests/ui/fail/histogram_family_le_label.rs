use oxios_metrics::{Family, Histogram, Metrics};

use oxios_metrics::__private::DenseSeries;
use oxios_metrics::{FamilyMember, FixedLabelSet, LabelWriter, WriteLabels};

/// A hand-written label set whose label is `le` (the derives refuse to write one).
#[derive(Clone, Copy)]
pub struct Bound;

impl WriteLabels for Bound {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("le", "x");
    }
}

impl oxios_metrics::LabelSet for Bound {
    const LABEL_NAMES: &'static [&'static str] = &["le"];
    type Storage<M: FamilyMember> = DenseSeries<M, 1>;
}

impl FixedLabelSet for Bound {
    const CARDINALITY: usize = 1;
    fn ordinal(&self) -> usize {
        0
    }
    fn write_labels_at(_: usize, writer: &mut LabelWriter<'_>) {
        writer.label("le", "x");
    }
}

#[derive(Metrics)]
pub struct AppMetrics {
    /// Latency.
    #[metric(unit = "seconds")]
    pub latency: Family<Bound, Histogram>,
}

fn main() {}
