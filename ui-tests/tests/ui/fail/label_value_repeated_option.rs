use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "a", name = "b")]
pub enum Tool {
    Shell,
}

fn main() {}
