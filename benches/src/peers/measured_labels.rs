//! Label groups for `measured`, with its derives. Dynamic string labels are interned in a
//! `paracord::ParaCord`, the concurrent interner `measured`'s own encoding benchmark uses.

use measured::{FixedCardinalityLabel, LabelGroup};

/// A tool, one of three.
#[derive(FixedCardinalityLabel, Clone, Copy, Debug)]
pub enum Tool {
    /// shell
    Shell,
    /// web_fetch
    WebFetch,
    /// file_read
    FileRead,
}

/// A call outcome.
#[derive(FixedCardinalityLabel, Clone, Copy, Debug)]
pub enum Outcome {
    /// ok
    Ok,
    /// error
    Error,
}

/// The fixed two-label group.
#[derive(LabelGroup, Clone, Copy, Debug)]
#[label(set = ToolCallSet)]
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

/// The dynamic one-label group.
#[derive(LabelGroup, Clone, Copy, Debug)]
#[label(set = SessionSet)]
pub struct Session<'a> {
    /// The user name.
    #[label(dynamic_with = paracord::ParaCord, default)]
    pub user: &'a str,
}

/// The exposition case's label group.
#[derive(LabelGroup, Clone, Copy, Debug)]
#[label(set = PathSet)]
pub struct Path<'a> {
    /// The request path.
    #[label(dynamic_with = paracord::ParaCord, default)]
    pub path: &'a str,
}
