//! Label sets for oxios-metrics, written by hand in the shape `#[derive(LabelValue)]` and
//! `#[derive(LabelSet)]` generate (see `tests/src/lib.rs` of the workspace).

use std::sync::Arc;

use oxios_metrics::__private::{DenseSeries, DynamicSeries};
use oxios_metrics::{FamilyMember, FixedLabelSet, LabelSet, LabelValue, LabelWriter, WriteLabels};

use crate::workload::{OUTCOMES, TOOLS};

/// A tool, one of three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    /// `shell`
    Shell,
    /// `web_fetch`
    WebFetch,
    /// `file_read`
    FileRead,
}

impl Tool {
    /// The tool with ordinal `ordinal` (below 3).
    pub fn from_ordinal(ordinal: usize) -> Tool {
        [Tool::Shell, Tool::WebFetch, Tool::FileRead][ordinal]
    }
}

impl LabelValue for Tool {
    const CARDINALITY: usize = 3;
    const VALUES: &'static [&'static str] = &TOOLS;
    #[inline]
    fn ordinal(self) -> usize {
        self as usize
    }
}

/// A call outcome, one of two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// `ok`
    Ok,
    /// `error`
    Error,
}

impl Outcome {
    /// The outcome with ordinal `ordinal` (below 2).
    pub fn from_ordinal(ordinal: usize) -> Outcome {
        [Outcome::Ok, Outcome::Error][ordinal]
    }
}

impl LabelValue for Outcome {
    const CARDINALITY: usize = 2;
    const VALUES: &'static [&'static str] = &OUTCOMES;
    #[inline]
    fn ordinal(self) -> usize {
        self as usize
    }
}

/// The fixed two-label set: 3 × 2 combinations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ToolCall {
    /// Which tool.
    pub tool: Tool,
    /// How it ended.
    pub outcome: Outcome,
}

impl WriteLabels for ToolCall {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        Self::write_labels_at(FixedLabelSet::ordinal(self), writer);
    }
}

impl LabelSet for ToolCall {
    const LABEL_NAMES: &'static [&'static str] = &["tool", "outcome"];
    type Storage<M: FamilyMember> = DenseSeries<M, 6>;
}

impl FixedLabelSet for ToolCall {
    const CARDINALITY: usize = 6;
    #[inline]
    fn ordinal(&self) -> usize {
        self.tool.ordinal() * Outcome::CARDINALITY + self.outcome.ordinal()
    }
    fn write_labels_at(ordinal: usize, writer: &mut LabelWriter<'_>) {
        writer.label_escaped("tool", TOOLS[ordinal / Outcome::CARDINALITY]);
        writer.label_escaped("outcome", OUTCOMES[ordinal % Outcome::CARDINALITY]);
    }
}

/// A dynamic one-label set holding an owned `String` (what the design's `Session` declares).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Session {
    /// The user name.
    pub user: String,
}

impl WriteLabels for Session {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("user", &self.user);
    }
}

impl LabelSet for Session {
    const LABEL_NAMES: &'static [&'static str] = &["user"];
    type Storage<M: FamilyMember> = DynamicSeries<Session, M>;
}

/// A dynamic one-label set holding a shared `Arc<str>`: a lookup clones a reference count
/// instead of allocating a string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SharedSession {
    /// The user name.
    pub user: Arc<str>,
}

impl WriteLabels for SharedSession {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("user", &self.user);
    }
}

impl LabelSet for SharedSession {
    const LABEL_NAMES: &'static [&'static str] = &["user"];
    type Storage<M: FamilyMember> = DynamicSeries<SharedSession, M>;
}

/// The exposition case's label set: one `path` label.
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
