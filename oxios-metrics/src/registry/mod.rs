//! Registries: which groups of metrics a scrape writes, and the guarantee that no two of them
//! expose the same sample name.
//!
//! | job | where |
//! |---|---|
//! | the group and visitor traits, the handle of a registered group | `group.rs` |
//! | walking a group at registration, name and label checks | `walk.rs` |
//! | families, members, sample-name claims, removal | `book.rs` |
//! | a family's members, cheap to change among thousands of instances | `members.rs` |
//! | sub-registries: run-time prefixes and constant labels | `scope.rs` ([`SubRegistry`]) |
//! | unregistering by dropping a handle | `registration.rs` ([`Registration`]) |
//! | the scrape: snapshot, family order, one walk per group, the overflow counter, `# EOF` | `scrape.rs` |
//! | errors | `error.rs` ([`RegisterError`]) |
//!
//! Registration walks a group once: it checks every name (for groups that did not come from
//! the derive, which checks at compile time), claims every sample name the families expose
//! (`foo`, `foo_total`, `foo_bucket`, ...) and renders the header lines and constant label
//! text to write. Metrics with the same name from several registrations (instances of a
//! group under different constant labels) are *members* of one family, written under one
//! header; a clash with another family, a member whose HELP, type or unit differ from the
//! family's, or a member whose constant labels equal another's is an error naming both
//! definition sites, and nothing of the group is registered then.
//!
//! Locking: registration and removal take a mutex of their own (never while user code runs:
//! the group is walked first) and publish a new [`Snapshot`](scrape) for scrapes; a scrape
//! only clones the published `Arc` and writes with no lock held. So user code running inside
//! a scrape can register, unregister and scrape, from any thread, in any interleaving.

mod book;
mod error;
mod group;
mod members;
mod registration;
mod scope;
mod scrape;
mod walk;

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::sync::{Arc, OnceLock};

use parking_lot::{Mutex, RwLock};

use crate::buffer_sizes::RecentSizes;
use crate::encode::Exposition;

pub use self::error::{RegisterError, RegisterProblem};
pub(crate) use self::group::GroupHandle;
pub use self::group::{MetricGroup, MetricVisitor, Scope};
pub use self::registration::Registration;
pub use self::scope::SubRegistry;

use self::book::Book;
use self::scrape::Snapshot;
use self::walk::ScopeText;

/// The counter a registry adds once a dynamic family has overflowed: lookups of new label
/// sets sent to the family's overflow series, labelled by family and reason. The name is
/// reserved: a group that claims it is refused.
pub const OVERFLOW_METRIC: &str = "oxios_metrics_series_overflow";

/// The state behind a registry, shared with its sub-registries and registrations.
pub(crate) struct Shared {
    book: Mutex<Book>,
    /// Held only to clone or replace the `Arc`, never while writing or running user code.
    published: RwLock<Arc<Snapshot>>,
}

impl Shared {
    fn new() -> Self {
        Shared {
            book: Mutex::new(Book::default()),
            published: RwLock::new(Arc::new(Snapshot::default())),
        }
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.published.read())
    }

    fn add(&self, group: GroupHandle, scope: &ScopeText) -> Result<u64, RegisterError> {
        // The group's own code runs here, with no lock held.
        let declared = walk::declare(group.get(), scope).map_err(RegisterError::new)?;
        let mut book = self.book.lock();
        let id = book.add(group, declared).map_err(RegisterError::new)?;
        let replaced = self.publish(&book);
        drop(book);
        // The old snapshot may hold the last reference to an unregistered group, whose drop
        // is user code: dropped here, after both locks.
        drop(replaced);
        Ok(id)
    }

    /// Replaces the group registered as `id` by `group` in one step: a scrape sees one or the
    /// other, never neither. On error nothing changes.
    #[cfg(feature = "metrics-facade")]
    pub(crate) fn replace(
        &self,
        id: u64,
        group: GroupHandle,
        scope: &ScopeText,
    ) -> Result<u64, RegisterError> {
        let declared = walk::declare(group.get(), scope).map_err(RegisterError::new)?;
        let mut book = self.book.lock();
        let id = book
            .replace(id, group, declared)
            .map_err(RegisterError::new)?;
        let replaced = self.publish(&book);
        drop(book);
        drop(replaced);
        Ok(id)
    }

    pub(crate) fn remove(&self, id: u64) {
        let mut book = self.book.lock();
        if !book.remove(id) {
            return;
        }
        let replaced = self.publish(&book);
        drop(book);
        drop(replaced);
    }

    fn publish(&self, book: &Book) -> Arc<Snapshot> {
        let fresh = Arc::new(book.snapshot());
        std::mem::replace(&mut *self.published.write(), fresh)
    }
}

/// A set of metric groups written together by a scrape.
///
/// ```
/// use oxios_metrics::{Format, Registry};
/// let registry = Registry::new();
/// let mut out = Vec::new();
/// registry.encode(&mut out, Format::OpenMetrics).unwrap();
/// assert_eq!(out, b"# EOF\n");
/// ```
///
/// `Registry::new` is a `const fn`, so a registry can be a `static`; its state is allocated
/// on first use. Cloning a registry gives another handle to the same registry.
pub struct Registry {
    shared: OnceLock<Arc<Shared>>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (groups, sample_names) = self.shared().book.lock().counts();
        f.debug_struct("Registry")
            .field("groups", &groups)
            .field("sample_names", &sample_names)
            .finish()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for Registry {
    fn clone(&self) -> Self {
        let shared = OnceLock::new();
        let _ = shared.set(Arc::clone(self.shared()));
        Registry { shared }
    }
}

static GLOBAL: Registry = Registry::new();

/// The process-wide default registry.
///
/// With the feature `auto-register`, the first call registers every group declared with
/// `global_metrics!` in the program (see the
/// [registration chapter](crate::guide::registration)).
pub fn global() -> &'static Registry {
    #[cfg(feature = "auto-register")]
    crate::auto::register_declared(&GLOBAL);
    &GLOBAL
}

/// The global registry, without starting the registration of declared groups.
#[cfg(feature = "auto-register")]
pub(crate) fn global_unregistered() -> &'static Registry {
    &GLOBAL
}

thread_local! {
    /// [`Registry::encode`]'s buffer on this thread, and the sizes of its recent expositions.
    static ENCODE_BUFFER: RefCell<(Vec<u8>, RecentSizes)> =
        const { RefCell::new((Vec::new(), RecentSizes::new())) };
}

impl Registry {
    /// An empty registry.
    pub const fn new() -> Self {
        Registry {
            shared: OnceLock::new(),
        }
    }

    fn shared(&self) -> &Arc<Shared> {
        self.shared.get_or_init(|| Arc::new(Shared::new()))
    }

    pub(crate) fn root(&self) -> SubRegistry {
        SubRegistry::root(Arc::clone(self.shared()))
    }

    /// Registers a group that lives in a `static`, for as long as the registry lives.
    ///
    /// Fails, registering nothing, when a name is invalid or a sample name is already exposed
    /// by a registered family; the error names the metric and both definition sites.
    pub fn register<G: MetricGroup + 'static>(
        &self,
        group: &'static G,
    ) -> Result<(), RegisterError> {
        self.root().register(group)
    }

    /// Registers a group the registry owns from now on (collectors built at run time).
    pub fn register_owned(&self, group: Box<dyn MetricGroup>) -> Result<(), RegisterError> {
        self.root().register_owned(group)
    }

    /// [`register`](Self::register) for a group known only as a trait object.
    #[cfg(feature = "auto-register")]
    pub(crate) fn register_dyn(
        &self,
        group: &'static dyn MetricGroup,
    ) -> Result<(), RegisterError> {
        self.shared()
            .add(GroupHandle::Static(group), &ScopeText::default())
            .map(drop)
    }

    /// Registers a group shared with its owner until the returned [`Registration`] is
    /// dropped (see [`SubRegistry::register_shared`]).
    pub fn register_shared<G: MetricGroup + 'static>(
        &self,
        group: Arc<G>,
    ) -> Result<Registration, RegisterError> {
        self.root().register_shared(group)
    }

    /// A [`SubRegistry`] whose names get `prefix` and `_` in front.
    #[track_caller]
    pub fn sub_registry_with_prefix(&self, prefix: &str) -> Result<SubRegistry, RegisterError> {
        self.root().with_prefix(prefix)
    }

    /// A [`SubRegistry`] whose samples carry the constant label `name="value"`.
    #[track_caller]
    pub fn sub_registry_with_label(
        &self,
        name: &str,
        value: &str,
    ) -> Result<SubRegistry, RegisterError> {
        self.root().with_label(name, value)
    }

    /// Writes every registered family in `exposition` (a [`Format`](crate::Format), or an
    /// [`Exposition`] with its escaping scheme and options) to `writer`,
    /// with one `write_all` call.
    ///
    /// Families come in the order their first member was registered (declaration order
    /// within a group), each member's series after the family's header in registration
    /// order. The text is built in a buffer kept per thread, so a scrape allocates only the
    /// first time a thread scrapes (or when the text outgrows the buffer); writing into a
    /// `Vec<u8>` directly, [`encode_to_vec`](Self::encode_to_vec) skips that copy.
    pub fn encode<W: io::Write + ?Sized>(
        &self,
        writer: &mut W,
        exposition: impl Into<Exposition>,
    ) -> io::Result<()> {
        let exposition = exposition.into();
        ENCODE_BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => {
                let (buffer, sizes) = &mut *buffer;
                buffer.clear();
                self.encode_to_vec(buffer, exposition);
                let written = writer.write_all(buffer);
                // One huge scrape must not pin its memory on this thread for good.
                sizes.record(buffer.len());
                buffer.clear();
                sizes.trim(buffer);
                written
            }
            // A metric that scrapes a registry while being scraped: use a fresh buffer.
            Err(_) => {
                let mut buffer = Vec::new();
                self.encode_to_vec(&mut buffer, exposition);
                writer.write_all(&buffer)
            }
        })
    }

    /// Appends the exposition to `out`. With `out` reused (cleared) between scrapes this
    /// allocates nothing once `out` is large enough.
    pub fn encode_to_vec(&self, out: &mut Vec<u8>, exposition: impl Into<Exposition>) {
        let snapshot = self.shared().snapshot();
        scrape::write(&snapshot, out, exposition.into());
    }

    /// The exposition as a `String` (protobuf bytes are not text: use
    /// [`encode_to_vec`](Self::encode_to_vec) for them).
    pub fn render(&self, exposition: impl Into<Exposition>) -> String {
        let mut out = Vec::new();
        self.encode_to_vec(&mut out, exposition);
        String::from_utf8(out)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        DefinitionSite, Format, Gauge, MetricDesc, MetricGroup, MetricType, MetricVisitor,
    };

    /// `descs.len()` gauges, one line of about 30 bytes each.
    struct ManyGauges {
        descs: Vec<MetricDesc>,
        gauge: Gauge,
    }

    impl MetricGroup for ManyGauges {
        fn visit(&self, visitor: &mut dyn MetricVisitor) {
            for desc in &self.descs {
                visitor.metric(desc, &self.gauge);
            }
        }
    }

    fn registry_of(series: usize) -> Registry {
        let descs = (0..series)
            .map(|index| {
                MetricDesc::from_strings(
                    format!("trimming_gauge_{index}"),
                    "A gauge.",
                    MetricType::Gauge,
                    DefinitionSite::new("registry/mod.rs", 1, 1),
                )
            })
            .collect();
        let registry = Registry::new();
        registry
            .register_owned(Box::new(ManyGauges {
                descs,
                gauge: Gauge::new(),
            }))
            .unwrap();
        registry
    }

    fn thread_buffer_capacity() -> usize {
        ENCODE_BUFFER.with(|buffer| buffer.borrow().0.capacity())
    }

    #[test]
    fn one_huge_scrape_does_not_pin_the_thread_buffer() {
        let huge = registry_of(50_000);
        let small = registry_of(3);
        huge.encode(&mut io::sink(), Format::Prometheus).unwrap();
        let after_huge = thread_buffer_capacity();
        assert!(after_huge > 1 << 20, "{after_huge}");
        for _ in 0..crate::buffer_sizes::RECENT {
            small.encode(&mut io::sink(), Format::Prometheus).unwrap();
        }
        let after_small = thread_buffer_capacity();
        assert!(
            after_small <= 2 * crate::buffer_sizes::KEEP_FLOOR,
            "{after_huge} -> {after_small}"
        );
    }
}
