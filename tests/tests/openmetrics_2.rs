//! OpenMetrics 2.0 text (draft), chosen only when asked for by version: samples named as
//! their family, composite values for histograms (classic and native buckets) and summaries,
//! start timestamps inline, exemplars with their timestamps. Cases follow the examples of the
//! 2.0 specification; where it spells a number differently from Prometheus' Go formatting
//! (`150` for `150.0`, `1520430000.123` for `1.520430000123e+09`) this crate writes Go's.

use oxios_metrics::encode::{
    ClassicHistogram, ExemplarRef, FamilyEncoder, NativeHistogram, SummaryValue, Timestamp,
};
use oxios_metrics::{
    Counter, DefinitionSite, EncodeMetric, Exposition, Format, Info, LabelWriter, MetricDesc,
    MetricEncoder, MetricType, NoLabels, SampleValue, WriteLabels,
};
use oxios_metrics_tests::{leak, registry_with};

const START: Timestamp = Timestamp::from_unix_nanos(1_520_430_000_123_000_000);

fn write(name: &'static str, metric_type: MetricType, metric: &dyn EncodeMetric) -> String {
    let desc = MetricDesc::new(name, "", metric_type, DefinitionSite::new("om2.rs", 1, 1));
    let mut out = Vec::new();
    let mut family = FamilyEncoder::begin(&mut out, Format::OpenMetricsV2, name, &desc);
    family.member(metric, "");
    family.finish();
    String::from_utf8(out).unwrap()
}

struct Writes<F: Fn(&mut MetricEncoder<'_>) + Send + Sync>(F);

impl<F: Fn(&mut MetricEncoder<'_>) + Send + Sync> EncodeMetric for Writes<F> {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        (self.0)(encoder)
    }
}

#[test]
fn negotiated_only_by_version() {
    let chosen = Format::from_accept("application/openmetrics-text;version=2.0.0;q=0.9, */*;q=0.1");
    assert_eq!(chosen.format(), Format::OpenMetricsV2);
    assert_eq!(
        chosen.content_type(),
        "application/openmetrics-text; version=2.0.0; charset=utf-8; escaping=underscores"
    );
    assert_eq!(
        Format::from_accept("application/openmetrics-text").format(),
        Format::OpenMetrics
    );
}

#[test]
fn counters_are_named_as_their_family_with_the_start_inline() {
    let counter = Writes(|encoder: &mut MetricEncoder<'_>| {
        let exemplar = ExemplarRef {
            labels: "trace_id=\"KOO5S4vxi0o\"",
            value: 0.67,
            timestamp: Some(Timestamp::from_unix_nanos(1_520_879_606_100_000_000)),
        };
        encoder.counter(
            &NoLabels,
            SampleValue::Float(17.0),
            Some(START),
            Some(&exemplar),
        );
    });
    assert_eq!(
        write("foo", MetricType::Counter, &counter),
        concat!(
            "# TYPE foo_total counter\n",
            "foo_total 17.0 st@1.520430000123e+09 # {trace_id=\"KOO5S4vxi0o\"} 0.67 1520879606.1\n",
        )
    );
    // An exemplar without a timestamp is not OpenMetrics 2.0: left out.
    let untimed = Writes(|encoder: &mut MetricEncoder<'_>| {
        let exemplar = ExemplarRef {
            labels: "",
            value: 1.0,
            timestamp: None,
        };
        encoder.counter(&NoLabels, SampleValue::Unsigned(3), None, Some(&exemplar));
    });
    assert_eq!(
        write("bar", MetricType::Counter, &untimed),
        "# TYPE bar_total counter\nbar_total 3\n"
    );
}

#[test]
fn a_classic_histogram_is_one_composite_sample() {
    // The specification's example with 12 classic buckets.
    let histogram = Writes(|encoder: &mut MetricEncoder<'_>| {
        encoder.classic_histogram(
            &NoLabels,
            &ClassicHistogram {
                bounds: &[
                    0.0, 1e-05, 0.0001, 0.1, 1.0, 10.0, 100000.0, 1e+06, 1e+23, 1.1e+23,
                ],
                counts: &[0, 0, 5, 3, 2, 1, 0, 4, 1, 1, 0],
                sum: 324789.3,
                exemplars: &[],
                created: Some(START),
                negative_observations: false,
            },
        );
    });
    assert_eq!(
        write("foo", MetricType::Histogram, &histogram),
        concat!(
            "# TYPE foo histogram\n",
            "foo {count:17,sum:324789.3,bucket:[0.0:0,1e-05:0,0.0001:5,0.1:8,1.0:10,10.0:11,100000.0:11,1e+06:15,1e+23:16,1.1e+23:17,+Inf:17]} st@1.520430000123e+09\n",
        )
    );
}

struct Route(&'static str, &'static str);

impl WriteLabels for Route {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("path", self.0);
        writer.label("method", self.1);
    }
}

#[test]
fn native_histograms_carry_spans_and_absolute_bucket_counts() {
    let native = Writes(|encoder: &mut MetricEncoder<'_>| {
        encoder.native_histogram(
            &Route("/api/v1", "GET"),
            &NativeHistogram {
                schema: 7,
                zero_threshold: 1e-4,
                zero_count: 0,
                positive: &[(-1, 5), (0, 7), (4, 10), (5, 9), (6, 8), (7, 8)],
                negative: &[(1, 5), (2, 7)],
                count: 59,
                sum: 1.2e2,
                nan_count: 0,
                negative_observations: true,
                classic: None,
                exemplars: &[],
                created: Some(START),
            },
        );
        // No observations: count, sum, schema and the zero bucket only.
        encoder.native_histogram(
            &Route("/api/v2", "GET"),
            &NativeHistogram {
                schema: 3,
                zero_threshold: 1e-4,
                zero_count: 0,
                positive: &[],
                negative: &[],
                count: 0,
                sum: 0.0,
                nan_count: 0,
                negative_observations: false,
                classic: None,
                exemplars: &[],
                created: None,
            },
        );
    });
    assert_eq!(
        write("acme_http_request_seconds", MetricType::Histogram, &native),
        concat!(
            "# TYPE acme_http_request_seconds histogram\n",
            "acme_http_request_seconds{path=\"/api/v1\",method=\"GET\"} {count:59,sum:120.0,schema:7,zero_threshold:0.0001,zero_count:0,negative_spans:[1:2],negative_buckets:[5,7],positive_spans:[-1:2,3:4],positive_buckets:[5,7,10,9,8,8]} st@1.520430000123e+09\n",
            "acme_http_request_seconds{path=\"/api/v2\",method=\"GET\"} {count:0,sum:0.0,schema:3,zero_threshold:0.0001,zero_count:0}\n",
        )
    );
    // Native and classic buckets together, with exemplars after the start timestamp.
    let both = Writes(|encoder: &mut MetricEncoder<'_>| {
        let exemplars = [
            ExemplarRef {
                labels: "",
                value: 0.054,
                timestamp: Some(Timestamp::from_unix_nanos(1_520_879_607_700_000_000)),
            },
            ExemplarRef {
                labels: "trace_id=\"KOO5S4vxi0o\"",
                value: 1.67,
                timestamp: Some(Timestamp::from_unix_nanos(1_520_879_602_890_000_000)),
            },
        ];
        encoder.native_histogram(
            &NoLabels,
            &NativeHistogram {
                schema: 0,
                zero_threshold: 1e-4,
                zero_count: 0,
                positive: &[(0, 5), (1, 12)],
                negative: &[],
                count: 17,
                sum: 324789.3,
                nan_count: 0,
                negative_observations: false,
                classic: Some((&[0.01, 0.1, 1.0, 10.0], &[0, 8, 3, 6, 0])),
                exemplars: &exemplars,
                created: Some(START),
            },
        );
    });
    assert_eq!(
        write("foo", MetricType::Histogram, &both),
        concat!(
            "# TYPE foo histogram\n",
            "foo {count:17,sum:324789.3,schema:0,zero_threshold:0.0001,zero_count:0,positive_spans:[0:2],positive_buckets:[5,12],bucket:[0.01:0,0.1:8,1.0:11,10.0:17,+Inf:17]} st@1.520430000123e+09 # {} 0.054 1520879607.7 # {trace_id=\"KOO5S4vxi0o\"} 1.67 1520879602.89\n",
        )
    );
}

#[test]
fn summaries_are_one_composite_sample() {
    let summary = Writes(|encoder: &mut MetricEncoder<'_>| {
        encoder.summary(
            &NoLabels,
            &SummaryValue {
                quantiles: &[],
                count: 17,
                sum: 324789.3,
                created: Some(START),
            },
        );
        encoder.summary(
            &Route("/", "GET"),
            &SummaryValue {
                quantiles: &[(0.95, 123.7), (0.99, 150.0)],
                count: 0,
                sum: 0.0,
                created: Some(START),
            },
        );
    });
    assert_eq!(
        write("foo", MetricType::Gauge, &summary),
        concat!(
            "# TYPE foo gauge\n",
            "foo {count:17,sum:324789.3,quantile:[]} st@1.520430000123e+09\n",
            "foo{path=\"/\",method=\"GET\"} {count:0,sum:0.0,quantile:[0.95:123.7,0.99:150.0]} st@1.520430000123e+09\n",
        )
    );
}

#[test]
fn a_registry_in_openmetrics_2() {
    let counter: &'static Counter = leak(Counter::new());
    counter.add(5);
    let info: &'static Info = leak(Info::from_static(&[("version", "8.2.7")]));
    let registry = registry_with(vec![
        (
            MetricDesc::new(
                "jobs",
                "Jobs \"run\".",
                MetricType::Counter,
                DefinitionSite::new("om2.rs", 2, 1),
            ),
            counter,
        ),
        (
            MetricDesc::new(
                "build",
                "Build.",
                MetricType::Info,
                DefinitionSite::new("om2.rs", 3, 1),
            ),
            info,
        ),
    ]);
    let text = registry.render(Exposition::new(Format::OpenMetricsV2));
    // Registration time is each series' start.
    let (jobs, rest) = text.split_once(" st@").expect("a start timestamp");
    assert_eq!(
        jobs,
        "# HELP jobs_total Jobs \\\"run\\\".\n# TYPE jobs_total counter\njobs_total 5"
    );
    let (start, rest) = rest.split_once('\n').unwrap();
    let start: f64 = start.parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - start).abs() < 60.0, "{start}");
    assert_eq!(
        rest,
        "# HELP build_info Build.\n# TYPE build_info info\nbuild_info{version=\"8.2.7\"} 1\n# EOF\n"
    );
}
