//! Facade names that a declared group (or another facade metric) already exposes: refused
//! and counted, the declared family untouched, never a panic, never a second family header.

mod facade_support;

use facade_support::{assert_checkers_accept, emit, recorder, refused, samples};
use oxios_metrics::facade::FacadeRecorder;
use oxios_metrics::{Counter, Format, Histogram, Metrics, Registry};

#[derive(Metrics)]
pub struct Declared {
    /// Requests handled (declared).
    pub requests: Counter,
    /// Request latency (declared).
    #[metric(unit = "seconds", buckets = [0.1, 1.0])]
    pub latency: Histogram,
}

#[test]
fn a_facade_name_a_declared_group_exposes_is_refused_naming_both_sites() {
    static DECLARED: Declared = Declared::new();
    let (registry, recorder) = recorder();
    registry.register(&DECLARED).unwrap();
    DECLARED.requests.add(5);
    emit(&recorder, || {
        for _ in 0..4 {
            // The same family name and type: still refused, the declared family is not shared.
            metrics::counter!("requests").increment(100);
        }
        // A gauge whose sample name is one of the declared histogram's.
        metrics::gauge!("latency_seconds_count").set(1.0);
        // A counter whose family would be the declared histogram's name.
        metrics::counter!("latency_seconds").increment(1);
        // A different name is fine.
        metrics::counter!("requests_retried").increment(1);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(text.matches("# HELP requests_total ").count(), 1, "{text}");
    assert!(text.contains("# HELP requests_total Requests handled (declared).\n"));
    assert_eq!(samples(&text, "requests_total"), ["requests_total 5"]);
    assert_eq!(
        samples(&text, "requests_retried_total"),
        ["requests_retried_total 1"]
    );
    assert_eq!(text.matches("# TYPE latency_seconds ").count(), 1, "{text}");
    assert!(!text.contains("latency_seconds_count 1\n"), "{text}");
    assert_eq!(refused(&registry, "clash"), 6);

    let problems = recorder.problems();
    let requests = problems
        .iter()
        .find(|problem| problem.contains("`requests`"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert!(requests.contains(file!()), "the declared site: {requests}");
    assert!(
        requests.contains("<metrics facade>"),
        "the facade side: {requests}"
    );
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains("latency_seconds_count")),
        "{problems:?}"
    );
    assert_checkers_accept(&registry);
}

#[test]
fn a_name_emitted_as_two_types_keeps_the_first() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        metrics::gauge!("workers").set(3.0);
        metrics::counter!("workers").increment(1);
        metrics::histogram!("workers").record(1.0);
        // A counter `jobs` exposes `jobs_total`: a gauge of that name clashes.
        metrics::counter!("jobs").increment(1);
        metrics::gauge!("jobs_total").set(9.0);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(samples(&text, "workers"), ["workers 3"]);
    assert_eq!(samples(&text, "jobs_total"), ["jobs_total 1"]);
    assert_eq!(refused(&registry, "clash"), 3);
    let problems = recorder.problems().join("\n");
    assert!(
        problems.contains("emitted as a gauge already, not as a counter"),
        "{problems}"
    );
    assert_checkers_accept(&registry);
}

#[test]
fn a_group_registered_after_the_facade_name_is_refused_instead() {
    static LATE: Declared = Declared::new();
    let (registry, recorder) = recorder();
    emit(&recorder, || metrics::counter!("requests").increment(1));
    let error = registry.register(&LATE).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("requests"), "{message}");
    assert!(message.contains("<metrics facade>"), "{message}");
    assert!(message.contains(file!()), "{message}");
    let text = registry.render(Format::Prometheus);
    assert_eq!(text.matches("# HELP requests_total ").count(), 1, "{text}");
    assert!(
        !text.contains("latency"),
        "nothing of the refused group: {text}"
    );
}

#[test]
fn two_recorders_on_one_registry_are_refused_at_build() {
    let registry = Registry::new();
    let first = FacadeRecorder::builder().registry(&registry).build();
    assert!(first.is_ok());
    let second = FacadeRecorder::builder().registry(&registry).build();
    let message = second.unwrap_err().to_string();
    assert!(
        message.contains("oxios_metrics_facade_refused"),
        "{message}"
    );
    // Under a sub-registry with its own label, a second recorder is a member of the same
    // families.
    let scoped = registry
        .sub_registry_with_label("facade", "second")
        .unwrap();
    let second = FacadeRecorder::builder()
        .sub_registry(scoped)
        .build()
        .unwrap();
    emit(&second, || metrics::counter!("through_second").increment(1));
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains("through_second_total{facade=\"second\"} 1\n"),
        "{text}"
    );
    assert_eq!(
        text.matches("# HELP oxios_metrics_facade_refused_total ")
            .count(),
        1
    );
}

#[test]
fn a_facade_label_may_not_repeat_a_label_of_the_scope() {
    let registry = Registry::new();
    let scope = registry
        .sub_registry_with_prefix("lib")
        .unwrap()
        .with_label("instance", "a")
        .unwrap();
    let recorder = FacadeRecorder::builder()
        .sub_registry(scope)
        .build()
        .unwrap();
    emit(&recorder, || {
        metrics::counter!("calls", "instance" => "b").increment(1);
        metrics::counter!("calls", "route" => "/").increment(1);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(
        samples(&text, "lib_calls_total"),
        ["lib_calls_total{instance=\"a\",route=\"/\"} 1"]
    );
    let counted = samples(&text, "lib_oxios_metrics_facade_refused_total");
    assert!(
        counted.contains(
            &"lib_oxios_metrics_facade_refused_total{instance=\"a\",reason=\"invalid_labels\"} 1"
                .to_owned()
        ),
        "{text}"
    );
    assert_checkers_accept(&registry);
}
