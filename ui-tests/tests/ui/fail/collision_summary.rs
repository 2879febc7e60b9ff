use oxios_metrics::{Counter, Gauge, Metrics, NativeHistogram, Summary};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct Service {
    /// A summary.
    pub payload: Summary,
    /// A gauge of the summary's name: both expose `app_payload`.
    #[metric(rename = "payload")]
    pub payload_gauge: Gauge,
    /// A summary exposes `app_spread_sum`...
    pub spread: Summary,
    /// ...which a histogram named so exposes too.
    #[metric(rename = "spread_sum")]
    pub spread_histogram: NativeHistogram,
    /// A summary exposes `app_latency_count`...
    pub latency: Summary,
    /// ...which a second summary named so exposes too.
    #[metric(rename = "latency_count")]
    pub latency_again: Summary,
    /// A counter `calls` exposes `calls`, as a summary `calls` does.
    pub calls: Counter,
    /// The summary.
    #[metric(rename = "calls")]
    pub calls_summary: Summary,
}

fn main() {}
