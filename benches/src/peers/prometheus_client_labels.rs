//! Label sets for `prometheus-client`, with its derives.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};

/// A tool, one of three.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, EncodeLabelValue)]
pub enum Tool {
    /// shell
    Shell,
    /// web fetch
    WebFetch,
    /// file read
    FileRead,
}

/// A call outcome.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, EncodeLabelValue)]
pub enum Outcome {
    /// ok
    Ok,
    /// error
    Error,
}

/// The fixed two-label set.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ToolCall {
    /// Which tool.
    pub tool: Tool,
    /// How it ended.
    pub outcome: Outcome,
}

impl ToolCall {
    /// Combination `combination` of the six (tool-major).
    pub fn combination(combination: usize) -> ToolCall {
        let (tool, outcome) = crate::workload::split_combination(combination);
        ToolCall {
            tool: [Tool::Shell, Tool::WebFetch, Tool::FileRead][tool],
            outcome: [Outcome::Ok, Outcome::Error][outcome],
        }
    }
}

/// The dynamic one-label set.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Session {
    /// The user name.
    pub user: String,
}

/// The exposition case's label set.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Path {
    /// The request path.
    pub path: String,
}
