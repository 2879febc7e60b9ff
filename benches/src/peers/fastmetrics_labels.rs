//! Label sets for `fastmetrics`, implemented by hand (its derives need a feature this crate
//! leaves off to keep the peer at its default features).

use fastmetrics::encoder::{EncodeLabelSet, EncodeLabelValue, LabelEncoder, LabelSetEncoder};
use fastmetrics::error::Result;
use fastmetrics::raw::LabelSetSchema;

use crate::workload::{OUTCOMES, TOOLS};

/// The fixed two-label set, as ordinals.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct ToolCall {
    /// Tool ordinal (below 3).
    pub tool: u8,
    /// Outcome ordinal (below 2).
    pub outcome: u8,
}

impl ToolCall {
    /// Combination `combination` of the six (tool-major).
    pub fn combination(combination: usize) -> ToolCall {
        let (tool, outcome) = crate::workload::split_combination(combination);
        ToolCall {
            tool: tool as u8,
            outcome: outcome as u8,
        }
    }
}

struct Name(&'static str);

impl EncodeLabelValue for Name {
    fn encode(&self, encoder: &mut dyn LabelEncoder) -> Result<()> {
        encoder.encode_str_value(self.0)
    }
}

impl LabelSetSchema for ToolCall {
    fn names() -> Option<&'static [&'static str]> {
        Some(&["tool", "outcome"])
    }
}

impl EncodeLabelSet for ToolCall {
    fn encode(&self, encoder: &mut dyn LabelSetEncoder) -> Result<()> {
        encoder.encode(&("tool", &Name(TOOLS[usize::from(self.tool)])))?;
        encoder.encode(&("outcome", &Name(OUTCOMES[usize::from(self.outcome)])))?;
        Ok(())
    }
}

/// A one-label set with an owned string value, named by `NAME`.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct OneLabel<const SESSION: bool> {
    /// The label value.
    pub value: String,
}

/// The dynamic one-label set (`user`).
pub type Session = OneLabel<true>;
/// The exposition case's label set (`path`).
pub type Path = OneLabel<false>;

impl<const SESSION: bool> OneLabel<SESSION> {
    const NAME: &'static str = if SESSION { "user" } else { "path" };
}

impl<const SESSION: bool> LabelSetSchema for OneLabel<SESSION> {
    fn names() -> Option<&'static [&'static str]> {
        Some(if SESSION { &["user"] } else { &["path"] })
    }
}

impl<const SESSION: bool> EncodeLabelSet for OneLabel<SESSION> {
    fn encode(&self, encoder: &mut dyn LabelSetEncoder) -> Result<()> {
        encoder.encode(&(Self::NAME, self.value.as_str()))
    }
}
