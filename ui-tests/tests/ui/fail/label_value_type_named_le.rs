use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Le {
    Low,
    High,
}

fn main() {}
