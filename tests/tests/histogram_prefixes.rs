//! Families of classic histograms write warm scrapes from kept pieces of their lines (each
//! series' `_bucket` head and `_sum`/`_count` prefixes, the family's `le` texts). Whatever
//! the buckets, observations, labels, names and exposition, a scrape must be byte for byte
//! what the general encoder ([`MetricEncoder::classic_histogram`]) writes for the same
//! series, and stay so as series come and go and expositions take turns.

use std::sync::Arc;

use oxios_metrics::encode::ClassicHistogram;
use oxios_metrics::{
    Buckets, EncodeMetric, Escaping, Exposition, Family, FamilyMember, FixedLabelSet, Format,
    Histogram, HistogramRef, LabelSet, LabelWriter, MetricDesc, MetricEncoder, MetricGroup,
    MetricType, MetricVisitor, Registration, Registry, WriteLabels,
};
use oxios_metrics_tests::{desc, Method, L};
use proptest::prelude::*;

/// A dynamic label set whose label name lies outside the legacy character set.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Route(String);

impl WriteLabels for Route {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("http.route", &self.0);
    }
}

impl LabelSet for Route {
    const LABEL_NAMES: &'static [&'static str] = &["http.route"];
    type Storage<M: FamilyMember> = oxios_metrics::__private::DynamicSeries<Route, M>;
}

/// A fixed label set with one combination and no label: lines with no labels of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Unlabelled;

impl WriteLabels for Unlabelled {
    fn write_labels(&self, _: &mut LabelWriter<'_>) {}
}

impl LabelSet for Unlabelled {
    const LABEL_NAMES: &'static [&'static str] = &[];
    type Storage<M: FamilyMember> = oxios_metrics::__private::DenseSeries<M, 1>;
}

impl FixedLabelSet for Unlabelled {
    const CARDINALITY: usize = 1;
    fn ordinal(&self) -> usize {
        0
    }
    fn write_labels_at(_: usize, _: &mut LabelWriter<'_>) {}
}

/// The family under test, in one of its storages.
enum Storage {
    Plain(Family<L, Histogram>),
    Utf8(Family<Route, Histogram>),
    Fixed(Family<Method, Histogram>),
    Unlabelled(Family<Unlabelled, Histogram>),
}

/// One series' labels, as the reference writes them.
#[derive(Clone, Debug)]
enum Labels {
    Plain(L),
    Utf8(Route),
    Fixed(Method),
    Unlabelled,
}

impl WriteLabels for Labels {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        match self {
            Labels::Plain(labels) => labels.write_labels(writer),
            Labels::Utf8(labels) => labels.write_labels(writer),
            Labels::Fixed(labels) => labels.write_labels(writer),
            Labels::Unlabelled => {}
        }
    }
}

impl Storage {
    fn series(&self, labels: &Labels) -> HistogramRef<'_> {
        match (self, labels) {
            (Storage::Plain(family), Labels::Plain(labels)) => family.get_ref(labels),
            (Storage::Utf8(family), Labels::Utf8(labels)) => family.get_ref(labels),
            (Storage::Fixed(family), Labels::Fixed(labels)) => family.get_ref(labels),
            (Storage::Unlabelled(family), Labels::Unlabelled) => family.get_ref(&Unlabelled),
            _ => unreachable!("labels of another storage"),
        }
    }

    fn remove(&self, labels: &Labels) -> bool {
        match (self, labels) {
            (Storage::Plain(family), Labels::Plain(labels)) => family.remove(labels),
            (Storage::Utf8(family), Labels::Utf8(labels)) => family.remove(labels),
            _ => false,
        }
    }

    fn metric(&self) -> &dyn EncodeMetric {
        match self {
            Storage::Plain(family) => family,
            Storage::Utf8(family) => family,
            Storage::Fixed(family) => family,
            Storage::Unlabelled(family) => family,
        }
    }
}

/// A group holding the family under test.
struct Tested {
    desc: MetricDesc,
    storage: Storage,
}

impl MetricGroup for Tested {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&self.desc, self.storage.metric());
    }
}

/// One series as the general encoder is given it.
struct ReferenceSeries {
    labels: Labels,
    counts: Vec<u64>,
    sum: f64,
    negative: bool,
}

/// The same series written through `MetricEncoder::classic_histogram` one by one.
struct Reference {
    desc: MetricDesc,
    bounds: Vec<f64>,
    series: Vec<ReferenceSeries>,
}

impl EncodeMetric for Reference {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        for series in &self.series {
            encoder.classic_histogram(
                &series.labels,
                &ClassicHistogram {
                    bounds: &self.bounds,
                    counts: &series.counts,
                    sum: series.sum,
                    exemplars: &[],
                    created: None,
                    negative_observations: series.negative,
                },
            );
        }
    }
}

impl MetricGroup for Reference {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&self.desc, self);
    }
}

/// Every exposition whose histogram lines are text without creation times, and some that
/// are not (scraped in between, so the family's kept expositions take turns).
fn expositions() -> Vec<(Exposition, bool)> {
    let mut all = Vec::new();
    for format in [
        Format::Prometheus,
        Format::PrometheusV1,
        Format::OpenMetrics,
        Format::OpenMetricsV0,
    ] {
        for escaping in [
            Escaping::AllowUtf8,
            Escaping::Underscores,
            Escaping::Dots,
            Escaping::Values,
        ] {
            all.push((Exposition::new(format).with_escaping(escaping), true));
        }
    }
    all.push((Exposition::new(Format::Protobuf), false));
    all.push((
        Exposition::new(Format::OpenMetrics).with_created(true),
        false,
    ));
    all
}

/// A case: the storage kind, the name, bounds, constant label, and per series its label
/// value and observations.
#[derive(Clone, Debug)]
struct Case {
    kind: usize,
    utf8_name: bool,
    bounds: Vec<f64>,
    const_label: Option<String>,
    series: Vec<(String, Vec<f64>)>,
}

fn observation() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0f64..10.0,
        2 => -10.0f64..0.0,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(-0.0),
        1 => prop::sample::select(vec![0.1, 0.25, 1.0, 1e-9, 1e21, 123_456_789.0]),
        1 => any::<f64>(),
    ]
}

fn bound() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0f64..10.0,
        1 => -5.0f64..0.0,
        1 => prop::sample::select(vec![0.0, 1.0, 0.005, 1e-7, 1e6, 2.5e21, -1.0]),
        1 => any::<f64>().prop_filter("finite", |b| b.is_finite()),
    ]
}

fn label_value() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a", "/x", "\"", "\\", "\n", "é", "😱", " ", "=", ",", "}",
        ]),
        0..6,
    )
    .prop_map(|pieces| pieces.concat())
}

fn case() -> impl Strategy<Value = Case> {
    (
        0..4usize,
        any::<bool>(),
        prop::collection::vec(bound(), 1..12),
        // A constant label may not be empty.
        prop::option::of(label_value().prop_map(|value| format!("c{value}"))),
        prop::collection::vec(
            (label_value(), prop::collection::vec(observation(), 0..12)),
            0..6,
        ),
    )
        .prop_map(|(kind, utf8_name, mut bounds, const_label, series)| {
            bounds.sort_by(f64::total_cmp);
            bounds.dedup();
            // `-0.0` and `0.0` are one bound.
            bounds.dedup_by(|a, b| a == b);
            Case {
                kind,
                utf8_name,
                bounds,
                const_label,
                series,
            }
        })
}

/// The labels of case series `index` with label value `value`, for storage `kind`.
fn labels_of(kind: usize, index: usize, value: &str) -> Labels {
    match kind {
        0 => Labels::Plain(L(value.to_owned())),
        1 => Labels::Utf8(Route(value.to_owned())),
        2 => Labels::Fixed(if index.is_multiple_of(2) {
            Method::Get
        } else {
            Method::Post
        }),
        _ => Labels::Unlabelled,
    }
}

/// Both registries, scraped in every exposition (twice, so the second is warm), must agree.
fn assert_same(tested: &Registry, reference: &Registry, step: &str) -> Result<(), TestCaseError> {
    for round in 0..2 {
        for (exposition, compared) in expositions() {
            let fast = tested.render(exposition);
            if compared {
                let general = reference.render(exposition);
                prop_assert_eq!(
                    &fast,
                    &general,
                    "{} (round {}), {:?}",
                    step,
                    round,
                    exposition
                );
            }
        }
    }
    Ok(())
}

/// What the reference holds for the tested family's series now, in scrape order.
fn reference_series(storage: &Storage, order: &[(Labels, bool)]) -> Vec<ReferenceSeries> {
    order
        .iter()
        .map(|(labels, negative)| {
            let series = storage.series(labels);
            let mut previous = 0;
            let counts = series
                .buckets()
                .iter()
                .map(|&(_, cumulative)| {
                    let count = cumulative - previous;
                    previous = cumulative;
                    count
                })
                .collect();
            ReferenceSeries {
                labels: labels.clone(),
                counts,
                sum: series.sum(),
                negative: *negative,
            }
        })
        .collect()
}

fn registered<G: MetricGroup + 'static>(
    registry: &Registry,
    const_label: &Option<String>,
    group: Arc<G>,
) -> Registration {
    match const_label {
        Some(value) => registry
            .sub_registry_with_label("shard", value)
            .expect("a valid constant label")
            .register_shared(group),
        None => registry.register_shared(group),
    }
    .expect("the group registers")
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    let Ok(buckets) = Buckets::from_vec(case.bounds.clone()) else {
        return Ok(());
    };
    let name = if case.utf8_name {
        "http.server.duration"
    } else {
        "request_duration_seconds"
    };
    let mut description = desc(name, "Durations.", MetricType::Histogram, "h.rs", 1);
    if case.utf8_name || case.kind == 1 {
        description = description.with_utf8_names();
    }
    let tested = Arc::new(Tested {
        desc: description.clone(),
        storage: match case.kind {
            0 => Storage::Plain(Family::with_config(buckets)),
            1 => Storage::Utf8(Family::with_config(buckets)),
            2 => Storage::Fixed(Family::with_config(buckets)),
            _ => Storage::Unlabelled(Family::with_config(buckets)),
        },
    });
    // Scrape order: a dynamic family's creation order; a fixed one's ordinals.
    let mut order: Vec<(Labels, bool)> = match case.kind {
        2 => vec![
            (Labels::Fixed(Method::Get), false),
            (Labels::Fixed(Method::Post), false),
        ],
        3 => vec![(Labels::Unlabelled, false)],
        _ => Vec::new(),
    };
    let observe = |order: &mut Vec<(Labels, bool)>, index: usize, value: &str, seen: &[f64]| {
        let labels = labels_of(case.kind, index, value);
        let at = match order
            .iter()
            .position(|(known, _)| format!("{known:?}") == format!("{labels:?}"))
        {
            Some(at) => at,
            None => {
                order.push((labels.clone(), false));
                order.len() - 1
            }
        };
        let series = tested.storage.series(&labels);
        for &observation in seen {
            series.observe(observation);
            order[at].1 |= observation < 0.0;
        }
    };
    for (index, (value, seen)) in case.series.iter().enumerate() {
        observe(&mut order, index, value, seen);
    }
    let tested_registry = Registry::new();
    let _tested = registered(&tested_registry, &case.const_label, tested.clone());
    let reference_of = |order: &[(Labels, bool)]| {
        let reference_registry = Registry::new();
        let registration = registered(
            &reference_registry,
            &case.const_label,
            Arc::new(Reference {
                desc: description.clone(),
                bounds: case.bounds.clone(),
                series: reference_series(&tested.storage, order),
            }),
        );
        (reference_registry, registration)
    };
    let (reference, _registration) = reference_of(&order);
    assert_same(&tested_registry, &reference, "first scrapes")?;

    // Observations after the prefixes were kept: the same prefixes, new values.
    if let Some((value, seen)) = case.series.first() {
        let mut seen = seen.clone();
        seen.push(-1.0);
        observe(&mut order, 0, value, &seen);
    }
    let (reference, _registration) = reference_of(&order);
    assert_same(&tested_registry, &reference, "after more observations")?;

    // A series removed and one created: the kept pieces must follow.
    if case.kind < 2 {
        if let Some((labels, _)) = order.first().cloned() {
            prop_assert!(tested.storage.remove(&labels));
            order.remove(0);
        }
        let fresh = format!("fresh{}", order.len());
        observe(&mut order, 0, &fresh, &[0.5, 7.0]);
        let (reference, _registration) = reference_of(&order);
        assert_same(&tested_registry, &reference, "after removal and creation")?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn kept_histogram_lines_are_what_the_general_encoder_writes(case in case()) {
        check(&case)?;
    }
}

#[test]
fn a_histogram_family_without_labels_or_with_negative_bounds() {
    // The two shapes most easily got wrong, checked without randomness.
    for (kind, bounds) in [(3, vec![0.5, 1.0]), (0, vec![-1.0, 0.0, 2.0])] {
        let case = Case {
            kind,
            utf8_name: false,
            bounds,
            const_label: Some("s\"1".into()),
            series: vec![("a".into(), vec![0.7, 3.0, f64::NAN])],
        };
        check(&case).expect("the same text");
    }
}
