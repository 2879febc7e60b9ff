//! Summaries in both text formats: byte-exact lines, promtool on 0.0.4, the Python
//! OpenMetrics parser on OpenMetrics.

use oxios_metrics::{Family, Format, MetricType, Summary, SummaryConfig};
use oxios_metrics_tests::{
    assert_well_formed, desc, leak, openmetrics_parse, promtool_check, registry_with, Checked,
    Method,
};

fn registry() -> oxios_metrics::Registry {
    let latency = leak(Summary::new().with_quantiles(&[0.5, 0.9, 1.0]));
    for value in 1..=10 {
        latency.observe(f64::from(value) / 10.0);
    }
    let empty = leak(Summary::new());
    let by_method: &'static Family<Method, Summary> = leak(Family::with_config(
        SummaryConfig::new().with_quantiles(&[0.5]),
    ));
    by_method.get(Method::Get).observe(2.0);
    registry_with(vec![
        (
            desc(
                "rpc_latency_seconds",
                "RPC latency.",
                MetricType::Summary,
                "s.rs",
                1,
            )
            .with_unit("seconds"),
            latency,
        ),
        (
            desc("idle", "Nothing observed.", MetricType::Summary, "s.rs", 2),
            empty,
        ),
        (
            desc("by_method", "Per method.", MetricType::Summary, "s.rs", 3),
            by_method,
        ),
    ])
}

#[test]
fn prometheus_text_is_byte_exact_and_promtool_clean() {
    let text = registry().render(Format::Prometheus);
    assert_eq!(
        text,
        concat!(
            "# HELP rpc_latency_seconds RPC latency.\n",
            "# TYPE rpc_latency_seconds summary\n",
            "rpc_latency_seconds{quantile=\"0.5\"} 0.5\n",
            "rpc_latency_seconds{quantile=\"0.9\"} 0.9\n",
            "rpc_latency_seconds{quantile=\"1\"} 1\n",
            "rpc_latency_seconds_sum 5.5\n",
            "rpc_latency_seconds_count 10\n",
            "# HELP idle Nothing observed.\n",
            "# TYPE idle summary\n",
            "idle{quantile=\"0.5\"} NaN\n",
            "idle{quantile=\"0.9\"} NaN\n",
            "idle{quantile=\"0.99\"} NaN\n",
            "idle_sum 0\n",
            "idle_count 0\n",
            "# HELP by_method Per method.\n",
            "# TYPE by_method summary\n",
            "by_method{method=\"get\",quantile=\"0.5\"} 2\n",
            "by_method_sum{method=\"get\"} 2\n",
            "by_method_count{method=\"get\"} 1\n",
            "by_method{method=\"post\",quantile=\"0.5\"} NaN\n",
            "by_method_sum{method=\"post\"} 0\n",
            "by_method_count{method=\"post\"} 0\n",
        )
    );
    assert_well_formed(&text, Format::Prometheus);
    match promtool_check(&text) {
        Checked::Ran(said) => assert_eq!(said, "", "promtool: {said}"),
        Checked::Missing => {}
    }
}

#[test]
fn openmetrics_text_reads_back_through_the_python_parser() {
    let text = registry().render(Format::OpenMetrics);
    assert!(
        text.contains("# TYPE rpc_latency_seconds summary\n# UNIT rpc_latency_seconds seconds\n")
    );
    assert!(text.contains("rpc_latency_seconds{quantile=\"1.0\"} 1.0\n"));
    assert_well_formed(&text, Format::OpenMetrics);
    let Checked::Ran(parsed) = openmetrics_parse(&text) else {
        return;
    };
    let expected = [
        "summary rpc_latency_seconds{quantile='0.5'} 0.5",
        "summary rpc_latency_seconds{quantile='1.0'} 1.0",
        "summary rpc_latency_seconds_sum{} 5.5",
        "summary rpc_latency_seconds_count{} 10",
        "summary idle{quantile='0.99'} nan",
        "summary by_method{method='get',quantile='0.5'} 2.0",
        "summary by_method_count{method='post'} 0",
    ];
    for line in expected {
        assert!(
            parsed.lines().any(|l| l == line),
            "parser output lacks {line:?}:\n{parsed}"
        );
    }
}

/// OpenMetrics forbids negative quantile values and a negative `_sum`; those samples are left
/// out there (0.0.4 keeps them), so the exposition still parses. NaN never reaches `_sum`.
#[test]
fn negative_and_nan_values_stay_valid_openmetrics() {
    let temperatures = leak(Summary::new().with_quantiles(&[0.0, 1.0]));
    for value in [-20.0, -5.0, 3.0] {
        temperatures.observe(value);
    }
    let poisoned = leak(Summary::new().with_quantiles(&[0.5]));
    poisoned.observe(1.0);
    poisoned.observe(f64::NAN);
    let registry = registry_with(vec![
        (
            desc("temperature_celsius", "T.", MetricType::Summary, "s.rs", 1).with_unit("celsius"),
            temperatures,
        ),
        (
            desc("poisoned", "P.", MetricType::Summary, "s.rs", 2),
            poisoned,
        ),
    ]);
    let prometheus = registry.render(Format::Prometheus);
    assert!(prometheus.contains("temperature_celsius{quantile=\"0\"} -20\n"));
    assert!(prometheus.contains("temperature_celsius_sum -22\n"));
    assert!(
        prometheus.contains("poisoned_sum 1\n"),
        "NaN is not added to the sum"
    );
    let openmetrics = registry.render(Format::OpenMetrics);
    assert!(!openmetrics.contains("quantile=\"0.0\""), "{openmetrics}");
    assert!(openmetrics.contains("temperature_celsius{quantile=\"1.0\"} 3.0\n"));
    assert!(
        !openmetrics.contains("temperature_celsius_sum"),
        "{openmetrics}"
    );
    assert!(openmetrics.contains("poisoned_sum 1.0\n"), "{openmetrics}");
    assert!(openmetrics.contains("poisoned_count 2\n"));
    if let Checked::Ran(parsed) = openmetrics_parse(&openmetrics) {
        assert!(
            parsed.contains("summary poisoned_count{} 2"),
            "parser said:\n{parsed}"
        );
    }
}
