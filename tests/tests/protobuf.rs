//! The protobuf exposition decoded by an independent implementation (`prost`, with messages
//! mirroring client_model's `metrics.proto` written here by hand) and compared field by
//! field with what the same metrics write in the text format.

use oxios_metrics::encode::{
    ClassicHistogram, Escaping, ExemplarRef, Exposition, FamilyEncoder, NativeHistogram,
    SummaryValue, Timestamp,
};
use oxios_metrics::{
    Buckets, Counter, DefinitionSite, EncodeMetric, Family, FloatCounter, FloatGauge, Format,
    Gauge, Histogram, Info, LabelWriter, MetricDesc, MetricEncoder, MetricType, SampleValue,
    WriteLabels,
};
use oxios_metrics_tests::{leak, Method, Path};
use proptest::prelude::*;

mod proto_common;

use proto_common::{decode, dto};

fn site(line: u32) -> DefinitionSite {
    DefinitionSite::new("protobuf.rs", line, 1)
}

/// One family's description and its members (with their constant labels).
struct Fixture {
    desc: MetricDesc,
    members: Vec<(&'static dyn EncodeMetric, &'static str)>,
}

fn write(fixtures: &[Fixture], exposition: Exposition) -> Vec<u8> {
    let mut out = Vec::new();
    for fixture in fixtures {
        let mut family =
            FamilyEncoder::begin(&mut out, exposition, fixture.desc.name(), &fixture.desc);
        for &(metric, const_labels) in &fixture.members {
            family.member(metric, const_labels);
        }
        family.finish();
    }
    out
}

fn fixtures() -> Vec<Fixture> {
    let requests: &'static Family<Method, Counter> = leak(Family::new());
    requests.get(Method::Get).add(41);
    requests.get(Method::Post).inc();
    let paths: &'static Family<Path, Counter> = leak(Family::new());
    for path in ["/", "/a\\b", "/say \"hi\"", "/new\nline", "/ünïcode"] {
        paths.get(Path { path: path.into() }).add(path.len() as u64);
    }
    let running: &'static Gauge = leak(Gauge::new());
    running.set(-3);
    let ratio: &'static FloatGauge = leak(FloatGauge::new());
    ratio.set(0.1 + 0.2);
    let cost: &'static FloatCounter = leak(FloatCounter::new());
    cost.add(2.5);
    let latency: &'static Family<Method, Histogram> =
        leak(Family::with_config(Buckets::checked(&[0.005, 0.01, 1.0])));
    for value in [0.005, 0.5, 2.0] {
        latency.get(Method::Get).observe(value);
    }
    let build: &'static Info = leak(Info::from_static(&[("version", "1.2.3")]));
    let empty: &'static Family<Path, Gauge> = leak(Family::new());
    vec![
        Fixture {
            desc: MetricDesc::new("requests", "Requests.", MetricType::Counter, site(1)),
            members: vec![(requests, ""), (requests, "shard=\"b\"")],
        },
        Fixture {
            desc: MetricDesc::new(
                "paths",
                "Bytes \"by\" path\\.",
                MetricType::Counter,
                site(2),
            ),
            members: vec![(paths, "")],
        },
        Fixture {
            desc: MetricDesc::new("running", "Running now.", MetricType::Gauge, site(3)),
            members: vec![(running, "")],
        },
        Fixture {
            desc: MetricDesc::new("ratio", "A ratio.", MetricType::Gauge, site(4)),
            members: vec![(ratio, "")],
        },
        Fixture {
            desc: MetricDesc::new("cost_dollars", "Cost.", MetricType::Counter, site(5))
                .with_unit("dollars"),
            members: vec![(cost, "")],
        },
        Fixture {
            desc: MetricDesc::new(
                "latency_seconds",
                "Latency.",
                MetricType::Histogram,
                site(6),
            )
            .with_unit("seconds"),
            members: vec![(latency, "")],
        },
        Fixture {
            desc: MetricDesc::new("build", "Build.", MetricType::Info, site(7)),
            members: vec![(build, "")],
        },
        Fixture {
            desc: MetricDesc::new("idle", "No series yet.", MetricType::Gauge, site(8)),
            members: vec![(empty, "")],
        },
    ]
}

/// Renders a decoded family as the text format 0.0.4 writes it, from the decoded fields
/// alone: if this equals the crate's own text, every field of the protobuf matched.
fn as_text(family: &dto::MetricFamily) -> String {
    let name = family.name.clone().unwrap_or_default();
    let metric_type = match family.r#type {
        Some(0) => "counter",
        Some(1) => "gauge",
        Some(4) => "histogram",
        other => panic!("unexpected type {other:?}"),
    };
    let mut text = format!(
        "# HELP {name} {}\n# TYPE {name} {metric_type}\n",
        family
            .help
            .clone()
            .unwrap_or_default()
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
    );
    let escape = |value: &str| {
        value
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    };
    let float = |value: f64| {
        let mut out = Vec::new();
        let gauge = FloatGauge::new();
        gauge.set(value);
        gauge.encode(&mut MetricEncoder::new(
            &mut out,
            Format::Prometheus,
            "",
            "",
        ));
        String::from_utf8(out).unwrap().trim().to_owned()
    };
    for metric in &family.metric {
        let labels: Vec<String> = metric
            .label
            .iter()
            .map(|pair| {
                format!(
                    "{}=\"{}\"",
                    pair.name.clone().unwrap_or_default(),
                    escape(pair.value.as_deref().unwrap_or(""))
                )
            })
            .collect();
        let braces = |extra: Option<String>| {
            let mut all = labels.clone();
            all.extend(extra);
            if all.is_empty() {
                String::new()
            } else {
                format!("{{{}}}", all.join(","))
            }
        };
        if let Some(counter) = &metric.counter {
            text += &format!("{name}{} {}\n", braces(None), float(counter.value.unwrap()));
        } else if let Some(gauge) = &metric.gauge {
            text += &format!("{name}{} {}\n", braces(None), float(gauge.value.unwrap()));
        } else if let Some(histogram) = &metric.histogram {
            for bucket in &histogram.bucket {
                let le = format!("le=\"{}\"", float(bucket.upper_bound.unwrap()));
                text += &format!(
                    "{name}_bucket{} {}\n",
                    braces(Some(le)),
                    bucket.cumulative_count.unwrap()
                );
            }
            let count = histogram.sample_count.unwrap();
            text += &format!(
                "{name}_bucket{} {count}\n",
                braces(Some("le=\"+Inf\"".into()))
            );
            text += &format!(
                "{name}_sum{} {}\n",
                braces(None),
                float(histogram.sample_sum.unwrap())
            );
            text += &format!("{name}_count{} {count}\n", braces(None));
        } else {
            panic!("a metric without a value: {metric:?}");
        }
    }
    text
}

#[test]
fn every_field_matches_the_text_exposition() {
    let fixtures = fixtures();
    let families = decode(&write(&fixtures, Exposition::new(Format::Protobuf)));
    // The family with no series is left out, as Prometheus' Go client leaves it out.
    assert_eq!(families.len(), fixtures.len() - 1);
    for (family, fixture) in families.iter().zip(&fixtures) {
        let text = String::from_utf8(write(
            std::slice::from_ref(fixture),
            Exposition::new(Format::Prometheus),
        ))
        .unwrap();
        // Integer samples are written with all their digits in text and as doubles in
        // protobuf: every value here is exact in both.
        assert_eq!(as_text(family), text, "family {:?}", family.name);
    }
    let names: Vec<&str> = families
        .iter()
        .map(|f| f.name.as_deref().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "requests_total",
            "paths_total",
            "running",
            "ratio",
            "cost_dollars_total",
            "latency_seconds",
            "build_info"
        ]
    );
    assert_eq!(families[4].unit.as_deref(), Some("dollars"));
    assert_eq!(families[5].unit.as_deref(), Some("seconds"));
    assert_eq!(families[0].metric.len(), 4, "two members of one family");
    assert_eq!(
        families[0].metric[3].label,
        [
            dto::LabelPair {
                name: Some("shard".into()),
                value: Some("b".into())
            },
            dto::LabelPair {
                name: Some("method".into()),
                value: Some("post".into())
            },
        ]
    );
    let values: Vec<&str> = families[1]
        .metric
        .iter()
        .map(|m| m.label[0].value.as_deref().unwrap())
        .collect();
    assert_eq!(
        values,
        ["/", "/a\\b", "/say \"hi\"", "/new\nline", "/ünïcode"],
        "values unescaped"
    );
    // The `+Inf` bucket is implied by sample_count.
    let histogram = families[5].metric[0].histogram.as_ref().unwrap();
    assert_eq!(histogram.bucket.len(), 3);
    assert_eq!(histogram.sample_count, Some(3));
    assert_eq!(histogram.sample_sum, Some(2.505));
}

/// A metric written by hand through the encoder's typed series writers.
struct Everything;

const TRACE: &str = "trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\",span_id=\"00f067aa0ba902b7\"";

impl EncodeMetric for Everything {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        struct Kind(&'static str);
        impl WriteLabels for Kind {
            fn write_labels(&self, writer: &mut LabelWriter<'_>) {
                writer.label("kind", self.0);
            }
        }
        let stamp = Some(Timestamp::from_unix_nanos(1_700_000_000_250_000_000));
        let exemplar = ExemplarRef {
            labels: TRACE,
            value: 0.67,
            timestamp: stamp,
        };
        encoder.counter(
            &Kind("counter"),
            SampleValue::Unsigned(5),
            stamp,
            Some(&exemplar),
        );
        encoder.classic_histogram(
            &Kind("classic"),
            &ClassicHistogram {
                bounds: &[0.1, 1.0],
                counts: &[1, 2, 1],
                sum: 3.2,
                exemplars: &[
                    None,
                    Some(exemplar),
                    Some(ExemplarRef {
                        labels: "",
                        value: 9.0,
                        timestamp: None,
                    }),
                ],
                created: stamp,
                negative_observations: false,
            },
        );
        encoder.native_histogram(
            &Kind("native"),
            &NativeHistogram {
                schema: 3,
                zero_threshold: 1e-128,
                zero_count: 2,
                positive: &[(-1, 1), (0, 4), (3, 2), (9, 1)],
                negative: &[(2, 5)],
                count: 15,
                sum: -1.5,
                nan_count: 0,
                negative_observations: true,
                classic: None,
                exemplars: &[exemplar],
                created: None,
            },
        );
        encoder.native_histogram(
            &Kind("empty native"),
            &NativeHistogram {
                schema: 0,
                zero_threshold: 0.0,
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
        encoder.summary(
            &Kind("summary"),
            &SummaryValue {
                quantiles: &[(0.5, 0.25), (0.99, 1.5)],
                count: 10,
                sum: 4.0,
                created: stamp,
            },
        );
    }
}

#[test]
fn exemplars_created_timestamps_native_histograms_and_summaries() {
    let desc = MetricDesc::new("rpc", "Everything.", MetricType::Histogram, site(20));
    let mut out = Vec::new();
    let mut family = FamilyEncoder::begin(&mut out, Format::Protobuf, "rpc", &desc);
    family.created(Some(Timestamp::from_unix_nanos(1_600_000_000_000_000_000)));
    family.member(&Everything, "");
    family.finish();
    let families = decode(&out);
    assert_eq!(families.len(), 1);
    let metrics = &families[0].metric;
    let expected_stamp = dto::Timestamp {
        seconds: 1_700_000_000,
        nanos: 250_000_000,
    };
    let expected_exemplar = dto::Exemplar {
        label: vec![
            dto::LabelPair {
                name: Some("trace_id".into()),
                value: Some("4bf92f3577b34da6a3ce929d0e0e4736".into()),
            },
            dto::LabelPair {
                name: Some("span_id".into()),
                value: Some("00f067aa0ba902b7".into()),
            },
        ],
        value: Some(0.67),
        timestamp: Some(expected_stamp.clone()),
    };
    // In a histogram family the counter keeps its own value message.
    let counter = metrics[0].counter.as_ref().unwrap();
    assert_eq!(counter.value, Some(5.0));
    assert_eq!(counter.exemplar.as_ref(), Some(&expected_exemplar));
    assert_eq!(counter.created_timestamp, Some(expected_stamp.clone()));

    let classic = metrics[1].histogram.as_ref().unwrap();
    assert_eq!(classic.sample_count, Some(4));
    assert_eq!(classic.sample_sum, Some(3.2));
    let bounds: Vec<f64> = classic
        .bucket
        .iter()
        .map(|b| b.upper_bound.unwrap())
        .collect();
    assert_eq!(
        bounds,
        [0.1, 1.0, f64::INFINITY],
        "+Inf written to carry its exemplar"
    );
    let cumulative: Vec<u64> = classic
        .bucket
        .iter()
        .map(|b| b.cumulative_count.unwrap())
        .collect();
    assert_eq!(cumulative, [1, 3, 4]);
    assert_eq!(classic.bucket[0].exemplar, None);
    assert_eq!(
        classic.bucket[1].exemplar.as_ref(),
        Some(&expected_exemplar)
    );
    assert_eq!(classic.bucket[2].exemplar.as_ref().unwrap().label, []);
    assert_eq!(classic.created_timestamp, Some(expected_stamp.clone()));
    assert_eq!(
        classic.schema, None,
        "a classic histogram carries no schema"
    );

    let native = metrics[2].histogram.as_ref().unwrap();
    assert_eq!(native.schema, Some(3));
    assert_eq!(native.zero_threshold, Some(1e-128));
    assert_eq!(native.zero_count, Some(2));
    assert_eq!(native.sample_count, Some(15));
    assert_eq!(native.sample_sum, Some(-1.5));
    assert!(native.bucket.is_empty());
    let spans = |spans: &[dto::BucketSpan]| -> Vec<(i32, u32)> {
        spans
            .iter()
            .map(|s| (s.offset.unwrap(), s.length.unwrap()))
            .collect()
    };
    // -1, 0 | gap of 2 bridged: 1, 2 empty | 3 | gap of 5: new span | 9.
    assert_eq!(spans(&native.positive_span), [(-1, 5), (5, 1)]);
    assert_eq!(native.positive_delta, [1, 3, -4, 0, 2, -1]);
    assert_eq!(spans(&native.negative_span), [(2, 1)]);
    assert_eq!(native.negative_delta, [5]);
    assert_eq!(native.exemplars, std::slice::from_ref(&expected_exemplar));
    // The family's creation time stands in for a series without one.
    assert_eq!(
        native.created_timestamp,
        Some(dto::Timestamp {
            seconds: 1_600_000_000,
            nanos: 0
        })
    );

    let empty = metrics[3].histogram.as_ref().unwrap();
    assert_eq!(
        spans(&empty.positive_span),
        [(0, 0)],
        "a no-op span marks it native"
    );
    assert_eq!(empty.schema, Some(0));

    let summary = metrics[4].summary.as_ref().unwrap();
    assert_eq!(summary.sample_count, Some(10));
    assert_eq!(summary.sample_sum, Some(4.0));
    let quantiles: Vec<(f64, f64)> = summary
        .quantile
        .iter()
        .map(|q| (q.quantile.unwrap(), q.value.unwrap()))
        .collect();
    assert_eq!(quantiles, [(0.5, 0.25), (0.99, 1.5)]);
    assert_eq!(summary.created_timestamp, Some(expected_stamp));
}

#[test]
fn names_outside_the_legacy_set_follow_the_escaping_scheme() {
    struct Utf8Labels;
    impl WriteLabels for Utf8Labels {
        fn write_labels(&self, writer: &mut LabelWriter<'_>) {
            writer.label("http.method", "get");
        }
    }
    struct Requests;
    impl EncodeMetric for Requests {
        fn encode(&self, encoder: &mut MetricEncoder<'_>) {
            encoder.counter(&Utf8Labels, SampleValue::Unsigned(3), None, None);
        }
    }
    let desc = MetricDesc::new(
        "http.server.requests",
        "Requests.",
        MetricType::Counter,
        site(30),
    );
    let cases = [
        (
            Escaping::AllowUtf8,
            "http.server.requests_total",
            "http.method",
        ),
        (
            Escaping::Underscores,
            "http_server_requests_total",
            "http_method",
        ),
        (
            Escaping::Dots,
            "http_dot_server_dot_requests_total",
            "http_dot_method",
        ),
        (
            Escaping::Values,
            "U__http_2e_server_2e_requests_total",
            "U__http_2e_method",
        ),
    ];
    for (escaping, family_name, label_name) in cases {
        let exposition = Exposition::new(Format::Protobuf).with_escaping(escaping);
        let mut out = Vec::new();
        let mut family = FamilyEncoder::begin(&mut out, exposition, desc.name(), &desc);
        Requests.encode(&mut family.encoder("").with_utf8_label_names());
        family.finish();
        let families = decode(&out);
        assert_eq!(
            families[0].name.as_deref(),
            Some(family_name),
            "{escaping:?}"
        );
        assert_eq!(
            families[0].metric[0].label[0].name.as_deref(),
            Some(label_name),
            "{escaping:?}"
        );
        assert_eq!(
            families[0].metric[0].counter.as_ref().unwrap().value,
            Some(3.0)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any label values and any float values survive the protobuf round trip exactly.
    #[test]
    fn values_and_labels_round_trip(
        series in prop::collection::vec((any::<String>(), any::<f64>()), 0..20),
        help in "[^\u{0}]{1,40}",
    ) {
        struct Series(Vec<(String, f64)>);
        impl EncodeMetric for Series {
            fn encode(&self, encoder: &mut MetricEncoder<'_>) {
                for (value, sample) in &self.0 {
                    encoder.sample("", &Path { path: value.clone() }, SampleValue::Float(*sample));
                }
            }
        }
        let help: &'static str = Box::leak(help.into_boxed_str());
        let desc = MetricDesc::new("g", help, MetricType::Gauge, site(40));
        let mut out = Vec::new();
        let mut family = FamilyEncoder::begin(&mut out, Format::Protobuf, "g", &desc);
        family.member(&Series(series.clone()), "");
        family.finish();
        let families = decode(&out);
        if series.is_empty() {
            prop_assert!(families.is_empty());
            return Ok(());
        }
        prop_assert_eq!(families.len(), 1);
        let family = &families[0];
        prop_assert_eq!(family.help.as_deref(), Some(help.trim()).filter(|h| !h.is_empty()));
        prop_assert_eq!(family.metric.len(), series.len());
        for (metric, (label, value)) in family.metric.iter().zip(&series) {
            prop_assert_eq!(metric.label[0].value.as_deref(), Some(label.as_str()));
            let decoded = metric.gauge.as_ref().unwrap().value.unwrap();
            prop_assert_eq!(decoded.to_bits(), value.to_bits());
        }
    }
}

mod registry_scrapes {
    //! A registry of derived groups (static, and per-instance through scoped sub-registries)
    //! scraped in protobuf: one `MetricFamily` per merged family, every field equal to the
    //! text exposition of the same scrape.

    use std::sync::Arc;

    use oxios_metrics::encode::Exposition;
    use oxios_metrics::{
        Counter, Family, Format, Gauge, Histogram, Info, LabelSet, LabelValue, Metrics, Registry,
    };

    use super::{as_text, decode};

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
    pub enum Role {
        Dialer,
        Listener,
    }

    #[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
    pub struct Protocol {
        pub protocol: String,
    }

    #[derive(Metrics)]
    pub struct SwarmMetrics {
        /// Connections established, by role.
        pub connections_established: Family<Role, Counter>,
        /// Dial duration.
        #[metric(unit = "seconds", buckets = [0.01, 0.1, 1.0, 10.0])]
        pub dial_duration: Histogram,
        /// Bytes received, by protocol.
        #[metric(unit = "bytes", max_series = 100)]
        pub received: Family<Protocol, Counter>,
    }

    #[derive(Metrics)]
    #[metrics(prefix = "app")]
    pub struct AppMetrics {
        /// Workers running.
        pub workers: Gauge,
        /// Build information.
        pub build: Info,
    }

    static APP: AppMetrics = AppMetrics::new();

    #[test]
    fn merged_families_decode_to_the_text_exposition() {
        let registry = Registry::new();
        registry.register(&APP).unwrap();
        APP.workers.set(4);
        APP.build.set_static(&[("version", "1.0 \"rc\"")]).unwrap();
        let mut keep = Vec::new();
        for (peer, bytes) in [("a", 10), ("b", 20)] {
            let metrics = Arc::new(SwarmMetrics::new());
            let scope = registry
                .sub_registry_with_prefix("libp2p_swarm")
                .unwrap()
                .with_label("peer", peer)
                .unwrap();
            keep.push(scope.register_shared(metrics.clone()).unwrap());
            metrics.connections_established.get(Role::Dialer).inc();
            metrics
                .connections_established
                .get(Role::Listener)
                .add(bytes / 10);
            metrics.dial_duration.observe(0.05);
            metrics
                .received
                .get(Protocol {
                    protocol: "/ipfs/ping".into(),
                })
                .add(bytes);
        }
        let mut bytes = Vec::new();
        registry.encode_to_vec(&mut bytes, Format::Protobuf);
        let families = decode(&bytes);
        let names: Vec<&str> = families
            .iter()
            .map(|f| f.name.as_deref().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "app_workers",
                "app_build_info",
                "libp2p_swarm_connections_established_total",
                "libp2p_swarm_dial_duration_seconds",
                "libp2p_swarm_received_bytes_total",
            ]
        );
        // Both instances' series in one family: 2 roles x 2 peers.
        assert_eq!(families[2].metric.len(), 4);
        let text = registry.render(Format::Prometheus);
        let rebuilt: String = families.iter().map(as_text).collect();
        assert_eq!(rebuilt, text);
        // The creation time of every counter and histogram series is its registration.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        for family in &families[2..] {
            for metric in &family.metric {
                let created = metric
                    .counter
                    .as_ref()
                    .and_then(|c| c.created_timestamp.clone())
                    .or_else(|| {
                        metric
                            .histogram
                            .as_ref()
                            .and_then(|h| h.created_timestamp.clone())
                    })
                    .expect("a created timestamp");
                assert!((now - created.seconds).abs() < 60, "{created:?}");
            }
        }
        // The same registry in OpenMetrics with `_created` on.
        let openmetrics = registry.render(Exposition::new(Format::OpenMetrics).with_created(true));
        assert!(
            openmetrics.contains(
                "libp2p_swarm_received_bytes_created{peer=\"b\",protocol=\"/ipfs/ping\"} 1."
            ),
            "{openmetrics}"
        );
        drop(keep);
        let mut bytes = Vec::new();
        registry.encode_to_vec(&mut bytes, Format::Protobuf);
        assert_eq!(
            decode(&bytes).len(),
            2,
            "the instances' families left with them"
        );
    }
}

/// A dynamic family's series carry the time each was created; a fixed family's series (all
/// created with the group) and the overflow series carry the registration time.
#[test]
fn dynamic_series_carry_their_own_creation_time() {
    use oxios_metrics::Registry;
    let paths: &'static Family<Path, Counter> = leak(Family::new());
    let fixed: &'static Family<Method, Counter> = leak(Family::new());
    let registry = Registry::new();
    registry
        .register_owned(Box::new(oxios_metrics_tests::HandGroup::new(vec![
            (
                MetricDesc::new("paths", "Paths.", MetricType::Counter, site(50)),
                paths,
            ),
            (
                MetricDesc::new("fixed", "Fixed.", MetricType::Counter, site(51)),
                fixed,
            ),
        ])))
        .unwrap();
    let created_ms = |family: &dto::MetricFamily, index: usize| {
        let stamp = family.metric[index]
            .counter
            .as_ref()
            .unwrap()
            .created_timestamp
            .clone()
            .expect("a created timestamp");
        stamp.seconds * 1000 + i64::from(stamp.nanos) / 1_000_000
    };
    std::thread::sleep(std::time::Duration::from_millis(20));
    paths.get(Path { path: "/a".into() }).inc();
    std::thread::sleep(std::time::Duration::from_millis(20));
    paths.get(Path { path: "/b".into() }).inc();
    let mut bytes = Vec::new();
    registry.encode_to_vec(&mut bytes, Format::Protobuf);
    let families = decode(&bytes);
    let registered = created_ms(&families[1], 0);
    assert_eq!(
        created_ms(&families[1], 1),
        registered,
        "fixed series: registration"
    );
    let a = created_ms(&families[0], 0);
    let b = created_ms(&families[0], 1);
    assert!(
        a >= registered + 15,
        "/a created after registration: {a} vs {registered}"
    );
    assert!(b >= a + 15, "/b created after /a: {b} vs {a}");
    // The same times in OpenMetrics `_created`, to the millisecond.
    let text = registry.render(Exposition::new(Format::OpenMetrics).with_created(true));
    let created_line = text
        .lines()
        .find(|line| line.starts_with("paths_created{path=\"/b\"} "))
        .unwrap();
    let seconds: f64 = created_line.rsplit(' ').next().unwrap().parse().unwrap();
    assert_eq!((seconds * 1000.0).round() as i64, b);
}
