//! `#[timed]` into native histograms, summaries and the exemplar histograms: from a `static`
//! group, as family members, through `self`, keyed by the outcome, and from an `async fn`,
//! every exit recorded once.

#![deny(warnings, unreachable_code, clippy::pedantic)]

mod timed_support;

use std::panic::catch_unwind;
use std::pin::pin;
use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use oxios_metrics::{
    timed, ExemplarHistogram, ExemplarNativeHistogram, Family, Format, LabelValue, Metrics,
    NativeHistogram, Registry, Summary, TimedOutcome,
};
use timed_support::{block_on, poll_once, yield_once};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Route {
    Home,
    Api,
}

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Native latency.
    #[metric(unit = "seconds", native(schema = 4))]
    pub native: NativeHistogram,
    /// Summarised latency.
    #[metric(unit = "seconds", quantiles = [0.5, 0.99], max_age = "1m")]
    pub windowed: Summary,
    /// Classic latency with exemplars.
    #[metric(unit = "seconds", buckets = [0.001, 1.0])]
    pub exemplar: ExemplarHistogram,
    /// Native latency with exemplars.
    #[metric(unit = "seconds")]
    pub exemplar_native: ExemplarNativeHistogram,
    /// Native latency by route.
    #[metric(unit = "seconds")]
    pub native_routes: Family<Route, NativeHistogram>,
    /// Summarised latency by route.
    #[metric(unit = "seconds")]
    pub windowed_routes: Family<Route, Summary>,
    /// Classic latency with exemplars, by route.
    #[metric(unit = "seconds")]
    pub exemplar_routes: Family<Route, ExemplarHistogram>,
    /// Native latency with exemplars, by route.
    #[metric(unit = "seconds")]
    pub exemplar_native_routes: Family<Route, ExemplarNativeHistogram>,
    /// Native latency by outcome.
    #[metric(unit = "seconds")]
    pub native_outcomes: Family<TimedOutcome, NativeHistogram>,
    /// Summarised latency by outcome.
    #[metric(unit = "seconds")]
    pub windowed_outcomes: Family<TimedOutcome, Summary>,
    /// Exemplar latency by outcome.
    #[metric(unit = "seconds")]
    pub exemplar_outcomes: Family<TimedOutcome, ExemplarNativeHistogram>,
}

pub static APP: AppMetrics = AppMetrics::new();

#[timed(APP.native)]
fn into_native() {
    sleep(Duration::from_millis(2));
}

#[timed(APP.windowed)]
fn into_summary() {
    sleep(Duration::from_millis(2));
}

#[timed(APP.exemplar)]
fn into_exemplar() {
    sleep(Duration::from_millis(2));
}

#[timed(APP.exemplar_native)]
fn into_exemplar_native() -> u8 {
    7
}

#[test]
fn plain_targets_record_each_call() {
    into_native();
    into_native();
    into_summary();
    into_exemplar();
    assert_eq!(into_exemplar_native(), 7);
    let native = APP.native.snapshot();
    assert_eq!(native.count(), 2);
    // Each call slept at least 2 ms: a lower bound that holds however slow the machine.
    assert!(native.sum() >= 0.004, "{}", native.sum());
    assert_eq!(
        native.schema(),
        4,
        "below the bucket limit the schema stays"
    );
    let summary = APP.windowed.snapshot();
    assert_eq!(summary.count(), 1);
    assert!(
        summary.quantile(0.5).is_some_and(|q| q >= 0.002),
        "{summary:?}"
    );
    assert_eq!(APP.exemplar.count(), 1);
    assert!(APP.exemplar.sum() >= 0.002);
    assert_eq!(APP.exemplar_native.snapshot().count(), 1);
}

#[timed(APP.native_routes.get(Route::Api))]
fn native_member() {}

#[timed(APP.windowed_routes.get(route))]
fn summary_member(route: Route) {}

#[timed(APP.exemplar_routes.get(Route::Home))]
fn exemplar_member() {}

#[timed(APP.exemplar_native_routes.get(route))]
fn exemplar_native_member(route: Route) {}

#[test]
fn family_members_record_into_their_series() {
    native_member();
    summary_member(Route::Home);
    summary_member(Route::Api);
    summary_member(Route::Api);
    exemplar_member();
    exemplar_native_member(Route::Api);
    assert_eq!(APP.native_routes.get(Route::Api).snapshot().count(), 1);
    assert_eq!(APP.native_routes.get(Route::Home).snapshot().count(), 0);
    assert_eq!(APP.windowed_routes.get(Route::Home).snapshot().count(), 1);
    assert_eq!(APP.windowed_routes.get(Route::Api).snapshot().count(), 2);
    assert_eq!(APP.exemplar_routes.get(Route::Home).count(), 1);
    assert_eq!(APP.exemplar_routes.get(Route::Api).count(), 0);
    assert_eq!(
        APP.exemplar_native_routes
            .get(Route::Api)
            .snapshot()
            .count(),
        1
    );
}

#[derive(Debug, PartialEq)]
pub struct Failure;

#[timed(APP.native_outcomes, outcome)]
fn native_outcome(mode: u8) -> Result<u8, Failure> {
    assert!(mode != 3, "mode 3 panics");
    let value = if mode == 1 { Err(Failure) } else { Ok(mode) }?;
    if value == 2 {
        return Err(Failure);
    }
    Ok(value)
}

#[timed(APP.windowed_outcomes, outcome)]
async fn summary_outcome(fail: bool) -> Result<(), Failure> {
    yield_once().await;
    if fail {
        Err(Failure)
    } else {
        Ok(())
    }
}

#[timed(APP.exemplar_outcomes, outcome)]
fn exemplar_outcome() -> Result<(), Failure> {
    Ok(())
}

#[test]
fn outcome_families_label_each_exit() {
    assert_eq!(native_outcome(0), Ok(0));
    assert_eq!(native_outcome(1), Err(Failure)); // `?`
    assert_eq!(native_outcome(2), Err(Failure)); // `return`
    assert!(catch_unwind(|| native_outcome(3)).is_err());
    let native = |outcome| APP.native_outcomes.get(outcome).snapshot().count();
    assert_eq!(native(TimedOutcome::Ok), 1);
    assert_eq!(native(TimedOutcome::Error), 2);
    assert_eq!(native(TimedOutcome::Panic), 1);

    assert_eq!(block_on(summary_outcome(false)), Ok(()));
    assert_eq!(block_on(summary_outcome(true)), Err(Failure));
    {
        // Dropped after its first poll, before it completes.
        let mut pending = pin!(summary_outcome(false));
        assert!(poll_once(pending.as_mut()).is_pending());
    }
    let summary = |outcome| APP.windowed_outcomes.get(outcome).snapshot().count();
    assert_eq!(summary(TimedOutcome::Ok), 1);
    assert_eq!(summary(TimedOutcome::Error), 1);
    assert_eq!(summary(TimedOutcome::Cancelled), 1);

    exemplar_outcome().unwrap();
    assert_eq!(
        APP.exemplar_outcomes
            .get(TimedOutcome::Ok)
            .snapshot()
            .count(),
        1
    );
}

/// A per-instance group a library hands to the application's registry.
pub struct Pool {
    metrics: Arc<AppMetrics>,
    route: Route,
}

impl Pool {
    #[timed(self.metrics.native)]
    fn native(&self) -> usize {
        1
    }

    #[timed(self.metrics.windowed)]
    fn summary(&self) {}

    #[timed(self.metrics.exemplar_native_routes.get(self.route))]
    fn member(&self) {}

    #[timed(self.metrics.windowed_outcomes, outcome)]
    fn outcome(&self, fail: bool) -> Result<(), Failure> {
        if fail {
            Err(Failure)
        } else {
            Ok(())
        }
    }
}

#[test]
fn targets_reached_through_self() {
    let pool = Pool {
        metrics: Arc::new(AppMetrics::new()),
        route: Route::Home,
    };
    assert_eq!(pool.native(), 1);
    pool.summary();
    pool.summary();
    pool.member();
    pool.outcome(true).unwrap_err();
    let metrics = &pool.metrics;
    assert_eq!(metrics.native.snapshot().count(), 1);
    assert_eq!(metrics.windowed.snapshot().count(), 2);
    assert_eq!(
        metrics
            .exemplar_native_routes
            .get(Route::Home)
            .snapshot()
            .count(),
        1
    );
    assert_eq!(
        metrics
            .windowed_outcomes
            .get(TimedOutcome::Error)
            .snapshot()
            .count(),
        1
    );
    // The instance's group registers and shows what was timed.
    let registry = Registry::new();
    let _registration = registry.register_shared(pool.metrics.clone()).unwrap();
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("app_windowed_seconds_count 2\n"), "{text}");
    assert!(
        text.contains("app_windowed_outcomes_seconds_count{outcome=\"error\"} 1\n"),
        "{text}"
    );
}
