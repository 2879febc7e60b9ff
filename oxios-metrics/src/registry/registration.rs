//! The handle of a group registered for a while: dropping it takes the group out.

use std::fmt;
use std::sync::Weak;

use super::Shared;
#[cfg(feature = "metrics-facade")]
use super::{error::RegisterError, group::GroupHandle, walk::ScopeText};

/// Keeps a group registered; dropping it unregisters the group, so its series leave the next
/// scrape and its sample names are free for another group (a new instance, say).
///
/// It is `'static`, `Send` and `Sync`: store it beside the metrics in the struct that owns
/// them. It does not keep the registry alive; if the registry is dropped first, dropping the
/// handle does nothing.
///
/// ```
/// use std::sync::Arc;
/// use oxios_metrics::{Counter, Format, Metrics, Registry};
///
/// #[derive(Metrics)]
/// pub struct ConnectionMetrics {
///     /// Bytes read on this connection.
///     #[metric(unit = "bytes")]
///     pub read: Counter,
/// }
///
/// let registry = Registry::new();
/// let metrics = Arc::new(ConnectionMetrics::new());
/// let registration = registry
///     .sub_registry_with_label("conn", "1")
///     .unwrap()
///     .register_shared(metrics.clone())
///     .unwrap();
/// metrics.read.add(10);
/// assert!(registry.render(Format::Prometheus).contains("read_bytes_total{conn=\"1\"} 10\n"));
/// drop(registration);
/// assert_eq!(registry.render(Format::Prometheus), "");
/// ```
#[must_use = "dropping a `Registration` unregisters the group at once; keep it, or call `keep()`"]
pub struct Registration {
    shared: Weak<Shared>,
    id: u64,
}

impl Registration {
    pub(crate) fn new(shared: Weak<Shared>, id: u64) -> Self {
        Registration { shared, id }
    }

    /// Puts `group` (walked under `scope`) in the place of the registered group, in one step.
    /// Nothing happens when the registry is gone or the handle was given up.
    #[cfg(feature = "metrics-facade")]
    pub(crate) fn swap(
        &mut self,
        group: GroupHandle,
        scope: &ScopeText,
    ) -> Result<(), RegisterError> {
        if let Some(shared) = self.shared.upgrade() {
            self.id = shared.replace(self.id, group, scope)?;
        }
        Ok(())
    }

    /// Unregisters the group now (the same as dropping the handle).
    pub fn unregister(self) {
        drop(self);
    }

    /// Keeps the group registered for as long as the registry lives, giving up the handle.
    pub fn keep(mut self) {
        self.shared = Weak::new();
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.upgrade() {
            shared.remove(self.id);
        }
    }
}

impl fmt::Debug for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registration")
            .field("id", &self.id)
            .field("registry_alive", &(self.shared.strong_count() > 0))
            .finish()
    }
}
