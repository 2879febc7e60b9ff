//! Bare `#[timed]`: the built-in `function_duration_seconds{function,module}` family on the
//! global registry, registered by the first call, with per-function buckets and names.

#![deny(warnings, unreachable_code, clippy::pedantic)]

mod timed_support;

use oxios_metrics::{global, timed, timing, Format, Registry};
use oxios_metrics_tests::{openmetrics_parse, promtool_check, Checked};
use timed_support::{block_on, yield_once};

fn global_text() -> String {
    global().render(Format::Prometheus)
}

fn count_line(function: &str, module: &str, count: u64) -> String {
    format!(
        "function_duration_seconds_count{{function=\"{function}\",module=\"{module}\"}} {count}\n"
    )
}

#[timed]
fn bare_plain() -> u8 {
    1
}

#[test]
fn bare_form_records_into_the_global_registry_without_declaration() {
    assert_eq!(bare_plain() + bare_plain(), 2);
    let text = global_text();
    assert!(
        text.contains("# HELP function_duration_seconds Duration of functions"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE function_duration_seconds histogram\n"),
        "{text}"
    );
    assert!(
        text.contains(&count_line("bare_plain", "timed_builtin", 2)),
        "{text}"
    );
    assert!(timing::registration_error().is_none());
}

#[timed(buckets = [0.001, 0.01, 1])]
fn bare_with_buckets() {}

#[test]
fn per_function_buckets() {
    bare_with_buckets();
    let text = global_text();
    let bucket = |le: &str| {
        format!("function_duration_seconds_bucket{{function=\"bare_with_buckets\",module=\"timed_builtin\",le=\"{le}\"}}")
    };
    for le in ["0.001", "0.01", "1", "+Inf"] {
        assert!(text.contains(&bucket(le)), "no le={le} line in\n{text}");
    }
    assert!(
        !text.contains(&bucket("0.005")),
        "default buckets leaked in\n{text}"
    );
}

const FAST: &[f64] = &[0.0001, 0.0002];

#[timed(buckets = FAST)]
fn bare_with_const_buckets() {}

#[test]
fn per_function_buckets_from_a_constant() {
    bare_with_const_buckets();
    let text = global_text();
    assert!(
        text.contains(
            "function=\"bare_with_const_buckets\",module=\"timed_builtin\",le=\"0.0002\"}"
        ),
        "{text}"
    );
}

#[timed(name = "renamed_step")]
fn bare_with_name() {}

#[test]
fn function_label_can_be_renamed() {
    bare_with_name();
    let text = global_text();
    assert!(
        text.contains(&count_line("renamed_step", "timed_builtin", 1)),
        "{text}"
    );
    assert!(!text.contains("function=\"bare_with_name\""));
}

mod nested {
    use oxios_metrics::timed;

    pub struct First;
    pub struct Second;

    impl First {
        #[timed]
        pub fn create() -> Self {
            First
        }
    }

    impl Second {
        // Same function name in the same module: one series, so the exposition never holds
        // two series with the same labels.
        #[timed]
        pub fn create() -> Self {
            Second
        }
    }

    #[timed]
    pub fn generic<T: Default>() -> T {
        T::default()
    }

    #[timed]
    pub fn r#match() -> bool {
        true
    }
}

#[test]
fn same_labels_share_a_series_and_generics_share_a_site() {
    let _first = nested::First::create();
    let _second = nested::Second::create();
    assert_eq!(nested::generic::<u8>(), 0);
    assert_eq!(nested::generic::<String>(), "");
    assert!(nested::r#match());
    let text = global_text();
    assert!(
        text.contains(&count_line("create", "timed_builtin::nested", 2)),
        "{text}"
    );
    assert!(
        text.contains(&count_line("generic", "timed_builtin::nested", 2)),
        "{text}"
    );
    assert!(
        text.contains(&count_line("match", "timed_builtin::nested", 1)),
        "{text}"
    );
    assert_eq!(
        text.matches("function=\"create\",module=\"timed_builtin::nested\",le=\"+Inf\"")
            .count(),
        1
    );
}

#[timed]
async fn bare_async() -> u8 {
    yield_once().await;
    3
}

#[test]
fn bare_form_on_async_fn() {
    assert_eq!(block_on(bare_async()), 3);
    assert!(global_text().contains(&count_line("bare_async", "timed_builtin", 1)));
}

#[timed]
fn for_the_checkers() {}

#[test]
fn the_builtin_family_passes_promtool_and_the_openmetrics_parser() {
    for_the_checkers();
    let registry = Registry::new();
    registry.register(&timing::FUNCTION_DURATIONS).unwrap();
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains(&count_line("for_the_checkers", "timed_builtin", 1)),
        "{text}"
    );
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool:\n{said}\n---\n{text}");
    }
    let openmetrics = registry.render(Format::OpenMetrics);
    assert!(openmetrics.contains("# UNIT function_duration_seconds seconds\n"));
    if let Checked::Ran(said) = openmetrics_parse(&openmetrics) {
        assert!(
            said.contains("histogram function_duration_seconds_count{function='for_the_checkers',module='timed_builtin'} 1\n"),
            "parser:\n{said}"
        );
    }
}

#[timed]
fn raced_first_call() {}

#[timed]
fn raced_other() {}

#[test]
fn first_calls_racing_on_many_threads_link_one_series_and_lose_nothing() {
    const THREADS: u64 = 8;
    const CALLS: u64 = 2_000;
    let barrier = std::sync::Barrier::new(usize::try_from(THREADS).unwrap() + 1);
    std::thread::scope(|scope| {
        for index in 0..THREADS {
            let barrier = &barrier;
            scope.spawn(move || {
                barrier.wait();
                for _ in 0..CALLS {
                    if index % 2 == 0 {
                        raced_first_call();
                    } else {
                        raced_other();
                    }
                }
            });
        }
        // A scraper runs while the sites link themselves.
        let barrier = &barrier;
        scope.spawn(move || {
            barrier.wait();
            for _ in 0..200 {
                let _ = global_text();
            }
        });
    });
    let text = global_text();
    let half = THREADS / 2 * CALLS;
    assert!(
        text.contains(&count_line("raced_first_call", "timed_builtin", half)),
        "{text}"
    );
    assert!(
        text.contains(&count_line("raced_other", "timed_builtin", half)),
        "{text}"
    );
    assert_eq!(
        text.matches("function=\"raced_first_call\"").count(),
        14,
        "one series (12 buckets, sum, count):\n{text}"
    );
}
