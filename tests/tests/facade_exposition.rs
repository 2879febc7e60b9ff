//! Code instrumented with the `metrics` macros, recorded by the facade into a registry that
//! also holds a declared group: one exposition, byte for byte where it matters, accepted by
//! promtool and by the Python OpenMetrics parser.

mod facade_support;

use facade_support::{assert_checkers_accept, emit, recorder, samples, value};
use oxios_metrics::facade::DEFAULT_HELP;
use oxios_metrics::{Counter, Format, Gauge, Metrics};

/// A dependency that knows only the `metrics` crate.
mod http_client {
    pub fn describe() {
        metrics::describe_counter!(
            "http_client.requests",
            "Requests sent, by method and status."
        );
        metrics::describe_histogram!(
            "http_client.latency",
            metrics::Unit::Milliseconds,
            "Time to the response's last byte."
        );
        metrics::describe_gauge!(
            "http_client.pool.idle",
            metrics::Unit::Count,
            "Idle pooled connections."
        );
        metrics::describe_counter!(
            "http_client.received",
            metrics::Unit::Kibibytes,
            "Response bodies received."
        );
    }

    pub fn request(method: &'static str, status: u16, millis: f64, kib: u64) {
        metrics::counter!("http_client.requests", "method" => method, "status" => status.to_string())
            .increment(1);
        metrics::histogram!("http_client.latency", "method" => method).record(millis);
        metrics::counter!("http_client.received").increment(kib);
    }

    pub fn pool(idle: usize) {
        metrics::gauge!("http_client.pool.idle").set(idle as f64);
    }
}

#[derive(Metrics)]
#[metrics(prefix = "app")]
pub struct AppMetrics {
    /// Jobs finished.
    pub jobs: Counter,
    /// Workers busy now.
    pub busy: Gauge,
}

#[test]
fn facade_metrics_and_declared_groups_share_one_exposition() {
    static APP: AppMetrics = AppMetrics::new();
    let (registry, recorder) = recorder();
    registry.register(&APP).unwrap();
    emit(&recorder, || {
        http_client::describe();
        http_client::request("GET", 200, 12.0, 3);
        http_client::request("GET", 200, 250.0, 1);
        http_client::request("POST", 503, 2_000.0, 0);
        http_client::pool(4);
        metrics::gauge!("undescribed.temperature").set(21.5);
    });
    APP.jobs.inc();
    APP.busy.set(2);

    let text = registry.render(Format::Prometheus);
    for expected in [
        "# HELP app_jobs_total Jobs finished.\n# TYPE app_jobs_total counter\napp_jobs_total 1\n",
        "# HELP http_client_requests_total Requests sent, by method and status.\n\
         # TYPE http_client_requests_total counter\n\
         http_client_requests_total{method=\"GET\",status=\"200\"} 2\n\
         http_client_requests_total{method=\"POST\",status=\"503\"} 1\n",
        "# HELP http_client_latency_seconds Time to the response's last byte.\n\
         # TYPE http_client_latency_seconds histogram\n",
        "http_client_latency_seconds_bucket{method=\"GET\",le=\"0.025\"} 1\n",
        "http_client_latency_seconds_bucket{method=\"GET\",le=\"0.25\"} 2\n",
        "http_client_latency_seconds_bucket{method=\"POST\",le=\"2.5\"} 1\n",
        "http_client_latency_seconds_count{method=\"POST\"} 1\n",
        // Kibibytes are counted in bytes, as integers.
        "# TYPE http_client_received_bytes_total counter\nhttp_client_received_bytes_total 4096\n",
        // A count has no unit.
        "# HELP http_client_pool_idle Idle pooled connections.\n# TYPE http_client_pool_idle gauge\nhttp_client_pool_idle 4\n",
        &format!("# HELP undescribed_temperature {DEFAULT_HELP}\n"),
        "undescribed_temperature 21.5\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert_eq!(
        value(&text, "http_client_latency_seconds_sum{method=\"GET\"}").as_deref(),
        Some("0.262")
    );

    let open = registry.render(Format::OpenMetrics);
    for expected in [
        "# TYPE http_client_latency_seconds histogram\n# UNIT http_client_latency_seconds seconds\n",
        "# TYPE http_client_received_bytes counter\n# UNIT http_client_received_bytes bytes\n",
        "http_client_latency_seconds_bucket{method=\"GET\",le=\"1.0\"} 2\n",
        "# TYPE app_jobs counter\n",
    ] {
        assert!(open.contains(expected), "missing {expected:?} in\n{open}");
    }
    assert!(!open.contains("# UNIT http_client_pool_idle"), "{open}");

    let parsed = assert_checkers_accept(&registry);
    if !parsed.is_empty() {
        for expected in [
            "counter http_client_requests_total{method='GET',status='200'} 2\n",
            "histogram http_client_latency_seconds_count{method='GET'} 2\n",
            "histogram http_client_latency_seconds_sum{method='GET'} 0.262\n",
            "counter http_client_received_bytes_total{} 4096\n",
            "gauge http_client_pool_idle{} 4.0\n",
            "counter app_jobs_total{} 1\n",
            "counter oxios_metrics_facade_refused_total{reason='clash'} 0\n",
        ] {
            assert!(
                parsed.contains(expected),
                "parser lacks {expected:?}:\n{parsed}"
            );
        }
    }
}

#[test]
fn every_family_has_one_header_whatever_the_order_of_emissions() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        for round in 0..3 {
            for method in ["GET", "PUT"] {
                metrics::counter!("calls", "method" => method).increment(round);
                metrics::histogram!("call.size_bytes", "method" => method).record(100.0);
                metrics::gauge!("inflight", "method" => method).increment(1.0);
            }
        }
        // The same labels in another order are the same series.
        metrics::counter!("pairs", "a" => "1", "b" => "2").increment(1);
        metrics::counter!("pairs", "b" => "2", "a" => "1").increment(1);
    });
    let text = registry.render(Format::Prometheus);
    for family in ["calls_total", "call_size_bytes", "inflight", "pairs_total"] {
        assert_eq!(
            text.matches(&format!("# HELP {family} ")).count(),
            1,
            "{family} in\n{text}"
        );
        assert_eq!(text.matches(&format!("# TYPE {family} ")).count(), 1);
    }
    assert_eq!(
        samples(&text, "calls_total"),
        [
            "calls_total{method=\"GET\"} 3",
            "calls_total{method=\"PUT\"} 3"
        ]
    );
    assert_eq!(
        samples(&text, "pairs_total"),
        ["pairs_total{a=\"1\",b=\"2\"} 2"]
    );
    assert_eq!(
        value(&text, "inflight{method=\"PUT\"}").as_deref(),
        Some("3")
    );
    // Sizes in bytes get byte buckets, not Prometheus' defaults (made for seconds).
    assert!(
        text.contains("call_size_bytes_bucket{method=\"GET\",le=\"256\"} 3\n"),
        "{text}"
    );
    assert_checkers_accept(&registry);
}

#[test]
fn label_values_are_escaped_and_empty_values_left_out() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        metrics::counter!("odd", "path" => "C:\\dir \"x\"\nnext").increment(1);
        metrics::counter!("odd", "path" => "").increment(1);
        metrics::counter!("odd").increment(1);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(
        samples(&text, "odd_total"),
        [
            "odd_total{path=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1",
            "odd_total 2"
        ],
        "{text}"
    );
    assert_checkers_accept(&registry);
}

#[test]
fn a_recorder_dropped_takes_its_families_out() {
    let (registry, recorder) = recorder();
    emit(&recorder, || metrics::counter!("transient").increment(1));
    assert!(registry
        .render(Format::Prometheus)
        .contains("transient_total 1\n"));
    assert_eq!(recorder.family_count(), 1);
    drop(recorder);
    assert_eq!(registry.render(Format::Prometheus), "");
}
