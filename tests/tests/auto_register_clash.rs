//! Two library crates declare, with `global_metrics!`, groups that expose the same metric
//! name: the global registry keeps the first declaration (by declaration site) and reports
//! the second, naming both statics and where each was declared, without a panic.

use std::process::Command;

use oxios_metrics::auto::{self, REFUSED_METRIC};
use oxios_metrics::{global, Format};
use oxios_metrics_test_auto_first as first;
use oxios_metrics_test_auto_second as second;

fn work() {
    first::work();
    second::work();
}

#[test]
fn a_clash_between_two_crates_names_both_declarations() {
    work();
    let error = auto::check().expect_err("the second declaration clashes");
    let [refused] = error.refused() else {
        panic!("one declaration refused: {error}");
    };
    assert_eq!(refused.name, "SECOND");
    assert!(
        refused.site.file.ends_with("auto_second/src/lib.rs"),
        "{}",
        refused.site
    );
    assert_eq!(refused.clashes_with.len(), 1, "{error}");
    let (other, other_site) = refused.clashes_with[0];
    assert_eq!(other, "FIRST");
    assert!(
        other_site.file.ends_with("auto_first/src/lib.rs"),
        "{other_site}"
    );
    let message = error.to_string();
    for part in [
        "`SECOND` (declared at ",
        "auto_second/src/lib.rs:",
        "`jobs_processed`",
        "it clashes with `FIRST` (declared at ",
        "auto_first/src/lib.rs:",
    ] {
        assert!(message.contains(part), "missing {part:?} in: {message}");
    }
    // The registry's own reason names the two fields' definition sites.
    assert!(message.matches("src/lib.rs:").count() >= 4, "{message}");
    // The same answer every time.
    assert_eq!(auto::check().unwrap_err(), error);
}

#[test]
fn the_exposition_has_the_first_declaration_only_and_the_refusal_count() {
    work();
    let text = global().render(Format::Prometheus);
    assert_eq!(
        text.matches("# HELP jobs_processed_total ").count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("# HELP jobs_processed_total Jobs processed.\n"),
        "{text}"
    );
    assert!(text.contains("first_retries_total "), "{text}");
    // Nothing of the refused group, not even its metrics that did not clash.
    assert!(!text.contains("second_workers"), "{text}");
    assert!(text.contains(&format!("\n{REFUSED_METRIC} 1\n")), "{text}");
}

/// Run in a child process, where nothing has registered yet: `global()` starts the
/// registration, and reports the refusal on standard error.
#[test]
fn implicit_registration_reports_the_clash_on_standard_error() {
    if std::env::var_os("AUTO_REGISTER_CHILD").is_some() {
        work();
        let _ = global().render(Format::Prometheus);
        return;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "implicit_registration_reports_the_clash_on_standard_error",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("AUTO_REGISTER_CHILD", "1")
        .output()
        .expect("the test binary runs itself");
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reported: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("oxios-metrics: "))
        .collect();
    assert_eq!(
        reported.len(),
        1,
        "one line per refused declaration:\n{stderr}"
    );
    assert!(reported[0].contains("`SECOND` (declared at "), "{stderr}");
    assert!(reported[0].contains("it clashes with `FIRST`"), "{stderr}");
}
