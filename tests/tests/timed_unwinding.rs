//! `#[timed(.., outcome)]` judges a call by its own exits when it runs while another panic
//! unwinds (a timed call inside a `Drop`): `ok` and `error` stay themselves, and only a
//! panic of the call itself is `panic`.

#![deny(warnings, unreachable_code, clippy::pedantic)]

use std::panic::{catch_unwind, AssertUnwindSafe};

use oxios_metrics::{timed, Family, Histogram, TimedOutcome};

static CLEANUP: Family<TimedOutcome, Histogram> = Family::new();

/// Returns `Err` from inside a macro: an exit `#[timed]` cannot see, recorded as the
/// unseen-exit outcome of a plain function, `error`.
macro_rules! fail_early {
    () => {
        return Err("failed early")
    };
}

#[timed(CLEANUP, outcome)]
fn cleanup(mode: u8) -> Result<u8, &'static str> {
    match mode {
        0 => Ok(1),
        1 => Err("tail"),
        2 => {
            let parsed: u8 = "x".parse().map_err(|_| "question mark")?;
            Ok(parsed)
        }
        3 => fail_early!(),
        _ => panic!("the cleanup itself panics"),
    }
}

fn counts() -> [u64; 4] {
    [
        TimedOutcome::Ok,
        TimedOutcome::Error,
        TimedOutcome::Panic,
        TimedOutcome::Cancelled,
    ]
    .map(|outcome| CLEANUP.get(outcome).count())
}

/// Runs `cleanup(mode)` from a `Drop` while the thread unwinds from another panic.
struct CleansUp(u8);

impl Drop for CleansUp {
    fn drop(&mut self) {
        assert!(std::thread::panicking());
        let _ = cleanup(self.0);
    }
}

fn unwind_through_cleanup(mode: u8) {
    let result = catch_unwind(|| {
        let _guard = CleansUp(mode);
        panic!("the first panic");
    });
    assert!(result.is_err());
}

#[test]
fn outcomes_during_another_panic_are_the_calls_own() {
    // Sequential in one test: the counts are shared.
    unwind_through_cleanup(0);
    assert_eq!(counts(), [1, 0, 0, 0], "Ok during unwinding");
    unwind_through_cleanup(1);
    assert_eq!(counts(), [1, 1, 0, 0], "tail Err during unwinding");
    unwind_through_cleanup(2);
    assert_eq!(counts(), [1, 2, 0, 0], "`?` Err during unwinding");
    unwind_through_cleanup(3);
    assert_eq!(
        counts(),
        [1, 3, 0, 0],
        "an Err returned from a macro during unwinding"
    );

    // Outside any panic the same calls, and a panic of the call itself.
    assert_eq!(cleanup(3), Err("failed early"));
    assert_eq!(counts(), [1, 4, 0, 0]);
    let panicked = catch_unwind(AssertUnwindSafe(|| cleanup(4)));
    assert!(panicked.is_err());
    assert_eq!(counts(), [1, 4, 1, 0], "a call's own panic is `panic`");
}
