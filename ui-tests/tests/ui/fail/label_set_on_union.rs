use oxios_metrics::{LabelSet, LabelValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    Shell,
    WebFetch,
}

#[derive(Clone, Copy, LabelSet)]
pub union Call {
    pub tool: u8,
}

fn main() {}
