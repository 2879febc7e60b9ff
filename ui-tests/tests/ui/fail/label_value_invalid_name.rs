use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "tool-name")]
pub enum Tool {
    Shell,
}

fn main() {}
