//! What the facade tests share: a registry with a recorder on it, the values of one family
//! read back from an exposition, and the external checkers' verdicts as assertions.

#![allow(dead_code)] // each test file uses a different part

use oxios_metrics::facade::{FacadeBuilder, FacadeRecorder};
use oxios_metrics::{Format, Registry};
use oxios_metrics_tests::{assert_well_formed, openmetrics_parse, promtool_check, Checked};

/// A fresh registry and a recorder writing into it, built from `settings`.
pub fn recorder_with(settings: FacadeBuilder) -> (Registry, FacadeRecorder) {
    let registry = Registry::new();
    let recorder = settings
        .registry(&registry)
        .build()
        .expect("the recorder registers its counters");
    (registry, recorder)
}

/// A fresh registry and a recorder with the default settings.
pub fn recorder() -> (Registry, FacadeRecorder) {
    recorder_with(FacadeRecorder::builder())
}

/// Runs `emit` with `recorder` as the `metrics` crate's recorder on this thread.
pub fn emit(recorder: &FacadeRecorder, emit: impl FnOnce()) {
    metrics::with_local_recorder(recorder, emit);
}

/// The sample lines of the exposition whose name starts with `prefix`.
pub fn samples(text: &str, prefix: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.starts_with('#') && line.starts_with(prefix))
        .map(str::to_owned)
        .collect()
}

/// The value of the sample line that is exactly `series` (`name{labels}`), if there is one.
pub fn value(text: &str, series: &str) -> Option<String> {
    text.lines().find_map(|line| {
        line.strip_prefix(series)
            .and_then(|rest| rest.strip_prefix(' '))
            .map(str::to_owned)
    })
}

/// The count of `oxios_metrics_facade_refused_total{reason="…"}`.
pub fn refused(registry: &Registry, reason: &str) -> u64 {
    let text = registry.render(Format::Prometheus);
    let series = format!("oxios_metrics_facade_refused_total{{reason=\"{reason}\"}}");
    value(&text, &series)
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
        .parse()
        .expect("an integer count")
}

/// The count of `oxios_metrics_facade_rewritten_total{what="…"}`.
pub fn rewritten(registry: &Registry, what: &str) -> u64 {
    let text = registry.render(Format::Prometheus);
    let series = format!("oxios_metrics_facade_rewritten_total{{what=\"{what}\"}}");
    value(&text, &series)
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
        .parse()
        .expect("an integer count")
}

/// Checks both expositions of `registry`: well formed, promtool finds nothing in 0.0.4, the
/// Python OpenMetrics parser reads the OpenMetrics text. Returns the parser's sample lines
/// (empty when the parser is not installed outside CI).
pub fn assert_checkers_accept(registry: &Registry) -> String {
    let text = registry.render(Format::Prometheus);
    assert_well_formed(&text, Format::Prometheus);
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool:\n{said}\n---\n{text}");
    }
    let open = registry.render(Format::OpenMetrics);
    assert_well_formed(&open, Format::OpenMetrics);
    match openmetrics_parse(&open) {
        Checked::Ran(said) => {
            assert!(
                !said.contains("Error") && !said.contains("Traceback"),
                "OpenMetrics parser:\n{said}\n---\n{open}"
            );
            said
        }
        Checked::Missing => String::new(),
    }
}
