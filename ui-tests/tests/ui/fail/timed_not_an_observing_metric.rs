use oxios_metrics::{timed, ExemplarCounter, Family, Metrics, Summary, TimedOutcome};

#[derive(Metrics)]
pub struct AppMetrics {
    /// Requests, with exemplars: a counter takes no durations.
    pub requests: ExemplarCounter,
    /// A family of counters keyed by the outcome.
    pub outcomes: Family<TimedOutcome, ExemplarCounter>,
    /// A summary, but `in_flight` needs a gauge.
    #[metric(unit = "seconds")]
    pub latency: Summary,
}

static APP: AppMetrics = AppMetrics::new();

#[timed(APP.requests)]
fn exemplar_counter_target() {}

#[timed(APP.outcomes, outcome)]
fn exemplar_counter_outcomes() -> Result<(), ()> {
    Ok(())
}

#[timed(APP.latency, in_flight = APP.latency)]
fn summary_as_in_flight() {}

fn main() {
    exemplar_counter_target();
    let _ = exemplar_counter_outcomes();
    summary_as_in_flight();
}
