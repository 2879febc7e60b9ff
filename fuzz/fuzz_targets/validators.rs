//! The validators: bucket bounds (`Buckets::new`) and the registry's name checks on arbitrary
//! names never panic, and what they accept is what the formats allow.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use oxios_metrics::{Buckets, Counter, DefinitionSite, MetricDesc, MetricGroup, MetricType, MetricVisitor, Registry};

#[derive(Arbitrary, Debug)]
struct Input {
    bounds: Vec<f64>,
    name: String,
    const_label_name: String,
}

struct One {
    desc: MetricDesc,
    counter: Counter,
}

impl MetricGroup for One {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&self.desc, &self.counter);
    }
}

fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.starts_with("__")
}

fuzz_target!(|input: Input| {
    let bounds: &'static [f64] = Box::leak(input.bounds.into_iter().take(40).collect::<Vec<_>>().into_boxed_slice());
    match Buckets::new(bounds) {
        Ok(buckets) => {
            assert!(!bounds.is_empty() && bounds.len() <= oxios_metrics::MAX_BUCKETS);
            assert!(bounds.iter().all(|b| b.is_finite()));
            assert!(bounds.windows(2).all(|pair| pair[0] < pair[1]));
            assert_eq!(buckets.bounds(), bounds);
        }
        Err(_) => {
            let valid = !bounds.is_empty()
                && bounds.len() <= oxios_metrics::MAX_BUCKETS
                && bounds.iter().all(|b| b.is_finite())
                && bounds.windows(2).all(|pair| pair[0] < pair[1]);
            assert!(!valid, "refused valid bounds {bounds:?}");
        }
    }

    let name: &'static str = Box::leak(input.name.chars().take(32).collect::<String>().into_boxed_str());
    let label: String = input.const_label_name.chars().take(16).collect();
    let rendered: &'static str = Box::leak(format!("{label}=\"v\"").into_boxed_str());
    let desc = MetricDesc::new(name, "Fuzzed.", MetricType::Counter, DefinitionSite::new("f.rs", 1, 1))
        .with_const_labels(rendered);
    let registry = Registry::new();
    let accepted = registry
        .register_owned(Box::new(One { desc, counter: Counter::new() }))
        .is_ok();
    // A label "name" holding `=`, `"` or `,` can render as several well-formed labels, so
    // only names without them have a verdict to predict; the others must merely not panic.
    if label.contains(['=', '"', ',']) {
        return;
    }
    let reserved = name == "oxios_metrics_series_overflow" || label == "series_overflow" || label == "quantile";
    let expected = is_identifier(name) && is_identifier(&label) && !reserved;
    assert_eq!(accepted, expected, "name {name:?}, label {label:?}");
});
