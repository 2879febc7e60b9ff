//! The Pushgateway client against a real Pushgateway on loopback (Debian's
//! `prometheus-pushgateway`): what a push, a push-add and a delete leave on the gateway, read
//! back from its `/metrics` and from its JSON API, and how a refusal is reported.

use std::collections::BTreeMap;
use std::time::Duration;

use oxios_metrics::push::{GroupingKey, PushError, Pushgateway};
use oxios_metrics::{
    Counter, Family, FloatGauge, Format, Gauge, Histogram, LabelSet, LabelValue, Metrics, Registry,
};
use oxios_metrics_tests::leak;
use oxios_metrics_tests::pushgateway::{
    eventually, parse_samples, sample_value, start_pushgateway, Gateway,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
enum Stage {
    Extract,
    Load,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct ByStage {
    stage: Stage,
}

#[derive(Metrics)]
#[metrics(prefix = "pushtest")]
struct Batch {
    /// Rows processed.
    rows: Counter,
    /// Rows processed per stage.
    stage_rows: Family<ByStage, Counter>,
    /// Workers busy.
    workers: Gauge,
    /// Share of the input done.
    #[metric(unit = "ratio")]
    progress: FloatGauge,
    /// Time per row.
    #[metric(unit = "seconds", buckets = [0.1, 1.0])]
    row_duration: Histogram,
}

#[derive(Metrics)]
#[metrics(prefix = "pushtest")]
struct Extra {
    /// Retries made.
    retries: Counter,
}

fn batch_registry() -> (&'static Batch, Registry) {
    let batch: &'static Batch = leak(Batch::new());
    let registry = Registry::new();
    registry.register(batch).expect("the batch group registers");
    (batch, registry)
}

fn extra_registry(retries: u64) -> Registry {
    let extra: &'static Extra = leak(Extra::new());
    extra.retries.add(retries);
    let registry = Registry::new();
    registry.register(extra).expect("the extra group registers");
    registry
}

fn client(gateway: &Gateway) -> Pushgateway {
    Pushgateway::new(&gateway.url()).expect("the gateway URL is valid")
}

/// The groups the gateway's JSON API lists, each as its grouping labels and the names of
/// the metric families it holds.
fn groups(gateway: &Gateway) -> Vec<(BTreeMap<String, String>, Vec<String>)> {
    let reply: serde_json::Value =
        serde_json::from_str(&gateway.api_metrics()).expect("the API answers JSON");
    assert_eq!(reply["status"], "success", "{reply}");
    reply["data"]
        .as_array()
        .expect("data is a list of groups")
        .iter()
        .map(|group| {
            let labels = group["labels"]
                .as_object()
                .expect("a group has labels")
                .iter()
                .map(|(name, value)| (name.clone(), value.as_str().unwrap_or("").to_owned()))
                .collect();
            let mut families: Vec<String> = group
                .as_object()
                .expect("a group is an object")
                .keys()
                .filter(|key| {
                    !matches!(
                        key.as_str(),
                        "labels"
                            | "last_push_successful"
                            | "push_time_seconds"
                            | "push_failure_time_seconds"
                    )
                })
                .cloned()
                .collect();
            families.sort();
            (labels, families)
        })
        .collect()
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[test]
fn a_push_is_scraped_from_the_gateway_with_every_value_and_the_key_labels() {
    let Some(gateway) = start_pushgateway() else {
        return;
    };
    let (batch, registry) = batch_registry();
    batch.rows.add(1234);
    batch
        .stage_rows
        .get(ByStage {
            stage: Stage::Extract,
        })
        .add(700);
    batch
        .stage_rows
        .get(ByStage { stage: Stage::Load })
        .add(534);
    batch.workers.set(-3);
    batch.progress.set(0.625);
    for seconds in [0.05, 0.5, 0.5, 7.0] {
        batch.row_duration.observe(seconds);
    }
    let key = GroupingKey::new("nightly_import").label("instance", "db-1");
    client(&gateway)
        .push(&key, &registry)
        .expect("the gateway accepts the push");

    let ours = parse_samples(&registry.render(Format::Prometheus));
    let scraped = parse_samples(&gateway.scrape());
    assert_eq!(
        ours.len(),
        10,
        "3 counter samples, 2 gauges, 3 buckets, sum, count: {ours:?}"
    );
    for sample in &ours {
        let mut expected = sample.labels.clone();
        expected.insert("job".into(), "nightly_import".into());
        expected.insert("instance".into(), "db-1".into());
        let on_gateway = scraped
            .iter()
            .find(|other| other.name == sample.name && other.labels == expected)
            .unwrap_or_else(|| panic!("{sample:?} is not on the gateway: {scraped:?}"));
        assert_eq!(on_gateway.value, sample.value, "{}", sample.name);
    }
    let key_labels = [("job", "nightly_import"), ("instance", "db-1")];
    assert_eq!(
        sample_value(&scraped, "pushtest_rows_total", &key_labels),
        Some(1234.0)
    );
    assert_eq!(
        sample_value(&scraped, "pushtest_workers", &key_labels),
        Some(-3.0)
    );
    let mut inf_bucket = key_labels.to_vec();
    inf_bucket.push(("le", "+Inf"));
    assert_eq!(
        sample_value(
            &scraped,
            "pushtest_row_duration_seconds_bucket",
            &inf_bucket
        ),
        Some(4.0)
    );
    let push_time = sample_value(&scraped, "push_time_seconds", &key_labels)
        .expect("the gateway records the push time");
    assert!(push_time > 1.5e9, "push_time_seconds = {push_time}");
}

#[test]
fn push_replaces_the_group_and_push_add_replaces_only_the_families_it_names() {
    let Some(gateway) = start_pushgateway() else {
        return;
    };
    let client = client(&gateway);
    let key = GroupingKey::new("semantics");
    let key_labels = [("job", "semantics"), ("instance", "")];
    let (batch, registry) = batch_registry();
    batch.rows.add(10);

    client.push(&key, &registry).expect("PUT of the batch");
    client
        .push_add(&key, &extra_registry(2))
        .expect("POST of the extra family");
    let scraped = parse_samples(&gateway.scrape());
    assert_eq!(
        sample_value(&scraped, "pushtest_rows_total", &key_labels),
        Some(10.0),
        "push-add keeps the families it does not name"
    );
    assert_eq!(
        sample_value(&scraped, "pushtest_retries_total", &key_labels),
        Some(2.0)
    );

    client
        .push_add(&key, &extra_registry(5))
        .expect("a second POST");
    let scraped = parse_samples(&gateway.scrape());
    assert_eq!(
        sample_value(&scraped, "pushtest_retries_total", &key_labels),
        Some(5.0),
        "push-add replaces a family it names"
    );
    assert_eq!(
        sample_value(&scraped, "pushtest_rows_total", &key_labels),
        Some(10.0)
    );

    client
        .push(&key, &extra_registry(7))
        .expect("PUT of the extra family alone");
    let scraped = parse_samples(&gateway.scrape());
    assert_eq!(
        sample_value(&scraped, "pushtest_retries_total", &key_labels),
        Some(7.0)
    );
    assert_eq!(
        sample_value(&scraped, "pushtest_rows_total", &key_labels),
        None,
        "push replaces the whole group"
    );
    let listed = groups(&gateway);
    assert_eq!(
        listed,
        vec![(
            labels(&[("job", "semantics")]),
            vec!["pushtest_retries_total".to_owned()]
        )]
    );
}

#[test]
fn delete_removes_one_group_and_leaves_the_others() {
    let Some(gateway) = start_pushgateway() else {
        return;
    };
    let client = client(&gateway);
    let first = GroupingKey::new("cleanup").label("instance", "a");
    let second = GroupingKey::new("cleanup").label("instance", "b");
    client.push(&first, &extra_registry(1)).expect("push a");
    client.push(&second, &extra_registry(2)).expect("push b");
    assert_eq!(groups(&gateway).len(), 2);

    client.delete(&first).expect("delete a");
    // The gateway answers a DELETE with 202 and applies it right after.
    assert!(
        eventually(Duration::from_secs(5), || groups(&gateway).len() == 1),
        "the group is still there: {:?}",
        groups(&gateway)
    );
    let scraped = parse_samples(&gateway.scrape());
    assert_eq!(
        sample_value(
            &scraped,
            "pushtest_retries_total",
            &[("job", "cleanup"), ("instance", "a")]
        ),
        None
    );
    assert_eq!(
        sample_value(
            &scraped,
            "pushtest_retries_total",
            &[("job", "cleanup"), ("instance", "b")]
        ),
        Some(2.0)
    );
    let listed = groups(&gateway);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(
        listed[0].0,
        labels(&[("job", "cleanup"), ("instance", "b")])
    );

    client
        .delete(&first)
        .expect("deleting a group that is gone succeeds");
    client.delete(&second).expect("delete b");
    assert!(eventually(Duration::from_secs(5), || groups(&gateway).is_empty()));
}

#[test]
fn grouping_keys_with_slashes_empty_values_and_other_characters_arrive_exactly() {
    let Some(gateway) = start_pushgateway() else {
        return;
    };
    let client = client(&gateway);
    let key = GroupingKey::new("backup/nightly")
        .label("path", "/var/tmp")
        .label("stage", "")
        .label("dir", "..")
        .label("here", ".")
        .label("name", "Προμηθεύς")
        .label("odd", "a b%c?#+&=@;~");
    client
        .push(&key, &extra_registry(3))
        .expect("the gateway accepts the encoded key");

    let expected = labels(&[
        ("job", "backup/nightly"),
        ("path", "/var/tmp"),
        ("stage", ""),
        ("dir", ".."),
        ("here", "."),
        ("name", "Προμηθεύς"),
        ("odd", "a b%c?#+&=@;~"),
    ]);
    let listed = groups(&gateway);
    assert_eq!(
        listed,
        vec![(expected, vec!["pushtest_retries_total".to_owned()])]
    );
    // The scrape carries the same labels; an empty one is written as no label at all, so the
    // sample has every label but `stage` (and the empty `instance` the gateway adds).
    let scraped = parse_samples(&gateway.scrape());
    let sample = scraped
        .iter()
        .find(|sample| sample.name == "pushtest_retries_total")
        .expect("the pushed counter is scraped");
    assert_eq!(sample.value, 3.0);
    assert_eq!(sample.labels["path"], "/var/tmp");
    assert_eq!(sample.labels["job"], "backup/nightly");
    assert_eq!(sample.labels["name"], "Προμηθεύς");

    client
        .delete(&key)
        .expect("delete finds the group by the same encoding");
    assert!(
        eventually(Duration::from_secs(5), || groups(&gateway).is_empty()),
        "{:?}",
        groups(&gateway)
    );
}

#[test]
fn a_refused_push_is_an_err_with_the_status_and_the_gateways_explanation() {
    let Some(gateway) = start_pushgateway() else {
        return;
    };
    // The gateway exposes its own `go_goroutines` gauge; a histogram of that name cannot
    // be exposed beside it, so the gateway refuses the push as inconsistent.
    #[derive(Metrics)]
    struct Clash {
        /// A name the gateway uses for a gauge of its own.
        #[metric(buckets = [1.0])]
        go_goroutines: Histogram,
    }
    let clash: &'static Clash = leak(Clash::new());
    clash.go_goroutines.observe(0.5);
    let registry = Registry::new();
    registry.register(clash).unwrap();
    let error = client(&gateway)
        .push(&GroupingKey::new("clash"), &registry)
        .expect_err("the gateway refuses an inconsistent push");
    assert_eq!(error.status(), Some(400), "{error}");
    let body = error.body().expect("a refusal carries the body");
    assert!(
        body.contains("inconsistent") && body.contains("go_goroutines"),
        "{body}"
    );
    assert!(
        matches!(&error, PushError::Status { status: 400, .. }),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .starts_with("the Pushgateway answered 400: "));
    assert!(groups(&gateway)
        .iter()
        .all(|(labels, families)| labels["job"] != "clash" || families.is_empty()));
}

#[test]
fn a_push_from_inside_an_async_runtime_works_without_panicking() {
    let Some(gateway) = start_pushgateway() else {
        return;
    };
    let client = client(&gateway);
    let registry = extra_registry(9);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime
        .block_on(async { client.push(&GroupingKey::new("from_async"), &registry) })
        .expect("the push works from async code");
    let scraped = parse_samples(&gateway.scrape());
    assert_eq!(
        sample_value(
            &scraped,
            "pushtest_retries_total",
            &[("job", "from_async"), ("instance", "")]
        ),
        Some(9.0)
    );
}
