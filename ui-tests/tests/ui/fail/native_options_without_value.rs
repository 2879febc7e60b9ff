use oxios_metrics::{Metrics, NativeHistogram};

#[derive(Metrics)]
pub struct Service {
    /// A flag where a value belongs.
    #[metric(native(zero_threshold))]
    pub flag: NativeHistogram,
    /// `=` with nothing after it; the next option is still read.
    #[metric(native(schema = , max_buckets = 300))]
    pub empty: NativeHistogram,
}

fn main() {}
