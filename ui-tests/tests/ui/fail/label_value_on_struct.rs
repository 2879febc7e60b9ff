use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub struct Tool {
    pub name: u8,
}

fn main() {}
