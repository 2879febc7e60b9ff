//! `#[timed(TARGET)]` on every kind of plain function, and every way out of one: the count of
//! the target histogram goes up by exactly one per call.

#![deny(warnings, unreachable_code, clippy::pedantic)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use oxios_metrics::{timed, Family, Gauge, Histogram};
use oxios_metrics_tests::Method;

#[derive(Debug, PartialEq)]
struct Failure;

// --- free functions and exits -----------------------------------------------------------

static RETURNS: Histogram = Histogram::new();

#[timed(RETURNS)]
fn early_return(stop: bool) -> u32 {
    if stop {
        return 1;
    }
    2
}

#[test]
fn normal_and_early_return_each_record_once() {
    assert_eq!(early_return(false), 2);
    assert_eq!(RETURNS.count(), 1);
    assert_eq!(early_return(true), 1);
    assert_eq!(RETURNS.count(), 2);
}

static QUESTION: Histogram = Histogram::new();

fn parse(input: &str) -> Result<u32, Failure> {
    input.parse().map_err(|_| Failure)
}

#[timed(QUESTION)]
fn with_question_mark(input: &str) -> Result<u32, Failure> {
    let value = parse(input)?;
    Ok(value + 1)
}

#[test]
fn question_mark_records_once() {
    assert_eq!(with_question_mark("41"), Ok(42));
    assert_eq!(with_question_mark("x"), Err(Failure));
    assert_eq!(QUESTION.count(), 2);
}

static PANICS: Histogram = Histogram::new();

#[timed(PANICS)]
fn panics(really: bool) -> u8 {
    assert!(!really, "asked to panic");
    7
}

#[test]
fn panic_records_once() {
    let result = catch_unwind(|| panics(true));
    assert!(result.is_err());
    assert_eq!(PANICS.count(), 1);
    assert_eq!(panics(false), 7);
    assert_eq!(PANICS.count(), 2);
}

static NOTHING: Histogram = Histogram::new();

#[timed(NOTHING)]
fn returns_unit() {}

#[test]
fn empty_function_records() {
    returns_unit();
    returns_unit();
    assert_eq!(NOTHING.count(), 2);
}

static SLEEPS: Histogram = Histogram::new();

#[timed(SLEEPS)]
fn sleeps() {
    std::thread::sleep(Duration::from_millis(50));
}

#[test]
fn recorded_duration_matches_a_known_sleep() {
    sleeps();
    assert_eq!(SLEEPS.count(), 1);
    let seconds = SLEEPS.sum();
    // Seconds, not milliseconds: at least the sleep, and under 5 s however long a busy
    // machine kept the thread from waking up (a sleep counted in ms would record 50).
    assert!(
        (0.05..5.0).contains(&seconds),
        "recorded {seconds} s for a 50 ms sleep"
    );
    // Default buckets 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, ..: cumulative
    // counts are 0 up to 0.025 and 1 from 5 on.
    let buckets = SLEEPS.buckets();
    assert_eq!(buckets[2].1, 0);
    assert_eq!(buckets[9], (5.0, 1));
}

// --- signatures -------------------------------------------------------------------------

static SIGNATURES: Histogram = Histogram::new();

#[timed(SIGNATURES)]
fn generic<T: Clone, U>(value: &T, other: U) -> (T, U)
where
    U: std::fmt::Debug,
{
    (value.clone(), other)
}

#[timed(SIGNATURES)]
fn returns_impl_trait(step: u32) -> impl Fn(u32) -> u32 {
    move |value| value + step
}

#[timed(SIGNATURES)]
fn mut_parameters(mut count: u32, (mut a, b): (u32, u32)) -> u32 {
    count += 1;
    a += b;
    count + a
}

/// # Safety
/// None needed; the function is `unsafe` only to show the attribute accepts it.
#[timed(SIGNATURES)]
unsafe fn unsafe_function(value: u32) -> u32 {
    value * 2
}

#[timed(SIGNATURES)]
fn returns_closure_by_branch(double: bool) -> impl Fn(u32) -> u32 {
    // Both branches return the same closure type only because the body was not moved.
    let factor = if double { 2 } else { 1 };
    move |value| value * factor
}

#[timed(SIGNATURES)]
fn argument_position_impl_trait(value: impl std::fmt::Display, times: usize) -> String {
    value.to_string().repeat(times)
}

#[timed(SIGNATURES)]
fn lifetimes<'a, 'b: 'a>(first: &'a str, _second: &'b str) -> &'a str {
    first
}

#[test]
fn every_signature_records() {
    assert_eq!(generic(&String::from("a"), 1u8), (String::from("a"), 1));
    assert_eq!(returns_impl_trait(2)(3), 5);
    assert_eq!(mut_parameters(1, (2, 3)), 7);
    // SAFETY: `unsafe_function` has no safety requirement.
    assert_eq!(unsafe { unsafe_function(4) }, 8);
    assert_eq!(returns_closure_by_branch(true)(5), 10);
    assert_eq!(argument_position_impl_trait(1, 3), "111");
    assert_eq!(lifetimes("a", "b"), "a");
    assert_eq!(SIGNATURES.count(), 7);
}

// --- methods ----------------------------------------------------------------------------

static METHODS: Histogram = Histogram::new();

struct Account {
    balance: u64,
}

impl Account {
    #[timed(METHODS)]
    fn new(balance: u64) -> Self {
        Account { balance }
    }

    #[timed(METHODS)]
    fn balance(&self) -> u64 {
        self.balance
    }

    #[timed(METHODS)]
    fn deposit(&mut self, amount: u64) -> &mut Self {
        self.balance += amount;
        self
    }

    #[timed(METHODS)]
    fn close(self) -> u64 {
        self.balance
    }
}

trait Ledger {
    fn total(&self) -> u64;

    #[timed(METHODS)]
    fn doubled(&self) -> u64 {
        self.total() * 2
    }
}

impl Ledger for Account {
    #[timed(METHODS)]
    fn total(&self) -> u64 {
        self.balance
    }
}

#[test]
fn methods_and_trait_methods_record() {
    let mut account = Account::new(1);
    account.deposit(2).deposit(3);
    assert_eq!(account.balance(), 6);
    assert_eq!(account.total(), 6);
    assert_eq!(account.doubled(), 12); // doubled and total: two calls
    assert_eq!(account.close(), 6);
    assert_eq!(METHODS.count(), 8);
}

// --- targets ----------------------------------------------------------------------------

static BY_METHOD: Family<Method, Histogram> = Family::new();

#[timed(BY_METHOD.get(Method::Post))]
fn posts() {}

#[timed(BY_METHOD.get(method))]
fn by_argument(method: Method) -> Method {
    method
}

struct Handler {
    method: Method,
}

impl Handler {
    // `self` may pick the label; the histogram itself is in a static.
    #[timed(BY_METHOD.get(self.method))]
    fn handle(&mut self) -> Method {
        self.method
    }
}

#[test]
fn family_members_are_targets() {
    let mut handler = Handler {
        method: Method::Get,
    };
    assert_eq!(handler.handle(), Method::Get);
    posts();
    assert_eq!(by_argument(Method::Get), Method::Get);
    assert_eq!(by_argument(Method::Post), Method::Post);
    assert_eq!(BY_METHOD.get(Method::Post).count(), 2);
    assert_eq!(BY_METHOD.get(Method::Get).count(), 2);
}

struct Group {
    latency: Histogram,
    running: Gauge,
}

static GROUP: Group = Group {
    latency: Histogram::new(),
    running: Gauge::new(),
};

#[timed(GROUP.latency, in_flight = GROUP.running)]
fn counts_itself_running(fail: bool) -> i64 {
    let running = GROUP.running.get();
    assert!(!fail, "failing on purpose");
    running
}

#[test]
fn in_flight_gauge_is_up_during_the_call_and_down_after_every_exit() {
    assert_eq!(counts_itself_running(false), 1);
    assert_eq!(GROUP.running.get(), 0);
    assert!(catch_unwind(AssertUnwindSafe(|| counts_itself_running(true))).is_err());
    assert_eq!(GROUP.running.get(), 0);
    assert_eq!(GROUP.latency.count(), 2);
}

static GAUGES: Family<Method, Gauge> = Family::new();
static GAUGED: Histogram = Histogram::new();

#[timed(GAUGED, in_flight = GAUGES.get(Method::Get))]
fn gauged_by_family() -> i64 {
    GAUGES.get(Method::Get).get()
}

#[test]
fn in_flight_gauge_can_be_a_family_member() {
    assert_eq!(gauged_by_family(), 1);
    assert_eq!(GAUGES.get(Method::Get).get(), 0);
    assert_eq!(GAUGED.count(), 1);
}

// --- the guard form ---------------------------------------------------------------------

static BLOCKS: Family<Method, Histogram> = Family::new();

#[test]
fn start_timer_times_a_block_on_histograms_and_family_members() {
    {
        let _timer = BLOCKS.get(Method::Get).start_timer();
        std::thread::sleep(Duration::from_millis(5));
    }
    let seconds = BLOCKS.get(Method::Get).start_timer().observe_duration();
    assert!(seconds >= 0.0);
    BLOCKS.get(Method::Post).start_timer().discard();
    assert_eq!(BLOCKS.get(Method::Get).count(), 2);
    assert!(BLOCKS.get(Method::Get).sum() >= 0.005);
    assert_eq!(BLOCKS.get(Method::Post).count(), 0);
}
