use oxios_metrics::{Metrics, NativeHistogram};

#[derive(Metrics)]
pub struct Service {
    /// A typo.
    #[metric(native(schem = 3))]
    pub typo: NativeHistogram,
    /// Twice.
    #[metric(native(schema = 3, schema = 4))]
    pub twice: NativeHistogram,
    /// No parentheses.
    #[metric(native)]
    pub bare: NativeHistogram,
    /// Empty.
    #[metric(native())]
    pub empty: NativeHistogram,
    /// Not literals.
    #[metric(native(schema = 1 + 2, max_buckets = 2.5, zero_threshold = "0"))]
    pub not_literals: NativeHistogram,
    /// Repeated `native`.
    #[metric(native(schema = 1), native(max_buckets = 10))]
    pub repeated: NativeHistogram,
}

fn main() {}
