//! Building a [`FacadeRecorder`] and installing it as the `metrics` crate's recorder.

use std::fmt;

use crate::family::{SeriesLimits, DEFAULT_MAX_LABEL_BYTES, DEFAULT_MAX_SERIES};
use crate::histogram::Buckets;
use crate::registry::{global, RegisterError, Registry, SubRegistry};

use super::buckets::{BucketRules, Matcher};
use super::names::NamePolicy;
use super::recorder::{FacadeRecorder, Inner, Settings};

/// The most families (metric names) a recorder creates unless told otherwise; emissions of
/// further names are refused and counted (`reason="max_families"`).
pub const DEFAULT_MAX_FAMILIES: usize = 1000;

/// Settings of a [`FacadeRecorder`]; [`FacadeRecorder::builder`] starts one.
///
/// ```
/// use oxios_metrics::facade::{FacadeRecorder, Matcher, NamePolicy};
/// use oxios_metrics::{Buckets, Registry};
///
/// let registry = Registry::new();
/// let recorder = FacadeRecorder::builder()
///     .registry(&registry)
///     .names(NamePolicy::Sanitize)
///     .max_series(500)
///     .max_label_bytes(1024)
///     .max_families(200)
///     .buckets(Matcher::Suffix("_seconds".into()), Buckets::exponential(0.001, 4.0, 8)?)
///     .default_buckets(Buckets::linear(1.0, 1.0, 10)?)
///     .build()?;
/// # let _ = recorder;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct FacadeBuilder {
    scope: Option<SubRegistry>,
    settings: Settings,
    user_rules: Vec<(Matcher, Buckets)>,
}

impl Default for FacadeBuilder {
    fn default() -> Self {
        FacadeBuilder {
            scope: None,
            settings: Settings {
                names: NamePolicy::default(),
                limits: SeriesLimits {
                    max_series: DEFAULT_MAX_SERIES,
                    max_label_bytes: DEFAULT_MAX_LABEL_BYTES,
                },
                max_families: DEFAULT_MAX_FAMILIES,
                buckets: BucketRules::default(),
            },
            user_rules: Vec::new(),
        }
    }
}

impl FacadeBuilder {
    /// Writes into `registry` (default: [`global()`]).
    pub fn registry(mut self, registry: &Registry) -> Self {
        self.scope = Some(registry.root());
        self
    }

    /// Writes through a sub-registry: its prefix goes in front of every facade name and its
    /// constant labels onto every facade sample (a facade label with one of those names is
    /// refused).
    pub fn sub_registry(mut self, scope: SubRegistry) -> Self {
        self.scope = Some(scope);
        self
    }

    /// What to do with names outside Prometheus' charset (default
    /// [`NamePolicy::Sanitize`]).
    pub fn names(mut self, policy: NamePolicy) -> Self {
        self.settings.names = policy;
        self
    }

    /// The most series one family holds (default [`DEFAULT_MAX_SERIES`], at least 1); new
    /// label sets past it share the family's overflow series.
    pub fn max_series(mut self, max_series: usize) -> Self {
        self.settings.limits.max_series = max_series.max(1);
        self
    }

    /// The longest rendered label text of one series, in bytes (default
    /// [`DEFAULT_MAX_LABEL_BYTES`]); longer label sets go to the overflow series.
    pub fn max_label_bytes(mut self, max_label_bytes: usize) -> Self {
        self.settings.limits.max_label_bytes = max_label_bytes;
        self
    }

    /// The most families (metric names) the recorder creates (default
    /// [`DEFAULT_MAX_FAMILIES`]).
    pub fn max_families(mut self, max_families: usize) -> Self {
        self.settings.max_families = max_families;
        self
    }

    /// Histograms whose family name matches `matcher` get `buckets`. Rules are tried in the
    /// order they were added, before the built-in rule (names ending in `_bytes` get
    /// [`DEFAULT_BYTE_BUCKETS`](super::DEFAULT_BYTE_BUCKETS)); the first match wins.
    pub fn buckets(mut self, matcher: Matcher, buckets: Buckets) -> Self {
        self.user_rules.push((matcher, buckets));
        self
    }

    /// The buckets of histograms no rule matches (default: Prometheus' default buckets,
    /// [`DEFAULT_BUCKETS`](crate::DEFAULT_BUCKETS), made for seconds).
    pub fn default_buckets(mut self, buckets: Buckets) -> Self {
        self.settings.buckets.fallback = buckets;
        self
    }

    /// The recorder. It registers its own counters
    /// ([`REFUSED_METRIC`](super::REFUSED_METRIC), [`REWRITTEN_METRIC`](super::REWRITTEN_METRIC))
    /// now, so a second recorder on the same registry (and scope) is refused here.
    pub fn build(self) -> Result<FacadeRecorder, RegisterError> {
        let FacadeBuilder {
            scope,
            mut settings,
            user_rules,
        } = self;
        let scope = scope.unwrap_or_else(|| global().root());
        let mut rules = user_rules;
        rules.append(&mut settings.buckets.rules);
        settings.buckets.rules = rules;
        Ok(FacadeRecorder {
            inner: std::sync::Arc::new(Inner::new(scope, settings)?),
        })
    }
}

impl FacadeRecorder {
    /// Settings to start from: the global registry, sanitized names, the default bounds and
    /// buckets.
    pub fn builder() -> FacadeBuilder {
        FacadeBuilder::default()
    }

    /// Makes this recorder the `metrics` crate's global recorder, for the rest of the
    /// program. Fails if one is installed already (the `metrics` crate allows one).
    pub fn install(&self) -> Result<(), InstallError> {
        metrics::set_global_recorder(self.clone()).map_err(|_| InstallError::AlreadyInstalled)
    }

    /// The first problems met (up to 32 distinct messages): names and labels refused, clashes
    /// with families of the registry (naming both definition sites), descriptions that could
    /// not be applied. The counts of all of them are in the exposition.
    pub fn problems(&self) -> Vec<String> {
        self.inner.problems()
    }

    /// How many families the recorder has registered.
    pub fn family_count(&self) -> usize {
        self.inner.family_count()
    }
}

/// A recorder with the default settings on the [global registry](global), installed as the
/// `metrics` crate's global recorder. The returned handle is the installed recorder.
///
/// ```
/// let recorder = oxios_metrics::facade::install()?;
/// metrics::counter!("jobs_done_total").increment(1);
/// let text = oxios_metrics::global().render(oxios_metrics::Format::Prometheus);
/// assert!(text.contains("jobs_done_total 1\n"));
/// assert!(recorder.problems().is_empty());
/// # Ok::<(), oxios_metrics::facade::InstallError>(())
/// ```
pub fn install() -> Result<FacadeRecorder, InstallError> {
    let recorder = FacadeRecorder::builder()
        .build()
        .map_err(InstallError::Register)?;
    recorder.install()?;
    Ok(recorder)
}

/// Why a recorder could not be installed.
#[derive(Debug)]
#[non_exhaustive]
pub enum InstallError {
    /// The recorder's own counters could not be registered (another recorder writes to the
    /// same registry, say).
    Register(RegisterError),
    /// The `metrics` crate has a global recorder already.
    AlreadyInstalled,
}

impl fmt::Display for InstallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstallError::Register(error) => {
                write!(f, "the facade recorder cannot register: {error}")
            }
            InstallError::AlreadyInstalled => {
                f.write_str("the `metrics` crate has a global recorder already")
            }
        }
    }
}

impl std::error::Error for InstallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InstallError::Register(error) => Some(error),
            InstallError::AlreadyInstalled => None,
        }
    }
}
