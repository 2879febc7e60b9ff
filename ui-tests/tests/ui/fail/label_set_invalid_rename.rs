use oxios_metrics::{LabelSet, LabelValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    Shell,
    WebFetch,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Call {
    #[label(rename = "tool.name")]
    pub tool: Tool,
}

fn main() {}
