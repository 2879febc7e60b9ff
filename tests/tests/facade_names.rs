//! Names and labels from the `metrics` macros that Prometheus would refuse: sanitized by its
//! underscore escaping (the default) or refused, and counted either way.

mod facade_support;

use facade_support::{
    assert_checkers_accept, emit, recorder, recorder_with, refused, rewritten, samples,
};
use oxios_metrics::facade::{FacadeRecorder, NamePolicy};
use oxios_metrics::Format;

#[test]
fn invalid_characters_are_replaced_with_underscores_and_counted() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        metrics::counter!("tokio.tasks-spawned").increment(2);
        metrics::gauge!("9lives").set(1.0);
        metrics::gauge!("job:rate").set(0.5);
        metrics::counter!("db.queries", "db.name" => "main", "ok" => "true").increment(1);
        metrics::counter!("db.queries", "db.name" => "main", "ok" => "true").increment(1);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(
        samples(&text, "tokio_tasks_spawned_total"),
        ["tokio_tasks_spawned_total 2"]
    );
    assert_eq!(samples(&text, "_lives"), ["_lives 1"]);
    assert_eq!(samples(&text, "job_rate"), ["job_rate 0.5"]);
    assert_eq!(
        samples(&text, "db_queries_total"),
        ["db_queries_total{db_name=\"main\",ok=\"true\"} 2"]
    );
    // Once per family for metric names, once per series for label names.
    assert_eq!(rewritten(&registry, "metric_name"), 4);
    assert_eq!(rewritten(&registry, "label_name"), 1);
    assert_eq!(refused(&registry, "invalid_name"), 0);
    assert!(recorder.problems().is_empty(), "{:?}", recorder.problems());
    assert_checkers_accept(&registry);
}

#[test]
fn names_that_stay_invalid_are_refused_and_counted_per_emission() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        for _ in 0..3 {
            metrics::counter!("__internal").increment(1);
        }
        metrics::gauge!("").set(1.0);
        metrics::histogram!("..hidden").record(1.0);
    });
    let text = registry.render(Format::Prometheus);
    assert!(!text.contains("internal"), "{text}");
    assert!(!text.contains("hidden"), "{text}");
    assert_eq!(refused(&registry, "invalid_name"), 5);
    let problems = recorder.problems();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("`__internal`"), "{problems:?}");
    assert!(problems[0].contains("reserved"), "{problems:?}");
    assert_checkers_accept(&registry);
}

#[test]
fn the_refuse_policy_drops_every_name_needing_a_rewrite() {
    let (registry, recorder) = recorder_with(FacadeRecorder::builder().names(NamePolicy::Refuse));
    emit(&recorder, || {
        metrics::counter!("http.requests").increment(1);
        metrics::counter!("http_requests").increment(1);
        metrics::counter!("http_requests", "status.code" => "200").increment(1);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(
        samples(&text, "http_requests_total"),
        ["http_requests_total 1"]
    );
    assert_eq!(refused(&registry, "invalid_name"), 1);
    assert_eq!(refused(&registry, "invalid_labels"), 1);
    assert_eq!(rewritten(&registry, "metric_name"), 0);
    assert_checkers_accept(&registry);
}

#[test]
fn reserved_and_repeated_label_names_are_refused() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        metrics::histogram!("sizes", "le" => "1").record(1.0);
        metrics::counter!("hits", "quantile" => "0.5").increment(1);
        metrics::counter!("hits", "series_overflow" => "true").increment(1);
        metrics::counter!("hits", "__meta" => "x").increment(1);
        // Two names that sanitize to one: Prometheus drops a scrape with a repeated label.
        metrics::counter!("hits", "a.b" => "1", "a_b" => "2").increment(1);
        // promtool flags `le` outside histograms too.
        metrics::counter!("hits", "le" => "x").increment(1);
        metrics::counter!("hits", "route" => "/").increment(1);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(
        samples(&text, "hits_total"),
        ["hits_total{route=\"/\"} 1"],
        "{text}"
    );
    assert!(!text.contains("sizes_bucket"), "{text}");
    assert_eq!(refused(&registry, "invalid_labels"), 6);
    let problems = recorder.problems().join("\n");
    assert!(problems.contains("`a_b` appears twice"), "{problems}");
    assert!(problems.contains("`le` is the bucket label"), "{problems}");
    assert_checkers_accept(&registry);
}

#[test]
fn a_counter_named_with_total_is_written_with_total_once() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        metrics::counter!("requests_total").increment(1);
        // The same family, named without the suffix.
        metrics::counter!("requests").increment(1);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(samples(&text, "requests"), ["requests_total 2"]);
    assert!(!text.contains("requests_total_total"), "{text}");
    let open = registry.render(Format::OpenMetrics);
    assert!(
        open.contains("# TYPE requests counter\nrequests_total 2\n"),
        "{open}"
    );
    assert_checkers_accept(&registry);
}
