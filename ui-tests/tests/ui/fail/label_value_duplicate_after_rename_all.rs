use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "lowercase")]
pub enum Tool {
    WebFetch,
    Webfetch,
}

fn main() {}
