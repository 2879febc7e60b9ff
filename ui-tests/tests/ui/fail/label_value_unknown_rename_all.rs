use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "Title Case")]
pub enum Tool {
    Shell,
}

fn main() {}
