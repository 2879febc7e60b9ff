use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename = "tool")]
pub enum Tool {
    #[label(name = "x")]
    Shell,
}

fn main() {}
