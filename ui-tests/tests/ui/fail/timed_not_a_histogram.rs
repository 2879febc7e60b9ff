use oxios_metrics::{timed, Counter, Family, Gauge, Histogram, LabelValue, Metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    Shell,
}

#[derive(Metrics)]
pub struct AppMetrics {
    /// Requests.
    pub requests: Counter,
    /// Running.
    pub running: Gauge,
    /// Tool calls.
    pub tool_calls: Family<Tool, Counter>,
    /// Latency.
    #[metric(unit = "seconds")]
    pub latency: Histogram,
}

static APP: AppMetrics = AppMetrics::new();

#[timed(APP.requests)]
fn counter_target() {}

#[timed(APP.tool_calls.get(Tool::Shell))]
fn counter_family_member() {}

#[timed(APP.latency, in_flight = APP.requests)]
fn counter_as_in_flight_gauge() {}

fn main() {
    counter_target();
    counter_family_member();
    counter_as_in_flight_gauge();
    let _ = &APP.running;
}
