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
use crate::encode::{
    is_legacy_name, render_headers, Exposition, FamilyEncoder, FamilyHeader, Format, LabelWriter,
    SampleValue, Timestamp, WriteLabels,
};
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
    /// When the member's group was registered: the creation time of its series (OpenMetrics
    /// `_created`, protobuf `created_timestamp`) for metrics that know none of their own.
    pub(crate) registered: Timestamp,
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

    /// The lines for a text format (0.0.4 and 1.0.0 share them, as do the OpenMetrics
    /// versions).
    fn get(&self, format: Format) -> &[u8] {
        if format.is_openmetrics() {
            self.openmetrics.as_bytes()
        } else {
            self.prometheus.as_bytes()
        }
    }
}

/// Writes every family of `snapshot`, then the overflow counter if any family overflowed,
/// then OpenMetrics' `# EOF`.
pub(crate) fn write(snapshot: &Snapshot, out: &mut Vec<u8>, exposition: Exposition) {
    for family in &snapshot.families {
        write_family(family, out, exposition);
    }
    write_overflow_counts(snapshot, out, exposition);
    if exposition.format().is_openmetrics() {
        out.extend_from_slice(b"# EOF\n");
    }
}

/// A family's header, then the series of each member in registration order.
fn write_family(family: &ScrapeFamily, out: &mut Vec<u8>, exposition: Exposition) {
    let identity = &family.identity;
    let header = FamilyHeader {
        name: &family.name,
        metric_type: identity.metric_type,
        help: &identity.help,
        unit: identity.unit.as_deref(),
        omits_total: identity.omits_total,
        utf8_names: identity.utf8_names,
    };
    let format = exposition.format();
    let pre_rendered = !matches!(format, Format::Protobuf | Format::OpenMetricsV2);
    let mut writer = if pre_rendered && is_legacy_name(&family.name) {
        // A legacy name reads the same in every escaping scheme, so the lines rendered at
        // registration are this exposition's (OpenMetrics 2.0 heads families differently
        // and renders its header here).
        out.extend_from_slice(family.headers.get(format));
        FamilyEncoder::after_text_header(out, exposition, &header)
    } else {
        FamilyEncoder::begin_with(out, exposition, &header)
    };
    for member in &family.members {
        writer.created(Some(member.registered));
        let mut visitor = WriteMember {
            writer: &mut writer,
            const_labels: &member.const_labels,
        };
        // A hand-written group that shows fewer metrics than it did at registration simply
        // contributes nothing here.
        member.group.get().visit_metric(member.index, &mut visitor);
    }
    writer.finish();
}

struct WriteMember<'w, 'a> {
    writer: &'w mut FamilyEncoder<'a>,
    const_labels: &'w str,
}

impl MetricVisitor for WriteMember<'_, '_> {
    fn metric(&mut self, _desc: &MetricDesc, metric: &dyn EncodeMetric) {
        self.writer.member(metric, self.const_labels);
    }

    fn nested(&mut self, _scope: Scope, group: &dyn MetricGroup) {
        // `visit_metric` resolves nesting itself; a group that nests here anyway is walked.
        group.visit(self);
    }
}

/// The overflow counts of `family`, added up over its members.
fn overflow_counts(family: &ScrapeFamily) -> OverflowCounts {
    let mut counts = OverflowCounts::default();
    for member in &family.members {
        member.group.get().visit_metric(member.index, &mut counts);
    }
    counts
}

/// Writes [`OVERFLOW_METRIC`] when some family has overflowed: one sample per family, the
/// lookups of all its members added up. It reads a few atomics per member and allocates
/// nothing.
fn write_overflow_counts(snapshot: &Snapshot, out: &mut Vec<u8>, exposition: Exposition) {
    // Most scrapes have no overflow: a first pass finds out before any header is written.
    let overflowed = snapshot.families.iter().any(|family| {
        let counts = overflow_counts(family);
        counts.max_series > 0 || counts.label_bytes > 0
    });
    if !overflowed {
        return;
    }
    let desc = MetricDesc::new(
        OVERFLOW_METRIC,
        OVERFLOW_HELP,
        MetricType::Counter,
        DefinitionSite::new(file!(), line!(), column!()),
    );
    let mut writer = FamilyEncoder::begin(out, exposition, OVERFLOW_METRIC, &desc);
    for family in &snapshot.families {
        let counts = overflow_counts(family);
        for (reason, count) in [
            ("max_series", counts.max_series),
            ("max_label_bytes", counts.label_bytes),
        ] {
            if count == 0 {
                continue;
            }
            writer.encoder("").counter(
                &OverflowLabels {
                    family: &family.name,
                    reason,
                },
                SampleValue::Unsigned(count),
                None,
                None,
            );
        }
    }
    writer.finish();
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
