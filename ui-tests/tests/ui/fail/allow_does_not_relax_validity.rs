use oxios_metrics::{Counter, Gauge, Info, Metrics};

#[derive(Metrics)]
pub struct Legacy {
    /// Reserved prefix.
    #[metric(rename = "__requests_counter", allow(type_word))]
    pub reserved: Counter,
    /// A colon.
    #[metric(rename = "job:requests_counter", allow(type_word))]
    pub colon: Counter,
    /// camelCase.
    #[metric(rename = "requestsCounter", allow(type_word))]
    pub camel: Counter,
    /// Still refused: the suffix is added.
    #[metric(allow(no_total_suffix))]
    pub sent_total: Counter,
    /// Without `_total`, this counter's 0.0.4 sample is `queue`: taken by the gauge below.
    #[metric(allow(no_total_suffix))]
    pub queue: Counter,
    /// The gauge.
    #[metric(rename = "queue")]
    pub queue_gauge: Gauge,
    /// Build information.
    #[metric(labels(version = "1"))]
    pub build: Info,
    /// A gauge named like the info metric's sample.
    #[metric(allow(info_suffix))]
    pub build_info: Gauge,
    /// A non-counter ending in `_total` is not a convention.
    #[metric(allow(no_total_suffix))]
    pub bytes_total: Gauge,
}

fn main() {}
