use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    Shell,
    Fetch(u8),
    Read { path: u8 },
}

fn main() {}
