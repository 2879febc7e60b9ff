//! The naming and escaping rules the derives apply at compile time, against the runtime:
//! a metric name the derive accepts is one the registry accepts; text the derive escapes into
//! `&'static str` headers and label values is byte-identical to what the runtime writes; case
//! conversion never panics and snake_case is stable.
#![no_main]

// The macro crate is a proc-macro crate, which cannot be linked as a library: compile its
// rules module here from its source file.
#[allow(dead_code)]
#[path = "../../oxios-metrics-macros/src/names.rs"]
mod names;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use oxios_metrics::{
    encode::render_headers, Counter, DefinitionSite, Format, LabelWriter, MetricDesc, MetricEncoder, MetricGroup,
    MetricType, MetricVisitor, Registry, SampleValue, WriteLabels,
};

#[derive(Arbitrary, Debug)]
struct Input {
    name: String,
    text: String,
    rule: u8,
}

struct Value<'a>(&'a str);

impl WriteLabels for Value<'_> {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("l", self.0);
    }
}

struct One(MetricDesc, Counter);

impl MetricGroup for One {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&self.0, &self.1);
    }
}

fuzz_target!(|input: Input| {
    let name: String = input.name.chars().take(48).collect();
    let text: String = input.text.chars().take(96).collect();

    // Names: what the derive lets through, the registry takes.
    if names::metric_name_problem(&name).is_none() && names::reserved_sample_problem(&name).is_none() {
        let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
        let desc = MetricDesc::new(leaked, "H.", MetricType::Gauge, DefinitionSite::new("f.rs", 1, 1));
        let registry = Registry::new();
        assert!(
            registry.register_owned(Box::new(One(desc, Counter::new()))).is_ok(),
            "the derive accepts {name:?} but the registry refuses it"
        );
    }
    let _ = names::label_name_problem(&name, input.rule % 2 == 0);
    let _ = names::segment_problem(&name);
    let _ = names::non_base_unit(&name);
    let _ = names::closest(&name, &["max_series", "buckets", "no_total_suffix"]);

    // Case conversion: total, and snake_case is a fixed point.
    let rules = ["snake_case", "kebab-case", "lowercase", "UPPERCASE", "SCREAMING_SNAKE_CASE", "camelCase", "PascalCase"];
    let rule = names::RenameRule::from_name(rules[usize::from(input.rule) % rules.len()]).expect("a known rule");
    let _ = rule.apply(&name);
    let snake = names::snake_case(&name);
    // Only ASCII can end up in a name (anything else is refused), and only there is the
    // conversion a fixed point: an uppercase letter with no lowercase form, such as `ϔ`,
    // stays uppercase and would start a new word on a second pass.
    if name.is_ascii() {
        assert_eq!(names::snake_case(&snake), snake, "snake_case of {name:?}");
    }

    // Label values escaped at compile time equal the runtime's escaping.
    let mut sample = Vec::new();
    MetricEncoder::new(&mut sample, Format::Prometheus, "n", "").sample("", &Value(&text), SampleValue::Unsigned(0));
    let expected = format!("n{{l=\"{}\"}} 0\n", names::escape_label_value(&text));
    assert_eq!(String::from_utf8(sample).unwrap(), expected);

    // HELP escaped at compile time equals the runtime's header rendering, in both formats.
    // Both sides trim the text first (the derive trims doc lines and `help`).
    if !text.trim().is_empty() {
        let help: &'static str = Box::leak(text.clone().into_boxed_str());
        let desc = MetricDesc::new("m", help, MetricType::Gauge, DefinitionSite::new("f.rs", 1, 1));
        for (format, openmetrics) in [(Format::Prometheus, false), (Format::OpenMetrics, true)] {
            let mut header = Vec::new();
            render_headers(&mut header, format, "m", &desc);
            let expected = format!("# HELP m {}\n# TYPE m gauge\n", names::escape_help(text.trim(), openmetrics));
            assert_eq!(String::from_utf8(header).unwrap(), expected);
        }
    }
});
