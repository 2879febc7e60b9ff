//! Shared helpers of the integration tests: hand-written label sets (the same shape the
//! derives generate) and exposition checkers.

use oxios_metrics::__private::{DenseSeries, DynamicSeries};
use oxios_metrics::{FamilyMember, FixedLabelSet, LabelSet, LabelValue, LabelWriter, WriteLabels};

/// A fixed label value written by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `get`
    Get,
    /// `post`
    Post,
}

impl LabelValue for Method {
    const CARDINALITY: usize = 2;
    const VALUES: &'static [&'static str] = &["get", "post"];
    fn ordinal(self) -> usize {
        self as usize
    }
}

impl WriteLabels for Method {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label_escaped("method", Self::VALUES[LabelValue::ordinal(*self)]);
    }
}

impl LabelSet for Method {
    const LABEL_NAMES: &'static [&'static str] = &["method"];
    type Storage<M: FamilyMember> = DenseSeries<M, { <Method as LabelValue>::CARDINALITY }>;
}

impl FixedLabelSet for Method {
    const CARDINALITY: usize = 2;
    fn ordinal(&self) -> usize {
        LabelValue::ordinal(*self)
    }
    fn write_labels_at(ordinal: usize, writer: &mut LabelWriter<'_>) {
        writer.label_escaped("method", Self::VALUES[ordinal]);
    }
}

/// A dynamic label set written by hand.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Path {
    /// The request path.
    pub path: String,
}

impl WriteLabels for Path {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("path", &self.path);
    }
}

impl LabelSet for Path {
    const LABEL_NAMES: &'static [&'static str] = &["path"];
    type Storage<M: FamilyMember> = DynamicSeries<Path, M>;
}
