//! The scrape: what the registry publishes for it, and how a family is written from it.
//!
//! A scrape takes the current [`Snapshot`] (an `Arc` clone under a lock held for nothing
//! else) and writes from it with no lock held, so user code that runs while writing (a
//! callback, a collector, the first call of a bare `#[timed]` function) can register, remove
//! or scrape without waiting on anything the scrape holds. Everything a scrape copies (header
//! lines, names, constant label text) was rendered when the group was registered.

use std::borrow::Cow;
use std::sync::Arc;

use crate::desc::{DefinitionSite, MetricDesc, MetricType};
use crate::encode::{render_headers, Format, LabelWriter, MetricEncoder, SampleValue, WriteLabels};
use crate::metric::EncodeMetric;

use super::group::{GroupHandle, MetricGroup, MetricVisitor, Scope};
use super::walk::FamilyIdentity;
use super::OVERFLOW_METRIC;

const OVERFLOW_HELP: &str = "Lookups of new label sets sent to a dynamic family's overflow series, by family and reason: the family held max_series series, or the label set was longer than max_label_bytes.";

/// What a scrape reads: every family, in exposition order.
#[derive(Default)]
pub(crate) struct Snapshot {
    pub(crate) families: Vec<Arc<ScrapeFamily>>,
}

/// One family of the exposition: its header and every member that contributes series.
#[derive(Clone)]
pub(crate) struct ScrapeFamily {
    pub(crate) name: Arc<str>,
    pub(crate) identity: FamilyIdentity,
    pub(crate) headers: Headers,
    pub(crate) members: Vec<Member>,
}

/// One registered metric writing into a family: where to find it and the constant labels
/// its samples carry.
#[derive(Clone)]
pub(crate) struct Member {
    pub(crate) group_id: u64,
    pub(crate) group: GroupHandle,
    /// Position in the group's visit order.
    pub(crate) index: usize,
    pub(crate) const_labels: Box<str>,
    pub(crate) label_key: Vec<(String, String)>,
    pub(crate) site: DefinitionSite,
}

/// A family's header lines in each format.
#[derive(Clone)]
pub(crate) struct Headers {
    prometheus: Cow<'static, str>,
    openmetrics: Cow<'static, str>,
}

impl Headers {
    /// The header lines of family `name`; the derive's compile-time rendering when the name
    /// is the declared one.
    pub(crate) fn render(name: &str, desc: &MetricDesc) -> Headers {
        match desc.rendered_headers() {
            Some(headers) if name == desc.name() => Headers {
                prometheus: Cow::Borrowed(headers.prometheus),
                openmetrics: Cow::Borrowed(headers.openmetrics),
            },
            _ => {
                let render = |format| {
                    let mut text = Vec::new();
                    render_headers(&mut text, format, name, desc);
                    Cow::Owned(String::from_utf8_lossy(&text).into_owned())
                };
                Headers {
                    prometheus: render(Format::Prometheus),
                    openmetrics: render(Format::OpenMetrics),
                }
            }
        }
    }

    fn get(&self, format: Format) -> &[u8] {
        match format {
            Format::Prometheus => self.prometheus.as_bytes(),
            Format::OpenMetrics => self.openmetrics.as_bytes(),
        }
    }
}

/// Writes every family of `snapshot`, then the overflow counter if any family overflowed,
/// then OpenMetrics' `# EOF`.
pub(crate) fn write(snapshot: &Snapshot, out: &mut Vec<u8>, format: Format) {
    for family in &snapshot.families {
        write_family(family, out, format);
    }
    write_overflow_counts(snapshot, out, format);
    if format == Format::OpenMetrics {
        out.extend_from_slice(b"# EOF\n");
    }
}

/// A family's header, then the series of each member in registration order.
fn write_family(family: &ScrapeFamily, out: &mut Vec<u8>, format: Format) {
    out.extend_from_slice(family.headers.get(format));
    for member in &family.members {
        let mut writer = WriteMember {
            out: &mut *out,
            format,
            name: &family.name,
            const_labels: &member.const_labels,
            omits_total: family.identity.omits_total,
        };
        // A hand-written group that shows fewer metrics than it did at registration simply
        // contributes nothing here.
        member.group.get().visit_metric(member.index, &mut writer);
    }
}

struct WriteMember<'a> {
    out: &'a mut Vec<u8>,
    format: Format,
    name: &'a str,
    const_labels: &'a str,
    omits_total: bool,
}

impl MetricVisitor for WriteMember<'_> {
    fn metric(&mut self, _desc: &MetricDesc, metric: &dyn EncodeMetric) {
        let mut encoder = MetricEncoder::new(self.out, self.format, self.name, self.const_labels);
        if self.omits_total {
            encoder = encoder.omitting_total_suffix();
        }
        metric.encode(&mut encoder);
    }

    fn nested(&mut self, _scope: Scope, group: &dyn MetricGroup) {
        // `visit_metric` resolves nesting itself; a group that nests here anyway is walked.
        group.visit(self);
    }
}

/// Writes [`OVERFLOW_METRIC`] when some family has overflowed: one sample per family, the
/// lookups of all its members added up. It reads one atomic per member and allocates
/// nothing.
fn write_overflow_counts(snapshot: &Snapshot, out: &mut Vec<u8>, format: Format) {
    let mut header_written = false;
    for family in &snapshot.families {
        let mut counts = OverflowCounts::default();
        for member in &family.members {
            member.group.get().visit_metric(member.index, &mut counts);
        }
        for (reason, count) in [
            ("max_series", counts.max_series),
            ("max_label_bytes", counts.label_bytes),
        ] {
            if count == 0 {
                continue;
            }
            if !header_written {
                header_written = true;
                write_overflow_header(out, format);
            }
            MetricEncoder::new(out, format, OVERFLOW_METRIC, "").sample(
                "_total",
                &OverflowLabels {
                    family: &family.name,
                    reason,
                },
                SampleValue::Unsigned(count),
            );
        }
    }
}

fn write_overflow_header(out: &mut Vec<u8>, format: Format) {
    let desc = MetricDesc::new(
        OVERFLOW_METRIC,
        OVERFLOW_HELP,
        MetricType::Counter,
        DefinitionSite::new(file!(), line!(), column!()),
    );
    render_headers(out, format, OVERFLOW_METRIC, &desc);
}

#[derive(Default)]
struct OverflowCounts {
    max_series: u64,
    label_bytes: u64,
}

impl MetricVisitor for OverflowCounts {
    fn metric(&mut self, _desc: &MetricDesc, metric: &dyn EncodeMetric) {
        let overflow = metric.overflows();
        self.max_series += overflow.max_series;
        self.label_bytes += overflow.max_label_bytes;
    }

    fn nested(&mut self, _scope: Scope, group: &dyn MetricGroup) {
        group.visit(self);
    }
}

struct OverflowLabels<'a> {
    family: &'a str,
    reason: &'static str,
}

impl WriteLabels for OverflowLabels<'_> {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("family", self.family);
        writer.label_escaped("reason", self.reason);
    }
}
