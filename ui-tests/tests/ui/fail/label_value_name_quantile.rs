use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(name = "quantile")]
pub enum Q {
    Low,
}

fn main() {}
