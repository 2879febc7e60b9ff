//! Every row of the conformance vectors generated from Prometheus' Go formatting
//! (`data/floats.tsv`, see `data/VECTORS.md`): a float sample value and a histogram `le`
//! written by this crate must be byte-identical to Go's, in both formats.

use oxios_metrics::{EncodeMetric, FloatGauge, Format, MetricEncoder};

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
        if prometheus != row.prometheus || openmetrics != row.openmetrics {
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
            (Format::OpenMetrics, &row.openmetrics),
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
