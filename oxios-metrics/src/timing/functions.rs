//! The built-in family of bare `#[timed]`: one histogram per annotated function, labelled with
//! the function and its module, registered on the global registry on the first call.
//!
//! Each annotated function has one `static` [`TimedSite`] holding its histogram. Its first
//! call links the site into a list sorted by module and function (taking a lock that one
//! time) and registers [`FUNCTION_DURATIONS`] on [`global()`](crate::global) if that has not
//! happened yet; later calls find the link with one atomic load. Nothing runs before `main`.
//! A first call from inside a scrape of the global registry (a callback gauge that calls such
//! a function) is fine: a scrape holds no lock that registration waits on.

use std::sync::OnceLock;

use parking_lot::RwLock;

use crate::desc::{DefinitionSite, MetricDesc, MetricType};
use crate::encode::{LabelWriter, MetricEncoder, WriteLabels};
use crate::histogram::{Buckets, Histogram, HistogramCells, HistogramRef};
use crate::metric::{EncodeMetric, FamilyMember};
use crate::registry::{global, MetricGroup, MetricVisitor, RegisterError};

/// The name of the built-in family: `function_duration_seconds`, a histogram in seconds.
pub const FUNCTION_DURATION_NAME: &str = "function_duration_seconds";
/// The label naming the function: its identifier (without `r#`), or the `name = "…"` given
/// to `#[timed]`.
pub const FUNCTION_LABEL: &str = "function";
/// The label naming the module, as `module_path!()` gives it (`my_crate::handlers`).
pub const MODULE_LABEL: &str = "module";

static DESC: MetricDesc = MetricDesc::new(
    FUNCTION_DURATION_NAME,
    "Duration of functions annotated with a bare #[timed], by function and module.",
    MetricType::Histogram,
    DefinitionSite::new(file!(), line!(), column!()),
)
.with_unit("seconds");

/// The call-site record of one function with a bare `#[timed]`. The expansion declares one
/// `static` per annotated function. Not part of the public API.
#[doc(hidden)]
pub struct TimedSite {
    function: &'static str,
    module: &'static str,
    buckets: Buckets,
    cells: HistogramCells,
    /// The site whose series this one records into: itself, or an earlier site with the same
    /// labels. Set on the first call.
    linked: OnceLock<&'static TimedSite>,
}

impl TimedSite {
    /// A site not yet linked.
    #[must_use]
    pub const fn new(function: &'static str, module: &'static str, buckets: Buckets) -> Self {
        TimedSite {
            function,
            module,
            buckets,
            cells: HistogramCells::new(),
            linked: OnceLock::new(),
        }
    }

    /// The series this site observes into, linking the site on its first call.
    #[inline]
    pub fn histogram(&'static self) -> HistogramRef<'static> {
        let site = match self.linked.get() {
            Some(site) => *site,
            None => self.link(),
        };
        Histogram::handle(&site.cells, &site.buckets)
    }

    #[cold]
    fn link(&'static self) -> &'static TimedSite {
        let site = *self.linked.get_or_init(|| {
            let mut sites = SITES.write();
            let key = (self.module, self.function);
            match sites.binary_search_by(|site| (site.module, site.function).cmp(&key)) {
                // Two functions with the same name in one module (methods of different types)
                // share the series the first one created, so the family never holds two
                // series with the same labels.
                Ok(index) => sites[index],
                Err(index) => {
                    sites.insert(index, self);
                    self
                }
            }
        });
        REGISTRATION.get_or_init(|| global().register(&FUNCTION_DURATIONS));
        site
    }
}

impl std::fmt::Debug for TimedSite {
    // Not derived: a linked site refers to itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimedSite")
            .field("function", &self.function)
            .field("module", &self.module)
            .field("buckets", &self.buckets)
            .field("linked", &self.linked.get().is_some())
            .finish_non_exhaustive()
    }
}

/// Every linked site, sorted by module then function.
static SITES: RwLock<Vec<&'static TimedSite>> = RwLock::new(Vec::new());

static REGISTRATION: OnceLock<Result<(), RegisterError>> = OnceLock::new();

/// Why registering the built-in family on the global registry failed (another group there
/// already exposes `function_duration_seconds`), or `None` when it succeeded or has not been
/// tried yet (no function with a bare `#[timed]` has been called). A failure never panics: the
/// durations are still recorded, and any other registry can register
/// [`FUNCTION_DURATIONS`].
pub fn registration_error() -> Option<&'static RegisterError> {
    REGISTRATION.get().and_then(|result| result.as_ref().err())
}

/// The group holding the built-in family of bare `#[timed]`. It is registered on
/// [`global()`](crate::global) by the first call of an annotated function; register it on
/// another [`Registry`](crate::Registry) to expose the durations there too.
///
/// ```
/// use oxios_metrics::{timed, timing, Format, Registry};
///
/// #[timed]
/// fn parse_config() -> usize { 42 }
///
/// parse_config();
/// let registry = Registry::new();
/// registry.register(&timing::FUNCTION_DURATIONS).unwrap();
/// let text = registry.render(Format::Prometheus);
/// assert!(text.contains("# TYPE function_duration_seconds histogram\n"));
/// assert!(text.contains("function_duration_seconds_count{function=\"parse_config\",module=\"rust_out\"} 1\n"));
/// ```
#[derive(Debug)]
pub struct FunctionDurations {
    _private: (),
}

/// The built-in family's group (see [`FunctionDurations`]).
pub static FUNCTION_DURATIONS: FunctionDurations = FunctionDurations { _private: () };

impl MetricGroup for FunctionDurations {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&DESC, &SiteSeries);
    }
}

/// Writes every linked site as one series of the family.
struct SiteSeries;

struct SiteLabels {
    function: &'static str,
    module: &'static str,
}

impl WriteLabels for SiteLabels {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label(FUNCTION_LABEL, self.function);
        writer.label(MODULE_LABEL, self.module);
    }
}

impl EncodeMetric for SiteSeries {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        for site in SITES.read().iter() {
            let labels = SiteLabels {
                function: site.function,
                module: site.module,
            };
            Histogram::encode_series(&site.cells, &site.buckets, &labels, encoder);
        }
    }

    fn visit_label_names(&self, visit: &mut dyn FnMut(&str)) {
        visit(FUNCTION_LABEL);
        visit(MODULE_LABEL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linked_site_prints_without_recursing() {
        static SITE: TimedSite = TimedSite::new("f", "m", Buckets::DEFAULT);
        SITE.histogram().observe(1.0);
        let printed = format!("{SITE:?}");
        assert!(printed.contains("linked: true"), "{printed}");
        assert_eq!(SITE.histogram().count(), 1);
    }
}
