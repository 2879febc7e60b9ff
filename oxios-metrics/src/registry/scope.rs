//! Sub-registries: a prefix and constant labels chosen at run time, for library crates whose
//! metrics are named and labelled by the application that uses them.

use std::fmt;
use std::panic::Location;
use std::sync::Arc;

use crate::desc::DefinitionSite;
use crate::encode::escape;
use crate::names;

use super::error::{RegisterError, RegisterProblem};
use super::group::{GroupHandle, MetricGroup};
use super::registration::Registration;
use super::walk::ScopeText;
use super::Shared;

/// A view of a [`Registry`](crate::Registry) that puts a prefix in front of every name and
/// constant labels on every sample of the groups registered through it. Made by
/// [`Registry::sub_registry_with_prefix`](crate::Registry::sub_registry_with_prefix) and
/// [`Registry::sub_registry_with_label`](crate::Registry::sub_registry_with_label), nested
/// with [`with_prefix`](Self::with_prefix) and [`with_label`](Self::with_label).
///
/// The prefix and labels are checked when given, by the naming rules the derive applies at
/// compile time: snake_case, no type words or non-base units in a prefix, no reserved or
/// repeated label names, no empty values. Label values are escaped once, here.
///
/// ```
/// use oxios_metrics::{Counter, Format, Metrics, Registry};
///
/// #[derive(Metrics)]
/// pub struct PoolMetrics {
///     /// Connections opened.
///     pub opened: Counter,
/// }
/// static POOL: PoolMetrics = PoolMetrics::new();
///
/// let registry = Registry::new();
/// let scope = registry.sub_registry_with_prefix("db")?.with_label("pool", "primary")?;
/// scope.register(&POOL)?;
/// POOL.opened.inc();
/// assert!(registry
///     .render(Format::Prometheus)
///     .contains("db_opened_total{pool=\"primary\"} 1\n"));
/// assert!(registry.sub_registry_with_prefix("dbCache").is_err());
/// assert!(scope.with_label("pool", "again").is_err());
/// # Ok::<(), oxios_metrics::RegisterError>(())
/// ```
#[derive(Clone)]
pub struct SubRegistry {
    shared: Arc<Shared>,
    scope: ScopeText,
    label_names: Vec<Box<str>>,
}

impl fmt::Debug for SubRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubRegistry")
            .field("prefix", &self.scope.prefix)
            .field("labels", &self.scope.labels)
            .finish()
    }
}

fn caller_site(location: &'static Location<'static>) -> DefinitionSite {
    DefinitionSite::new(location.file(), location.line(), location.column())
}

impl SubRegistry {
    pub(crate) fn root(shared: Arc<Shared>) -> SubRegistry {
        SubRegistry {
            shared,
            scope: ScopeText::default(),
            label_names: Vec::new(),
        }
    }

    /// A sub-registry whose names also get `prefix` and `_` in front (after this one's
    /// prefix: `outer_inner_name`).
    ///
    /// Errors: the prefix is not a snake_case metric name, ends in `_`, or has a segment the
    /// naming rules refuse (a type word such as `counter`, a non-base unit such as `ms`).
    #[track_caller]
    pub fn with_prefix(&self, prefix: &str) -> Result<SubRegistry, RegisterError> {
        let site = caller_site(Location::caller());
        names::check_prefix(prefix).map_err(|reason| {
            RegisterError::new(vec![RegisterProblem::InvalidPrefix {
                prefix: prefix.to_owned(),
                site,
                reason,
            }])
        })?;
        let mut scoped = self.clone();
        scoped.scope.prefix.push_str(prefix);
        scoped.scope.prefix.push('_');
        Ok(scoped)
    }

    /// A sub-registry whose samples also carry `name="value"` (after this one's labels).
    ///
    /// Errors: `name` is not a valid snake_case label name, is reserved (`le`, `quantile`,
    /// `series_overflow`, `__…`), or is already a label of this sub-registry; `value` is
    /// empty (Prometheus treats an empty value as no label at all).
    #[track_caller]
    pub fn with_label(&self, name: &str, value: &str) -> Result<SubRegistry, RegisterError> {
        let site = caller_site(Location::caller());
        let mut problems = Vec::new();
        let verdict = if self.label_names.iter().any(|known| &**known == name) {
            Err("the sub-registry already has a label of that name")
        } else {
            names::check_constant_label_name(name)
        };
        if let Err(reason) = verdict {
            problems.push(RegisterProblem::InvalidLabelName {
                metric: String::new(),
                label: name.to_owned(),
                site,
                reason,
            });
        }
        if value.is_empty() {
            problems.push(RegisterProblem::InvalidLabelValue {
                label: name.to_owned(),
                site,
                reason: "an empty value is the same as no label at all",
            });
        }
        if !problems.is_empty() {
            return Err(RegisterError::new(problems));
        }
        let mut scoped = self.clone();
        let labels = &mut scoped.scope.labels;
        if !labels.is_empty() {
            labels.push(',');
        }
        let mut rendered = Vec::with_capacity(name.len() + value.len() + 3);
        rendered.extend_from_slice(name.as_bytes());
        rendered.extend_from_slice(b"=\"");
        escape::label_value(&mut rendered, value);
        rendered.push(b'"');
        // Only `&str` pieces were written, so the text is UTF-8.
        labels.push_str(&String::from_utf8_lossy(&rendered));
        scoped.label_names.push(name.into());
        Ok(scoped)
    }

    /// The prefix every name gets here (`outer_inner_`; empty at the root).
    pub fn prefix(&self) -> &str {
        &self.scope.prefix
    }

    /// The constant labels every sample gets here, rendered (`peer="a",role="x"`).
    pub fn labels(&self) -> &str {
        &self.scope.labels
    }

    /// Registers a group that lives in a `static`, for as long as the registry lives.
    ///
    /// Fails, registering nothing, when a name or label is invalid, when a sample name is
    /// already exposed by another family, or when a member of the same family with the same
    /// constant labels is registered; the error names the metric and both definition sites.
    pub fn register<G: MetricGroup + 'static>(
        &self,
        group: &'static G,
    ) -> Result<(), RegisterError> {
        self.shared
            .add(GroupHandle::Static(group), &self.scope)
            .map(drop)
    }

    /// Registers a group the registry owns from now on (collectors built at run time).
    pub fn register_owned(&self, group: Box<dyn MetricGroup>) -> Result<(), RegisterError> {
        self.shared
            .add(GroupHandle::Shared(Arc::from(group)), &self.scope)
            .map(drop)
    }

    /// Registers a group shared with its owner, until the returned [`Registration`] is
    /// dropped: then its series leave the next scrape and its names are free again.
    pub fn register_shared<G: MetricGroup + 'static>(
        &self,
        group: Arc<G>,
    ) -> Result<Registration, RegisterError> {
        let id = self.shared.add(GroupHandle::Shared(group), &self.scope)?;
        Ok(Registration::new(Arc::downgrade(&self.shared), id))
    }

    /// Puts `group` in the place of the group `registration` holds (registered through this
    /// sub-registry), in one step: a scrape sees the old group or the new one, never neither.
    /// On error the old group stays.
    #[cfg(feature = "metrics-facade")]
    pub(crate) fn replace_shared<G: MetricGroup + 'static>(
        &self,
        registration: &mut Registration,
        group: Arc<G>,
    ) -> Result<(), RegisterError> {
        registration.swap(GroupHandle::Shared(group), &self.scope)
    }
}
