//! Property tests: arbitrary label values, HELP text and float values encode to text that
//! parsers independent of this crate read back to the same values — Python's
//! `prometheus_client` OpenMetrics parser (exact: floats compared bit for bit through
//! `float.hex()`, strings through their UTF-8 hex) and `promtool check metrics` for 0.0.4.

use oxios_metrics::{Family, FloatGauge, Format, MetricType};
use oxios_metrics_tests::{desc, openmetrics_parse, promtool_check, registry_with, Checked, L};

mod proto_common;
use proptest::prelude::*;

/// Prints, per sample: hex of the `l` label's UTF-8, `float.hex()` of the value; and the
/// family's HELP as hex first.
const READ_BACK: &str = r#"
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
for family in text_string_to_metric_families(sys.stdin.read()):
    print("help", family.documentation.encode().hex())
    for s in family.samples:
        print("sample", s.labels.get("l", "").encode().hex(), float(s.value).hex())
"#;

fn python_read_back(text: &str) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    // openmetrics_parse decides (and reports) whether the parser is installed.
    if let Checked::Missing = openmetrics_parse("# EOF\n") {
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", READ_BACK])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the parser refused:\n{}\n---\n{text}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_python_float_hex(text: &str) -> f64 {
    match text {
        "nan" => f64::NAN,
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        _ => {
            // [-]0x1.<hex>p<exp> or [-]0x0.0p+0
            let (negative, rest) = text
                .strip_prefix('-')
                .map_or((false, text), |rest| (true, rest));
            let rest = rest.strip_prefix("0x").expect("0x prefix");
            let (mantissa, exponent) = rest.split_once('p').expect("p exponent");
            let (lead, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
            let mut value = u64::from_str_radix(lead, 16).unwrap() as f64;
            let mut scale = 1.0 / 16.0;
            for digit in fraction.chars() {
                value += f64::from(digit.to_digit(16).unwrap()) * scale;
                scale /= 16.0;
            }
            let value = value * 2f64.powi(exponent.parse::<i32>().unwrap());
            if negative {
                -value
            } else {
                value
            }
        }
    }
}

fn label_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,20}",
        "[\\\\\"\n a-z]{0,12}",
        Just(String::new()),
        Just("\\\\\"\"\n\n\\".to_owned()),
        "[ü€𝄞\u{7f}\t]{1,6}",
    ]
}

fn float_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(5e-324),
        (-1e6f64..1e6),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn label_values_help_and_floats_read_back_exactly(
        // HELP must say something: the registry refuses blank HELP, as promtool does.
        help in "\\PC{1,40}".prop_filter("HELP with a visible character", |help| !help.trim().is_empty()),
        series in proptest::collection::btree_map(label_value(), float_value(), 1..8),
    ) {
        let help: &'static str = Box::leak(help.into_boxed_str());
        let family: &'static Family<L, FloatGauge> = Box::leak(Box::new(Family::new()));
        for (label, value) in &series {
            family.get(L(label.clone())).set(*value);
        }
        let registry = registry_with(vec![(desc("prop", help, MetricType::Gauge, "p.rs", 1), family)]);

        if let Checked::Ran(said) = promtool_check(&registry.render(Format::Prometheus)) {
            prop_assert_eq!(said, "");
        }
        // Protobuf, read back by an independent decoder: the same labels, the same bits.
        let mut bytes = Vec::new();
        registry.encode_to_vec(&mut bytes, Format::Protobuf);
        let families = proto_common::decode(&bytes);
        prop_assert_eq!(families.len(), 1);
        prop_assert_eq!(families[0].help.as_deref(), Some(help.trim()));
        prop_assert_eq!(families[0].metric.len(), series.len());
        for (metric, (label, value)) in families[0].metric.iter().zip(&series) {
            prop_assert_eq!(metric.label[0].value.as_deref(), Some(label.as_str()));
            let read = metric.gauge.as_ref().and_then(|gauge| gauge.value).unwrap_or(f64::NAN);
            prop_assert_eq!(read.to_bits(), value.to_bits(), "value {:e}", value);
        }
        let Some(read) = python_read_back(&registry.render(Format::OpenMetrics)) else {
            return Ok(());
        };
        let mut lines = read.lines();
        // HELP is written trimmed (see `render_headers`).
        prop_assert_eq!(lines.next().unwrap_or(""), format!("help {}", hex(help.trim().as_bytes())));
        let mut read_series = Vec::new();
        for line in lines {
            let mut fields = line.split(' ');
            prop_assert_eq!(fields.next(), Some("sample"));
            let label = fields.next().unwrap().to_owned();
            let value = parse_python_float_hex(fields.next().unwrap());
            read_series.push((label, value));
        }
        prop_assert_eq!(read_series.len(), series.len());
        for ((label, value), (read_label, read_value)) in series.iter().zip(&read_series) {
            prop_assert_eq!(&hex(label.as_bytes()), read_label);
            if value.is_nan() {
                prop_assert!(read_value.is_nan());
            } else {
                // -0.0 is written as `0`, as Go writes it.
                let expected = if *value == 0.0 { 0.0 } else { *value };
                prop_assert_eq!(expected.to_bits(), read_value.to_bits(), "value {:e}", value);
            }
        }
    }
}

#[test]
fn python_float_hex_reader() {
    assert_eq!(parse_python_float_hex("0x1.8000000000000p+1"), 3.0);
    assert_eq!(parse_python_float_hex("-0x1.0000000000000p-2"), -0.25);
    assert_eq!(parse_python_float_hex("0x0.0p+0"), 0.0);
    assert_eq!(parse_python_float_hex("0x0.0000000000001p-1022"), 5e-324);
    assert_eq!(parse_python_float_hex("0x1.fffffffffffffp+1023"), f64::MAX);
}
