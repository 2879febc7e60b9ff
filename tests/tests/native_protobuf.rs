//! Native histograms in protobuf, decoded by an independent decoder (`prost`): the decoded
//! spans and deltas of both signs agree with the snapshot's own (`NativeBuckets::spans` and
//! `deltas`) and keep Prometheus' rules (the zero bucket plus the buckets make the count,
//! span lengths cover the deltas); families carry their labels and exemplars; an empty
//! histogram still reads as native.

use oxios_metrics::encode::FamilyEncoder;
use oxios_metrics::native::{NativeBuckets, NativeSnapshot};
use oxios_metrics::{
    Buckets, DefinitionSite, EncodeMetric, ExemplarNativeHistogram, Family, Format, MetricDesc,
    MetricType, NativeConfig, NativeHistogram,
};
use oxios_metrics_tests::{leak, Method, Path};
use proptest::prelude::*;

mod proto_common;

use proto_common::{decode, dto};

fn scrape(metric: &dyn EncodeMetric) -> Vec<dto::MetricFamily> {
    let desc = MetricDesc::new(
        "latency_seconds",
        "Latency.",
        MetricType::Histogram,
        DefinitionSite::new("native_protobuf.rs", 1, 1),
    );
    let mut out = Vec::new();
    let mut family = FamilyEncoder::begin(&mut out, Format::Protobuf, desc.name(), &desc);
    family.member(metric, "");
    family.finish();
    decode(&out)
}

fn spans(spans: &[dto::BucketSpan]) -> Vec<(i32, u32)> {
    spans
        .iter()
        .map(|span| (span.offset.unwrap(), span.length.unwrap()))
        .collect()
}

/// The counts the spans and deltas stand for, as `(index, count)` of each non-empty bucket:
/// decoded the way Prometheus decodes them.
fn buckets_of(spans: &[dto::BucketSpan], deltas: &[i64]) -> Vec<(i32, u64)> {
    let covered: u32 = spans.iter().map(|span| span.length.unwrap()).sum();
    assert_eq!(
        covered as usize,
        deltas.len(),
        "span lengths cover the deltas"
    );
    let mut buckets = Vec::new();
    let mut index = 0i32;
    let mut count = 0i64;
    let mut deltas = deltas.iter();
    for (position, span) in spans.iter().enumerate() {
        index += span.offset.unwrap();
        assert!(
            position == 0 || span.offset.unwrap() > 0 || span.length == Some(0),
            "spans ascend"
        );
        for _ in 0..span.length.unwrap() {
            count += deltas.next().unwrap();
            assert!(count >= 0, "a bucket count below zero");
            if count > 0 {
                buckets.push((index, count as u64));
            }
            index += 1;
        }
    }
    buckets
}

/// Checks one decoded side against the snapshot's.
fn same_side(decoded_spans: &[dto::BucketSpan], decoded_deltas: &[i64], side: &NativeBuckets) {
    let expected_spans: Vec<(i32, u32)> = side.spans().map(|s| (s.offset, s.length)).collect();
    assert_eq!(spans(decoded_spans), expected_spans);
    assert_eq!(decoded_deltas, side.deltas().collect::<Vec<_>>());
    assert_eq!(
        buckets_of(decoded_spans, decoded_deltas),
        side.iter().collect::<Vec<_>>()
    );
}

fn same_as_snapshot(decoded: &dto::Histogram, snapshot: &NativeSnapshot) {
    assert_eq!(decoded.schema, Some(i32::from(snapshot.schema())));
    assert_eq!(decoded.zero_threshold, Some(snapshot.zero_threshold()));
    assert_eq!(decoded.zero_count, Some(snapshot.zero_count()));
    assert_eq!(decoded.sample_count, Some(snapshot.count()));
    assert_eq!(
        decoded.sample_sum.map(f64::to_bits),
        Some(snapshot.sum().to_bits())
    );
    // An empty histogram with a zero threshold of 0 carries one no-op span so that it reads as
    // native; in every other case the spans are exactly the snapshot's.
    let empty = snapshot.positive().iter().next().is_none()
        && snapshot.negative().iter().next().is_none()
        && snapshot.zero_count() == 0
        && snapshot.zero_threshold() == 0.0;
    let positive_spans = if empty {
        assert_eq!(spans(&decoded.positive_span), [(0, 0)], "the no-op span");
        &[][..]
    } else {
        &decoded.positive_span[..]
    };
    same_side(positive_spans, &decoded.positive_delta, snapshot.positive());
    same_side(
        &decoded.negative_span,
        &decoded.negative_delta,
        snapshot.negative(),
    );
    // Prometheus' rule for a native histogram whose sum is not NaN.
    let in_buckets: u64 = buckets_of(&decoded.positive_span, &decoded.positive_delta)
        .iter()
        .chain(&buckets_of(&decoded.negative_span, &decoded.negative_delta))
        .map(|&(_, count)| count)
        .sum();
    assert_eq!(
        decoded.zero_count.unwrap() + in_buckets,
        decoded.sample_count.unwrap()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any observations at any schema and bucket limit decode to the snapshot's buckets.
    #[test]
    fn decoded_buckets_equal_the_snapshot(
        values in prop::collection::vec(
            prop_oneof![
                8 => -1e6f64..1e6,
                2 => -1e-3f64..1e-3,
                1 => Just(0.0),
                1 => Just(f64::NAN),
                1 => Just(f64::INFINITY),
                1 => Just(f64::NEG_INFINITY),
                1 => Just(f64::MIN_POSITIVE / 4.0),
            ],
            0..300,
        ),
        schema in -4i32..=8,
        max_buckets in 1usize..=160,
        zero_threshold in prop_oneof![Just(0.0), Just(2f64.powi(-128)), Just(1e-4)],
    ) {
        let config = NativeConfig::new()
            .try_with_schema(schema)
            .and_then(|config| config.try_with_max_buckets(max_buckets))
            .and_then(|config| config.try_with_zero_threshold(zero_threshold))
            .unwrap();
        let histogram = NativeHistogram::with_config(config);
        for &value in &values {
            histogram.observe(value);
        }
        let families = scrape(&histogram);
        let snapshot = histogram.snapshot();
        prop_assert_eq!(families.len(), 1);
        let decoded = families[0].metric[0].histogram.as_ref().unwrap();
        same_as_snapshot(decoded, &snapshot);
        prop_assert!(decoded.bucket.is_empty(), "no classic buckets configured");
        let buckets = snapshot.positive().iter().count() + snapshot.negative().iter().count();
        if buckets == 0 && snapshot.zero_count() == 0 && zero_threshold == 0.0 {
            prop_assert_eq!(spans(&decoded.positive_span), vec![(0, 0)]);
        }
    }
}

#[test]
fn an_empty_histogram_reads_as_native() {
    // With a zero threshold of 0 only a no-op span tells it from a classic histogram.
    let exact_zero = NativeHistogram::new().with_zero_threshold(0.0);
    let decoded = scrape(&exact_zero);
    let histogram = decoded[0].metric[0].histogram.as_ref().unwrap();
    assert_eq!(spans(&histogram.positive_span), [(0, 0)]);
    assert!(histogram.positive_delta.is_empty() && histogram.negative_span.is_empty());
    assert_eq!(histogram.zero_threshold, Some(0.0));
    assert_eq!(histogram.sample_count, Some(0));
    // The default threshold is not zero: that marks it already, no span is written.
    let default = NativeHistogram::new();
    let decoded = scrape(&default);
    let histogram = decoded[0].metric[0].histogram.as_ref().unwrap();
    assert!(histogram.positive_span.is_empty());
    assert_eq!(histogram.zero_threshold, Some(2f64.powi(-128)));
    assert_eq!(histogram.schema, Some(3));
}

#[test]
fn families_carry_labels_classic_buckets_and_exemplars() {
    let by_method: &'static Family<Method, ExemplarNativeHistogram> = leak(Family::with_config(
        NativeConfig::new()
            .with_schema(2)
            .with_classic_buckets(Buckets::checked(&[1.0])),
    ));
    by_method
        .get(Method::Get)
        .observe_with_exemplar(0.5, &[("trace_id", "g1")])
        .unwrap();
    by_method
        .get(Method::Get)
        .observe_with_exemplar(4.0, &[("trace_id", "g2")])
        .unwrap();
    by_method.get(Method::Post).observe(-2.0);
    let by_path: &'static Family<Path, ExemplarNativeHistogram> = leak(Family::new());
    by_path
        .get(Path {
            path: "/a \"b\"".into(),
        })
        .observe_with_exemplar(0.001, &[("trace_id", "p1")])
        .unwrap();

    let families = scrape(by_method);
    let metrics = &families[0].metric;
    assert_eq!(metrics.len(), 2);
    let label = |metric: &dto::Metric| {
        let pair = &metric.label[0];
        (pair.name.clone().unwrap(), pair.value.clone().unwrap())
    };
    assert_eq!(label(&metrics[0]), ("method".into(), "get".into()));
    assert_eq!(label(&metrics[1]), ("method".into(), "post".into()));
    let get = metrics[0].histogram.as_ref().unwrap();
    same_as_snapshot(get, &by_method.get(Method::Get).snapshot());
    let trace_ids = |exemplars: Vec<&dto::Exemplar>| -> Vec<String> {
        exemplars
            .iter()
            .map(|e| e.label[0].value.clone().unwrap())
            .collect()
    };
    assert_eq!(trace_ids(get.exemplars.iter().collect()), ["g2", "g1"]);
    assert!(get.exemplars.iter().all(|e| e.timestamp.is_some()));
    // The classic buckets carry them too, each in its bucket: 0.5 in `le=1`, 4 in `+Inf`.
    let bounds: Vec<f64> = get.bucket.iter().map(|b| b.upper_bound.unwrap()).collect();
    assert_eq!(bounds, [1.0, f64::INFINITY]);
    assert_eq!(
        trace_ids(
            get.bucket
                .iter()
                .filter_map(|b| b.exemplar.as_ref())
                .collect()
        ),
        ["g1", "g2"]
    );
    let post = metrics[1].histogram.as_ref().unwrap();
    same_as_snapshot(post, &by_method.get(Method::Post).snapshot());
    assert_eq!(
        spans(&post.negative_span),
        [(4, 1)],
        "2 is 2^(4/4) at schema 2"
    );
    assert!(post.exemplars.is_empty());
    assert_eq!(
        post.bucket.len(),
        1,
        "the finite classic bucket; +Inf only with an exemplar"
    );

    let families = scrape(by_path);
    let metric = &families[0].metric[0];
    assert_eq!(label(metric), ("path".into(), "/a \"b\"".into()));
    let histogram = metric.histogram.as_ref().unwrap();
    assert_eq!(trace_ids(histogram.exemplars.iter().collect()), ["p1"]);
    assert!(
        histogram.bucket.is_empty(),
        "no classic buckets: the exemplars travel in `exemplars` alone"
    );
    assert!(
        histogram.created_timestamp.is_some(),
        "a dynamic series' own creation time"
    );
}
