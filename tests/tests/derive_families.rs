//! Families keyed by derived label sets: fixed sets are dense (every combination present
//! from the start, ordinals a bijection onto `0..CARDINALITY`), dynamic sets are bounded.

use std::collections::HashSet;

use oxios_metrics::{
    Counter, Family, FixedLabelSet, Format, Gauge, LabelSet, LabelValue, Metrics, Registry,
    WriteLabels,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
enum Tool {
    Shell,
    WebFetch,
    FileRead,
}

/// Explicit, unordered discriminants: ordinals follow declaration order regardless.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(rename_all = "SCREAMING_SNAKE_CASE")]
enum Priority {
    High = 10,
    Low = -3,
    #[label(rename = "mid \"quoted\"")]
    Medium = 7,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Call {
    tool: Tool,
    priority: Priority,
    #[label(rename = "cached")]
    from_cache: bool,
}

const TOOLS: [Tool; 3] = [Tool::Shell, Tool::WebFetch, Tool::FileRead];
const PRIORITIES: [Priority; 3] = [Priority::High, Priority::Low, Priority::Medium];

fn every_call() -> Vec<Call> {
    let mut calls = Vec::new();
    for tool in TOOLS {
        for priority in PRIORITIES {
            for from_cache in [false, true] {
                calls.push(Call {
                    tool,
                    priority,
                    from_cache,
                });
            }
        }
    }
    calls
}

fn labels_of(set: &dyn WriteLabels) -> String {
    // Render through a one-series family so the test uses only public API.
    struct One<'a>(&'a dyn WriteLabels);
    impl WriteLabels for One<'_> {
        fn write_labels(&self, writer: &mut oxios_metrics::LabelWriter<'_>) {
            self.0.write_labels(writer);
        }
    }
    let mut out = Vec::new();
    let mut encoder = oxios_metrics::MetricEncoder::new(&mut out, Format::Prometheus, "x", "");
    encoder.sample("", &One(set), oxios_metrics::SampleValue::Unsigned(0));
    String::from_utf8(out).unwrap()
}

struct AtOrdinal(usize);
impl WriteLabels for AtOrdinal {
    fn write_labels(&self, writer: &mut oxios_metrics::LabelWriter<'_>) {
        Call::write_labels_at(self.0, writer);
    }
}

#[test]
fn label_values_and_ordinals() {
    assert_eq!(
        <Priority as LabelValue>::VALUES,
        &["HIGH", "LOW", "mid \\\"quoted\\\""]
    );
    assert_eq!(
        PRIORITIES.map(LabelValue::ordinal),
        [0, 1, 2],
        "ordinals follow declaration order, not discriminants"
    );
    assert_eq!(<Tool as LabelSet>::LABEL_NAMES, &["tool"]);
    assert_eq!(
        <Call as LabelSet>::LABEL_NAMES,
        &["tool", "priority", "cached"]
    );
    assert_eq!(<Call as FixedLabelSet>::CARDINALITY, 18);
}

#[test]
fn fixed_ordinals_are_a_bijection_and_decode_to_the_same_labels() {
    let mut seen = HashSet::new();
    for call in every_call() {
        let ordinal = FixedLabelSet::ordinal(&call);
        assert!(ordinal < 18);
        assert!(seen.insert(ordinal), "{call:?} repeats ordinal {ordinal}");
        assert_eq!(labels_of(&call), labels_of(&AtOrdinal(ordinal)), "{call:?}");
    }
    assert_eq!(seen.len(), 18);
    // The first field varies slowest, so series are written grouped by tool.
    assert_eq!(
        FixedLabelSet::ordinal(&Call {
            tool: Tool::WebFetch,
            priority: Priority::High,
            from_cache: false
        }),
        6
    );
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Peer {
    address: String,
    port: u16,
    tool: Tool,
}

#[derive(Metrics)]
#[metrics(prefix = "fam")]
struct Families {
    /// Calls by every label combination.
    calls: Family<Call, Counter>,
    /// Connections per peer, at most two peers.
    #[metric(max_series = 2)]
    peers: Family<Peer, Gauge>,
}

#[test]
fn dense_family_exposes_every_combination_in_ordinal_order() {
    static GROUP: Families = Families::new();
    let registry = Registry::new();
    registry.register(&GROUP).unwrap();
    let calls = every_call();
    for (index, call) in calls.iter().enumerate() {
        GROUP.calls.get(*call).add(index as u64);
    }
    assert_eq!(GROUP.calls.series_count(), 18);
    let text = registry.render(Format::Prometheus);
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("fam_calls_total{"))
        .collect();
    assert_eq!(lines.len(), 18);
    for (index, call) in calls.iter().enumerate() {
        let ordinal = FixedLabelSet::ordinal(call);
        let labels = labels_of(call);
        let labels = labels.trim_start_matches('x').trim_end_matches(" 0\n");
        assert_eq!(lines[ordinal], format!("fam_calls_total{labels} {index}"));
    }
}

#[test]
fn dynamic_family_overflows_into_one_series() {
    static GROUP: Families = Families::new();
    let registry = Registry::new();
    registry.register(&GROUP).unwrap();
    let peer = |address: &str| Peer {
        address: address.into(),
        port: 443,
        tool: Tool::WebFetch,
    };
    GROUP.peers.get(peer("a")).set(1);
    GROUP.peers.get(peer("b\"")).set(2);
    GROUP.peers.get(peer("c")).set(3);
    GROUP.peers.get(peer("d")).add(4);
    GROUP.peers.get(peer("a")).add(10);
    assert_eq!(GROUP.peers.series_count(), 2);
    assert_eq!(GROUP.peers.overflowed_lookups(), 2);
    let text = registry.render(Format::Prometheus);
    let peers: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("fam_peers{"))
        .collect();
    assert_eq!(
        peers,
        [
            "fam_peers{address=\"a\",port=\"443\",tool=\"web_fetch\"} 11",
            "fam_peers{address=\"b\\\"\",port=\"443\",tool=\"web_fetch\"} 2",
            "fam_peers{series_overflow=\"true\"} 7",
        ]
    );
}
