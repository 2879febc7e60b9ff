//! Every row of the conformance vectors generated from Prometheus' Go formatting
//! (`data/floats.tsv`, see `data/VECTORS.md`): a float sample value and a histogram `le`
//! written by this crate must be byte-identical to Go's, in both formats.

use oxios_metrics::{EncodeMetric, FloatGauge, Format, MetricEncoder};

mod proto_common;

struct Row {
    bits: u64,
    prometheus: String,
    openmetrics: String,
}

fn rows() -> Vec<Row> {
    let text = include_str!("../data/floats.tsv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("f64_bits_hex\tprometheus_0_0_4\topenmetrics_1_0"),
        "header of floats.tsv"
    );
    lines
        .map(|line| {
            let mut fields = line.split('\t');
            let (Some(bits), Some(prometheus), Some(openmetrics), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                panic!("malformed row {line:?}");
            };
            Row {
                bits: u64::from_str_radix(bits, 16).expect("hex bits"),
                prometheus: prometheus.to_owned(),
                openmetrics: openmetrics.to_owned(),
            }
        })
        .collect()
}

fn sample_value(value: f64, format: Format) -> String {
    let gauge = FloatGauge::new();
    gauge.set(value);
    let mut out = Vec::new();
    gauge.encode(&mut MetricEncoder::new(&mut out, format, "g", ""));
    let line = String::from_utf8(out).expect("utf-8");
    let value = line
        .strip_prefix("g ")
        .and_then(|rest| rest.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("unexpected sample line {line:?}"));
    value.to_owned()
}

#[test]
fn all_3581_vectors_match_go_in_both_formats() {
    let rows = rows();
    assert_eq!(rows.len(), 3581, "the vector file has 3,581 values");
    let mut failures = Vec::new();
    for row in &rows {
        let value = f64::from_bits(row.bits);
        let prometheus = sample_value(value, Format::Prometheus);
        let openmetrics = sample_value(value, Format::OpenMetrics);
        // Text 1.0.0 writes numbers as 0.0.4 does; OpenMetrics 0.0.1 as 1.0.0 does.
        let prometheus_v1 = sample_value(value, Format::PrometheusV1);
        let openmetrics_v0 = sample_value(value, Format::OpenMetricsV0);
        if prometheus != row.prometheus
            || openmetrics != row.openmetrics
            || prometheus_v1 != row.prometheus
            || openmetrics_v0 != row.openmetrics
        {
            failures.push(format!(
                "{:016x}: got {prometheus:?} / {openmetrics:?}, Go writes {:?} / {:?}",
                row.bits, row.prometheus, row.openmetrics
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn le_labels_use_the_same_layout() {
    use oxios_metrics::{Buckets, Histogram};
    // Every finite positive vector value as a single-bound histogram: `le` must read as Go's.
    let rows = rows();
    let mut checked = 0;
    for row in rows.iter().filter(|row| {
        let value = f64::from_bits(row.bits);
        value.is_finite() && value > 0.0
    }) {
        let bounds: &'static [f64] = Box::leak(Box::new([f64::from_bits(row.bits)]));
        let histogram = Histogram::with_buckets(Buckets::new(bounds).expect("finite bound"));
        for (format, expected) in [
            (Format::Prometheus, &row.prometheus),
            (Format::PrometheusV1, &row.prometheus),
            (Format::OpenMetrics, &row.openmetrics),
            (Format::OpenMetricsV0, &row.openmetrics),
        ] {
            let mut out = Vec::new();
            histogram.encode(&mut MetricEncoder::new(&mut out, format, "h", ""));
            let text = String::from_utf8(out).expect("utf-8");
            let first = text.lines().next().expect("a bucket line");
            assert_eq!(
                first,
                format!("h_bucket{{le=\"{expected}\"}} 0"),
                "bits {:016x}",
                row.bits
            );
        }
        checked += 1;
    }
    assert!(checked > 1000, "checked {checked} bounds");
}

/// Protobuf carries floats as IEEE doubles: every vector, as a gauge value and as a bucket
/// bound, decodes (with an independent decoder) to the same bits.
#[test]
fn protobuf_carries_every_vector_bit_for_bit() {
    use oxios_metrics::encode::FamilyEncoder;
    use oxios_metrics::{Buckets, DefinitionSite, Histogram, MetricDesc, MetricType};
    let rows = rows();
    let gauges = MetricDesc::new(
        "g",
        "G.",
        MetricType::Gauge,
        DefinitionSite::new("f.rs", 1, 1),
    );
    let histograms = MetricDesc::new(
        "h",
        "H.",
        MetricType::Histogram,
        DefinitionSite::new("f.rs", 2, 1),
    );
    let mut out = Vec::new();
    let mut family = FamilyEncoder::begin(&mut out, Format::Protobuf, "g", &gauges);
    for row in &rows {
        let gauge = FloatGauge::new();
        gauge.set(f64::from_bits(row.bits));
        family.member(&gauge, "");
    }
    family.finish();
    let bounds: Vec<u64> = rows
        .iter()
        .map(|row| row.bits)
        .filter(|&bits| f64::from_bits(bits).is_finite())
        .collect();
    let mut family = FamilyEncoder::begin(&mut out, Format::Protobuf, "h", &histograms);
    for &bits in &bounds {
        let bound: &'static [f64] = Box::leak(Box::new([f64::from_bits(bits)]));
        let histogram = Histogram::with_buckets(Buckets::new(bound).expect("finite bound"));
        family.member(&histogram, "");
    }
    family.finish();
    let families = proto_common::decode(&out);
    assert_eq!(families.len(), 2);
    let values: Vec<u64> = families[0]
        .metric
        .iter()
        .map(|metric| metric.gauge.as_ref().unwrap().value.unwrap().to_bits())
        .collect();
    let expected: Vec<u64> = rows.iter().map(|row| row.bits).collect();
    assert_eq!(values.len(), 3581);
    assert_eq!(values, expected);
    let decoded_bounds: Vec<u64> = families[1]
        .metric
        .iter()
        .map(|metric| {
            metric.histogram.as_ref().unwrap().bucket[0]
                .upper_bound
                .unwrap()
                .to_bits()
        })
        .collect();
    assert!(
        decoded_bounds.len() > 3000,
        "{} bounds",
        decoded_bounds.len()
    );
    assert_eq!(decoded_bounds, bounds);
}
