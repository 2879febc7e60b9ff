//! Hostile inputs against the newest surfaces: native histograms, summaries and exemplar
//! types fed extreme values and configurations, checked in every format by the independent
//! parsers.

mod proto_common;

use oxios_metrics::{
    Buckets, ExemplarCounter, ExemplarHistogram, ExemplarNativeHistogram, Format, MetricType,
    NativeConfig, NativeHistogram, Registry, Summary,
};
use oxios_metrics_tests::{
    assert_well_formed, desc, leak, openmetrics_parse, prometheus_text_parse, promtool_check,
    registry_with, Checked,
};

/// Renders `registry` in every format and has each independent parser read it.
fn check_everywhere(registry: &Registry) {
    let text = registry.render(Format::Prometheus);
    assert_well_formed(&text, Format::Prometheus);
    if let Checked::Ran(said) = promtool_check(&text) {
        assert!(said.trim().is_empty(), "promtool: {said}\n{text}");
    }
    for format in [Format::Prometheus, Format::PrometheusV1] {
        let text = registry.render(format);
        if let Checked::Ran(said) = prometheus_text_parse(&text) {
            assert!(!said.contains("Error"), "text parser: {said}\n{text}");
        }
    }
    let text = registry.render(Format::OpenMetrics);
    assert_well_formed(&text, Format::OpenMetrics);
    if let Checked::Ran(said) = openmetrics_parse(&text) {
        assert!(
            !said.contains("Error"),
            "OpenMetrics parser: {said}\n{text}"
        );
    }
    let mut bytes = Vec::new();
    registry
        .encode(&mut bytes, Format::Protobuf)
        .expect("protobuf encodes");
    for family in proto_common::decode(&bytes) {
        for metric in &family.metric {
            if let Some(histogram) = &metric.histogram {
                if histogram.schema.is_some() {
                    let (count, buckets) = native_totals(histogram);
                    assert_eq!(count, buckets, "{histogram:?}");
                }
            }
        }
    }
}

/// NaN, infinities, `±f64::MAX`, subnormals and signed zeros into every histogram-like type
/// (and a counter at `u64::MAX`), with non-ASCII, backslash and newline in the exemplars.
/// (An escaped `"` in an exemplar value is left out: the Python parser's exemplar scanner
/// toggles its in-quotes state on it and refuses the line, although the escape is valid.)
#[test]
fn extreme_observations_parse_in_every_format() {
    let values = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        0.0,
        -0.0,
        1.0,
    ];
    let plain = leak(
        NativeHistogram::new()
            .with_zero_threshold(0.0)
            .with_schema(8),
    );
    let small = leak(NativeHistogram::new().with_max_buckets(1).with_schema(8));
    let classic = leak(
        NativeHistogram::new()
            .with_classic_buckets(Buckets::checked(&[-1.0, 0.0, 1.0]))
            .with_zero_threshold(0.0),
    );
    let exemplar = leak(ExemplarNativeHistogram::new());
    let ex_hist = leak(ExemplarHistogram::new());
    let ex_counter = leak(ExemplarCounter::new());
    let summary = leak(Summary::new());
    for &value in &values {
        plain.observe(value);
        small.observe(value);
        classic.observe(value);
        let _ = exemplar.observe_with_exemplar(value, &[("trace_id", "ü\\\n")]);
        let _ = ex_hist.observe_with_exemplar(value, &[("trace_id", "ü\\\n")]);
        summary.observe(value);
    }
    let _ = ex_counter.add_with_exemplar(u64::MAX, &[("trace_id", "x")]);
    let _ = ex_counter.add_with_exemplar(0, &[]);
    let registry = registry_with(vec![
        (desc("plain", "p", MetricType::Histogram, "a.rs", 1), plain),
        (desc("small", "s", MetricType::Histogram, "a.rs", 2), small),
        (
            desc("classic", "c", MetricType::Histogram, "a.rs", 3),
            classic,
        ),
        (desc("exn", "e", MetricType::Histogram, "a.rs", 4), exemplar),
        (desc("exh", "e", MetricType::Histogram, "a.rs", 5), ex_hist),
        (desc("exc", "e", MetricType::Counter, "a.rs", 6), ex_counter),
        (desc("sum", "e", MetricType::Summary, "a.rs", 7), summary),
    ]);
    check_everywhere(&registry);
}

/// Values spread over the whole `f64` range, both signs, with NaN and infinities.
fn wild(seed: &mut u64) -> f64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    match *seed % 16 {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => f64::NEG_INFINITY,
        3 => 0.0,
        _ => {
            let bits = *seed & !(0x7ff << 52) | ((*seed >> 20) % 0x7ff) << 52;
            f64::from_bits(bits)
        }
    }
}

/// Counts in a decoded protobuf histogram: `(sample_count, zero + every native bucket)`.
fn native_totals(h: &proto_common::dto::Histogram) -> (u64, u64) {
    let side = |deltas: &[i64]| {
        let mut count = 0i64;
        deltas
            .iter()
            .map(|delta| {
                count += delta;
                assert!(count >= 0, "negative bucket count: {h:?}");
                count as u64
            })
            .sum::<u64>()
    };
    (
        h.sample_count.unwrap_or(0),
        h.zero_count.unwrap_or(0) + side(&h.positive_delta) + side(&h.negative_delta),
    )
}

/// `_count` and the `+Inf` bucket of every histogram in a text exposition.
fn text_inf_and_count(text: &str) -> Vec<(String, f64, f64)> {
    let mut found = Vec::new();
    let mut inf = None;
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        let (name, value) = line.rsplit_once(' ').expect("a sample line");
        let value: f64 = value.parse().expect("a number");
        if name.contains("le=\"+Inf\"") {
            inf = Some((name.split('{').next().unwrap().to_owned(), value));
        } else if let Some(base) = name.strip_suffix("_count") {
            if let Some((bucket, inf_value)) = inf.take() {
                assert_eq!(bucket, format!("{base}_bucket"), "{text}");
                found.push((base.to_owned(), inf_value, value));
            }
        }
    }
    found
}

#[test]
fn native_histograms_stay_consistent_in_every_format_while_observed_and_reduced() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let tiny = leak(
        NativeHistogram::new()
            .with_schema(8)
            .with_max_buckets(2)
            .with_classic_buckets(Buckets::checked(&[-1.0, 0.0, 1e-300, 1.0, 1e300])),
    );
    let wide = leak(ExemplarNativeHistogram::new().with_zero_threshold(0.0));
    let registry = leak(registry_with(vec![
        (desc("tiny", "t", MetricType::Histogram, "a.rs", 1), tiny),
        (desc("wide", "w", MetricType::Histogram, "a.rs", 2), wide),
    ]));
    let stop = leak(AtomicBool::new(false));
    let observers: Vec<_> = (0..3u64)
        .map(|thread| {
            std::thread::spawn(move || {
                let mut seed = 0x9e37_79b9_7f4a_7c15 ^ (thread + 1);
                let mut made = 0u64;
                while !stop.load(Ordering::Relaxed) && made < 2_000_000 {
                    let value = wild(&mut seed);
                    tiny.observe(value);
                    if made.is_multiple_of(7) {
                        let _ = wide.observe_with_exemplar(value, &[("trace_id", "abc")]);
                    } else {
                        wide.observe(value);
                    }
                    made += 1;
                }
                made
            })
        })
        .collect();
    let mut checked_python = false;
    for round in 0..300 {
        let mut bytes = Vec::new();
        registry.encode(&mut bytes, Format::Protobuf).unwrap();
        for family in proto_common::decode(&bytes) {
            for metric in &family.metric {
                let h = metric.histogram.as_ref().expect("a histogram");
                let (count, buckets) = native_totals(h);
                assert_eq!(count, buckets, "round {round}: {h:?}");
                let mut previous = 0;
                for bucket in &h.bucket {
                    let cumulative = bucket.cumulative_count.unwrap_or(0);
                    assert!(cumulative >= previous && cumulative <= count, "{h:?}");
                    previous = cumulative;
                }
            }
        }
        for format in [Format::Prometheus, Format::OpenMetrics] {
            let text = registry.render(format);
            for (name, inf, count) in text_inf_and_count(&text) {
                assert_eq!(inf, count, "round {round} {format:?} {name}:\n{text}");
            }
            if !checked_python && round == 150 {
                if let Checked::Ran(said) = openmetrics_parse(&registry.render(Format::OpenMetrics))
                {
                    assert!(!said.contains("Error"), "{said}");
                }
                checked_python = true;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let made: u64 = observers.into_iter().map(|t| t.join().unwrap()).sum();
    // Quiet now: every observation is in every count.
    let snapshot = tiny.snapshot();
    assert_eq!(snapshot.count() + snapshot.nan_count(), made);
    let total: u64 = snapshot.classic_counts().iter().sum();
    assert_eq!(total, made);
    let snapshot = wide.snapshot();
    assert_eq!(snapshot.count() + snapshot.nan_count(), made);
}

#[test]
fn negative_zero_bounds_and_a_huge_zero_threshold_parse_everywhere() {
    use oxios_metrics::{Histogram, SummaryConfig};
    let summary = leak(Summary::with_config(
        SummaryConfig::new()
            .try_with_quantiles(&[-0.0, 1.0])
            .unwrap(),
    ));
    summary.observe(-0.0);
    let histogram = leak(Histogram::with_buckets(Buckets::checked(&[
        -0.0,
        5e-324 * 3.0,
        1e-300,
        1e300,
    ])));
    histogram.observe(-0.0);
    histogram.observe(0.0);
    let native = leak(NativeHistogram::with_config(
        NativeConfig::new()
            .try_with_zero_threshold(f64::MAX)
            .unwrap()
            .with_classic_buckets(Buckets::checked(&[-0.0])),
    ));
    native.observe(-0.0);
    native.observe(f64::MAX);
    native.observe(f64::INFINITY);
    let registry = registry_with(vec![
        (desc("s", "s", MetricType::Summary, "a.rs", 1), summary),
        (desc("h", "h", MetricType::Histogram, "a.rs", 2), histogram),
        (desc("n", "n", MetricType::Histogram, "a.rs", 3), native),
    ]);
    check_everywhere(&registry);
}

/// A summary's window is counted in slices of `max_age / age_buckets`; a process outlives
/// 2^32 of them when the window is short (a 1 ms window in 5 slices: after ten days). The
/// window must keep sliding past that point: a fresh observation is a quantile.
#[test]
fn a_summary_keeps_its_quantiles_after_2_pow_32_slices() {
    use oxios_metrics::SummaryConfig;
    use std::time::{Duration, Instant};
    for age_buckets in [1, 4, 5] {
        // Slices of one nanosecond: 2^32 slices pass in 4.3 seconds of the injected clock.
        let summary = Summary::with_config(
            SummaryConfig::new()
                .with_quantiles(&[0.5])
                .with_max_age(Duration::from_nanos(age_buckets))
                .with_age_buckets(age_buckets as usize),
        );
        let base = Instant::now();
        // Fill every slice just before the slice counter passes 2^32 ...
        let before = base + Duration::from_millis(4_000);
        for k in 0..age_buckets {
            summary.observe_at(1.0, before + Duration::from_nanos(k));
        }
        assert_eq!(
            summary
                .snapshot_at(before + Duration::from_nanos(age_buckets - 1))
                .quantile(0.5),
            Some(1.0)
        );
        // ... then observe after it passed.
        let after = base + Duration::from_millis(4_500);
        summary.observe_at(2.0, after);
        let snapshot = summary.snapshot_at(after);
        assert_eq!(snapshot.count(), age_buckets + 1);
        assert_eq!(
            snapshot.quantile(0.5),
            Some(2.0),
            "{age_buckets} slices: the observation just made is the only one in the window"
        );
        // And much later again, after a long idle time, the window still slides.
        let idle = after + Duration::from_millis(6_000);
        summary.observe_at(3.0, idle);
        assert_eq!(summary.snapshot_at(idle).quantile(0.5), Some(3.0));
    }
}

/// `Accept-Encoding` over several lines means the lines joined (RFC 9110 §5.3), as `Accept`
/// does: a client refusing gzip on one line and accepting anything (`*`) on another refuses
/// gzip, and must get a body it can read.
#[test]
fn accept_encoding_over_several_lines_means_the_lines_joined() {
    use oxios_metrics::serve::MetricsService;
    let registry = leak(Registry::new());
    let service = MetricsService::new(registry).gzip(true);
    for (lines, gzip) in [
        (&["gzip;q=0", "*"][..], false),
        (&["*", "gzip;q=0"][..], false),
        (&["identity", "gzip"][..], true),
        (&["br", "*;q=0.5"][..], true),
        (&["x-gzip;q=0", "*;q=1"][..], false),
    ] {
        let mut split = http::Request::get("/metrics");
        for line in lines {
            split = split.header("accept-encoding", *line);
        }
        let split = service.respond(&split.body(()).unwrap());
        let joined = http::Request::get("/metrics")
            .header("accept-encoding", lines.join(", "))
            .body(())
            .unwrap();
        let joined = service.respond(&joined);
        for (how, response) in [("split", &split), ("joined", &joined)] {
            assert_eq!(
                response.headers().get("content-encoding").is_some(),
                gzip,
                "{how} {lines:?}"
            );
        }
    }
}

/// A reader copying an exemplar while the cell is cleared (a dynamic family reusing a
/// removed series' slot) and refilled must get one exemplar whole, never the lengths of one
/// with the text of another (which could make a label name invalid and the whole scrape
/// refused).
#[test]
fn an_exemplar_read_across_clear_and_refill_is_never_torn() {
    use oxios_metrics::exemplar::ExemplarCell;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant, UNIX_EPOCH};
    let cell = leak(ExemplarCell::new());
    let stop = leak(AtomicBool::new(false));
    const SHAPES: [&[(&str, &str)]; 2] = [
        &[("trace_id", "0123456789abcdef0123456789abcdef")],
        &[("a", "x"), ("span_id", "fedcba")],
    ];
    let writer = std::thread::spawn(move || {
        let mut round = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let shape = SHAPES[(round % 2) as usize];
            let _ = cell.record(
                shape,
                round as f64,
                UNIX_EPOCH + Duration::from_nanos(round + 1),
            );
            // Held a moment, so the reader finds exemplars to read at all.
            for _ in 0..200 {
                std::hint::spin_loop();
            }
            cell.clear();
            round += 1;
        }
    });
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut reads = 0u64;
    while Instant::now() < deadline {
        if let Some(snapshot) = cell.snapshot() {
            let labels: Vec<(&str, &str)> = snapshot.labels().collect();
            let shape = SHAPES
                .iter()
                .position(|shape| *shape == labels.as_slice())
                .unwrap_or_else(|| panic!("a torn exemplar: {labels:?}"));
            // The value and time written with this shape: the round's parity matches.
            assert_eq!(snapshot.value() as u64 % 2, shape as u64, "{labels:?}");
            assert_eq!(snapshot.timestamp_nanos(), snapshot.value() as u64 + 1);
            reads += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    assert!(reads > 0, "no exemplar was ever read");
}

/// A keep-alive connection left idle after a complete exchange, and a connection that
/// pipelines several requests (then a partial one) in one write: the pipelined requests are
/// all answered, in order, and neither connection is held open past the header-read timeout.
#[test]
fn idle_keep_alive_and_pipelined_connections_are_answered_then_closed() {
    use oxios_metrics::serve::Exporter;
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};
    let registry = leak(Registry::new());
    let exporter = Exporter::builder(registry)
        .header_read_timeout(Duration::from_millis(300))
        .bind("127.0.0.1:0")
        .expect("bind");
    let address = exporter.local_addr();
    let request = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    let head = "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    let wrong = "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
    for (pipelined, statuses) in [
        (request.to_owned(), vec!["200"]),
        (
            format!("{request}{head}{wrong}{request}GET /metr"),
            vec!["200", "200", "404", "200"],
        ),
    ] {
        let mut stream = TcpStream::connect(address).expect("connect");
        stream.write_all(pipelined.as_bytes()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let started = Instant::now();
        let mut answer = Vec::new();
        let closed = match stream.read_to_end(&mut answer) {
            Ok(_) => true,
            Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
        };
        assert!(
            closed,
            "the connection stayed open for {:?}",
            started.elapsed()
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "closed only after {:?}",
            started.elapsed()
        );
        let answer = String::from_utf8_lossy(&answer);
        let seen: Vec<&str> = answer
            .match_indices("HTTP/1.1 ")
            .map(|(at, _)| &answer[at + 9..at + 12])
            .collect();
        assert_eq!(seen, statuses, "{answer}");
    }
    exporter.shutdown().expect("shutdown");
}

/// A label set of two label names, written as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct TwoLabels(&'static str, &'static str);

impl oxios_metrics::WriteLabels for TwoLabels {
    fn write_labels(&self, writer: &mut oxios_metrics::LabelWriter<'_>) {
        writer.label(self.0, "a");
        writer.label(self.1, "b");
    }
}

impl oxios_metrics::LabelSet for TwoLabels {
    const LABEL_NAMES: &'static [&'static str] = &["http.method", "http_method"];
    type Storage<M: oxios_metrics::FamilyMember> =
        oxios_metrics::__private::DynamicSeries<TwoLabels, M>;
}

/// Label sets of one label each, `name="x"`.
macro_rules! one_label {
    ($($set:ident = $name:literal;)*) => {$(
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        struct $set;

        impl oxios_metrics::WriteLabels for $set {
            fn write_labels(&self, writer: &mut oxios_metrics::LabelWriter<'_>) {
                writer.label($name, "x");
            }
        }

        impl oxios_metrics::LabelSet for $set {
            const LABEL_NAMES: &'static [&'static str] = &[$name];
            type Storage<M: oxios_metrics::FamilyMember> =
                oxios_metrics::__private::DynamicSeries<$set, M>;
        }
    )*};
}

one_label! {
    OverflowLike = "series.overflow";
    DottedMethod = "http.method";
    Route = "http.route";
    Colon = "http:method";
    DoubleDot = "..x";
    UnderscoreDot = "_x.y";
}

/// Label names that differ as written but read the same once a scrape escapes them
/// (`http.method` and `http_method` under `underscores`) would give a series the same label
/// twice, and Prometheus refuses the whole scrape: registration must refuse them, as it
/// refuses a label written twice, whether both come from the label set or one is a
/// constant label of a sub-registry. `series.overflow` reads as the overflow series' label.
#[test]
fn label_names_that_collide_once_escaped_are_refused_at_registration() {
    use oxios_metrics::{Counter, Escaping, Exposition, Family};
    use oxios_metrics_tests::HandGroup;
    let utf8 =
        |name: &'static str| desc(name, "h", MetricType::Counter, "a.rs", 9).with_utf8_names();
    let registry = Registry::new();
    let both: &'static Family<TwoLabels, Counter> = leak(Family::new());
    both.get(TwoLabels("http.method", "http_method")).inc();
    let error = registry
        .register_owned(Box::new(HandGroup::new(vec![(utf8("requests"), both)])))
        .expect_err("http.method and http_method collide under underscores");
    assert!(error.to_string().contains("http.method"), "{error}");
    let overflow: &'static Family<OverflowLike, Counter> = leak(Family::new());
    overflow.get(OverflowLike).inc();
    let error = registry
        .register_owned(Box::new(HandGroup::new(vec![(utf8("other"), overflow)])))
        .expect_err("series.overflow reads as the overflow label");
    assert!(error.to_string().contains("series.overflow"), "{error}");
    let scoped: &'static Family<DottedMethod, Counter> = leak(Family::new());
    scoped.get(DottedMethod).inc();
    let error = registry
        .sub_registry_with_label("http_method", "x")
        .unwrap()
        .register_owned(Box::new(HandGroup::new(vec![(utf8("scoped"), scoped)])))
        .expect_err("a constant http_method and a family's http.method collide");
    assert!(error.to_string().contains("http.method"), "{error}");
    // `:` passes for a legacy character in names, so it would be written unescaped.
    let colon: &'static Family<Colon, Counter> = leak(Family::new());
    colon.get(Colon).inc();
    let error = registry
        .register_owned(Box::new(HandGroup::new(vec![(utf8("colon"), colon)])))
        .expect_err("a label name never holds `:`");
    assert!(error.to_string().contains("http:method"), "{error}");
    // Written as `__x` under `underscores`, `___x_dot_y` under `dots`: a prefix Prometheus
    // reserves and drops from ingested series.
    let double_dot: &'static Family<DoubleDot, Counter> = leak(Family::new());
    double_dot.get(DoubleDot).inc();
    let underscore_dot: &'static Family<UnderscoreDot, Counter> = leak(Family::new());
    underscore_dot.get(UnderscoreDot).inc();
    let error = registry
        .register_owned(Box::new(HandGroup::new(vec![
            (utf8("reserved_a"), double_dot),
            (utf8("reserved_b"), underscore_dot),
        ])))
        .expect_err("labels escaped onto the reserved prefix");
    let said = error.to_string();
    assert!(said.contains("..x") && said.contains("_x.y"), "{said}");
    // A UTF-8 label that escapes onto nothing else is fine.
    let fine: &'static Family<Route, Counter> = leak(Family::new());
    fine.get(Route).inc();
    registry
        .register_owned(Box::new(HandGroup::new(vec![(utf8("fine"), fine)])))
        .expect("no collision");
    // Nothing refused reached the exposition.
    for escaping in Escaping::ALL {
        let text = registry.render(Exposition::new(Format::PrometheusV1).with_escaping(escaping));
        assert!(
            !["requests", "other", "scoped", "colon", "reserved"]
                .iter()
                .any(|name| text.contains(name)),
            "{text}"
        );
    }
}

/// Every metric type under a UTF-8 name (with UTF-8 label names), in every text format and
/// escaping scheme, read back by the independent parser of that format.
#[test]
fn utf8_names_of_every_type_parse_in_every_format_and_scheme() {
    use oxios_metrics::{Counter, Escaping, Exposition, Family, Gauge, Histogram};
    let utf8 = |name: &'static str, metric_type: MetricType, line: u32| {
        desc(name, "h", metric_type, "a.rs", line).with_utf8_names()
    };
    let counter: &'static Family<Route, Counter> = leak(Family::new());
    counter.get(Route).add(2);
    let gauge: &'static Family<DottedMethod, Gauge> = leak(Family::new());
    gauge.get(DottedMethod).set(-3);
    let histogram = leak(Histogram::new());
    histogram.observe(0.2);
    let summary = leak(Summary::new());
    summary.observe(0.2);
    let native = leak(NativeHistogram::new().with_classic_buckets(Buckets::checked(&[1.0])));
    native.observe(0.5);
    let registry = registry_with(vec![
        (utf8("svc.requests", MetricType::Counter, 1), counter),
        (utf8("svc.queue.depth", MetricType::Gauge, 2), gauge),
        (
            utf8("svc.latency_seconds", MetricType::Histogram, 3).with_unit("seconds"),
            histogram,
        ),
        (utf8("svc.size", MetricType::Summary, 4), summary),
        (utf8("svc.native", MetricType::Histogram, 5), native),
    ]);
    for escaping in Escaping::ALL {
        for format in [
            Format::Prometheus,
            Format::PrometheusV1,
            Format::OpenMetrics,
        ] {
            let exposition = Exposition::new(format).with_escaping(escaping);
            let text = registry.render(exposition);
            let checked = if format.is_openmetrics() {
                openmetrics_parse(&text)
            } else {
                prometheus_text_parse(&text)
            };
            if let Checked::Ran(said) = checked {
                assert!(
                    !said.contains("Error") && said.contains("svc"),
                    "{exposition:?}: {said}\n{text}"
                );
            }
            assert_well_formed(&text, format);
            // promtool reads the Prometheus text format, without quoted names.
            if !format.is_openmetrics() && exposition.escaping() != Escaping::AllowUtf8 {
                if let Checked::Ran(said) = promtool_check(&text) {
                    assert!(
                        said.trim().is_empty(),
                        "{exposition:?} promtool: {said}\n{text}"
                    );
                }
            }
        }
    }
}

/// `_created` on every type that carries it, in OpenMetrics 1.0 beside exemplars, negative
/// observations and NaN, read back by the parser. (OpenMetrics 2.0's `st@` start times are
/// a draft the Python parser does not read.)
#[test]
fn created_timestamps_beside_exemplars_and_odd_values_parse() {
    use oxios_metrics::{Counter, Exposition, Family, Histogram};
    let counter = leak(ExemplarCounter::new());
    let _ = counter.inc_with_exemplar(&[("trace_id", "a")]);
    let histogram = leak(ExemplarHistogram::new());
    let _ = histogram.observe_with_exemplar(-1.0, &[("trace_id", "b")]);
    let native =
        leak(ExemplarNativeHistogram::new().with_classic_buckets(Buckets::checked(&[0.5])));
    let _ = native.observe_with_exemplar(f64::NAN, &[("trace_id", "c")]);
    let _ = native.observe_with_exemplar(0.25, &[("trace_id", "d")]);
    let summary = leak(Summary::new());
    summary.observe(-2.0);
    let family: &'static Family<Route, Counter> = leak(Family::new());
    family.get(Route).inc();
    let plain = leak(Histogram::new());
    plain.observe(f64::NAN);
    let registry = registry_with(vec![
        (desc("c", "c", MetricType::Counter, "a.rs", 1), counter),
        (desc("h", "h", MetricType::Histogram, "a.rs", 2), histogram),
        (desc("n", "n", MetricType::Histogram, "a.rs", 3), native),
        (desc("s", "s", MetricType::Summary, "a.rs", 4), summary),
        (
            desc("f", "f", MetricType::Counter, "a.rs", 5).with_utf8_names(),
            family,
        ),
        (desc("p", "p", MetricType::Histogram, "a.rs", 6), plain),
    ]);
    let text = registry.render(Exposition::new(Format::OpenMetrics).with_created(true));
    if let Checked::Ran(said) = oxios_metrics_tests::openmetrics_parse_exemplars(&text) {
        assert!(!said.contains("Error"), "{said}\n{text}");
        for sample in [
            "c_created",
            "h_created",
            "n_created",
            "s_created",
            "f_created",
            "p_created",
        ] {
            assert!(said.contains(sample), "{sample} missing: {said}\n{text}");
        }
    }
}

/// Run-time native options at the edges of their ranges: errors for what is out of range,
/// never a panic, and a negative zero threshold taken as 0 (not written `-0.0`).
#[test]
fn native_options_at_the_edges_of_their_ranges() {
    use oxios_metrics::{Exposition, NativeConfigError};
    let config = NativeConfig::new();
    assert_eq!(
        config.clone().try_with_schema(i32::MIN),
        Err(NativeConfigError::Schema(i32::MIN))
    );
    assert_eq!(
        config.clone().try_with_schema(i32::from(i8::MAX) + 1),
        Err(NativeConfigError::Schema(128))
    );
    assert_eq!(
        config.clone().try_with_max_buckets(usize::MAX),
        Err(NativeConfigError::MaxBuckets(usize::MAX))
    );
    assert!(config.clone().try_with_zero_threshold(f64::NAN).is_err());
    assert!(config
        .clone()
        .try_with_zero_threshold(-f64::MIN_POSITIVE)
        .is_err());
    assert!(config
        .clone()
        .try_with_zero_threshold(f64::INFINITY)
        .is_err());
    let negative_zero = config.clone().try_with_zero_threshold(-0.0).unwrap();
    assert!(negative_zero.zero_threshold().is_sign_positive());
    let constant = NativeHistogram::new().with_zero_threshold(-0.0);
    assert!(constant.config().zero_threshold().is_sign_positive());
    let histogram = leak(NativeHistogram::with_config(negative_zero));
    histogram.observe(0.0);
    histogram.observe(-0.0);
    assert_eq!(histogram.snapshot().zero_count(), 2);
    let registry = registry_with(vec![(
        desc("z", "z", MetricType::Histogram, "a.rs", 1),
        histogram,
    )]);
    let text = registry.render(Exposition::new(Format::OpenMetricsV2));
    assert!(text.contains("zero_threshold:0.0,"), "{text}");
}

/// Control characters other than newline (NUL, CR, tab, DEL) and Unicode line separators in
/// label values and exemplar values: every parser reads them back as given.
#[test]
fn control_characters_in_label_and_exemplar_values_parse() {
    use oxios_metrics::{Counter, Family};
    use oxios_metrics_tests::L;
    let odd = [
        "nul\0",
        "cr\r",
        "tab\t",
        "del\u{7f}",
        "ls\u{2028}ps\u{2029}",
        "nel\u{85}",
    ];
    let family: &'static Family<L, Counter> = leak(Family::new());
    for value in odd {
        family.get(L(value.to_owned())).inc();
    }
    let exemplars = leak(ExemplarCounter::new());
    exemplars
        .inc_with_exemplar(&[("trace_id", "a\0\r\t\u{7f}\u{2028}b")])
        .expect("a valid exemplar");
    let registry = registry_with(vec![
        (desc("odd", "o", MetricType::Counter, "a.rs", 1), family),
        (desc("ex", "e", MetricType::Counter, "a.rs", 2), exemplars),
    ]);
    check_everywhere(&registry);
    if let Checked::Ran(said) =
        oxios_metrics_tests::openmetrics_parse_exemplars(&registry.render(Format::OpenMetrics))
    {
        for value in odd {
            let expected = format!("l={value:?}")
                .replace("\\0", "\\x00")
                .replace("\\u{7f}", "\\x7f")
                .replace("\\u{85}", "\\x85")
                .replace("\\u{2028}", "\\u2028")
                .replace("\\u{2029}", "\\u2029")
                .replace('"', "'");
            assert!(said.contains(&expected), "{expected} not in {said}");
        }
    }
}
