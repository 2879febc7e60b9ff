//! What a scrape writes: the exposition [`Format`], the name [`Escaping`] scheme, and the two
//! together with the scrape's options as an [`Exposition`], whose
//! [`content_type`](Exposition::content_type) is the exact `Content-Type` of the response.
//!
//! The formats are the scrape protocols Prometheus 3 knows:
//!
//! | [`Format`] | Prometheus' name | `Content-Type` (with the default escaping) |
//! |---|---|---|
//! | [`Prometheus`](Format::Prometheus) | `PrometheusText0.0.4` | `text/plain; version=0.0.4; charset=utf-8` |
//! | [`PrometheusV1`](Format::PrometheusV1) | `PrometheusText1.0.0` | `text/plain; version=1.0.0; charset=utf-8; escaping=underscores` |
//! | [`OpenMetricsV0`](Format::OpenMetricsV0) | `OpenMetricsText0.0.1` | `application/openmetrics-text; version=0.0.1; charset=utf-8` |
//! | [`OpenMetrics`](Format::OpenMetrics) | `OpenMetricsText1.0.0` | `application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores` |
//! | [`OpenMetricsV2`](Format::OpenMetricsV2) | `OpenMetricsText2.0.0` (draft) | `application/openmetrics-text; version=2.0.0; charset=utf-8; escaping=underscores` |
//! | [`Protobuf`](Format::Protobuf) | `PrometheusProto` | `application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores` |
//!
//! The `escaping` parameter is written wherever the format can carry names outside the legacy
//! character set (text 1.0.0, OpenMetrics 1.0.0, protobuf), so the scraper always knows
//! whether names were escaped; the legacy formats (0.0.4, OpenMetrics 0.0.1) can only carry
//! escaped names and name the scheme only when it is not the default `underscores`.

/// An exposition format: one of the scrape protocols Prometheus 3 negotiates.
///
/// [`Prometheus`](Format::Prometheus) is the default: every scraper reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Format {
    /// The Prometheus text format, version 0.0.4 (`PrometheusText0.0.4`).
    #[default]
    Prometheus,
    /// OpenMetrics 1.0 text (`OpenMetricsText1.0.0`).
    OpenMetrics,
    /// The Prometheus text format, version 1.0.0 (`PrometheusText1.0.0`): the 0.0.4 text,
    /// with names outside the legacy character set written quoted when the scraper allows
    /// UTF-8 names (`{"http.server.duration",le="1"} 3`).
    PrometheusV1,
    /// OpenMetrics text as its pre-release version 0.0.1 (`OpenMetricsText0.0.1`), which
    /// Prometheus still asks for second; the text is that of OpenMetrics 1.0.
    OpenMetricsV0,
    /// Length-delimited `io.prometheus.client.MetricFamily` protobuf messages
    /// (`PrometheusProto`), the format that carries native histograms.
    Protobuf,
    /// OpenMetrics 2.0 text (a draft specification), chosen only when a scraper asks for
    /// `version=2.0.0` by name: histograms and summaries as one composite value per series
    /// (`{count:17,sum:324.5,bucket:[0.1:8,1.0:11,+Inf:17]}`, native buckets included),
    /// start timestamps inline (`st@1520430000.123`) instead of `_created` samples, and
    /// every sample named as its family (`# TYPE foo_total counter`).
    OpenMetricsV2,
}

/// How names outside the legacy character set (`[a-zA-Z_:][a-zA-Z0-9_:]*`) are written,
/// negotiated through the `escaping` parameter of `Accept`.
///
/// Names inside the legacy character set are written as they are in every scheme. The
/// schemes are those of Prometheus' `model` package, byte for byte:
///
/// | scheme | `http.server.duration` | `label with 😱` |
/// |---|---|---|
/// | [`AllowUtf8`](Escaping::AllowUtf8) | `"http.server.duration"` (quoted) | `"label with 😱"` |
/// | [`Underscores`](Escaping::Underscores) | `http_server_duration` | `label_with__` |
/// | [`Dots`](Escaping::Dots) | `http_dot_server_dot_duration` | `label__with____` |
/// | [`Values`](Escaping::Values) | `U__http_2e_server_2e_duration` | `U__label_20_with_20__1f631_` |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Escaping {
    /// `allow-utf-8`: names are written as they are, quoted where the text format needs it.
    AllowUtf8,
    /// `underscores`, the default: every character outside the legacy set becomes `_`.
    #[default]
    Underscores,
    /// `dots`: `.` becomes `_dot_`, `_` becomes `__`, any other character outside the
    /// legacy set becomes `__`.
    Dots,
    /// `values`: the name gains the prefix `U__`, `_` becomes `__`, and every other character
    /// outside the legacy set becomes its code point in lower-case hexadecimal between
    /// underscores (`.` is `_2e_`).
    Values,
}

impl Escaping {
    /// Every scheme.
    pub const ALL: [Escaping; 4] = [
        Escaping::AllowUtf8,
        Escaping::Underscores,
        Escaping::Dots,
        Escaping::Values,
    ];

    /// The scheme's value of the `escaping` parameter.
    pub const fn as_str(self) -> &'static str {
        match self {
            Escaping::AllowUtf8 => "allow-utf-8",
            Escaping::Underscores => "underscores",
            Escaping::Dots => "dots",
            Escaping::Values => "values",
        }
    }

    /// The scheme an `escaping` parameter value names (compared exactly, as Prometheus
    /// does), or `None` for any other value.
    ///
    /// ```
    /// use oxios_metrics::encode::Escaping;
    /// assert_eq!(Escaping::from_parameter("allow-utf-8"), Some(Escaping::AllowUtf8));
    /// assert_eq!(Escaping::from_parameter("utf8"), None);
    /// ```
    pub fn from_parameter(value: &str) -> Option<Escaping> {
        Escaping::ALL
            .into_iter()
            .find(|scheme| scheme.as_str() == value)
    }
}

impl Format {
    /// Every format, in the order a server prefers them when a scraper weighs several the
    /// same: OpenMetrics 1.0 (the richest text), then the older OpenMetrics, then text 1.0.0
    /// and 0.0.4, and protobuf last (a binary answer only to a scraper that insists).
    pub const ALL: [Format; 6] = [
        Format::OpenMetrics,
        Format::OpenMetricsV0,
        Format::PrometheusV1,
        Format::Prometheus,
        Format::Protobuf,
        Format::OpenMetricsV2,
    ];

    /// The name Prometheus gives this protocol in `scrape_protocols`.
    ///
    /// ```
    /// use oxios_metrics::Format;
    /// assert_eq!(Format::Protobuf.protocol_name(), "PrometheusProto");
    /// assert_eq!(Format::from_protocol_name("OpenMetricsText1.0.0"), Some(Format::OpenMetrics));
    /// ```
    pub const fn protocol_name(self) -> &'static str {
        match self {
            Format::Prometheus => "PrometheusText0.0.4",
            Format::PrometheusV1 => "PrometheusText1.0.0",
            Format::OpenMetricsV0 => "OpenMetricsText0.0.1",
            Format::OpenMetrics => "OpenMetricsText1.0.0",
            Format::Protobuf => "PrometheusProto",
            Format::OpenMetricsV2 => "OpenMetricsText2.0.0",
        }
    }

    /// The format Prometheus names `name` in `scrape_protocols`.
    pub fn from_protocol_name(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|format| format.protocol_name() == name)
    }

    /// Whether this is one of the OpenMetrics text formats (which end in `# EOF`, write
    /// floats as `1.0`, and carry units and exemplars).
    pub const fn is_openmetrics(self) -> bool {
        matches!(
            self,
            Format::OpenMetrics | Format::OpenMetricsV0 | Format::OpenMetricsV2
        )
    }

    /// Whether this is one of the Prometheus text formats (0.0.4 or 1.0.0).
    pub const fn is_prometheus_text(self) -> bool {
        matches!(self, Format::Prometheus | Format::PrometheusV1)
    }

    /// Whether the format can carry names outside the legacy character set as they are
    /// (quoted in text, plain strings in protobuf). The legacy formats cannot: there,
    /// [`Escaping::AllowUtf8`] is written as [`Escaping::Underscores`].
    pub const fn carries_utf8_names(self) -> bool {
        !matches!(self, Format::Prometheus | Format::OpenMetricsV0)
    }

    /// The `Content-Type` of a response in this format with the default escaping
    /// (see [`Exposition::content_type`]).
    ///
    /// ```
    /// use oxios_metrics::Format;
    /// assert_eq!(Format::Prometheus.content_type(), "text/plain; version=0.0.4; charset=utf-8");
    /// ```
    pub const fn content_type(self) -> &'static str {
        Exposition::new(self).content_type()
    }

    /// Chooses the exposition for an HTTP `Accept` header: see [`Exposition::from_accept`].
    ///
    /// ```
    /// use oxios_metrics::{Escaping, Format};
    /// let prometheus_3 = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,\
    ///     application/openmetrics-text;version=0.0.1;q=0.4,\
    ///     text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,\
    ///     text/plain;version=0.0.4;q=0.2,*/*;q=0.1";
    /// let chosen = Format::from_accept(prometheus_3);
    /// assert_eq!(chosen.format(), Format::OpenMetrics);
    /// assert_eq!(chosen.escaping(), Escaping::AllowUtf8);
    /// assert_eq!(
    ///     chosen.content_type(),
    ///     "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8"
    /// );
    /// assert_eq!(Format::from_accept("").format(), Format::Prometheus);
    /// ```
    pub fn from_accept(accept: &str) -> Exposition {
        Exposition::from_accept(accept)
    }
}

/// What one scrape writes: a [`Format`], the [`Escaping`] of names outside the legacy
/// character set, and whether OpenMetrics text carries `_created` samples.
///
/// [`Registry::encode`](crate::Registry::encode) takes anything that converts into one, so a
/// plain [`Format`] (with the default escaping, `underscores`) works as well as the result of
/// [`from_accept`](Exposition::from_accept).
///
/// ```
/// use oxios_metrics::encode::{Escaping, Exposition};
/// use oxios_metrics::Format;
/// let exposition = Exposition::new(Format::PrometheusV1).with_escaping(Escaping::Dots);
/// assert_eq!(exposition.content_type(), "text/plain; version=1.0.0; charset=utf-8; escaping=dots");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Exposition {
    format: Format,
    escaping: Escaping,
    created: bool,
}

impl From<Format> for Exposition {
    fn from(format: Format) -> Exposition {
        Exposition::new(format)
    }
}

impl Exposition {
    /// `format` with the default escaping (`underscores`) and no `_created` samples in
    /// OpenMetrics text.
    pub const fn new(format: Format) -> Exposition {
        Exposition {
            format,
            escaping: Escaping::Underscores,
            created: false,
        }
    }

    /// The same exposition with names escaped by `escaping`. A format that cannot carry
    /// UTF-8 names (0.0.4, OpenMetrics 0.0.1) writes [`Escaping::AllowUtf8`] as
    /// [`Escaping::Underscores`], so [`escaping`](Self::escaping) reads back the scheme
    /// actually applied.
    pub const fn with_escaping(mut self, escaping: Escaping) -> Exposition {
        self.escaping = match escaping {
            Escaping::AllowUtf8 if !self.format.carries_utf8_names() => Escaping::Underscores,
            other => other,
        };
        self
    }

    /// The same exposition with (`true`) or without `_created` samples in OpenMetrics text.
    ///
    /// Off by default, as in the official Go client: a scraper that does not treat
    /// `_created` specially (Prometheus without `created-timestamp-zero-ingestion`) stores
    /// each one as a series of its own, one more series per counter, histogram and summary.
    /// Protobuf always carries the creation time, as the `created_timestamp` field, which
    /// costs no series. Text 0.0.4 and 1.0.0 have no place for it.
    pub const fn with_created(mut self, created: bool) -> Exposition {
        self.created = created;
        self
    }

    /// The format.
    pub const fn format(self) -> Format {
        self.format
    }

    /// The escaping scheme applied to names outside the legacy character set.
    pub const fn escaping(self) -> Escaping {
        self.escaping
    }

    /// Whether OpenMetrics text carries `_created` samples.
    pub const fn created(self) -> bool {
        self.created
    }

    /// The exact `Content-Type` of a response holding this exposition.
    ///
    /// ```
    /// use oxios_metrics::encode::{Escaping, Exposition};
    /// use oxios_metrics::Format;
    /// assert_eq!(
    ///     Exposition::new(Format::Protobuf).with_escaping(Escaping::AllowUtf8).content_type(),
    ///     "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=allow-utf-8"
    /// );
    /// assert_eq!(
    ///     Exposition::new(Format::Prometheus).with_escaping(Escaping::Values).content_type(),
    ///     "text/plain; version=0.0.4; charset=utf-8; escaping=values"
    /// );
    /// ```
    pub const fn content_type(self) -> &'static str {
        macro_rules! types {
            ($base:literal) => {
                [
                    concat!($base, "; escaping=allow-utf-8"),
                    concat!($base, "; escaping=underscores"),
                    concat!($base, "; escaping=dots"),
                    concat!($base, "; escaping=values"),
                ]
            };
        }
        macro_rules! legacy_types {
            ($base:literal) => {
                [
                    $base,
                    $base,
                    concat!($base, "; escaping=dots"),
                    concat!($base, "; escaping=values"),
                ]
            };
        }
        const PROMETHEUS: [&str; 4] = legacy_types!("text/plain; version=0.0.4; charset=utf-8");
        const PROMETHEUS_V1: [&str; 4] = types!("text/plain; version=1.0.0; charset=utf-8");
        const OPENMETRICS_V0: [&str; 4] =
            legacy_types!("application/openmetrics-text; version=0.0.1; charset=utf-8");
        const OPENMETRICS: [&str; 4] =
            types!("application/openmetrics-text; version=1.0.0; charset=utf-8");
        const OPENMETRICS_V2: [&str; 4] =
            types!("application/openmetrics-text; version=2.0.0; charset=utf-8");
        const PROTOBUF: [&str; 4] = types!(
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
        );
        let index = match self.escaping {
            Escaping::AllowUtf8 => 0,
            Escaping::Underscores => 1,
            Escaping::Dots => 2,
            Escaping::Values => 3,
        };
        match self.format {
            Format::Prometheus => PROMETHEUS[index],
            Format::PrometheusV1 => PROMETHEUS_V1[index],
            Format::OpenMetricsV0 => OPENMETRICS_V0[index],
            Format::OpenMetrics => OPENMETRICS[index],
            Format::Protobuf => PROTOBUF[index],
            Format::OpenMetricsV2 => OPENMETRICS_V2[index],
        }
    }

    /// Chooses the exposition for an HTTP `Accept` header (RFC 9110 §12.5.1).
    ///
    /// Each format gets the weight of the most specific media range that matches it (a
    /// type with its parameters over a bare type, over `text/*`, over `*/*`); the heaviest
    /// format with a weight above zero wins, ties going to the order of [`Format::ALL`].
    /// * `text/plain` without `version` is 0.0.4; `application/openmetrics-text` without
    ///   `version` is the newest stable OpenMetrics, 1.0.0;
    /// * protobuf is chosen only when asked for by name, with
    ///   `proto=io.prometheus.client.MetricFamily` and `encoding=delimited`;
    /// * wildcards (`*/*`, `text/*`) stand for the text format 0.0.4;
    /// * the `escaping` parameter of the range that chose the format picks the scheme
    ///   (`underscores` when it is absent or names no scheme).
    ///
    /// Parameter names, types and subtypes compare case-insensitively; values may be quoted
    /// strings. A malformed range (a bad token, an unterminated quote, a weight outside
    /// `0`–`1` or with more than three decimals) is skipped; a header with no acceptable
    /// range gets text 0.0.4, which every scraper reads. Parsing never allocates.
    pub fn from_accept(accept: &str) -> Exposition {
        super::accept::negotiate(accept)
    }

    /// Like [`from_accept`](Self::from_accept) for a header sent as several field lines
    /// (which mean the same as the lines joined by commas), choosing only among `offered`
    /// (ties go to the earlier one). With nothing in `offered` acceptable, text 0.0.4.
    ///
    /// ```
    /// use oxios_metrics::encode::Exposition;
    /// use oxios_metrics::Format;
    /// let lines = ["text/plain;version=0.0.4;q=0.5", "application/openmetrics-text;q=0.9"];
    /// assert_eq!(Exposition::from_accept_lines(lines, &Format::ALL).format(), Format::OpenMetrics);
    /// let text_only = [Format::Prometheus];
    /// assert_eq!(Exposition::from_accept_lines(lines, &text_only).format(), Format::Prometheus);
    /// ```
    pub fn from_accept_lines<'a>(
        lines: impl IntoIterator<Item = &'a str>,
        offered: &[Format],
    ) -> Exposition {
        super::accept::negotiate_among(lines, offered)
    }
}
