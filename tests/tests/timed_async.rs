//! `#[timed]` on `async fn` (free, methods, native `async fn` in traits, `#[async_trait]`),
//! on functions returning a future, and every way a future ends: completion, early
//! `return`, `?`, a panic while polled, and being dropped half-way.

#![deny(warnings, unreachable_code, clippy::pedantic)]

mod timed_support;

use std::future::Future;
use std::panic::catch_unwind;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use async_trait::async_trait;
use oxios_metrics::{timed, Family, Gauge, Histogram};
use oxios_metrics_tests::Method;
use timed_support::{block_on, poll_once, yield_once};

#[derive(Debug, PartialEq)]
struct Failure;

static EXITS: Histogram = Histogram::new();

#[timed(EXITS)]
async fn exits(mode: u8) -> Result<u8, Failure> {
    yield_once().await;
    if mode == 0 {
        return Ok(0);
    }
    let parsed: u8 =
        "x".parse()
            .map_err(|_| Failure)
            .or(if mode == 1 { Err(Failure) } else { Ok(mode) })?;
    Ok(parsed)
}

#[test]
fn every_exit_of_an_async_fn_records_once() {
    assert_eq!(block_on(exits(0)), Ok(0)); // early return
    assert_eq!(block_on(exits(1)), Err(Failure)); // `?`
    assert_eq!(block_on(exits(2)), Ok(2)); // tail
    assert_eq!(EXITS.count(), 3);
}

static ASYNC_PANICS: Histogram = Histogram::new();

#[timed(ASYNC_PANICS)]
async fn panics_after_a_poll() {
    yield_once().await;
    panic!("on purpose");
}

#[test]
fn a_panic_inside_poll_records_once() {
    assert!(catch_unwind(|| block_on(panics_after_a_poll())).is_err());
    assert_eq!(ASYNC_PANICS.count(), 1);
}

static DROPPED: Histogram = Histogram::new();
static DROPPED_RUNNING: Gauge = Gauge::new();

#[timed(DROPPED, in_flight = DROPPED_RUNNING)]
async fn never_finishes() {
    std::future::pending::<()>().await;
}

#[test]
fn a_future_dropped_half_way_records_once_and_leaves_the_gauge() {
    let unpolled = never_finishes();
    drop(unpolled); // never started: nothing ran, nothing is recorded
    assert_eq!(DROPPED.count(), 0);
    {
        let mut future = pin!(never_finishes());
        assert!(poll_once(future.as_mut()).is_pending());
        assert_eq!(DROPPED_RUNNING.get(), 1);
        assert_eq!(DROPPED.count(), 0);
    }
    assert_eq!(DROPPED_RUNNING.get(), 0);
    assert_eq!(DROPPED.count(), 1);
}

static ASYNC_SLEEP: Histogram = Histogram::new();

#[timed(ASYNC_SLEEP)]
async fn sleeps_across_polls() {
    yield_once().await;
    std::thread::sleep(Duration::from_millis(50));
    yield_once().await;
}

#[test]
fn async_duration_spans_every_poll() {
    block_on(sleeps_across_polls());
    assert_eq!(ASYNC_SLEEP.count(), 1);
    let seconds = ASYNC_SLEEP.sum();
    // At least the sleep; the upper bound only tells seconds from milliseconds, with room
    // for a busy machine that wakes the thread late.
    assert!(
        (0.05..5.0).contains(&seconds),
        "recorded {seconds} s for a 50 ms sleep"
    );
}

// --- methods and traits -----------------------------------------------------------------

static ASYNC_METHODS: Histogram = Histogram::new();

struct Agent {
    steps: u32,
}

impl Agent {
    #[timed(ASYNC_METHODS)]
    async fn step(&mut self) -> u32 {
        yield_once().await;
        self.steps += 1;
        self.steps
    }

    #[timed(ASYNC_METHODS)]
    async fn peek(&self) -> u32 {
        yield_once().await;
        self.steps
    }

    #[timed(ASYNC_METHODS)]
    async fn finish(self) -> u32 {
        yield_once().await;
        self.steps
    }

    #[timed(ASYNC_METHODS)]
    async fn generic<T>(&self, value: T) -> u32
    where
        T: Into<u32> + Copy + Send,
    {
        yield_once().await;
        self.steps + value.into()
    }
}

#[test]
fn async_methods_record() {
    let mut agent = Agent { steps: 0 };
    assert_eq!(block_on(agent.step()), 1);
    assert_eq!(block_on(agent.peek()), 1);
    assert_eq!(block_on(agent.generic(2u8)), 3);
    assert_eq!(block_on(agent.finish()), 1);
    assert_eq!(ASYNC_METHODS.count(), 4);
}

static NATIVE_TRAIT: Histogram = Histogram::new();

trait Tool {
    async fn run(&self, input: u32) -> u32;

    #[timed(NATIVE_TRAIT)]
    async fn run_twice(&self, input: u32) -> u32 {
        let once = self.run(input).await;
        self.run(once).await
    }
}

struct Doubler;

impl Tool for Doubler {
    #[timed(NATIVE_TRAIT)]
    async fn run(&self, input: u32) -> u32 {
        yield_once().await;
        input * 2
    }
}

#[test]
fn native_async_fn_in_traits_records() {
    assert_eq!(block_on(Doubler.run_twice(3)), 12);
    assert_eq!(NATIVE_TRAIT.count(), 3);
}

static ASYNC_TRAIT: Histogram = Histogram::new();

#[async_trait]
trait Fetch {
    async fn fetch(&self, key: u32) -> Result<u32, Failure>;

    #[timed(ASYNC_TRAIT)]
    async fn fetch_default(&self) -> Result<u32, Failure> {
        self.fetch(1).await
    }
}

#[async_trait]
trait Route {
    async fn route(&self, method: Method) -> Method;
}

static BY_METHOD: Family<Method, Histogram> = Family::new();

#[async_trait]
impl Route for Store {
    // The label comes from an argument, read when the future completes.
    #[timed(BY_METHOD.get(method))]
    async fn route(&self, method: Method) -> Method {
        yield_once().await;
        method
    }
}

#[timed(BY_METHOD.get(method))]
async fn route_free(method: Method) -> Method {
    yield_once().await;
    method
}

#[test]
fn labels_from_arguments_in_async_functions() {
    assert_eq!(block_on(Store.route(Method::Post)), Method::Post);
    assert_eq!(block_on(route_free(Method::Post)), Method::Post);
    assert_eq!(block_on(route_free(Method::Get)), Method::Get);
    assert_eq!(BY_METHOD.get(Method::Post).count(), 2);
    assert_eq!(BY_METHOD.get(Method::Get).count(), 1);
}

struct Store;

#[async_trait]
impl Fetch for Store {
    // `#[timed]` after another attribute, on an `#[async_trait]` method.
    #[allow(clippy::unused_async)]
    #[timed(ASYNC_TRAIT)]
    async fn fetch(&self, key: u32) -> Result<u32, Failure> {
        yield_once().await;
        if key == 0 {
            return Err(Failure);
        }
        Ok(key)
    }
}

#[async_trait(?Send)]
trait LocalFetch {
    async fn fetch_local(&self, key: u32) -> Result<u32, Failure>;
}

struct LocalStore;

#[async_trait(?Send)]
impl LocalFetch for LocalStore {
    // `#[timed]` before another attribute, on an `#[async_trait(?Send)]` method.
    #[timed(ASYNC_TRAIT)]
    #[allow(clippy::unused_async)]
    async fn fetch_local(&self, key: u32) -> Result<u32, Failure> {
        std::thread::sleep(Duration::from_millis(20));
        Ok(key + 1)
    }
}

#[test]
fn async_trait_methods_time_the_future_not_its_construction() {
    assert_eq!(block_on(Store.fetch(5)), Ok(5));
    assert_eq!(block_on(Store.fetch(0)), Err(Failure));
    assert_eq!(block_on(Store.fetch_default()), Ok(1)); // fetch_default and fetch
    assert_eq!(ASYNC_TRAIT.count(), 4);
    // Building the boxed future does not record; polling it to the end does.
    let future = LocalStore.fetch_local(1);
    assert_eq!(ASYNC_TRAIT.count(), 4);
    assert_eq!(block_on(future), Ok(2));
    assert_eq!(ASYNC_TRAIT.count(), 5);
    assert!(
        ASYNC_TRAIT.sum() >= 0.02,
        "the 20 ms inside the future were timed"
    );
}

static RETURNS_FUTURE: Histogram = Histogram::new();

// Written without `async fn` on purpose: the attribute must find the returned async block.
#[allow(clippy::manual_async_fn)]
#[timed(RETURNS_FUTURE)]
fn returns_future(value: u32) -> impl Future<Output = u32> {
    async move {
        yield_once().await;
        value + 1
    }
}

#[timed(RETURNS_FUTURE)]
fn returns_boxed_future(value: u32) -> std::pin::Pin<Box<dyn Future<Output = u32> + Send>> {
    Box::pin(async move { value * 3 })
}

#[test]
fn functions_returning_an_async_block_time_the_future() {
    let future = returns_future(1);
    assert_eq!(RETURNS_FUTURE.count(), 0);
    assert_eq!(block_on(future), 2);
    assert_eq!(block_on(returns_boxed_future(2)), 6);
    assert_eq!(RETURNS_FUTURE.count(), 2);
    {
        let mut dropped = pin!(returns_future(1));
        assert!(matches!(poll_once(dropped.as_mut()), Poll::Pending));
    }
    assert_eq!(RETURNS_FUTURE.count(), 3);
}

#[test]
fn timed_futures_stay_send() {
    fn assert_send<T: Send>(_: &T) {}
    let mut agent = Agent { steps: 0 };
    assert_send(&agent.step());
    assert_send(&exits(0));
    assert_send(&never_finishes());
    assert_send(&Store.fetch(1));
}
