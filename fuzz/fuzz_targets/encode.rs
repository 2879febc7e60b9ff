//! The encoder on arbitrary registries: any label values, HELP text, gauge values and
//! histogram observations must give a well-formed exposition whose label values and sample
//! values read back to exactly what was stored, in both formats.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use oxios_metrics::__private::DynamicSeries;
use oxios_metrics::{
    Buckets, DefinitionSite, Family, FamilyMember, FloatGauge, Format, Histogram, LabelSet, LabelWriter,
    MetricDesc, MetricGroup, MetricType, MetricVisitor, Registry, WriteLabels,
};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Label(String);

impl WriteLabels for Label {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("l", &self.0);
    }
}

impl LabelSet for Label {
    const LABEL_NAMES: &'static [&'static str] = &["l"];
    type Storage<M: FamilyMember> = DynamicSeries<Label, M>;
}

#[derive(Arbitrary, Debug)]
struct Input {
    help: String,
    series: Vec<(String, f64)>,
    observations: Vec<f64>,
    max_series: u8,
}

struct Group {
    gauges: Family<Label, FloatGauge>,
    histogram: Histogram,
    descs: [MetricDesc; 2],
}

impl MetricGroup for Group {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&self.descs[0], &self.gauges);
        visitor.metric(&self.descs[1], &self.histogram);
    }
}

/// Reads a value written by the encoder back into a float.
fn read_float(text: &str) -> f64 {
    match text {
        "NaN" => f64::NAN,
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        _ => text.parse().unwrap_or_else(|_| panic!("unreadable value {text:?}")),
    }
}

/// Undoes label-value escaping; `None` on an escape the formats do not define.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            'n' => out.push('\n'),
            _ => return None,
        }
    }
    Some(out)
}

/// Splits `name{l="…"} value` into the unescaped label value and the value text.
/// The length of `l="<escaped label>"`, as the family renders it.
fn rendered_len(label: &str) -> usize {
    let escaped: usize = label
        .chars()
        .map(|c| match c {
            '\\' | '"' | '\n' => 2,
            c => c.len_utf8(),
        })
        .sum();
    escaped + 4
}

fn split_gauge_line(line: &str) -> Option<(String, &str)> {
    let rest = line.strip_prefix("fuzz{l=\"")?;
    let (escaped, value) = rest.rsplit_once("\"} ")?;
    Some((unescape(escaped)?, value))
}

fuzz_target!(|input: Input| {
    let help: &'static str = Box::leak(input.help.chars().take(64).collect::<String>().into_boxed_str());
    let site = DefinitionSite::new("fuzz.rs", 1, 1);
    let group = Group {
        gauges: Family::new().with_max_series(usize::from(input.max_series).max(1)),
        histogram: Histogram::with_buckets(Buckets::DEFAULT),
        descs: [
            MetricDesc::new("fuzz", help, MetricType::Gauge, site),
            MetricDesc::new("fuzz_seconds", help, MetricType::Histogram, site).with_unit("seconds"),
        ],
    };
    let mut expected: Vec<(String, f64)> = Vec::new();
    for (label, value) in input.series.iter().take(64) {
        group.gauges.get(Label(label.clone())).set(*value);
        match expected.iter_mut().find(|(known, _)| known == label) {
            Some(entry) => entry.1 = *value,
            None => expected.push((label.clone(), *value)),
        }
    }
    for &value in input.observations.iter().take(64) {
        group.histogram.observe(value);
    }
    let registry = Registry::new();
    let registered = registry.register_owned(Box::new(group));
    if help.trim().is_empty() {
        // Blank HELP is refused (promtool says "no help text"), and nothing is registered.
        assert!(registered.is_err());
        assert_eq!(registry.render(Format::OpenMetrics), "# EOF\n");
        return;
    }
    registered.expect("valid names register");

    for format in [Format::Prometheus, Format::OpenMetrics] {
        let text = registry.render(format);
        assert!(text.ends_with('\n'));
        assert!(!text.contains("\n\n"));
        if format == Format::OpenMetrics {
            assert!(text.ends_with("# EOF\n") && text.matches("\n# EOF\n").count() <= 1);
        }
        let gauge_lines: Vec<&str> = text.lines().filter(|line| line.starts_with("fuzz{l=")).collect();
        let max_series = usize::from(input.max_series).max(1);
        // Label sets longer than the family's byte bound never get a series.
        let fits = |label: &str| rendered_len(label) <= oxios_metrics::family::DEFAULT_MAX_LABEL_BYTES;
        let short: Vec<&(String, f64)> = expected.iter().filter(|(label, _)| fits(label)).collect();
        let stored = short.len().min(max_series);
        assert_eq!(gauge_lines.len(), stored, "one line per stored series");
        let overflowed = text.lines().any(|line| line.starts_with("fuzz{series_overflow=\"true\"} "));
        assert_eq!(
            overflowed,
            short.len() > max_series || short.len() < expected.len(),
            "an overflow series exactly when full or given an over-long label"
        );
        for (line, (label, value)) in gauge_lines.iter().zip(short) {
            let (read_label, read_value) = split_gauge_line(line).expect("a gauge line");
            assert_eq!(&read_label, label);
            let read = read_float(read_value);
            if value.is_nan() {
                assert!(read.is_nan());
            } else if *value == 0.0 {
                assert_eq!(read, 0.0);
            } else {
                assert_eq!(read.to_bits(), value.to_bits(), "{line}");
            }
        }
        // The +Inf bucket equals _count, and buckets never decrease.
        let buckets: Vec<u64> = text
            .lines()
            .filter(|line| line.starts_with("fuzz_seconds_bucket"))
            .map(|line| line.rsplit(' ').next().unwrap().parse().unwrap())
            .collect();
        let count: Option<u64> = text
            .lines()
            .find_map(|line| line.strip_prefix("fuzz_seconds_count "))
            .map(|count| count.parse().unwrap());
        let observed = &input.observations[..input.observations.len().min(64)];
        // OpenMetrics writes no `_sum`/`_count` once the sum is not a counter.
        let sum_is_counter = !observed.iter().any(|value| *value < 0.0);
        let count = match (format, sum_is_counter) {
            (Format::OpenMetrics, false) => {
                assert_eq!(count, None, "no _count when the sum is not a counter");
                // (HELP may mention the name; only a sample line counts.)
                assert!(!text.lines().any(|line| line.starts_with("fuzz_seconds_sum")));
                buckets.last().copied().unwrap()
            }
            _ => count.expect("a _count line"),
        };
        assert!(buckets.windows(2).all(|pair| pair[0] <= pair[1]));
        assert_eq!(buckets.last().copied(), Some(count));
        assert_eq!(count, observed.len() as u64);
    }

    // Protobuf: a stream of length-delimited messages whose lengths tile it exactly.
    let mut bytes = Vec::new();
    registry.encode_to_vec(&mut bytes, Format::Protobuf);
    let mut rest = &bytes[..];
    let mut messages = 0;
    while !rest.is_empty() {
        let (length, used) = read_varint(rest).expect("a length prefix");
        rest = rest.get(used + length..).expect("the message fits the stream");
        messages += 1;
    }
    // The histogram always; the gauge family once any series (or the overflow series) exists,
    // as protobuf leaves out a family with no series (Prometheus' own clients do too); and the
    // registry's overflow counter once a lookup overflowed.
    let gauge_family = usize::from(!expected.is_empty());
    let max_series = usize::from(input.max_series).max(1);
    let fitting = expected
        .iter()
        .filter(|(label, _)| rendered_len(label) <= oxios_metrics::family::DEFAULT_MAX_LABEL_BYTES)
        .count();
    let overflow_family = usize::from(fitting > max_series || fitting < expected.len());
    assert_eq!(
        messages,
        1 + gauge_family + overflow_family,
        "the histogram, the non-empty gauge family, the overflow counter when it counted"
    );
});

/// A base-128 varint at the start of `bytes`: its value and how many bytes it took.
fn read_varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value = 0usize;
    for (index, &byte) in bytes.iter().enumerate().take(10) {
        value |= usize::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}
