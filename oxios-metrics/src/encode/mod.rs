//! The text formats: choosing one ([`Format`]), and writing samples into a byte buffer
//! ([`MetricEncoder`], [`LabelWriter`]).
//!
//! Where each rule of the exposition lives:
//! * float layout (Go's `%g`, `+Inf`, OpenMetrics' `1.0`): [`float`](self) (`encode/float.rs`);
//! * escaping of label values and HELP: `encode/escape.rs`;
//! * header lines (HELP, TYPE, UNIT; `_total` in 0.0.4 headers): [`render_headers`];
//! * sample lines, label braces, `le` as the last label, histogram cumulation: [`MetricEncoder`];
//! * `Accept` negotiation and content types: [`Format`];
//! * the `# EOF` trailer and family order: [`Registry::encode`](crate::Registry::encode).

pub(crate) mod escape;
pub(crate) mod float;

use crate::desc::MetricDesc;

/// An exposition format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// The Prometheus text format, version 0.0.4.
    #[default]
    Prometheus,
    /// OpenMetrics 1.0 text.
    OpenMetrics,
}

const PROMETHEUS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
const OPENMETRICS_CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

impl Format {
    /// The `Content-Type` header value for a response in this format.
    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Prometheus => PROMETHEUS_CONTENT_TYPE,
            Format::OpenMetrics => OPENMETRICS_CONTENT_TYPE,
        }
    }

    /// Chooses the format for an HTTP `Accept` header.
    ///
    /// OpenMetrics is chosen when `application/openmetrics-text` is acceptable (q > 0, version
    /// absent, `1.0.0` or `0.0.1`) and weighted at least as high as any acceptable `text/plain`
    /// or wildcard; everything else, including a missing or malformed header, gets 0.0.4,
    /// which every scraper reads.
    ///
    /// ```
    /// use oxios_metrics::Format;
    /// let prometheus_scraper = "application/openmetrics-text;version=1.0.0,\
    ///     application/openmetrics-text;version=0.0.1;q=0.75,\
    ///     text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    /// assert_eq!(Format::from_accept(prometheus_scraper), Format::OpenMetrics);
    /// assert_eq!(Format::from_accept("text/plain"), Format::Prometheus);
    /// assert_eq!(Format::from_accept(""), Format::Prometheus);
    /// ```
    pub fn from_accept(accept: &str) -> Format {
        let mut best_openmetrics: f32 = 0.0;
        let mut best_other: f32 = 0.0;
        for range in accept.split(',') {
            let mut parts = range.split(';');
            let media_type = parts.next().unwrap_or("").trim();
            let mut quality: f32 = 1.0;
            let mut version: Option<&str> = None;
            for parameter in parts {
                let Some((key, value)) = parameter.split_once('=') else {
                    continue;
                };
                let value = value.trim().trim_matches('"');
                match key.trim().to_ascii_lowercase().as_str() {
                    "q" => {
                        quality = value
                            .parse::<f32>()
                            .ok()
                            .filter(|q| q.is_finite())
                            .unwrap_or(0.0)
                    }
                    "version" => version = Some(value),
                    _ => {}
                }
            }
            if media_type.eq_ignore_ascii_case("application/openmetrics-text") {
                if matches!(version, None | Some("1.0.0") | Some("0.0.1")) {
                    best_openmetrics = best_openmetrics.max(quality);
                }
            } else if media_type.eq_ignore_ascii_case("text/plain")
                || media_type == "*/*"
                || media_type.eq_ignore_ascii_case("text/*")
            {
                best_other = best_other.max(quality);
            }
        }
        if best_openmetrics > 0.0 && best_openmetrics >= best_other {
            Format::OpenMetrics
        } else {
            Format::Prometheus
        }
    }
}

/// Appends the HELP/TYPE (and for OpenMetrics, UNIT) lines of a family named `name`.
///
/// In 0.0.4 the header names the sample: a counter `foo` is headed `foo_total` and an info
/// metric `foo` is headed `foo_info` (typed `gauge`). OpenMetrics heads the family name itself.
pub fn render_headers(out: &mut Vec<u8>, format: Format, name: &str, desc: &MetricDesc) {
    let metric_type = desc.metric_type();
    let header_suffix = match format {
        Format::Prometheus if desc.omits_total_suffix() => "",
        Format::Prometheus => metric_type.sample_suffix(),
        Format::OpenMetrics => "",
    };
    // Surrounding whitespace is dropped: parsers skip it before the text, and after it it
    // would be a trailing space. An empty HELP is left out rather than written as
    // `# HELP name ` (the registry refuses one anyway).
    let help = desc.help().trim();
    if !help.is_empty() {
        out.extend_from_slice(b"# HELP ");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(header_suffix.as_bytes());
        out.push(b' ');
        escape::help(out, help, format == Format::OpenMetrics);
        out.push(b'\n');
    }
    out.extend_from_slice(b"# TYPE ");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(header_suffix.as_bytes());
    out.push(b' ');
    out.extend_from_slice(match format {
        Format::Prometheus => metric_type.prometheus_name().as_bytes(),
        Format::OpenMetrics => metric_type.openmetrics_name().as_bytes(),
    });
    out.push(b'\n');
    if let (Format::OpenMetrics, Some(unit)) = (format, desc.unit()) {
        out.extend_from_slice(b"# UNIT ");
        out.extend_from_slice(name.as_bytes());
        out.push(b' ');
        out.extend_from_slice(unit.as_bytes());
        out.push(b'\n');
    }
}

/// Something that writes the labels of one series.
pub trait WriteLabels {
    /// Writes each label with [`LabelWriter::label`] (or one of its siblings).
    fn write_labels(&self, writer: &mut LabelWriter<'_>);
}

/// The empty label set.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoLabels;

impl WriteLabels for NoLabels {
    fn write_labels(&self, _: &mut LabelWriter<'_>) {}
}

/// Writes `name="value"` pairs inside a sample's braces, adding the commas.
pub struct LabelWriter<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
}

/// A label set's text as a sample line carries it between the braces (`a="x",b="y"`),
/// rendered once so it can be copied at every scrape.
pub(crate) fn render_labels(labels: &dyn WriteLabels) -> String {
    let mut text = Vec::new();
    render_labels_into(&mut text, labels);
    // The writer only appends `&str` pieces, so the text is UTF-8.
    String::from_utf8(text)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// Appends a label set's text (as [`render_labels`] renders it) to `out`.
pub(crate) fn render_labels_into(out: &mut Vec<u8>, labels: &dyn WriteLabels) {
    labels.write_labels(&mut LabelWriter { out, empty: true });
}

impl LabelWriter<'_> {
    fn separate(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
    }

    /// Writes a label whose value is escaped here.
    ///
    /// `name` must be a valid label name; the derives and the registry check them.
    pub fn label(&mut self, name: &str, value: &str) {
        self.separate();
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"=\"");
        escape::label_value(self.out, value);
        self.out.push(b'"');
    }

    /// Writes a label whose value is already escaped (the derive escapes enum values at
    /// compile time, so writing them is a copy).
    pub fn label_escaped(&mut self, name: &str, escaped_value: &str) {
        self.separate();
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"=\"");
        self.out.extend_from_slice(escaped_value.as_bytes());
        self.out.push(b'"');
    }

    /// Writes a label with an integer value.
    pub fn label_i128(&mut self, name: &str, value: i128) {
        let mut digits = itoa::Buffer::new();
        self.label_escaped(name, digits.format(value));
    }

    /// Writes a label with an unsigned integer value.
    pub fn label_u128(&mut self, name: &str, value: u128) {
        let mut digits = itoa::Buffer::new();
        self.label_escaped(name, digits.format(value));
    }

    /// Appends labels that are already rendered as `a="x",b="y"` (no surrounding braces).
    pub fn rendered(&mut self, rendered: &str) {
        if rendered.is_empty() {
            return;
        }
        self.separate();
        self.out.extend_from_slice(rendered.as_bytes());
    }
}

/// A sample value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SampleValue {
    /// Written with all its digits.
    Unsigned(u64),
    /// Written with all its digits.
    Signed(i64),
    /// Written as Go's `%g` (with `.0` in OpenMetrics when the text has no `.` or `e`).
    Float(f64),
}

/// Writes the samples of one family into the exposition buffer.
///
/// A metric's [`EncodeMetric::encode`](crate::EncodeMetric::encode) receives one of these with
/// the family name and constant labels already chosen; it writes one or more series.
pub struct MetricEncoder<'a> {
    out: &'a mut Vec<u8>,
    format: Format,
    name: &'a str,
    const_labels: &'a str,
    omits_total: bool,
}

impl<'a> MetricEncoder<'a> {
    /// An encoder for the family `name` whose samples all carry `const_labels`
    /// (rendered `a="x"` text, possibly empty).
    pub fn new(out: &'a mut Vec<u8>, format: Format, name: &'a str, const_labels: &'a str) -> Self {
        MetricEncoder {
            out,
            format,
            name,
            const_labels,
            omits_total: false,
        }
    }

    /// Writes counter samples without `_total` in the text format 0.0.4 (see
    /// [`MetricDesc::without_total_suffix`]); OpenMetrics keeps it, as it requires.
    pub fn omitting_total_suffix(mut self) -> Self {
        self.omits_total = true;
        self
    }

    /// The format being written.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Starts a sample line: name, suffix and the label block. Returns the byte range the
    /// labels took (without braces), so histogram lines can copy instead of re-rendering.
    fn begin_sample(&mut self, suffix: &str, labels: &dyn WriteLabels) -> (usize, usize) {
        let suffix = if self.omits_total && suffix == "_total" && self.format == Format::Prometheus
        {
            ""
        } else {
            suffix
        };
        self.out.extend_from_slice(self.name.as_bytes());
        self.out.extend_from_slice(suffix.as_bytes());
        self.out.push(b'{');
        let start = self.out.len();
        let mut writer = LabelWriter {
            out: self.out,
            empty: true,
        };
        writer.rendered(self.const_labels);
        labels.write_labels(&mut writer);
        (start, self.out.len())
    }

    fn end_labels(&mut self, (start, end): (usize, usize)) {
        if start == end {
            // No labels at all: drop the `{` so the line reads `name value`.
            self.out.pop();
        } else {
            self.out.push(b'}');
        }
    }

    fn value(&mut self, value: SampleValue) {
        self.out.push(b' ');
        match value {
            SampleValue::Unsigned(v) => {
                self.out
                    .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            }
            SampleValue::Signed(v) => {
                self.out
                    .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            }
            SampleValue::Float(v) => self.float(v),
        }
        self.out.push(b'\n');
    }

    fn float(&mut self, v: f64) {
        let text = match self.format {
            Format::Prometheus => float::prometheus(v),
            Format::OpenMetrics => float::openmetrics(v),
        };
        self.out.extend_from_slice(text.as_bytes());
    }

    /// Writes one sample: `name{suffix}{labels} value`.
    pub fn sample(&mut self, suffix: &str, labels: &dyn WriteLabels, value: SampleValue) {
        let range = self.begin_sample(suffix, labels);
        self.end_labels(range);
        self.value(value);
    }

    /// Appends `exemplar` to the sample line just written, in OpenMetrics. The Prometheus
    /// text format 0.0.4 has no exemplars: there it writes nothing.
    pub fn exemplar(&mut self, exemplar: &crate::exemplar::ExemplarSnapshot) {
        if self.format != Format::OpenMetrics || self.out.last() != Some(&b'\n') {
            return;
        }
        self.out.pop();
        exemplar.write_openmetrics(self.out);
        self.out.push(b'\n');
    }

    /// Writes a histogram series: one `_bucket` line per bound plus `+Inf` (cumulative,
    /// `le` last), then `_sum` and `_count`. `counts` holds the per-bucket (not cumulative)
    /// counts, one more than `bounds` (the last is the `+Inf` bucket). `_count` is the total
    /// of `counts`, so the `+Inf` bucket equals `_count` in every scrape.
    ///
    /// In OpenMetrics, where `_sum` must be a counter, a series with a bucket bound below zero
    /// or a negative or NaN `sum` is written without `_sum` and `_count`.
    pub fn histogram(
        &mut self,
        labels: &dyn WriteLabels,
        bounds: &[f64],
        counts: &[u64],
        sum: f64,
    ) {
        let sum_is_counter = sum >= 0.0 && bounds.first().is_none_or(|&bound| bound >= 0.0);
        self.histogram_series(labels, bounds, counts, sum, sum_is_counter);
    }

    /// [`histogram`](Self::histogram), told whether `sum` is a counter (no bound below zero
    /// and no negative observation ever): when it is not, OpenMetrics gets no `_sum` and
    /// `_count` lines.
    pub(crate) fn histogram_series(
        &mut self,
        labels: &dyn WriteLabels,
        bounds: &[f64],
        counts: &[u64],
        sum: f64,
        sum_is_counter: bool,
    ) {
        let mut cumulative: u64 = 0;
        let (label_start, label_end) = self.begin_sample("_bucket", labels);
        for (index, &count) in counts.iter().enumerate() {
            if index > 0 {
                self.out.extend_from_slice(self.name.as_bytes());
                self.out.extend_from_slice(b"_bucket{");
                self.out.extend_from_within(label_start..label_end);
            }
            if label_start != label_end {
                self.out.push(b',');
            }
            self.out.extend_from_slice(b"le=\"");
            match bounds.get(index) {
                Some(&bound) => self.float(bound),
                None => self.out.extend_from_slice(b"+Inf"),
            }
            self.out.extend_from_slice(b"\"}");
            cumulative = cumulative.wrapping_add(count);
            self.value(SampleValue::Unsigned(cumulative));
        }
        if self.format == Format::OpenMetrics && !sum_is_counter {
            return;
        }
        // `_sum` and `_count` repeat the series labels without `le`.
        for (suffix, value) in [
            ("_sum", SampleValue::Float(sum)),
            ("_count", SampleValue::Unsigned(cumulative)),
        ] {
            self.out.extend_from_slice(self.name.as_bytes());
            self.out.extend_from_slice(suffix.as_bytes());
            if label_start != label_end {
                self.out.push(b'{');
                self.out.extend_from_within(label_start..label_end);
                self.out.push(b'}');
            }
            self.value(value);
        }
    }
}
