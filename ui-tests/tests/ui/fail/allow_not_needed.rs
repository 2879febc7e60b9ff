use oxios_metrics::{Counter, Gauge, Histogram, Metrics};

#[derive(Metrics)]
pub struct Legacy {
    /// No type word here.
    #[metric(allow(type_word))]
    pub requests: Counter,
    /// A gauge has no `_total` to leave out.
    #[metric(allow(no_total_suffix))]
    pub queue_depth: Gauge,
    /// Only gauges may end in `_info`.
    #[metric(allow(info_suffix))]
    pub build_info: Counter,
    /// Does not end in `_info`.
    #[metric(allow(info_suffix))]
    pub temperature: Gauge,
    /// A base unit needs no opt-out.
    #[metric(unit = "seconds", allow(non_base_unit, abbreviated_unit))]
    pub latency: Histogram,
}

fn main() {}
