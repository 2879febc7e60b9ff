use oxios_metrics::{Counter, Gauge, Histogram, Metrics};

#[derive(Metrics)]
pub struct Service {
    /// A quote.
    #[metric(rename = "say\"hi", utf8)]
    pub quote: Gauge,
    /// A brace.
    #[metric(rename = "a{b}", utf8)]
    pub brace: Gauge,
    /// An equals sign.
    #[metric(rename = "a=b", utf8)]
    pub equals: Gauge,
    /// A comma.
    #[metric(rename = "a,b", utf8)]
    pub comma: Gauge,
    /// A backslash.
    #[metric(rename = "a\\b", utf8)]
    pub backslash: Gauge,
    /// A newline.
    #[metric(rename = "a\nb", utf8)]
    pub newline: Gauge,
    /// Reserved.
    #[metric(rename = "__http.requests", utf8)]
    pub reserved: Counter,
    /// Empty.
    #[metric(rename = "", utf8)]
    pub empty: Gauge,
    /// A colon.
    #[metric(rename = "http:requests.rate", utf8)]
    pub colon: Gauge,
    /// Capitals.
    #[metric(rename = "Http.Server.Duration", utf8)]
    pub capitals: Histogram,
    /// Conventions still apply: an abbreviated unit after a dot.
    #[metric(rename = "http.server.duration.ms", utf8)]
    pub abbreviated: Histogram,
    /// And the suffixes of other types, as the escaped name reads.
    #[metric(rename = "queue.depth.total", utf8)]
    pub depth: Gauge,
    /// A unit after a dot would be followed by `_seconds`.
    #[metric(rename = "http.client.duration.seconds", unit = "seconds", utf8)]
    pub client: Histogram,
}

fn main() {}
