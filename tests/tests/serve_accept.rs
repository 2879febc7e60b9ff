//! `Accept` sent as several header lines means the same as those lines joined by ", " on one
//! line (RFC 9110 §5.3), in `MetricsService`, the standalone exporter and the axum router.

mod http_common;

use http_common::*;
use oxios_metrics::serve::{axum_router, Exporter, MetricsService};
use oxios_metrics::Format;

/// Accept lines, each case sent as separate lines and as one joined line.
const CASES: &[&[&str]] = &[
    // Each line alone would pick OpenMetrics for the first; together text/plain weighs more.
    &["application/openmetrics-text;q=0.1", "text/plain;q=0.9"],
    &[
        "text/plain;q=0.2",
        "application/openmetrics-text;version=1.0.0",
    ],
    &[
        "text/plain;q=0.5",
        "application/openmetrics-text;version=1.0.0;q=0.4",
    ],
    &["application/openmetrics-text;version=2.0.0", "text/plain"],
    &["*/*;q=0.1", "application/openmetrics-text;q=0.1"],
    // Prometheus' own header, one range per line.
    &[
        "application/openmetrics-text;version=1.0.0",
        "application/openmetrics-text;version=0.0.1;q=0.75",
        "text/plain;version=0.0.4;q=0.5",
        "*/*;q=0.1",
    ],
    &["", "application/openmetrics-text"],
    &["application/json", "text/html;q=0.9"],
];

fn expected(lines: &[&str]) -> &'static str {
    Format::from_accept(&lines.join(", ")).content_type()
}

#[test]
fn the_service_negotiates_several_lines_as_one() {
    let service = MetricsService::new(registry());
    let mut differs_per_line = 0;
    for lines in CASES {
        let mut split = http::Request::get("/metrics");
        for line in *lines {
            split = split.header("accept", *line);
        }
        let split = service.respond(&split.body(()).unwrap());
        let joined = http::Request::get("/metrics")
            .header("accept", lines.join(", "))
            .body(())
            .unwrap();
        let joined = service.respond(&joined);
        assert_eq!(split.status(), 200);
        assert_eq!(
            split.headers()["content-type"],
            joined.headers()["content-type"],
            "{lines:?}"
        );
        assert_eq!(
            split.headers()["content-type"],
            expected(lines),
            "{lines:?}"
        );
        // The old per-line reading (OpenMetrics when any line alone asks for it).
        let any_line = lines
            .iter()
            .any(|line| Format::from_accept(line).format() == Format::OpenMetrics);
        let per_line = if any_line {
            Format::OpenMetrics
        } else {
            Format::Prometheus
        };
        if per_line.content_type() != expected(lines) {
            differs_per_line += 1;
        }
    }
    assert!(
        differs_per_line >= 2,
        "the cases include lines that negotiate differently one by one"
    );
}

#[test]
fn non_utf8_accept_lines_are_joined_too() {
    let service = MetricsService::new(registry());
    let junk = http::HeaderValue::from_bytes(b"text/\xe9plain;q=0.9").unwrap();
    let split = http::Request::get("/metrics")
        .header("accept", "application/openmetrics-text;q=0.5")
        .header("accept", junk)
        .body(())
        .unwrap();
    // The junk range names no known type, so OpenMetrics is the only acceptable one.
    assert_eq!(
        service.respond(&split).headers()["content-type"],
        OPENMETRICS
    );
}

fn check_over_tcp(address: std::net::SocketAddr) {
    for lines in CASES {
        let split: Vec<(&str, &str)> = lines.iter().map(|line| ("Accept", *line)).collect();
        let joined_value = lines.join(", ");
        let split = get(address, &split);
        let joined = get(address, &[("Accept", &joined_value)]);
        assert_eq!(split.status, 200);
        assert_eq!(split.header("content-type"), joined.header("content-type"));
        assert_eq!(
            split.header("content-type"),
            Some(expected(lines)),
            "{lines:?}"
        );
        assert_eq!(split.body, joined.body);
    }
}

#[test]
fn the_exporter_negotiates_several_lines_as_one() {
    let exporter = Exporter::bind("127.0.0.1:0", registry()).unwrap();
    check_over_tcp(exporter.local_addr());
}

#[test]
fn the_axum_router_negotiates_several_lines_as_one() {
    let address = serve_axum(axum_router::<()>(registry()));
    check_over_tcp(address);
}
