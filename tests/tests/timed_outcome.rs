//! `#[timed(TARGET, outcome)]`: the `outcome` label of every exit (`ok`, `error`, `panic`,
//! `cancelled`), on derived metric groups, read back from the families and the exposition.

#![deny(warnings, unreachable_code, clippy::pedantic)]

mod timed_support;

use std::fmt::Display;
use std::panic::catch_unwind;
use std::pin::pin;

use oxios_metrics::{
    timed, Family, Format, Gauge, Histogram, LabelSet, LabelValue, Metrics, Registry, TimedOutcome,
};
use timed_support::{block_on, poll_once, yield_once};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool {
    Shell,
    WebFetch,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct ToolCall {
    pub tool: Tool,
    pub outcome: TimedOutcome,
}

/// A coarser outcome of the application's own, filled from the timed outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Verdict {
    Success,
    Failure,
}

impl From<TimedOutcome> for Verdict {
    fn from(outcome: TimedOutcome) -> Self {
        match outcome {
            TimedOutcome::Ok => Verdict::Success,
            _ => Verdict::Failure,
        }
    }
}

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Sync calls by outcome.
    #[metric(unit = "seconds")]
    pub sync_calls: Family<TimedOutcome, Histogram>,
    /// Async calls by outcome.
    #[metric(unit = "seconds")]
    pub async_calls: Family<TimedOutcome, Histogram>,
    /// Tool calls by tool and outcome.
    #[metric(unit = "seconds", buckets = [0.01, 0.1, 1.0])]
    pub tool_duration: Family<ToolCall, Histogram>,
    /// Calls by verdict.
    #[metric(unit = "seconds")]
    pub verdicts: Family<Verdict, Histogram>,
    /// Signature cases by outcome.
    #[metric(unit = "seconds")]
    pub signatures: Family<TimedOutcome, Histogram>,
    /// Jobs running now.
    pub jobs_running: Gauge,
}

pub static APP: AppMetrics = AppMetrics::new();

#[derive(Debug, PartialEq)]
pub struct Failure;

impl Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("failure")
    }
}

impl std::error::Error for Failure {}

fn check(value: u8) -> Result<u8, Failure> {
    if value == 0 {
        Err(Failure)
    } else {
        Ok(value)
    }
}

fn count(family: &Family<TimedOutcome, Histogram>, outcome: TimedOutcome) -> u64 {
    family.get(outcome).count()
}

// --- sync -------------------------------------------------------------------------------

#[timed(APP.sync_calls, outcome)]
fn sync_call(mode: u8) -> Result<u8, Failure> {
    match mode {
        0 => return Ok(10),       // `return` Ok
        1 => return Err(Failure), // `return` Err
        2 => {
            check(0)?; // `?` Err
        }
        3 => assert!(mode != 3, "panicking on purpose"),
        _ => {}
    }
    let checked = check(mode)?; // `?` Ok
    if mode == 4 {
        Err(Failure) // tail Err
    } else {
        Ok(checked) // tail Ok
    }
}

#[test]
fn sync_exits_get_their_outcome() {
    let calls = &APP.sync_calls;
    assert_eq!(sync_call(0), Ok(10));
    assert_eq!(
        (
            count(calls, TimedOutcome::Ok),
            count(calls, TimedOutcome::Error)
        ),
        (1, 0)
    );
    assert_eq!(sync_call(1), Err(Failure));
    assert_eq!(count(calls, TimedOutcome::Error), 1);
    assert_eq!(sync_call(2), Err(Failure));
    assert_eq!(count(calls, TimedOutcome::Error), 2);
    assert!(catch_unwind(|| sync_call(3)).is_err());
    assert_eq!(count(calls, TimedOutcome::Panic), 1);
    assert_eq!(sync_call(4), Err(Failure));
    assert_eq!(count(calls, TimedOutcome::Error), 3);
    assert_eq!(sync_call(5), Ok(5));
    assert_eq!(count(calls, TimedOutcome::Ok), 2);
    assert_eq!(count(calls, TimedOutcome::Cancelled), 0);
}

// --- async ------------------------------------------------------------------------------

#[timed(APP.async_calls, outcome, in_flight = APP.jobs_running)]
async fn async_call(mode: u8) -> Result<u8, Failure> {
    yield_once().await;
    match mode {
        0 => return Ok(0),
        1 => {
            check(0)?;
        }
        2 => panic!("panicking on purpose"),
        3 => std::future::pending::<()>().await,
        _ => {}
    }
    check(mode)
}

#[test]
fn async_exits_get_their_outcome_and_a_dropped_future_is_cancelled() {
    let calls = &APP.async_calls;
    assert_eq!(block_on(async_call(0)), Ok(0));
    assert_eq!(block_on(async_call(9)), Ok(9));
    assert_eq!(count(calls, TimedOutcome::Ok), 2);
    assert_eq!(block_on(async_call(1)), Err(Failure));
    assert_eq!(count(calls, TimedOutcome::Error), 1);
    assert!(catch_unwind(|| block_on(async_call(2))).is_err());
    assert_eq!(count(calls, TimedOutcome::Panic), 1);
    {
        let mut future = pin!(async_call(3));
        assert!(poll_once(future.as_mut()).is_pending());
        assert!(poll_once(future.as_mut()).is_pending());
        assert_eq!(APP.jobs_running.get(), 1);
        assert_eq!(count(calls, TimedOutcome::Cancelled), 0);
    }
    assert_eq!(count(calls, TimedOutcome::Cancelled), 1);
    assert_eq!(APP.jobs_running.get(), 0);
    assert_eq!(APP.async_calls.get(TimedOutcome::Ok).count(), 2);
}

async fn fetch(value: u8) -> Result<u8, Failure> {
    yield_once().await;
    check(value)
}

static SEND_CALLS: Family<TimedOutcome, Histogram> = Family::new();

#[timed(SEND_CALLS, outcome)]
async fn awaits_under_question_mark(value: u8) -> Result<u8, Failure> {
    let fetched = fetch(value).await?;
    Ok(fetch(fetched).await? + 1)
}

#[test]
fn await_under_question_mark_keeps_the_future_send() {
    fn assert_send<T: Send>(value: T) -> T {
        value
    }
    assert_eq!(block_on(assert_send(awaits_under_question_mark(2))), Ok(3));
    assert_eq!(
        block_on(assert_send(awaits_under_question_mark(0))),
        Err(Failure)
    );
    assert_eq!(SEND_CALLS.get(TimedOutcome::Ok).count(), 1);
    assert_eq!(SEND_CALLS.get(TimedOutcome::Error).count(), 1);
    drop(assert_send(async_call(9)));
}

// --- targets that build the label set ----------------------------------------------------

#[timed(APP.tool_duration.get(ToolCall { tool, outcome }), outcome)]
fn run_tool(tool: Tool, fail: bool) -> Result<(), Failure> {
    if fail {
        Err(Failure)
    } else {
        Ok(())
    }
}

#[timed(APP.verdicts, outcome)]
fn judged(value: u8) -> Result<u8, Failure> {
    check(value)
}

#[test]
fn the_outcome_can_be_one_field_of_a_label_set_or_converted() {
    run_tool(Tool::Shell, false).unwrap();
    run_tool(Tool::Shell, true).unwrap_err();
    run_tool(Tool::WebFetch, true).unwrap_err();
    let series = |tool, outcome| APP.tool_duration.get(ToolCall { tool, outcome }).count();
    assert_eq!(series(Tool::Shell, TimedOutcome::Ok), 1);
    assert_eq!(series(Tool::Shell, TimedOutcome::Error), 1);
    assert_eq!(series(Tool::WebFetch, TimedOutcome::Error), 1);
    assert_eq!(series(Tool::WebFetch, TimedOutcome::Ok), 0);

    judged(1).unwrap();
    judged(0).unwrap_err();
    judged(0).unwrap_err();
    assert_eq!(APP.verdicts.get(Verdict::Success).count(), 1);
    assert_eq!(APP.verdicts.get(Verdict::Failure).count(), 2);
}

// --- signatures the outcome rewrite must keep compiling -----------------------------------

#[timed(APP.signatures, outcome)]
fn coerces_the_error(fail: bool) -> Result<u8, Box<dyn std::error::Error>> {
    if fail {
        return Err(Box::new(Failure));
    }
    let value: u8 = "7".parse()?; // `?` converts ParseIntError into the box
    Ok(value)
}

#[timed(APP.signatures, outcome)]
fn returns_impl_display(value: u8) -> Result<impl Display, Failure> {
    Ok(check(value)?)
}

#[timed(APP.signatures, outcome)]
fn not_written_yet() -> Result<u8, Failure> {
    unimplemented!("the diverging tail must still compile under deny(unreachable_code)")
}

#[timed(APP.signatures, outcome)]
fn closures_keep_their_own_exits() -> Result<u8, Failure> {
    // Neither the closure's `?` nor its `return` is an exit of this function.
    let inner = |value: u8| -> Result<u8, Failure> {
        let checked = check(value)?;
        if checked > 100 {
            return Err(Failure);
        }
        Ok(checked)
    };
    let _ignored = inner(0);
    inner(1)
}

#[test]
fn rewritten_exits_keep_their_types_and_meaning() {
    let signatures = &APP.signatures;
    assert!(coerces_the_error(true).is_err());
    assert_eq!(coerces_the_error(false).unwrap(), 7);
    assert_eq!(returns_impl_display(3).unwrap().to_string(), "3");
    assert!(returns_impl_display(0).is_err());
    assert!(catch_unwind(not_written_yet).is_err());
    assert_eq!(closures_keep_their_own_exits(), Ok(1));
    assert_eq!(count(signatures, TimedOutcome::Ok), 3);
    assert_eq!(count(signatures, TimedOutcome::Error), 2);
    assert_eq!(count(signatures, TimedOutcome::Panic), 1);
}

// --- the exposition -----------------------------------------------------------------------

#[derive(Metrics)]
pub struct ExposedMetrics {
    /// Exposed calls by outcome.
    #[metric(unit = "seconds", buckets = [0.5])]
    pub exposed_calls: Family<TimedOutcome, Histogram>,
}

pub static EXPOSED: ExposedMetrics = ExposedMetrics::new();

#[timed(EXPOSED.exposed_calls, outcome)]
fn exposed(fail: bool) -> Result<(), Failure> {
    if fail {
        Err(Failure)
    } else {
        Ok(())
    }
}

#[test]
fn outcomes_appear_as_labels_in_the_exposition() {
    exposed(true).unwrap_err();
    exposed(false).unwrap();
    exposed(false).unwrap();
    let registry = Registry::new();
    registry.register(&EXPOSED).unwrap();
    let text = registry.render(Format::Prometheus);
    let expected = [
        "exposed_calls_seconds_bucket{outcome=\"ok\",le=\"0.5\"} 2\n",
        "exposed_calls_seconds_count{outcome=\"ok\"} 2\n",
        "exposed_calls_seconds_count{outcome=\"error\"} 1\n",
        "exposed_calls_seconds_count{outcome=\"panic\"} 0\n",
        "exposed_calls_seconds_count{outcome=\"cancelled\"} 0\n",
    ];
    for line in expected {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}
