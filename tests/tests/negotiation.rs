//! Content negotiation: every scrape protocol Prometheus 3 knows, RFC 9110 `Accept` parsing
//! (weights, case, quoted values, wildcards, several ranges and lines), the `escaping`
//! parameter and the exact `Content-Type` it is echoed in.

use oxios_metrics::encode::{Escaping, Exposition};
use oxios_metrics::Format;
use proptest::prelude::*;

fn chosen(accept: &str) -> (Format, Escaping) {
    let exposition = Format::from_accept(accept);
    (exposition.format(), exposition.escaping())
}

/// The headers Prometheus itself sends, from its content-negotiation specification and
/// its scrape code.
#[test]
fn prometheus_scrapers_get_what_they_ask_for_first() {
    let prometheus_3 = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,\
        application/openmetrics-text;version=0.0.1;q=0.4,\
        text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,\
        text/plain;version=0.0.4;q=0.2,*/*;q=0.1";
    assert_eq!(
        chosen(prometheus_3),
        (Format::OpenMetrics, Escaping::AllowUtf8)
    );
    let protobuf_first = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,\
        application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,\
        application/openmetrics-text;version=0.0.1;q=0.4,\
        text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,\
        text/plain;version=0.0.4;q=0.2,*/*;q=0.1";
    assert_eq!(
        chosen(protobuf_first),
        (Format::Protobuf, Escaping::Underscores)
    );
    let legacy_validation =
        "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.5,\
        text/plain;version=0.0.4;q=0.2,*/*;q=0.1";
    assert_eq!(
        chosen(legacy_validation),
        (Format::OpenMetrics, Escaping::Underscores)
    );
    let prometheus_2 = "application/openmetrics-text;version=1.0.0,\
        application/openmetrics-text;version=0.0.1;q=0.75,\
        text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    assert_eq!(
        chosen(prometheus_2),
        (Format::OpenMetrics, Escaping::Underscores)
    );
    let text_first = "text/plain;version=1.0.0;escaping=values;q=0.5,\
        application/openmetrics-text;version=1.0.0;q=0.4,*/*;q=0.1";
    assert_eq!(chosen(text_first), (Format::PrometheusV1, Escaping::Values));
    // A scraper configured with only OpenMetrics 0.0.1.
    assert_eq!(
        chosen("application/openmetrics-text;version=0.0.1;q=0.5,*/*;q=0.4"),
        (Format::OpenMetricsV0, Escaping::Underscores)
    );
}

#[test]
fn every_protocol_by_its_media_type() {
    let cases = [
        ("text/plain", Format::Prometheus),
        ("text/plain;version=0.0.4", Format::Prometheus),
        ("text/plain; version=1.0.0", Format::PrometheusV1),
        ("application/openmetrics-text", Format::OpenMetrics),
        ("application/openmetrics-text; version=1.0.0", Format::OpenMetrics),
        ("application/openmetrics-text; version=0.0.1", Format::OpenMetricsV0),
        // OpenMetrics 2.0 only when asked for by version.
        ("application/openmetrics-text; version=2.0.0", Format::OpenMetricsV2),
        (
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
            Format::Protobuf,
        ),
    ];
    for (accept, format) in cases {
        assert_eq!(Format::from_accept(accept).format(), format, "{accept}");
    }
    for format in Format::ALL {
        assert_eq!(
            Format::from_protocol_name(format.protocol_name()),
            Some(format)
        );
    }
}

#[test]
fn versions_and_protobuf_parameters_must_match() {
    for accept in [
        // Unknown versions.
        "text/plain;version=2.0.0",
        "text/plain;version=0.0.5",
        "application/openmetrics-text;version=1.0",
        // Protobuf needs both parameters, with these exact values.
        "application/vnd.google.protobuf",
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily",
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text",
        "application/vnd.google.protobuf;proto=io.prometheus.client.metricfamily;encoding=delimited",
        // Wildcards stand for 0.0.4, never for OpenMetrics or protobuf.
        "application/*",
        "*/*",
        "text/*",
    ] {
        assert_eq!(
            chosen(accept),
            (Format::Prometheus, Escaping::Underscores),
            "{accept}"
        );
    }
}

#[test]
fn names_are_case_insensitive_and_values_may_be_quoted() {
    let cases = [
        ("APPLICATION/OPENMETRICS-TEXT; VERSION=1.0.0", Format::OpenMetrics),
        ("Text/Plain;Version=\"1.0.0\"", Format::PrometheusV1),
        ("text/plain;version=\"1\\.0\\.0\"", Format::PrometheusV1),
        (
            "application/vnd.google.protobuf;PROTO=\"io.prometheus.client.MetricFamily\";Encoding=delimited",
            Format::Protobuf,
        ),
        ("text/plain;version=1.0.0;Q=0.5", Format::PrometheusV1),
    ];
    for (accept, format) in cases {
        assert_eq!(Format::from_accept(accept).format(), format, "{accept}");
    }
    assert_eq!(
        chosen("text/plain;version=1.0.0;ESCAPING=\"dots\""),
        (Format::PrometheusV1, Escaping::Dots)
    );
    // Parameter values compare exactly: `DOTS` names no scheme.
    assert_eq!(
        chosen("text/plain;version=1.0.0;escaping=DOTS"),
        (Format::PrometheusV1, Escaping::Underscores)
    );
    // A comma inside a quoted value does not end the range.
    assert_eq!(
        chosen("text/plain;version=1.0.0;note=\"a, b\";q=0.9, application/openmetrics-text;q=0.8"),
        (Format::PrometheusV1, Escaping::Underscores)
    );
}

#[test]
fn weights_decide_and_ties_prefer_openmetrics() {
    let cases = [
        (
            "text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5",
            Format::Prometheus,
        ),
        (
            "text/plain;q=0.5,application/openmetrics-text;q=0.9",
            Format::OpenMetrics,
        ),
        (
            "text/plain;version=1.0.0, application/openmetrics-text;version=1.0.0",
            Format::OpenMetrics,
        ),
        (
            "text/plain;version=1.0.0;q=0.001, text/plain;version=0.0.4;q=0",
            Format::PrometheusV1,
        ),
        // `*/*` weighs 0.0.4 above OpenMetrics here.
        (
            "application/openmetrics-text;q=0.3, */*;q=0.5",
            Format::Prometheus,
        ),
        // The most specific range sets a format's weight, whatever the order.
        (
            "*/*;q=0.9, text/plain;version=0.0.4;q=0, application/openmetrics-text;q=0.1",
            Format::OpenMetrics,
        ),
        (
            "text/plain;q=0.9, text/plain;version=0.0.4;q=0.1, text/plain;version=1.0.0;q=0.2",
            Format::PrometheusV1,
        ),
        // Only q=0 everywhere: nothing is acceptable, so the last resort, 0.0.4.
        ("application/openmetrics-text;q=0", Format::Prometheus),
        (
            "text/plain;q=0, application/openmetrics-text;q=0",
            Format::Prometheus,
        ),
    ];
    for (accept, format) in cases {
        assert_eq!(Format::from_accept(accept).format(), format, "{accept}");
    }
}

#[test]
fn the_escaping_parameter_comes_from_the_chosen_range() {
    assert_eq!(
        chosen("text/plain;version=0.0.4;escaping=values;q=0.1, application/openmetrics-text;version=1.0.0;q=0.9"),
        (Format::OpenMetrics, Escaping::Underscores)
    );
    for scheme in Escaping::ALL {
        let accept = format!(
            "application/openmetrics-text;version=1.0.0;escaping={}",
            scheme.as_str()
        );
        assert_eq!(chosen(&accept), (Format::OpenMetrics, scheme), "{accept}");
        let accept = format!(
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;escaping={}",
            scheme.as_str()
        );
        assert_eq!(chosen(&accept), (Format::Protobuf, scheme), "{accept}");
    }
    // Unknown schemes are ignored, as Prometheus' own negotiation ignores them.
    for unknown in ["allow-utf8", "utf-8", "", "\"\"", "none"] {
        let accept = format!("text/plain;version=1.0.0;escaping={unknown}");
        let expected = if unknown.is_empty() {
            // `escaping=` without a value breaks the grammar: the range is skipped.
            (Format::Prometheus, Escaping::Underscores)
        } else {
            (Format::PrometheusV1, Escaping::Underscores)
        };
        assert_eq!(chosen(&accept), expected, "{accept}");
    }
    // The legacy formats cannot carry UTF-8 names: allow-utf-8 becomes underscores there;
    // the other schemes apply.
    assert_eq!(
        chosen("text/plain;version=0.0.4;escaping=allow-utf-8"),
        (Format::Prometheus, Escaping::Underscores)
    );
    assert_eq!(
        chosen("application/openmetrics-text;version=0.0.1;escaping=dots"),
        (Format::OpenMetricsV0, Escaping::Dots)
    );
}

#[test]
fn content_types_are_exact() {
    let underscores = [
        (Format::Prometheus, "text/plain; version=0.0.4; charset=utf-8"),
        (
            Format::PrometheusV1,
            "text/plain; version=1.0.0; charset=utf-8; escaping=underscores",
        ),
        (
            Format::OpenMetricsV0,
            "application/openmetrics-text; version=0.0.1; charset=utf-8",
        ),
        (
            Format::OpenMetrics,
            "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores",
        ),
        (
            Format::Protobuf,
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores",
        ),
    ];
    for (format, content_type) in underscores {
        assert_eq!(format.content_type(), content_type);
        assert_eq!(Exposition::new(format).content_type(), content_type);
    }
    assert_eq!(
        Format::from_accept("text/plain;version=1.0.0;escaping=allow-utf-8").content_type(),
        "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8"
    );
    assert_eq!(
        Format::from_accept("application/openmetrics-text;version=1.0.0;escaping=values")
            .content_type(),
        "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=values"
    );
    assert_eq!(
        Format::from_accept("text/plain;version=0.0.4;escaping=dots").content_type(),
        "text/plain; version=0.0.4; charset=utf-8; escaping=dots"
    );
    // Every combination names its scheme where it is not the legacy default, and each
    // content type negotiates back to the exposition it describes.
    for format in Format::ALL {
        for scheme in Escaping::ALL {
            let exposition = Exposition::new(format).with_escaping(scheme);
            let content_type = exposition.content_type();
            let names_scheme =
                content_type.contains(&format!("; escaping={}", exposition.escaping().as_str()));
            assert_eq!(
                names_scheme,
                format.carries_utf8_names() || exposition.escaping() != Escaping::Underscores,
                "{content_type}"
            );
            assert_eq!(
                Format::from_accept(content_type),
                exposition,
                "{content_type}"
            );
        }
    }
}

#[test]
fn several_header_lines_mean_the_lines_joined() {
    let lines = [
        "text/plain;version=0.0.4;q=0.2",
        "application/openmetrics-text;version=1.0.0;escaping=dots;q=0.5, */*;q=0.1",
    ];
    let joined = lines.join(",");
    assert_eq!(
        Exposition::from_accept_lines(lines, &Format::ALL),
        Format::from_accept(&joined)
    );
    assert_eq!(
        Exposition::from_accept_lines(lines, &Format::ALL).escaping(),
        Escaping::Dots
    );
    // A server offering less chooses among what it offers.
    assert_eq!(
        Exposition::from_accept_lines(lines, &[Format::Prometheus]).format(),
        Format::Prometheus
    );
    assert_eq!(
        Exposition::from_accept_lines([], &Format::ALL).format(),
        Format::Prometheus
    );
}

#[test]
fn malformed_ranges_are_skipped_and_the_rest_still_counts() {
    let good = "application/openmetrics-text;version=1.0.0";
    for bad in [
        "text/plain;q=2",
        "text/plain;q=0.1234",
        "text/plain;q=nan",
        "text/plain;q=\"0.5\"",
        "text/plain;q=",
        "text/plain;=1",
        "text/plain;version",
        "text",
        "text/",
        "/plain",
        "*/plain",
        "te xt/plain",
        "text/plain extra",
        "text/plain;version=1.0.0 junk",
        "ünïcode/type",
        "text/plain;v=\"\u{1}\"",
    ] {
        assert_eq!(
            Format::from_accept(&format!("{bad}, {good}")).format(),
            Format::OpenMetrics,
            "{bad:?} then a good range"
        );
        assert_eq!(
            Format::from_accept(bad).format(),
            Format::Prometheus,
            "{bad:?} alone"
        );
    }
    for header in [
        "",
        ",",
        " , ,, ",
        ";;;,,=q",
        "\"",
        "\\",
        "q=1",
        "*/*;q=0.5;q=",
        "\u{0}",
    ] {
        assert_eq!(
            chosen(header),
            (Format::Prometheus, Escaping::Underscores),
            "{header:?}"
        );
    }
    // An unterminated quoted string runs to the end of the header, ranges after it included.
    assert_eq!(
        Format::from_accept(&format!("text/plain;version=\"unterminated, {good}")).format(),
        Format::Prometheus
    );
    // Empty parameters and list elements are allowed by the grammar.
    assert_eq!(
        Format::from_accept(",, text/plain;;version=1.0.0; ;q=1 ,,").format(),
        Format::PrometheusV1
    );
}

/// Pieces headers are built from: real ones, near misses, and noise.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("text/plain".to_owned()),
        Just("application/openmetrics-text".to_owned()),
        Just("application/vnd.google.protobuf".to_owned()),
        Just("*/*".to_owned()),
        Just("text/*".to_owned()),
        Just(";version=1.0.0".to_owned()),
        Just(";version=0.0.4".to_owned()),
        Just(";version=0.0.1".to_owned()),
        Just(";proto=io.prometheus.client.MetricFamily".to_owned()),
        Just(";encoding=delimited".to_owned()),
        Just(";escaping=allow-utf-8".to_owned()),
        Just(";escaping=dots".to_owned()),
        Just(";escaping=values".to_owned()),
        (0u16..=1200).prop_map(|q| format!(";q={}.{:03}", q / 1000, q % 1000)),
        Just(",".to_owned()),
        Just(" ".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any header: no panic, the same answer twice, a content type that negotiates back to
    /// the same exposition, and the same answer as the header split into lines.
    #[test]
    fn any_header_gives_a_stable_consistent_answer(pieces in prop::collection::vec(piece(), 0..12)) {
        let header: String = pieces.concat();
        let exposition = Format::from_accept(&header);
        prop_assert_eq!(exposition, Format::from_accept(&header));
        prop_assert_eq!(Format::from_accept(exposition.content_type()), exposition);
        let lines: Vec<&str> = header.split(',').collect();
        if !header.contains('"') {
            prop_assert_eq!(Exposition::from_accept_lines(lines, &Format::ALL), exposition);
        }
    }

    /// A header of well-formed ranges chooses the format of greatest weight.
    #[test]
    fn the_heaviest_named_format_wins(weights in prop::collection::vec(0u16..=1000, 6)) {
        let ranges = [
            "application/openmetrics-text;version=1.0.0",
            "application/openmetrics-text;version=0.0.1",
            "text/plain;version=1.0.0",
            "text/plain;version=0.0.4",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
            "application/openmetrics-text;version=2.0.0",
        ];
        let header: Vec<String> = ranges
            .iter()
            .zip(&weights)
            .map(|(range, weight)| format!("{range};q={}.{:03}", weight / 1000, weight % 1000))
            .collect();
        let header = header.join(", ");
        let heaviest = *weights.iter().max().unwrap();
        let expected = if heaviest == 0 {
            Format::Prometheus
        } else {
            // Format::ALL lists the formats in the order of `ranges`: ties go to the first.
            Format::ALL[weights.iter().position(|&weight| weight == heaviest).unwrap()]
        };
        prop_assert_eq!(Format::from_accept(&header).format(), expected, "{}", header);
    }
}
