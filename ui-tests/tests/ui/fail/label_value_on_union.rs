use oxios_metrics::LabelValue;

#[derive(Clone, Copy, LabelValue)]
pub union Tool {
    pub name: u8,
}

fn main() {}
