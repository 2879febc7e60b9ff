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
use crate::metric::{EncodeMetric, Overflows};

use super::group::{GroupHandle, MetricGroup, MetricVisitor, Scope};
use super::members::Members;
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
    pub(crate) members: Members,
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
    let families = &snapshot.families;
    let mut state = Writing::Between(out);
    walk(families, &mut |step| match step {
        Step::Family(index) => {
            let out = state.finish_family();
            state = Writing::Family(begin_family(&families[index], out, exposition));
        }
        Step::Member(member, metric) => {
            if let Writing::Family(writer) = &mut state {
                writer.created(Some(member.registered));
                writer.member(metric, &member.const_labels);
            }
        }
    });
    let out = state.finish_family();
    write_overflow_counts(families, out, exposition);
    if exposition.format().is_openmetrics() {
        out.extend_from_slice(b"# EOF\n");
    }
}

/// Where the write of a snapshot is: between families, holding the output, or inside one.
enum Writing<'o> {
    Between(&'o mut Vec<u8>),
    Family(FamilyEncoder<'o>),
    /// Only while changing from one to the other.
    Changing,
}

impl<'o> Writing<'o> {
    /// Ends the family being written, if any, and hands back the output.
    fn finish_family(&mut self) -> &'o mut Vec<u8> {
        match std::mem::replace(self, Writing::Changing) {
            Writing::Between(out) => out,
            Writing::Family(writer) => writer.finish(),
            Writing::Changing => unreachable!("a write is always between families or in one"),
        }
    }
}

/// A family's header; its members are written into the returned encoder.
fn begin_family<'o>(
    family: &'o ScrapeFamily,
    out: &'o mut Vec<u8>,
    exposition: Exposition,
) -> FamilyEncoder<'o> {
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
    if pre_rendered && is_legacy_name(&family.name) {
        // A legacy name reads the same in every escaping scheme, so the lines rendered at
        // registration are this exposition's (OpenMetrics 2.0 heads families differently
        // and renders its header here).
        out.extend_from_slice(family.headers.get(format));
        FamilyEncoder::after_text_header(out, exposition, &header)
    } else {
        FamilyEncoder::begin_with(out, exposition, &header)
    }
}

/// What a walk over a snapshot's families meets, in exposition order.
enum Step<'s, 'm> {
    /// The start of the family at this position; its members follow.
    Family(usize),
    /// A member of the family last started, and the metric its group shows for it. A
    /// hand-written group that shows fewer metrics than it did at registration simply
    /// contributes nothing.
    Member(&'s Member, &'m dyn EncodeMetric),
}

/// Calls `step` for every family and, after each, for each of its members in registration
/// order.
///
/// A group reaches its metrics one at a time through `visit_metric`, which a hand-written
/// group answers by walking its whole `visit`; families taken one by one would then cost a
/// walk each, quadratic in a group of thousands of metrics. So consecutive families that each
/// hold just one metric of one group, in the group's own order (a group registered on its
/// own), are met in a single `visit` of that group.
fn walk(families: &[Arc<ScrapeFamily>], step: &mut dyn FnMut(Step<'_, '_>)) {
    let mut at = 0;
    while at < families.len() {
        if let Some((first, run)) = single_group_run(&families[at..]) {
            let mut visitor = RunVisitor {
                run: &families[at..at + run],
                start: at,
                first_index: first.index,
                seen: 0,
                next: 0,
                step: &mut *step,
            };
            first.group.get().visit(&mut visitor);
            // Families whose metric the group no longer shows still get their header.
            for index in visitor.next..run {
                step(Step::Family(at + index));
            }
            at += run;
        } else {
            step(Step::Family(at));
            for member in families[at].members.iter() {
                let mut visitor = MemberVisitor {
                    member,
                    step: &mut *step,
                };
                member.group.get().visit_metric(member.index, &mut visitor);
            }
            at += 1;
        }
    }
}

/// The member of the first family and how many families from it form a run: each holding
/// exactly one member, of the same group, at consecutive positions of its visit order. `None`
/// when fewer than two do.
fn single_group_run(families: &[Arc<ScrapeFamily>]) -> Option<(&Member, usize)> {
    let first = families.first()?.members.only()?;
    let run = families
        .iter()
        .enumerate()
        .take_while(|(offset, family)| {
            family.members.only().is_some_and(|only| {
                only.group_id == first.group_id && only.index == first.index + offset
            })
        })
        .count();
    (run > 1).then_some((first, run))
}

/// Meets a run of single-member families in one walk of their group.
struct RunVisitor<'r, 's> {
    run: &'r [Arc<ScrapeFamily>],
    /// The run's first family's position in the snapshot.
    start: usize,
    /// The group's visit position of the run's first metric.
    first_index: usize,
    /// Metrics of the group visited so far.
    seen: usize,
    /// The run's next family not yet started.
    next: usize,
    step: &'s mut dyn FnMut(Step<'_, '_>),
}

impl MetricVisitor for RunVisitor<'_, '_> {
    fn metric(&mut self, _desc: &MetricDesc, metric: &dyn EncodeMetric) {
        let position = self.seen.checked_sub(self.first_index);
        self.seen += 1;
        let Some(position) = position.filter(|&position| position < self.run.len()) else {
            return;
        };
        while self.next <= position {
            (self.step)(Step::Family(self.start + self.next));
            self.next += 1;
        }
        if let Some(member) = self.run[position].members.only() {
            (self.step)(Step::Member(member, metric));
        }
    }

    fn nested(&mut self, _scope: Scope, group: &dyn MetricGroup) {
        if self.seen < self.first_index + self.run.len() {
            group.visit(self);
        }
    }
}

/// Passes on the one metric `visit_metric` shows for a member.
struct MemberVisitor<'m, 's> {
    member: &'m Member,
    step: &'s mut dyn FnMut(Step<'_, '_>),
}

impl MetricVisitor for MemberVisitor<'_, '_> {
    fn metric(&mut self, _desc: &MetricDesc, metric: &dyn EncodeMetric) {
        (self.step)(Step::Member(self.member, metric));
    }

    fn nested(&mut self, _scope: Scope, group: &dyn MetricGroup) {
        // `visit_metric` resolves nesting itself; a group that nests here anyway is walked.
        group.visit(self);
    }
}

/// Writes [`OVERFLOW_METRIC`] when some family has overflowed: one sample per family, the
/// lookups of all its members added up. It reads a few atomics per member and allocates
/// nothing.
fn write_overflow_counts(
    families: &[Arc<ScrapeFamily>],
    out: &mut Vec<u8>,
    exposition: Exposition,
) {
    // Most scrapes have no overflow: a first pass finds out before any header is written.
    let mut overflowed = false;
    walk(families, &mut |step| {
        if let Step::Member(_, metric) = step {
            overflowed |= metric.overflows().total() > 0;
        }
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
    // Members follow their family, so each family's counts are complete when the next starts.
    let mut current: Option<(usize, Overflows)> = None;
    walk(families, &mut |step| match step {
        Step::Family(index) => {
            if let Some((family, counts)) = current.replace((index, Overflows::default())) {
                write_overflow_lines(&mut writer, &families[family].name, &counts);
            }
        }
        Step::Member(_, metric) => {
            if let Some((_, counts)) = &mut current {
                let overflow = metric.overflows();
                counts.max_series += overflow.max_series;
                counts.max_label_bytes += overflow.max_label_bytes;
            }
        }
    });
    if let Some((family, counts)) = current {
        write_overflow_lines(&mut writer, &families[family].name, &counts);
    }
    writer.finish();
}

fn write_overflow_lines(writer: &mut FamilyEncoder<'_>, family: &str, counts: &Overflows) {
    for (reason, count) in [
        ("max_series", counts.max_series),
        ("max_label_bytes", counts.max_label_bytes),
    ] {
        if count == 0 {
            continue;
        }
        writer.encoder("").counter(
            &OverflowLabels { family, reason },
            SampleValue::Unsigned(count),
            None,
            None,
        );
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
