//! Label sets for oxios-metrics, declared with its derives as a user would.

use std::sync::Arc;

use oxios_metrics::{LabelSet, LabelValue};

/// A tool, one of three (`shell`, `web_fetch`, `file_read`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
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

/// A call outcome, one of two (`ok`, `error`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
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

/// The fixed two-label set: 3 × 2 combinations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct ToolCall {
    /// Which tool.
    pub tool: Tool,
    /// How it ended.
    pub outcome: Outcome,
}

/// A dynamic one-label set holding an owned `String` (what the design's `Session` declares).
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Session {
    /// The user name.
    pub user: String,
}

/// A dynamic one-label set holding a shared `Arc<str>`: a lookup clones a reference count
/// instead of allocating a string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct SharedSession {
    /// The user name.
    pub user: Arc<str>,
}

/// The exposition case's label set: one `path` label.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Path {
    /// The request path.
    pub path: String,
}
