use oxios_metrics::{Gauge, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Some metric.
    pub uptime_sec: Gauge,
    /// Heap size.
    pub heap_mb: Gauge,
    /// Disk.
    pub disk_kb: Gauge,
    /// Wait.
    pub wait_minutes: Gauge,
}

fn main() {}
