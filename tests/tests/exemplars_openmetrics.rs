//! Exemplars in OpenMetrics text: byte-exact lines, escaping, the Python parser reading them
//! back; the Prometheus text format 0.0.4 leaves them out and stays promtool-clean.

use std::time::{Duration, UNIX_EPOCH};

use oxios_metrics::{
    Buckets, ExemplarCounter, ExemplarHistogram, ExemplarNativeHistogram, Family, Format,
    MetricType,
};
use oxios_metrics_tests::{
    assert_well_formed, desc, leak, openmetrics_parse_exemplars, promtool_check, registry_with,
    Checked, Method,
};

fn registry() -> oxios_metrics::Registry {
    let at = UNIX_EPOCH + Duration::new(1_700_000_000, 123_000_000);
    let requests = leak(ExemplarCounter::new());
    requests.add(4);
    requests
        .add_with_exemplar_at(
            1,
            &[("trace_id", "4bf92f3577b34da6"), ("span_id", "00f067aa")],
            at,
        )
        .unwrap();
    let quiet = leak(ExemplarCounter::new());
    quiet.inc();
    let latency = leak(ExemplarHistogram::with_buckets(Buckets::checked(&[
        0.1, 1.0,
    ])));
    latency.observe(0.05);
    latency
        .observe_with_exemplar_at(
            0.5,
            &[("trace_id", "say \"hi\"\\\n")],
            UNIX_EPOCH + Duration::from_secs(1_700_000_001),
        )
        .unwrap();
    latency
        .observe_with_exemplar_at(7.0, &[], UNIX_EPOCH + Duration::new(1_700_000_002, 5))
        .unwrap();
    let by_method: &'static Family<Method, ExemplarCounter> = leak(Family::new());
    by_method
        .get(Method::Post)
        .add_with_exemplar_at(2, &[("trace_id", "f")], at)
        .unwrap();
    registry_with(vec![
        (
            desc("requests", "Requests.", MetricType::Counter, "e.rs", 1),
            requests,
        ),
        (
            desc("quiet", "No exemplar yet.", MetricType::Counter, "e.rs", 2),
            quiet,
        ),
        (
            desc(
                "latency_seconds",
                "Latency.",
                MetricType::Histogram,
                "e.rs",
                3,
            )
            .with_unit("seconds"),
            latency,
        ),
        (
            desc("calls", "Calls.", MetricType::Counter, "e.rs", 4),
            by_method,
        ),
    ])
}

#[test]
fn openmetrics_lines_are_byte_exact() {
    let text = registry().render(Format::OpenMetrics);
    assert_eq!(
        text,
        concat!(
            "# HELP requests Requests.\n",
            "# TYPE requests counter\n",
            "requests_total 5 # {trace_id=\"4bf92f3577b34da6\",span_id=\"00f067aa\"} 1.0 1700000000.123\n",
            "# HELP quiet No exemplar yet.\n",
            "# TYPE quiet counter\n",
            "quiet_total 1\n",
            "# HELP latency_seconds Latency.\n",
            "# TYPE latency_seconds histogram\n",
            "# UNIT latency_seconds seconds\n",
            "latency_seconds_bucket{le=\"0.1\"} 1\n",
            "latency_seconds_bucket{le=\"1.0\"} 2 # {trace_id=\"say \\\"hi\\\"\\\\\\n\"} 0.5 1700000001\n",
            "latency_seconds_bucket{le=\"+Inf\"} 3 # {} 7.0 1700000002.000000005\n",
            "latency_seconds_sum 7.55\n",
            "latency_seconds_count 3\n",
            "# HELP calls Calls.\n",
            "# TYPE calls counter\n",
            "calls_total{method=\"get\"} 0\n",
            "calls_total{method=\"post\"} 2 # {trace_id=\"f\"} 2.0 1700000000.123\n",
            "# EOF\n",
        )
    );
    assert_well_formed(&text, Format::OpenMetrics);
}

#[test]
fn the_python_parser_reads_the_exemplars_back() {
    let text = registry().render(Format::OpenMetrics);
    let Checked::Ran(parsed) = openmetrics_parse_exemplars(&text) else {
        return;
    };
    let expected = [
        "counter requests_total{} 5 # {span_id='00f067aa',trace_id='4bf92f3577b34da6'} 1.0 1700000000.123000000",
        "counter quiet_total{} 1",
        "histogram latency_seconds_bucket{le='1.0'} 2 # {trace_id='say \"hi\"\\\\\\n'} 0.5 1700000001.000000000",
        "histogram latency_seconds_bucket{le='+Inf'} 3 # {} 7.0 1700000002.000000005",
        "counter calls_total{method='post'} 2 # {trace_id='f'} 2.0 1700000000.123000000",
    ];
    for line in expected {
        assert!(
            parsed.lines().any(|l| l == line),
            "parser output lacks {line:?}:\n{parsed}"
        );
    }
}

#[test]
fn prometheus_text_has_no_exemplars() {
    let text = registry().render(Format::Prometheus);
    assert!(!text.contains(" # "), "{text}");
    assert!(text.contains("requests_total 5\n"));
    assert!(text.contains("latency_seconds_bucket{le=\"1\"} 2\n"));
    assert_well_formed(&text, Format::Prometheus);
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool: {said}");
    }
}

#[test]
fn native_histograms_keep_their_latest_exemplars() {
    let at = |second: u64| UNIX_EPOCH + Duration::from_secs(1_700_000_000 + second);
    let plain = leak(ExemplarNativeHistogram::new());
    let classic =
        leak(ExemplarNativeHistogram::new().with_classic_buckets(Buckets::checked(&[1.0, 10.0])));
    for (second, value) in [(1, 0.5), (2, 5.0), (3, 50.0), (4, 0.25), (5, 2.0)] {
        let id = format!("t{second}");
        for histogram in [plain, classic] {
            histogram
                .as_ref()
                .observe_with_exemplar_at(value, &[("trace_id", &id)], at(second))
                .unwrap();
        }
    }
    // Four are kept, newest first: the first one was replaced.
    let kept: Vec<f64> = plain.exemplars().map(|e| e.value()).collect();
    assert_eq!(kept, vec![2.0, 0.25, 50.0, 5.0]);
    assert_eq!(plain.snapshot().count(), 5);
    let registry = registry_with(vec![
        (
            desc("native_plain", "Plain.", MetricType::Histogram, "e.rs", 1),
            plain,
        ),
        (
            desc(
                "native_classic",
                "Classic.",
                MetricType::Histogram,
                "e.rs",
                2,
            ),
            classic,
        ),
    ]);
    let text = registry.render(Format::OpenMetrics);
    assert!(
        text.contains("native_plain_bucket{le=\"+Inf\"} 5 # {trace_id=\"t5\"} 2.0 1700000005\n"),
        "{text}"
    );
    // Each classic bucket shows the newest kept exemplar inside its bounds.
    assert!(
        text.contains("native_classic_bucket{le=\"1.0\"} 2 # {trace_id=\"t4\"} 0.25 1700000004\n"),
        "{text}"
    );
    assert!(
        text.contains("native_classic_bucket{le=\"10.0\"} 4 # {trace_id=\"t5\"} 2.0 1700000005\n"),
        "{text}"
    );
    assert!(
        text.contains("native_classic_bucket{le=\"+Inf\"} 5 # {trace_id=\"t3\"} 50.0 1700000003\n"),
        "{text}"
    );
    assert_well_formed(&text, Format::OpenMetrics);
    if let Checked::Ran(parsed) = openmetrics_parse_exemplars(&text) {
        assert!(
            parsed.contains("histogram native_classic_bucket{le='+Inf'} 5 # {trace_id='t3'} 50.0 1700000003.000000000"),
            "parser said:\n{parsed}"
        );
    }
}
