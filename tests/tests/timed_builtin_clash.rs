//! Bare `#[timed]` when the global registry already holds a `function_duration_seconds`:
//! the automatic registration fails without a panic, the error can be read, and the
//! durations are still recorded and can be exposed on another registry.
//!
//! A file of its own: the global registry is per process.

#![deny(warnings, unreachable_code, clippy::pedantic)]

use oxios_metrics::{global, timed, timing, Format, Histogram, Metrics, Registry};

#[derive(Metrics)]
pub struct Squatter {
    /// Takes the built-in family's name first.
    #[metric(rename = "function_duration_seconds", unit = "seconds")]
    pub duration: Histogram,
}

static SQUATTER: Squatter = Squatter::new();

#[timed]
fn victim() -> u8 {
    5
}

#[test]
fn a_clash_on_the_global_registry_is_an_error_not_a_panic() {
    global().register(&SQUATTER).unwrap();
    assert!(timing::registration_error().is_none(), "nothing tried yet");
    assert_eq!(victim(), 5);
    let error = timing::registration_error().expect("the automatic registration failed");
    assert!(
        error.to_string().contains("function_duration_seconds"),
        "{error}"
    );
    // Calls go on recording; another registry shows them.
    assert_eq!(victim(), 5);
    let registry = Registry::new();
    registry.register(&timing::FUNCTION_DURATIONS).unwrap();
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains("function_duration_seconds_count{function=\"victim\",module=\"timed_builtin_clash\"} 2\n"),
        "{text}"
    );
    // The global registry still writes one family of that name.
    let global_text = global().render(Format::Prometheus);
    assert_eq!(
        global_text
            .matches("# TYPE function_duration_seconds ")
            .count(),
        1
    );
}
