//! What a registry holds: groups of metrics, the visitor that walks them, and the handle that
//! keeps a registered group alive.

use std::sync::Arc;

use crate::desc::MetricDesc;
use crate::metric::EncodeMetric;

/// A group of metrics registered and scraped together; what `#[derive(Metrics)]` implements.
pub trait MetricGroup: Send + Sync {
    /// Shows every metric of the group to `visitor`, in a fixed order (the derive uses
    /// declaration order). The order and number must be the same on every call.
    fn visit(&self, visitor: &mut dyn MetricVisitor);

    /// Shows only the metric at position `index` of [`visit`](Self::visit)'s order (metrics
    /// of nested groups counted where they appear), and says whether there was one.
    ///
    /// A scrape writes each family with all of its members together, so it reaches the
    /// metrics of a group one at a time through this method. The provided implementation
    /// walks [`visit`](Self::visit) up to `index`; a group with many metrics can answer
    /// directly instead.
    fn visit_metric(&self, index: usize, visitor: &mut dyn MetricVisitor) -> bool {
        let mut only = OnlyAt {
            wanted: index,
            seen: 0,
            found: false,
            inner: visitor,
        };
        self.visit(&mut only);
        only.found
    }
}

/// Receives the metrics of a group.
pub trait MetricVisitor {
    /// One metric family.
    fn metric(&mut self, desc: &MetricDesc, metric: &dyn EncodeMetric);

    /// A group nested inside another: its names get `scope.prefix` in front and its samples
    /// `scope.const_labels` in addition to their own.
    fn nested(&mut self, scope: Scope, group: &dyn MetricGroup);
}

/// What a parent group adds to a nested group's metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// Prepended to each name as is (include the separating `_`).
    pub prefix: &'static str,
    /// Rendered `name="value"` labels added to every sample (may be empty).
    pub const_labels: &'static str,
}

/// Passes on the metric at one position of a walk and nothing else.
struct OnlyAt<'a> {
    wanted: usize,
    seen: usize,
    found: bool,
    inner: &'a mut dyn MetricVisitor,
}

impl MetricVisitor for OnlyAt<'_> {
    fn metric(&mut self, desc: &MetricDesc, metric: &dyn EncodeMetric) {
        if self.seen == self.wanted {
            self.found = true;
            self.inner.metric(desc, metric);
        }
        self.seen += 1;
    }

    fn nested(&mut self, _scope: Scope, group: &dyn MetricGroup) {
        if !self.found {
            group.visit(self);
        }
    }
}

/// A registered group: borrowed for the program's life, or shared with its owner.
#[derive(Clone)]
pub(crate) enum GroupHandle {
    Static(&'static dyn MetricGroup),
    Shared(Arc<dyn MetricGroup>),
}

impl GroupHandle {
    pub(crate) fn get(&self) -> &dyn MetricGroup {
        match self {
            GroupHandle::Static(group) => *group,
            GroupHandle::Shared(group) => group.as_ref(),
        }
    }
}
