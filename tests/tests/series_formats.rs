//! Native histograms, summaries and the exemplar types in every exposition format, byte for
//! byte: each format gets what it can carry (protobuf everything, decoded here field by field
//! by an independent decoder; OpenMetrics 1.0 the classic parts with exemplars and
//! `_created`; OpenMetrics 2.0 composite values; the Prometheus text formats the classic
//! parts alone). The text formats are read back by Python's parsers where they are installed.

use std::time::{Duration, UNIX_EPOCH};

use oxios_metrics::encode::{Exposition, FamilyEncoder, Timestamp};
use oxios_metrics::{
    Buckets, DefinitionSite, EncodeMetric, ExemplarCounter, ExemplarHistogram,
    ExemplarNativeHistogram, Format, MetricDesc, MetricType, NativeHistogram, Summary,
};
use oxios_metrics_tests::{
    assert_well_formed, leak, openmetrics_parse_exemplars, prometheus_text_parse, Checked,
};

mod proto_common;

use proto_common::{decode, dto};

/// When every family here was registered (the `_created`, `st@` and `created_timestamp`).
const CREATED: Timestamp = Timestamp::from_unix_nanos(1_600_000_000_000_000_000);

fn at(seconds: u64, millis: u64) -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_millis(millis)
}

struct Fixture {
    desc: MetricDesc,
    metric: &'static dyn EncodeMetric,
}

fn fixture(
    name: &'static str,
    help: &'static str,
    metric_type: MetricType,
    unit: Option<&'static str>,
    metric: &'static dyn EncodeMetric,
) -> Fixture {
    let desc = MetricDesc::new(
        name,
        help,
        metric_type,
        DefinitionSite::new("series_formats.rs", 1, 1),
    );
    Fixture {
        desc: match unit {
            Some(unit) => desc.with_unit(unit),
            None => desc,
        },
        metric,
    }
}

/// One metric of every new type, observed to a fixed state.
fn fixtures() -> Vec<Fixture> {
    let requests = leak(ExemplarCounter::new());
    requests.add(4);
    requests
        .add_with_exemplar_at(
            1,
            &[("trace_id", "4bf92f3577b34da6")],
            at(1_700_000_000, 123),
        )
        .unwrap();

    let latency = leak(ExemplarHistogram::with_buckets(Buckets::checked(&[
        0.1, 1.0,
    ])));
    latency.observe(0.05);
    latency
        .observe_with_exemplar_at(
            0.5,
            &[("trace_id", "a1"), ("span_id", "b2")],
            at(1_700_000_001, 0),
        )
        .unwrap();
    latency
        .observe_with_exemplar_at(7.0, &[], at(1_700_000_002, 500))
        .unwrap();

    // Native at schema 0 (bucket i is (2^(i-1), 2^i]) with classic buckets alongside.
    let llm = leak(
        ExemplarNativeHistogram::new()
            .with_schema(0)
            .with_classic_buckets(Buckets::checked(&[0.25, 1.0])),
    );
    llm.observe(0.3); // bucket -1
    llm.observe(0.75); // bucket 0
    llm.observe(0.0); // the zero bucket
    llm.as_ref()
        .observe_with_exemplar_at(3.0, &[("trace_id", "c3")], at(1_700_000_003, 0)) // bucket 2
        .unwrap();
    llm.as_ref()
        .observe_with_exemplar_at(0.2, &[("trace_id", "d4")], at(1_700_000_004, 0)) // bucket -2
        .unwrap();

    // Native only, with a negative value and a NaN.
    let drift = leak(NativeHistogram::new().with_schema(0));
    for value in [0.5, 6.0, -0.5, f64::NAN] {
        drift.observe(value);
    }

    let sizes = leak(Summary::new().with_quantiles(&[0.5, 0.9]));
    for size in 1..=10 {
        sizes.observe(f64::from(size));
    }
    let balance = leak(Summary::new().with_quantiles(&[0.5, 0.9]));
    for value in [-5.0, -1.0, 2.0] {
        balance.observe(value);
    }
    vec![
        fixture("requests", "Requests.", MetricType::Counter, None, requests),
        fixture(
            "latency_seconds",
            "Latency.",
            MetricType::Histogram,
            Some("seconds"),
            latency,
        ),
        fixture(
            "llm_seconds",
            "LLM call latency.",
            MetricType::Histogram,
            Some("seconds"),
            llm,
        ),
        fixture("drift", "Clock drift.", MetricType::Histogram, None, drift),
        fixture(
            "sizes_bytes",
            "Sizes.",
            MetricType::Summary,
            Some("bytes"),
            sizes,
        ),
        fixture("balance", "Balance.", MetricType::Summary, None, balance),
    ]
}

/// The fixtures as one scrape writes them (a registry adds `# EOF` to OpenMetrics).
fn write(fixtures: &[Fixture], exposition: Exposition) -> Vec<u8> {
    let mut out = Vec::new();
    for fixture in fixtures {
        let mut family =
            FamilyEncoder::begin(&mut out, exposition, fixture.desc.name(), &fixture.desc);
        family.created(Some(CREATED));
        family.member(fixture.metric, "");
        family.finish();
    }
    out
}

fn text(exposition: Exposition) -> String {
    String::from_utf8(write(&fixtures(), exposition)).unwrap()
}

const PROMETHEUS_TEXT: &str = concat!(
    "# HELP requests_total Requests.\n",
    "# TYPE requests_total counter\n",
    "requests_total 5\n",
    "# HELP latency_seconds Latency.\n",
    "# TYPE latency_seconds histogram\n",
    "latency_seconds_bucket{le=\"0.1\"} 1\n",
    "latency_seconds_bucket{le=\"1\"} 2\n",
    "latency_seconds_bucket{le=\"+Inf\"} 3\n",
    "latency_seconds_sum 7.55\n",
    "latency_seconds_count 3\n",
    "# HELP llm_seconds LLM call latency.\n",
    "# TYPE llm_seconds histogram\n",
    "llm_seconds_bucket{le=\"0.25\"} 2\n",
    "llm_seconds_bucket{le=\"1\"} 4\n",
    "llm_seconds_bucket{le=\"+Inf\"} 5\n",
    "llm_seconds_sum 4.25\n",
    "llm_seconds_count 5\n",
    "# HELP drift Clock drift.\n",
    "# TYPE drift histogram\n",
    // Native only: the `+Inf` bucket alone, NaN counted in it and in `_count`, not in `_sum`.
    "drift_bucket{le=\"+Inf\"} 4\n",
    "drift_sum 6\n",
    "drift_count 4\n",
    "# HELP sizes_bytes Sizes.\n",
    "# TYPE sizes_bytes summary\n",
    "sizes_bytes{quantile=\"0.5\"} 5\n",
    "sizes_bytes{quantile=\"0.9\"} 9\n",
    "sizes_bytes_sum 55\n",
    "sizes_bytes_count 10\n",
    "# HELP balance Balance.\n",
    "# TYPE balance summary\n",
    "balance{quantile=\"0.5\"} -1\n",
    "balance{quantile=\"0.9\"} 2\n",
    "balance_sum -4\n",
    "balance_count 3\n",
);

#[test]
fn prometheus_text_gets_the_classic_parts_alone() {
    for format in [Format::Prometheus, Format::PrometheusV1] {
        let text = text(Exposition::new(format));
        assert_eq!(text, PROMETHEUS_TEXT, "{format:?}");
        assert_well_formed(&text, format);
    }
    if let Checked::Ran(said) = oxios_metrics_tests::promtool_check(PROMETHEUS_TEXT) {
        assert_eq!(said, "", "promtool: {said}");
    }
    // Python's parser reads every sample back.
    if let Checked::Ran(parsed) = prometheus_text_parse(PROMETHEUS_TEXT) {
        assert_eq!(
            parsed,
            concat!(
                "counter requests_total{} 5\n",
                "histogram latency_seconds_bucket{le='0.1'} 1\n",
                "histogram latency_seconds_bucket{le='1'} 2\n",
                "histogram latency_seconds_bucket{le='+Inf'} 3\n",
                "histogram latency_seconds_sum{} 7.55\n",
                "histogram latency_seconds_count{} 3\n",
                "histogram llm_seconds_bucket{le='0.25'} 2\n",
                "histogram llm_seconds_bucket{le='1'} 4\n",
                "histogram llm_seconds_bucket{le='+Inf'} 5\n",
                "histogram llm_seconds_sum{} 4.25\n",
                "histogram llm_seconds_count{} 5\n",
                "histogram drift_bucket{le='+Inf'} 4\n",
                "histogram drift_sum{} 6\n",
                "histogram drift_count{} 4\n",
                "summary sizes_bytes{quantile='0.5'} 5\n",
                "summary sizes_bytes{quantile='0.9'} 9\n",
                "summary sizes_bytes_sum{} 55\n",
                "summary sizes_bytes_count{} 10\n",
                "summary balance{quantile='0.5'} -1\n",
                "summary balance{quantile='0.9'} 2\n",
                "summary balance_sum{} -4\n",
                "summary balance_count{} 3\n",
            )
        );
    }
}

const OPENMETRICS_TEXT: &str = concat!(
    "# HELP requests Requests.\n",
    "# TYPE requests counter\n",
    "requests_total 5 # {trace_id=\"4bf92f3577b34da6\"} 1.0 1700000000.123\n",
    "requests_created 1.6e+09\n",
    "# HELP latency_seconds Latency.\n",
    "# TYPE latency_seconds histogram\n",
    "# UNIT latency_seconds seconds\n",
    "latency_seconds_bucket{le=\"0.1\"} 1\n",
    "latency_seconds_bucket{le=\"1.0\"} 2 # {trace_id=\"a1\",span_id=\"b2\"} 0.5 1700000001\n",
    "latency_seconds_bucket{le=\"+Inf\"} 3 # {} 7.0 1700000002.5\n",
    "latency_seconds_sum 7.55\n",
    "latency_seconds_count 3\n",
    "latency_seconds_created 1.6e+09\n",
    "# HELP llm_seconds LLM call latency.\n",
    "# TYPE llm_seconds histogram\n",
    "# UNIT llm_seconds seconds\n",
    // Each exemplar on the classic bucket its value falls in.
    "llm_seconds_bucket{le=\"0.25\"} 2 # {trace_id=\"d4\"} 0.2 1700000004\n",
    "llm_seconds_bucket{le=\"1.0\"} 4\n",
    "llm_seconds_bucket{le=\"+Inf\"} 5 # {trace_id=\"c3\"} 3.0 1700000003\n",
    "llm_seconds_sum 4.25\n",
    "llm_seconds_count 5\n",
    "llm_seconds_created 1.6e+09\n",
    "# HELP drift Clock drift.\n",
    "# TYPE drift histogram\n",
    // A negative value was observed: `_sum` is no longer a counter.
    "drift_bucket{le=\"+Inf\"} 4\n",
    "drift_created 1.6e+09\n",
    "# HELP sizes_bytes Sizes.\n",
    "# TYPE sizes_bytes summary\n",
    "# UNIT sizes_bytes bytes\n",
    "sizes_bytes{quantile=\"0.5\"} 5.0\n",
    "sizes_bytes{quantile=\"0.9\"} 9.0\n",
    "sizes_bytes_sum 55.0\n",
    "sizes_bytes_count 10\n",
    "sizes_bytes_created 1.6e+09\n",
    "# HELP balance Balance.\n",
    "# TYPE balance summary\n",
    // No negative quantile, no negative `_sum`.
    "balance{quantile=\"0.9\"} 2.0\n",
    "balance_count 3\n",
    "balance_created 1.6e+09\n",
);

#[test]
fn openmetrics_gets_the_classic_parts_with_exemplars_and_created() {
    let text = text(Exposition::new(Format::OpenMetrics).with_created(true));
    assert_eq!(text, OPENMETRICS_TEXT);
    // OpenMetrics 0.0.1 writes the same text.
    let v0 = self::text(Exposition::new(Format::OpenMetricsV0).with_created(true));
    assert_eq!(v0, OPENMETRICS_TEXT);
    let with_eof = format!("{text}# EOF\n");
    assert_well_formed(&with_eof, Format::OpenMetrics);
    // Without `_created` asked for, the same less those lines.
    let plain = self::text(Exposition::new(Format::OpenMetrics));
    let expected: String = OPENMETRICS_TEXT
        .lines()
        .filter(|line| !line.contains("_created "))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(plain, expected);
    // Python's OpenMetrics parser reads every sample and exemplar back.
    if let Checked::Ran(parsed) = openmetrics_parse_exemplars(&with_eof) {
        assert_eq!(
            parsed,
            concat!(
                "counter requests_total{} 5 # {trace_id='4bf92f3577b34da6'} 1.0 1700000000.123000000\n",
                "counter requests_created{} 1600000000.0\n",
                "histogram latency_seconds_bucket{le='0.1'} 1\n",
                "histogram latency_seconds_bucket{le='1.0'} 2 # {span_id='b2',trace_id='a1'} 0.5 1700000001.000000000\n",
                "histogram latency_seconds_bucket{le='+Inf'} 3 # {} 7.0 1700000002.500000000\n",
                "histogram latency_seconds_sum{} 7.55\n",
                "histogram latency_seconds_count{} 3\n",
                "histogram latency_seconds_created{} 1600000000.0\n",
                "histogram llm_seconds_bucket{le='0.25'} 2 # {trace_id='d4'} 0.2 1700000004.000000000\n",
                "histogram llm_seconds_bucket{le='1.0'} 4\n",
                "histogram llm_seconds_bucket{le='+Inf'} 5 # {trace_id='c3'} 3.0 1700000003.000000000\n",
                "histogram llm_seconds_sum{} 4.25\n",
                "histogram llm_seconds_count{} 5\n",
                "histogram llm_seconds_created{} 1600000000.0\n",
                "histogram drift_bucket{le='+Inf'} 4\n",
                "histogram drift_created{} 1600000000.0\n",
                "summary sizes_bytes{quantile='0.5'} 5.0\n",
                "summary sizes_bytes{quantile='0.9'} 9.0\n",
                "summary sizes_bytes_sum{} 55.0\n",
                "summary sizes_bytes_count{} 10\n",
                "summary sizes_bytes_created{} 1600000000.0\n",
                "summary balance{quantile='0.9'} 2.0\n",
                "summary balance_count{} 3\n",
                "summary balance_created{} 1600000000.0\n",
            )
        );
    }
}

#[test]
fn openmetrics_2_gets_composite_values_with_native_buckets() {
    let text = text(Exposition::new(Format::OpenMetricsV2));
    assert_eq!(
        text,
        concat!(
            "# HELP requests_total Requests.\n",
            "# TYPE requests_total counter\n",
            "requests_total 5 st@1.6e+09 # {trace_id=\"4bf92f3577b34da6\"} 1.0 1700000000.123\n",
            "# HELP latency_seconds Latency.\n",
            "# TYPE latency_seconds histogram\n",
            "# UNIT latency_seconds seconds\n",
            "latency_seconds {count:3,sum:7.55,bucket:[0.1:1,1.0:2,+Inf:3]} st@1.6e+09",
            " # {trace_id=\"a1\",span_id=\"b2\"} 0.5 1700000001 # {} 7.0 1700000002.5\n",
            "# HELP llm_seconds LLM call latency.\n",
            "# TYPE llm_seconds histogram\n",
            "# UNIT llm_seconds seconds\n",
            "llm_seconds {count:5,sum:4.25,schema:0,zero_threshold:2.938735877055719e-39,",
            "zero_count:1,positive_spans:[-2:5],positive_buckets:[1,1,1,0,1],",
            "bucket:[0.25:2,1.0:4,+Inf:5]} st@1.6e+09",
            " # {trace_id=\"d4\"} 0.2 1700000004 # {trace_id=\"c3\"} 3.0 1700000003\n",
            "# HELP drift Clock drift.\n",
            "# TYPE drift histogram\n",
            // The NaN has no bucket and is in neither count nor sum.
            "drift {count:3,sum:6.0,schema:0,zero_threshold:2.938735877055719e-39,zero_count:0,",
            "negative_spans:[-1:1],negative_buckets:[1],",
            "positive_spans:[-1:1,3:1],positive_buckets:[1,1]} st@1.6e+09\n",
            "# HELP sizes_bytes Sizes.\n",
            "# TYPE sizes_bytes summary\n",
            "# UNIT sizes_bytes bytes\n",
            "sizes_bytes {count:10,sum:55.0,quantile:[0.5:5.0,0.9:9.0]} st@1.6e+09\n",
            "# HELP balance Balance.\n",
            "# TYPE balance summary\n",
            "balance {count:3,sum:-4.0,quantile:[0.5:-1.0,0.9:2.0]} st@1.6e+09\n",
        )
    );
}

fn stamp(seconds: i64, nanos: i32) -> Option<dto::Timestamp> {
    Some(dto::Timestamp { seconds, nanos })
}

fn exemplar(
    labels: &[(&str, &str)],
    value: f64,
    timestamp: Option<dto::Timestamp>,
) -> dto::Exemplar {
    dto::Exemplar {
        label: labels
            .iter()
            .map(|&(name, value)| dto::LabelPair {
                name: Some(name.into()),
                value: Some(value.into()),
            })
            .collect(),
        value: Some(value),
        timestamp,
    }
}

fn bucket(count: u64, bound: f64, exemplar: Option<dto::Exemplar>) -> dto::Bucket {
    dto::Bucket {
        cumulative_count: Some(count),
        cumulative_count_float: None,
        upper_bound: Some(bound),
        exemplar,
    }
}

fn span(offset: i32, length: u32) -> dto::BucketSpan {
    dto::BucketSpan {
        offset: Some(offset),
        length: Some(length),
    }
}

fn histogram(metric: &dto::Metric) -> &dto::Histogram {
    metric.histogram.as_ref().expect("a histogram")
}

#[test]
fn protobuf_carries_everything() {
    let families = decode(&write(&fixtures(), Exposition::new(Format::Protobuf)));
    let heads: Vec<(&str, i32, Option<&str>, &str)> = families
        .iter()
        .map(|f| {
            (
                f.name.as_deref().unwrap(),
                f.r#type.unwrap(),
                f.unit.as_deref(),
                f.help.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        heads,
        [
            ("requests_total", 0, None, "Requests."),
            ("latency_seconds", 4, Some("seconds"), "Latency."),
            ("llm_seconds", 4, Some("seconds"), "LLM call latency."),
            ("drift", 4, None, "Clock drift."),
            ("sizes_bytes", 2, Some("bytes"), "Sizes."),
            ("balance", 2, None, "Balance."),
        ]
    );
    for family in &families {
        assert_eq!(family.metric.len(), 1, "{:?}", family.name);
        assert!(family.metric[0].label.is_empty());
    }
    let created = stamp(1_600_000_000, 0);

    let counter = families[0].metric[0].counter.as_ref().unwrap();
    assert_eq!(counter.value, Some(5.0));
    assert_eq!(
        counter.exemplar,
        Some(exemplar(
            &[("trace_id", "4bf92f3577b34da6")],
            1.0,
            stamp(1_700_000_000, 123_000_000)
        ))
    );
    assert_eq!(counter.created_timestamp, created);

    let latency = histogram(&families[1].metric[0]);
    assert_eq!(latency.sample_count, Some(3));
    assert_eq!(latency.sample_sum, Some(7.55));
    assert_eq!(
        latency.bucket,
        [
            bucket(1, 0.1, None),
            bucket(
                2,
                1.0,
                Some(exemplar(
                    &[("trace_id", "a1"), ("span_id", "b2")],
                    0.5,
                    stamp(1_700_000_001, 0)
                ))
            ),
            // Written only to carry its exemplar.
            bucket(
                3,
                f64::INFINITY,
                Some(exemplar(&[], 7.0, stamp(1_700_000_002, 500_000_000)))
            ),
        ]
    );
    assert_eq!(latency.created_timestamp, created);
    assert_eq!(latency.schema, None, "classic only");
    assert!(latency.positive_span.is_empty() && latency.exemplars.is_empty());

    let llm = histogram(&families[2].metric[0]);
    assert_eq!(llm.sample_count, Some(5));
    assert_eq!(llm.sample_sum, Some(4.25));
    assert_eq!(llm.schema, Some(0));
    assert_eq!(llm.zero_threshold, Some(2f64.powi(-128)));
    assert_eq!(llm.zero_count, Some(1));
    // Buckets -2, -1, 0 and 2: the empty bucket 1 is bridged inside one span.
    assert_eq!(llm.positive_span, [span(-2, 5)]);
    assert_eq!(llm.positive_delta, [1, 0, 0, -1, 1]);
    assert!(llm.negative_span.is_empty() && llm.negative_delta.is_empty());
    let d4 = exemplar(&[("trace_id", "d4")], 0.2, stamp(1_700_000_004, 0));
    let c3 = exemplar(&[("trace_id", "c3")], 3.0, stamp(1_700_000_003, 0));
    assert_eq!(llm.exemplars, [d4.clone(), c3.clone()], "newest first");
    // The classic buckets alongside, each with the exemplar that falls in it.
    assert_eq!(
        llm.bucket,
        [
            bucket(2, 0.25, Some(d4)),
            bucket(4, 1.0, None),
            bucket(5, f64::INFINITY, Some(c3)),
        ]
    );
    assert_eq!(llm.created_timestamp, created);

    let drift = histogram(&families[3].metric[0]);
    assert_eq!(drift.sample_count, Some(3), "the NaN has no bucket");
    assert_eq!(drift.sample_sum, Some(6.0));
    assert_eq!(drift.zero_count, Some(0));
    assert_eq!(drift.negative_span, [span(-1, 1)]);
    assert_eq!(drift.negative_delta, [1]);
    // Buckets -1 and 3: a gap of three empty buckets starts a new span.
    assert_eq!(drift.positive_span, [span(-1, 1), span(3, 1)]);
    assert_eq!(drift.positive_delta, [1, 0]);
    assert!(drift.bucket.is_empty() && drift.exemplars.is_empty());

    let sizes = families[4].metric[0].summary.as_ref().unwrap();
    let quantiles = |summary: &dto::Summary| -> Vec<(f64, f64)> {
        summary
            .quantile
            .iter()
            .map(|q| (q.quantile.unwrap(), q.value.unwrap()))
            .collect()
    };
    assert_eq!(
        (sizes.sample_count, sizes.sample_sum),
        (Some(10), Some(55.0))
    );
    assert_eq!(quantiles(sizes), [(0.5, 5.0), (0.9, 9.0)]);
    assert_eq!(sizes.created_timestamp, created);
    let balance = families[5].metric[0].summary.as_ref().unwrap();
    assert_eq!(
        (balance.sample_count, balance.sample_sum),
        (Some(3), Some(-4.0))
    );
    assert_eq!(quantiles(balance), [(0.5, -1.0), (0.9, 2.0)], "all of them");
}
