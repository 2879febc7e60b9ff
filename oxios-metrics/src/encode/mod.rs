//! The exposition formats: choosing one ([`Format`], [`Exposition`]), and writing a family's
//! samples into a byte buffer in any of them ([`FamilyEncoder`], [`MetricEncoder`],
//! [`LabelWriter`]).
//!
//! Where each rule of the exposition lives:
//! * float layout (Go's `%g`, `+Inf`, OpenMetrics' `1.0`): [`float`](self) (`encode/float.rs`);
//! * escaping of label values and HELP: `encode/escape.rs`;
//! * header lines (HELP, TYPE, UNIT; `_total` in 0.0.4 headers): [`render_headers`];
//! * sample lines, label braces, counters, `_created` and exemplars: [`MetricEncoder`];
//! * histograms (classic and native) and summaries in every format, OpenMetrics 2.0's
//!   composite values: `encode/histograms.rs`;
//! * protobuf messages (`io.prometheus.client.MetricFamily`): `encode/protobuf.rs`;
//! * the formats, name escaping schemes and content types: [`Format`], [`Escaping`],
//!   [`Exposition`] (`encode/format.rs`);
//! * `Accept` parsing and negotiation (RFC 9110): `encode/accept.rs`;
//! * names outside the legacy character set, escaped or quoted: [`write_name`]
//!   (`encode/name_escaping.rs`);
//! * the `# EOF` trailer and family order: [`Registry::encode`](crate::Registry::encode).

mod accept;
pub(crate) mod escape;
pub(crate) mod float;
mod format;
mod histograms;
mod name_escaping;
mod prefix;
pub(crate) mod protobuf;

pub(crate) use prefix::{PrefixKey, MAX_VALUE_LINE};

pub use crate::native::BucketSpan;
pub use format::{Escaping, Exposition, Format};
pub(crate) use histograms::AsExemplar;
pub use histograms::{ClassicHistogram, NativeBuckets, NativeHistogram, SummaryValue};
pub(crate) use name_escaping::escaped_forms;
pub use name_escaping::{escape_name, is_legacy_name, write_name, write_quoted, NameSyntax};
pub use protobuf::{ExemplarRef, Timestamp};

use crate::desc::{MetricDesc, MetricType};
use crate::metric::EncodeMetric;

/// Appends the HELP/TYPE (and for OpenMetrics, UNIT) lines of a family named `name`.
///
/// In 0.0.4 the header names the sample: a counter `foo` is headed `foo_total` and an info
/// metric `foo` is headed `foo_info` (typed `gauge`). OpenMetrics heads the family name itself.
pub fn render_headers(out: &mut Vec<u8>, format: Format, name: &str, desc: &MetricDesc) {
    render_headers_for(out, Exposition::new(format), name, desc);
}

/// [`render_headers`] for an exposition: a name outside the legacy character set is quoted
/// (`# TYPE "http.server.duration" histogram`) or escaped as the exposition says. Protobuf
/// has no header lines: nothing is written for it.
pub fn render_headers_for(
    out: &mut Vec<u8>,
    exposition: Exposition,
    name: &str,
    desc: &MetricDesc,
) {
    FamilyHeader::of(name, desc).write_text(out, exposition);
}

/// What heads a family in every format: name, type, HELP, unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FamilyHeader<'a> {
    /// The family name as OpenMetrics heads it (a counter's without `_total`).
    pub name: &'a str,
    /// The family's type.
    pub metric_type: MetricType,
    /// The HELP text, unescaped (written trimmed; left out when empty).
    pub help: &'a str,
    /// The unit, if any.
    pub unit: Option<&'a str>,
    /// A counter written without `_total` in the Prometheus text formats (see
    /// [`MetricDesc::without_total_suffix`]).
    pub omits_total: bool,
    /// Label names may lie outside the legacy character set (see
    /// [`MetricDesc::with_utf8_names`]): each is checked and quoted or escaped.
    pub utf8_names: bool,
}

impl<'a> FamilyHeader<'a> {
    /// The header of family `name` described by `desc` (whose own name `name` overrides,
    /// for prefixed groups).
    pub fn of(name: &'a str, desc: &'a MetricDesc) -> FamilyHeader<'a> {
        FamilyHeader {
            name,
            metric_type: desc.metric_type(),
            help: desc.help(),
            unit: desc.unit(),
            omits_total: desc.omits_total_suffix(),
            utf8_names: desc.utf8_names(),
        }
    }

    /// Appends the HELP, TYPE and (OpenMetrics) UNIT lines; nothing for protobuf.
    pub fn write_text(&self, out: &mut Vec<u8>, exposition: Exposition) {
        let format = exposition.format();
        if format == Format::Protobuf {
            return;
        }
        let metric_type = self.metric_type;
        let openmetrics = format.is_openmetrics();
        // OpenMetrics 1.0 heads the family name; 2.0 and the Prometheus formats the sample
        // name (`foo_total`), which 0.0.4 and 1.0.0 drop `_total` from when asked to.
        let header_suffix = match format {
            Format::OpenMetrics | Format::OpenMetricsV0 => "",
            Format::OpenMetricsV2 => metric_type.sample_suffix(),
            _ if self.omits_total => "",
            _ => metric_type.sample_suffix(),
        };
        let name = self.name;
        let write_name = |out: &mut Vec<u8>| {
            write_sample_name(
                out,
                name,
                header_suffix,
                exposition.escaping(),
                text_syntax(format),
            );
        };
        // Surrounding whitespace is dropped: parsers skip it before the text, and after it
        // it would be a trailing space. An empty HELP is left out rather than written as
        // `# HELP name ` (the registry refuses one anyway).
        let help = self.help.trim();
        if !help.is_empty() {
            out.extend_from_slice(b"# HELP ");
            write_name(out);
            out.push(b' ');
            escape::help(out, help, openmetrics);
            out.push(b'\n');
        }
        out.extend_from_slice(b"# TYPE ");
        write_name(out);
        out.push(b' ');
        out.extend_from_slice(if openmetrics {
            metric_type.openmetrics_name().as_bytes()
        } else {
            metric_type.prometheus_name().as_bytes()
        });
        out.push(b'\n');
        if let (true, Some(unit)) = (openmetrics, self.unit) {
            out.extend_from_slice(b"# UNIT ");
            write_name(out);
            out.push(b' ');
            out.extend_from_slice(unit.as_bytes());
            out.push(b'\n');
        }
    }
}

/// How a text format places a name outside the legacy character set.
fn text_syntax(format: Format) -> NameSyntax {
    if format.carries_utf8_names() {
        NameSyntax::Quoted
    } else {
        NameSyntax::Plain
    }
}

/// Appends `name` + `suffix` as one sample name: quoted as a whole, or the name escaped and
/// the (legacy) suffix after it.
fn write_sample_name(
    out: &mut Vec<u8>,
    name: &str,
    suffix: &str,
    escaping: Escaping,
    syntax: NameSyntax,
) {
    if is_legacy_name(name) || (escaping == Escaping::AllowUtf8 && syntax == NameSyntax::Plain) {
        out.extend_from_slice(name.as_bytes());
    } else if escaping == Escaping::AllowUtf8 {
        out.push(b'"');
        escape::label_value(out, name);
        out.extend_from_slice(suffix.as_bytes());
        out.push(b'"');
        return;
    } else {
        escape_name(out, name, escaping);
    }
    out.extend_from_slice(suffix.as_bytes());
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

/// Where a [`LabelWriter`] puts labels.
#[derive(Clone, Copy, Debug)]
enum LabelSink {
    /// `name="value"` pairs; `plain` when every label name is known to be legacy, so names
    /// are copied without a check.
    Text { escaping: Escaping, plain: bool },
    /// `LabelPair` messages as field `field` of the enclosing message.
    Protobuf { escaping: Escaping, field: u32 },
}

/// Writes the labels of one series: `name="value"` pairs inside a sample's braces (adding
/// the commas) in the text formats, `LabelPair` messages in protobuf.
///
/// A [`WriteLabels`] implementation calls the same methods whatever the format, so label
/// sets written by hand work in every format.
pub struct LabelWriter<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
    sink: LabelSink,
    /// Text with legacy label names: rendered labels are copied as they are.
    copy: bool,
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
    labels.write_labels(&mut LabelWriter::text(out));
}

impl<'a> LabelWriter<'a> {
    /// A writer of canonical label text (legacy names copied as they are).
    fn text(out: &'a mut Vec<u8>) -> Self {
        LabelWriter {
            out,
            empty: true,
            sink: LabelSink::Text {
                escaping: Escaping::AllowUtf8,
                plain: true,
            },
            copy: true,
        }
    }

    fn separate(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
    }

    fn text_name(&mut self, name: &str, escaping: Escaping, plain: bool) {
        if plain {
            self.out.extend_from_slice(name.as_bytes());
        } else {
            write_name(self.out, name, escaping, NameSyntax::Quoted);
        }
    }

    /// Writes a label whose value is escaped here.
    ///
    /// `name` must be a valid label name; the derives and the registry check them.
    pub fn label(&mut self, name: &str, value: &str) {
        match self.sink {
            LabelSink::Text { escaping, plain } => {
                self.separate();
                self.text_name(name, escaping, plain);
                self.out.extend_from_slice(b"=\"");
                escape::label_value(self.out, value);
                self.out.push(b'"');
            }
            LabelSink::Protobuf { escaping, field } => {
                protobuf::label_pair(self.out, field, name, value, escaping);
            }
        }
    }

    /// Writes a label whose value is already escaped (the derive escapes enum values at
    /// compile time, so writing them is a copy).
    pub fn label_escaped(&mut self, name: &str, escaped_value: &str) {
        match self.sink {
            LabelSink::Text { escaping, plain } => {
                self.separate();
                self.text_name(name, escaping, plain);
                self.out.extend_from_slice(b"=\"");
                self.out.extend_from_slice(escaped_value.as_bytes());
                self.out.push(b'"');
            }
            LabelSink::Protobuf { escaping, field } => {
                protobuf::label_pair_escaped(self.out, field, name, escaped_value, escaping);
            }
        }
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
    #[inline]
    pub fn rendered(&mut self, rendered: &str) {
        if rendered.is_empty() {
            return;
        }
        if self.copy {
            // The common case: legacy label names, text copied as it is.
            self.separate();
            self.out.extend_from_slice(rendered.as_bytes());
            return;
        }
        self.rendered_slow(rendered);
    }

    /// [`rendered`](Self::rendered) for protobuf and for label names that may need quoting
    /// or escaping: each pair is parsed out of the text and written on its own.
    #[cold]
    fn rendered_slow(&mut self, rendered: &str) {
        match self.sink {
            LabelSink::Text { .. } => {
                let mut rest = rendered;
                while let Some((name, after)) = rest.split_once("=\"") {
                    let Some(end) = escape::closing_quote(after) else {
                        return;
                    };
                    self.label_escaped(name, &after[..end]);
                    rest = after[end + 1..].strip_prefix(',').unwrap_or("");
                }
            }
            LabelSink::Protobuf { escaping, field } => {
                protobuf::rendered_label_pairs(self.out, field, rendered, escaping);
            }
        }
    }
}

/// A sample value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SampleValue {
    /// Written with all its digits (a `double` in protobuf).
    Unsigned(u64),
    /// Written with all its digits (a `double` in protobuf).
    Signed(i64),
    /// Written as Go's `%g` (with `.0` in OpenMetrics when the text has no `.` or `e`).
    Float(f64),
}

impl SampleValue {
    fn as_f64(self) -> f64 {
        match self {
            SampleValue::Unsigned(value) => value as f64,
            SampleValue::Signed(value) => value as f64,
            SampleValue::Float(value) => value,
        }
    }
}

/// Writes the samples of one family into the exposition buffer, in any [`Format`].
///
/// A metric's [`EncodeMetric::encode`] receives one of these with
/// the family name, type and constant labels already chosen; it writes one or more series
/// with [`sample`](Self::sample), [`counter`](Self::counter),
/// [`histogram`](Self::histogram), [`classic_histogram`](Self::classic_histogram),
/// [`native_histogram`](Self::native_histogram) or [`summary`](Self::summary), which write
/// text lines or protobuf `Metric` messages as the format requires.
///
/// ```
/// use oxios_metrics::encode::{ExemplarRef, Exposition, FamilyEncoder, Timestamp};
/// use oxios_metrics::{DefinitionSite, Format, MetricDesc, MetricType, NoLabels, SampleValue};
///
/// let desc = MetricDesc::new("jobs", "Jobs run.", MetricType::Counter, DefinitionSite::new("a.rs", 1, 1));
/// let exposition = Exposition::new(Format::OpenMetrics).with_created(true);
/// let mut out = Vec::new();
/// let mut family = FamilyEncoder::begin(&mut out, exposition, desc.name(), &desc);
/// let exemplar = ExemplarRef { labels: "trace_id=\"4bf92f3577b34da6\"", value: 1.0, timestamp: None };
/// family.encoder("").counter(
///     &NoLabels,
///     SampleValue::Unsigned(17),
///     Some(Timestamp::from_unix_nanos(1_520_430_000_123_000_000)),
///     Some(&exemplar),
/// );
/// family.finish();
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "# HELP jobs Jobs run.\n# TYPE jobs counter\n\
///      jobs_total 17 # {trace_id=\"4bf92f3577b34da6\"} 1.0\n\
///      jobs_created 1.520430000123e+09\n"
/// );
/// ```
pub struct MetricEncoder<'a> {
    out: &'a mut Vec<u8>,
    exposition: Exposition,
    name: &'a str,
    const_labels: &'a str,
    metric_type: Option<MetricType>,
    /// The family name is legacy and label names are known to be: names are copied.
    plain_names: bool,
    /// Counter samples lose `_total` in the Prometheus text formats.
    omits_total: bool,
    /// `plain_names` and not `omits_total`: sample names are copied as they are.
    copy_names: bool,
    /// The creation time of series that give none of their own.
    created: Option<Timestamp>,
    /// What the exposition asks of every series, decided once.
    mode: Mode,
}

/// What an exposition asks of each series, decided once per encoder so that a series of the
/// text format 0.0.4 pays one branch for everything it does not have.
#[derive(Clone, Copy, Debug)]
struct Mode {
    /// The Prometheus text formats: a counter is its one line.
    simple: bool,
    protobuf: bool,
    /// Floats as `1.0`, exemplars.
    openmetrics: bool,
    /// Composite values, `st@`.
    v2: bool,
    /// `_created` samples (OpenMetrics 1.0 and 0.0.1, when asked for).
    created_lines: bool,
}

impl Mode {
    fn of(exposition: Exposition) -> Mode {
        let format = exposition.format();
        let v2 = format == Format::OpenMetricsV2;
        Mode {
            simple: format.is_prometheus_text(),
            protobuf: format == Format::Protobuf,
            openmetrics: format.is_openmetrics(),
            v2,
            created_lines: exposition.created() && format.is_openmetrics() && !v2,
        }
    }
}

impl<'a> MetricEncoder<'a> {
    /// An encoder for the family `name` whose samples all carry `const_labels`
    /// (rendered `a="x"` text, possibly empty), in `format` with the default escaping.
    ///
    /// The encoder does not know the family's type; in protobuf a sample ending in `_total`
    /// is then written as a counter and any other as a gauge. [`FamilyEncoder::encoder`]
    /// gives encoders that know it.
    pub fn new(out: &'a mut Vec<u8>, format: Format, name: &'a str, const_labels: &'a str) -> Self {
        let exposition = Exposition::new(format);
        MetricEncoder {
            out,
            exposition,
            mode: Mode::of(exposition),
            plain_names: is_legacy_name(name),
            copy_names: is_legacy_name(name),
            name,
            const_labels,
            metric_type: None,
            created: None,
            omits_total: false,
        }
    }

    /// An encoder for the family `name` of `metric_type` in `exposition`.
    pub fn for_family(
        out: &'a mut Vec<u8>,
        exposition: impl Into<Exposition>,
        name: &'a str,
        metric_type: MetricType,
        const_labels: &'a str,
    ) -> Self {
        let exposition = exposition.into();
        MetricEncoder {
            out,
            exposition,
            mode: Mode::of(exposition),
            plain_names: is_legacy_name(name),
            copy_names: is_legacy_name(name),
            name,
            const_labels,
            metric_type: Some(metric_type),
            created: None,
            omits_total: false,
        }
    }

    /// Writes counter samples without `_total` in the Prometheus text formats (see
    /// [`MetricDesc::without_total_suffix`]); OpenMetrics and protobuf keep it, as
    /// OpenMetrics requires.
    pub fn omitting_total_suffix(mut self) -> Self {
        self.omits_total = true;
        self.copy_names = false;
        self
    }

    /// Series written without a creation time of their own get `created` (the time their
    /// group was registered, say).
    pub fn with_created(mut self, created: Option<Timestamp>) -> Self {
        self.created = created;
        self
    }

    /// Whether this exposition writes creation times (protobuf, OpenMetrics 2.0, and
    /// OpenMetrics 1.0 with `_created` asked for).
    pub(crate) fn writes_creation_times(&self) -> bool {
        self.mode.protobuf || self.mode.v2 || self.mode.created_lines
    }

    /// Whether this exposition carries exemplars (OpenMetrics and protobuf): where it does
    /// not, metrics need not read theirs.
    pub(crate) fn writes_exemplars(&self) -> bool {
        self.mode.openmetrics || self.mode.protobuf
    }

    /// The creation time series without one of their own get.
    pub(crate) fn creation_time(&self) -> Option<Timestamp> {
        self.created
    }

    /// Sets the creation time series without one of their own get (a dynamic family sets
    /// each series' own around writing it).
    pub(crate) fn set_creation_time(&mut self, created: Option<Timestamp>) {
        self.created = created;
    }

    /// Label names may lie outside the legacy character set: each is checked and quoted or
    /// escaped as the exposition says (names of the legacy set are copied otherwise).
    pub fn with_utf8_label_names(mut self) -> Self {
        self.plain_names = false;
        self.copy_names = false;
        self
    }

    /// The format being written.
    pub fn format(&self) -> Format {
        self.exposition.format()
    }

    /// The exposition being written (format, escaping, `_created`).
    pub fn exposition(&self) -> Exposition {
        self.exposition
    }

    #[inline]
    fn protobuf(&self) -> bool {
        self.mode.protobuf
    }

    /// Names in braces (`{"name",…}`) rather than before them.
    fn quoted_name(&self) -> bool {
        !self.plain_names
            && self.exposition.escaping() == Escaping::AllowUtf8
            && self.exposition.format().carries_utf8_names()
            && !is_legacy_name(self.name)
    }

    fn label_writer(&mut self) -> LabelWriter<'_> {
        LabelWriter {
            out: self.out,
            empty: true,
            sink: LabelSink::Text {
                escaping: self.exposition.escaping(),
                plain: self.plain_names,
            },
            copy: self.plain_names,
        }
    }

    /// Writes the sample name (with `suffix`) and the opening of its label block, leaving
    /// the cursor where the first label goes. Returns whether the name sits inside the
    /// braces.
    #[inline]
    fn series_start(&mut self, suffix: &str) -> bool {
        if self.copy_names {
            // The common case: a legacy name copied as it is.
            self.out.extend_from_slice(self.name.as_bytes());
            self.out.extend_from_slice(suffix.as_bytes());
            self.out.push(b'{');
            return false;
        }
        self.series_start_slow(suffix)
    }

    /// [`series_start`](Self::series_start) for names that are escaped or quoted, and for
    /// counters that drop `_total`.
    #[cold]
    fn series_start_slow(&mut self, suffix: &str) -> bool {
        let suffix = if self.omits_total
            && suffix == "_total"
            && self.exposition.format().is_prometheus_text()
        {
            ""
        } else {
            suffix
        };
        if self.plain_names {
            self.out.extend_from_slice(self.name.as_bytes());
            self.out.extend_from_slice(suffix.as_bytes());
            self.out.push(b'{');
            false
        } else if self.quoted_name() {
            self.out.push(b'{');
            write_sample_name(
                self.out,
                self.name,
                suffix,
                Escaping::AllowUtf8,
                NameSyntax::Quoted,
            );
            self.out.push(b',');
            true
        } else {
            write_sample_name(
                self.out,
                self.name,
                suffix,
                self.exposition.escaping(),
                NameSyntax::Plain,
            );
            self.out.push(b'{');
            false
        }
    }

    /// Starts a sample line: name, suffix and the label block. Returns the byte range the
    /// labels took (without braces), so histogram lines can copy instead of re-rendering.
    fn begin_sample(&mut self, suffix: &str, labels: &dyn WriteLabels) -> (usize, usize) {
        self.series_start(suffix);
        let start = self.out.len();
        let const_labels = self.const_labels;
        let mut writer = self.label_writer();
        writer.rendered(const_labels);
        labels.write_labels(&mut writer);
        (start, self.out.len())
    }

    /// Closes a label block opened by [`begin_sample`](Self::begin_sample).
    fn end_labels(&mut self, (start, end): (usize, usize)) {
        if start == end {
            // No labels at all: drop the `{` (or the `,` after a quoted name) so the line
            // reads `name value` (or `{"name"} value`).
            self.out.pop();
            if self.quoted_name() {
                self.out.push(b'}');
            }
        } else {
            self.out.push(b'}');
        }
    }

    /// Starts another line of the series whose labels were written at `range`.
    fn repeat_series(&mut self, suffix: &str, (start, end): (usize, usize)) {
        let inside = self.series_start(suffix);
        if start == end {
            self.out.pop();
            if inside {
                self.out.push(b'}');
            }
        } else {
            self.out.extend_from_within(start..end);
            self.out.push(b'}');
        }
    }

    #[inline]
    fn value(&mut self, value: SampleValue) {
        self.out.push(b' ');
        self.number(value);
    }

    #[inline(always)]
    fn number(&mut self, value: SampleValue) {
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
    }

    fn float(&mut self, v: f64) {
        let text = if self.mode.openmetrics {
            float::openmetrics(v)
        } else {
            float::prometheus(v)
        };
        self.out.extend_from_slice(text.as_bytes());
    }

    #[inline]
    fn v2(&self) -> bool {
        self.mode.v2
    }

    /// ` # {labels} value [timestamp]` after an OpenMetrics sample, the timestamp in seconds
    /// written exactly (`1700000000.123`, up to nine decimals). OpenMetrics 2.0 requires the
    /// timestamp: an exemplar without one is left out there.
    fn text_exemplar(&mut self, exemplar: Option<&ExemplarRef<'_>>) {
        let Some(exemplar) = exemplar else {
            return;
        };
        if !self.mode.openmetrics || (self.v2() && exemplar.timestamp.is_none()) {
            return;
        }
        self.out.extend_from_slice(b" # {");
        self.out.extend_from_slice(exemplar.labels.as_bytes());
        self.out.extend_from_slice(b"} ");
        self.float(exemplar.value);
        if let Some(time) = exemplar.timestamp {
            self.out.push(b' ');
            time.write_seconds(self.out);
        }
    }

    /// `name_created{labels} seconds` after a series, in OpenMetrics when asked for.
    fn text_created(&mut self, range: (usize, usize), created: Option<Timestamp>) {
        if !self.mode.created_lines {
            return;
        }
        let Some(created) = created.or(self.created) else {
            return;
        };
        self.repeat_series("_created", range);
        self.value(SampleValue::Float(created.as_seconds_f64()));
        self.out.push(b'\n');
    }

    /// ` st@seconds` after an OpenMetrics 2.0 sample whose start is known.
    fn start_timestamp(&mut self, created: Option<Timestamp>) {
        if !self.v2() {
            return;
        }
        if let Some(start) = created.or(self.created) {
            self.out.extend_from_slice(b" st@");
            self.float(start.as_seconds_f64());
        }
    }

    /// The protobuf type a generic sample of this family is written as.
    fn proto_kind(&self, suffix: &str) -> Option<MetricType> {
        match self.metric_type {
            Some(MetricType::Counter) => Some(MetricType::Counter),
            Some(MetricType::Gauge | MetricType::Info) => Some(MetricType::Gauge),
            // A histogram (or summary) has no single value: generic samples of one are not
            // representable in protobuf.
            Some(_) => None,
            None if suffix == "_total" => Some(MetricType::Counter),
            None => Some(MetricType::Gauge),
        }
    }

    /// Opens a protobuf `Metric` and writes its labels.
    fn proto_metric(&mut self, labels: &dyn WriteLabels) -> protobuf::Open {
        let metric = protobuf::open(self.out, 4);
        self.proto_labels(labels);
        metric
    }

    /// The `LabelPair` fields of a protobuf `Metric`: the constant labels, then `labels`.
    fn proto_labels(&mut self, labels: &dyn WriteLabels) {
        let escaping = self.exposition.escaping();
        let const_labels = self.const_labels;
        let mut writer = LabelWriter {
            out: self.out,
            empty: true,
            sink: LabelSink::Protobuf { escaping, field: 1 },
            copy: false,
        };
        writer.rendered(const_labels);
        labels.write_labels(&mut writer);
    }

    /// Writes one sample: `name{suffix}{labels} value` (in protobuf, a `Metric` whose value
    /// is the family's counter or gauge).
    ///
    /// A counter family's `_total` sample is written as [`counter`](Self::counter) writes
    /// it (with `_created` when the exposition asks for it).
    pub fn sample(&mut self, suffix: &str, labels: &dyn WriteLabels, value: SampleValue) {
        if self.metric_type == Some(MetricType::Counter) && suffix == "_total" {
            self.counter(labels, value, None, None);
            return;
        }
        if self.protobuf() {
            match self.proto_kind(suffix) {
                Some(MetricType::Counter) => self.counter(labels, value, None, None),
                Some(_) => {
                    let metric = self.proto_metric(labels);
                    let gauge = protobuf::open(self.out, 2);
                    protobuf::double(self.out, 1, value.as_f64());
                    protobuf::close(self.out, gauge);
                    protobuf::close(self.out, metric);
                }
                None => {}
            }
            return;
        }
        let range = self.begin_sample(suffix, labels);
        self.end_labels(range);
        self.value(value);
        self.out.push(b'\n');
    }

    /// Writes a counter series: `name_total{labels} value`, with its exemplar in
    /// OpenMetrics, and `name_created` after it when the exposition asks for it (the
    /// encoder's creation time stands in when `created` is `None`). In protobuf a `Metric`
    /// with a `Counter` holding all three.
    pub fn counter(
        &mut self,
        labels: &dyn WriteLabels,
        value: SampleValue,
        created: Option<Timestamp>,
        exemplar: Option<&ExemplarRef<'_>>,
    ) {
        if self.mode.simple {
            let range = self.begin_sample("_total", labels);
            self.end_labels(range);
            self.value(value);
            self.out.push(b'\n');
            return;
        }
        if self.protobuf() {
            let metric = self.proto_metric(labels);
            let counter = protobuf::open(self.out, 3);
            protobuf::double(self.out, 1, value.as_f64());
            if let Some(exemplar) = exemplar {
                protobuf::exemplar(self.out, 2, exemplar);
            }
            if let Some(created) = created.or(self.created) {
                protobuf::timestamp(self.out, 3, created);
            }
            protobuf::close(self.out, counter);
            protobuf::close(self.out, metric);
            return;
        }
        let range = self.begin_sample("_total", labels);
        self.end_labels(range);
        self.value(value);
        if self.mode.v2 {
            self.start_timestamp(created);
        }
        if exemplar.is_some() {
            self.text_exemplar(exemplar);
        }
        self.out.push(b'\n');
        if self.mode.created_lines {
            self.text_created(range, created);
        }
    }
}

/// Writes one family in any format: its header (text) or the `MetricFamily` message that
/// frames it (protobuf), then the series of one or more members, each through its own
/// [`MetricEncoder`].
///
/// Members that differ only by constant labels are one family: [`begin`](Self::begin) once,
/// then [`member`](Self::member) for each. A protobuf family that ends with no series is
/// left out altogether, as Prometheus' Go client leaves it out (text keeps its header lines,
/// as a family with no series shows).
pub struct FamilyEncoder<'a> {
    out: &'a mut Vec<u8>,
    exposition: Exposition,
    name: &'a str,
    metric_type: MetricType,
    omits_total: bool,
    utf8_names: bool,
    created: Option<Timestamp>,
    frame: Option<(usize, protobuf::Open, usize)>,
}

impl<'a> FamilyEncoder<'a> {
    /// Starts the family `name` described by `desc` (whose own name `name` overrides, for
    /// prefixed groups).
    pub fn begin(
        out: &'a mut Vec<u8>,
        exposition: impl Into<Exposition>,
        name: &'a str,
        desc: &'a MetricDesc,
    ) -> Self {
        Self::begin_with(out, exposition, &FamilyHeader::of(name, desc))
    }

    /// Starts the family headed by `header`.
    pub fn begin_with(
        out: &'a mut Vec<u8>,
        exposition: impl Into<Exposition>,
        header: &FamilyHeader<'a>,
    ) -> Self {
        let exposition = exposition.into();
        header.write_text(out, exposition);
        Self::after_text_header(out, exposition, header)
    }

    /// Starts the family headed by `header` whose text header lines the caller has already
    /// written (pre-rendered ones, say); protobuf framing is still written here.
    pub fn after_text_header(
        out: &'a mut Vec<u8>,
        exposition: impl Into<Exposition>,
        header: &FamilyHeader<'a>,
    ) -> Self {
        let exposition = exposition.into();
        let frame = if exposition.format() == Format::Protobuf {
            let start = out.len();
            let message = protobuf::open_delimited(out);
            let suffix = header.metric_type.sample_suffix();
            protobuf::name(out, 1, header.name, suffix, exposition.escaping());
            let help = header.help.trim();
            if !help.is_empty() {
                protobuf::bytes(out, 2, help.as_bytes());
            }
            let proto_type = match header.metric_type {
                MetricType::Counter => protobuf::ProtoType::Counter,
                MetricType::Gauge | MetricType::Info => protobuf::ProtoType::Gauge,
                MetricType::Histogram => protobuf::ProtoType::Histogram,
                MetricType::Summary => protobuf::ProtoType::Summary,
            };
            protobuf::uint64(out, 3, proto_type as u64);
            if let Some(unit) = header.unit {
                protobuf::bytes(out, 5, unit.as_bytes());
            }
            Some((start, message, out.len()))
        } else {
            None
        };
        FamilyEncoder {
            out,
            exposition,
            name: header.name,
            metric_type: header.metric_type,
            omits_total: header.omits_total,
            utf8_names: header.utf8_names,
            created: None,
            frame,
        }
    }

    /// Series of members written after this get `created` unless they carry their own.
    pub fn created(&mut self, created: Option<Timestamp>) -> &mut Self {
        self.created = created;
        self
    }

    /// An encoder for a member whose samples carry `const_labels` (rendered, may be empty).
    pub fn encoder<'e>(&'e mut self, const_labels: &'e str) -> MetricEncoder<'e> {
        let encoder = MetricEncoder::for_family(
            &mut *self.out,
            self.exposition,
            self.name,
            self.metric_type,
            const_labels,
        )
        .with_created(self.created);
        let encoder = if self.utf8_names {
            encoder.with_utf8_label_names()
        } else {
            encoder
        };
        if self.omits_total {
            encoder.omitting_total_suffix()
        } else {
            encoder
        }
    }

    /// Writes every series of `metric` with `const_labels`.
    pub fn member(&mut self, metric: &dyn EncodeMetric, const_labels: &str) -> &mut Self {
        metric.encode(&mut self.encoder(const_labels));
        self
    }

    /// Ends the family, handing back the output it wrote into (so that the next family can
    /// be started on it).
    pub fn finish(self) -> &'a mut Vec<u8> {
        if let Some((start, message, body)) = self.frame {
            if self.out.len() == body {
                self.out.truncate(start);
            } else {
                protobuf::close(self.out, message);
            }
        }
        self.out
    }
}
