use oxios_metrics::{Counter, Gauge, Histogram, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct Service {
    /// Legacy.
    pub http_requests: Counter,
    /// Escaped for a scrape without UTF-8 names, this is `app_http_requests` again.
    #[metric(rename = "http.requests", utf8)]
    pub dotted: Counter,
    /// UTF-8 first, legacy second.
    #[metric(rename = "queue.depth", utf8)]
    pub queue: Gauge,
    /// The legacy one.
    pub queue_depth: Gauge,
    /// Two UTF-8 names that escape alike.
    #[metric(rename = "rpc.duration", utf8)]
    pub rpc: Histogram,
    /// The other.
    #[metric(rename = "rpc-duration", utf8)]
    pub rpc_dash: Histogram,
}

fn main() {}
