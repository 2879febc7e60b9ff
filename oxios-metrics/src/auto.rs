//! Registration that cannot be forgotten (feature `auto-register`): a group declared with
//! [`global_metrics!`](crate::global_metrics) is registered into [`global()`](crate::global)
//! by itself, and a clash between two declarations, in any two crates of the program, is
//! reported naming both.
//!
//! ```
//! use oxios_metrics::{global, global_metrics, Counter, Format, Metrics};
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "importer")]
//! pub struct ImporterMetrics {
//!     /// Rows imported.
//!     pub rows: Counter,
//! }
//!
//! global_metrics! {
//!     /// The importer's metrics, registered into `global()` without a call.
//!     pub static IMPORTER: ImporterMetrics = ImporterMetrics::new();
//! }
//!
//! fn main() -> Result<(), oxios_metrics::auto::AutoRegisterError> {
//!     oxios_metrics::auto::check()?; // at startup: every declaration registered, or why not
//!     IMPORTER.rows.add(3);
//!     assert!(global().render(Format::Prometheus).contains("importer_rows_total 3\n"));
//!     Ok(())
//! }
//! ```
//!
//! # How
//!
//! `global_metrics!` declares the `static` as written and adds an entry for it to a list the
//! linker assembles from every crate of the program (a [linkme](https://docs.rs/linkme) distributed slice, declared
//! in the small `oxios-metrics-auto` crate). The first call of [`global()`](crate::global) —
//! or of [`check`] — registers every entry, in the order of their declaration sites (file,
//! line, name), so which of two clashing declarations wins does not depend on the linker.
//! Nothing runs before `main`.
//!
//! # How loud a clash is
//!
//! Registration never panics. A declaration the registry refuses (a sample name another
//! declaration exposes, a family declared with another HELP or type, an invalid name in a
//! hand-written group) is left out, and:
//!
//! * [`check`] returns an [`AutoRegisterError`] naming each refused static, where it was
//!   declared, the registry's reasons (with the definition sites of both metrics), and the
//!   static it clashes with and where that one was declared. Calling it at the top of `main`
//!   makes a clash a startup error;
//! * when the registration was started by `global()` rather than `check`, the same text is
//!   written to standard error once, so it is seen even if nobody asks;
//! * the global registry exposes [`REFUSED_METRIC`], a gauge of refused declarations, so an
//!   alert can catch it in production.
//!
//! Registering a declared static again by hand (`global().register(&IMPORTER)`) is an error
//! too, as any second registration of a group is.
//!
//! # Limits
//!
//! * Only `static` groups, only the global registry: instances built at run time, and other
//!   registries, are registered by hand (and return their `Result` there).
//! * A crate is linked only if the program uses something from it; the declarations of a
//!   crate the program never refers to are not in the list (their metrics could not change
//!   anyway, except through callbacks).
//! * Targets: those linkme supports (Linux, macOS, Windows, the BSDs, illumos, WebAssembly,
//!   among others). Elsewhere the build fails at link time, not silently.

use std::any::Any;
use std::cell::Cell;
use std::fmt;
use std::sync::OnceLock;

use crate::desc::{DefinitionSite, MetricDesc, MetricType};
use crate::gauge::Gauge;
use crate::metric::EncodeMetric;
use crate::registry::{
    MetricGroup, MetricVisitor, RegisterError, RegisterProblem, Registry, Scope,
};

#[doc(hidden)]
pub use oxios_metrics_auto as __list;

/// The gauge of declarations the global registry refused at startup.
pub const REFUSED_METRIC: &str = "oxios_metrics_auto_registration_refused";

/// Declares `static` metric groups that are registered into [`global()`](crate::global) by
/// themselves (feature `auto-register`; see [`auto`](crate::auto)).
///
/// Each item is a `static` whose type implements [`MetricGroup`] (a `#[derive(Metrics)]`
/// struct), written as it would be without the macro; attributes and doc comments are kept.
///
/// ```
/// use oxios_metrics::{global_metrics, Counter, Gauge, Metrics};
///
/// #[derive(Metrics)]
/// pub struct Cache {
///     /// Cache hits.
///     pub hits: Counter,
/// }
/// #[derive(Metrics)]
/// pub struct Pool {
///     /// Connections open.
///     pub open: Gauge,
/// }
///
/// global_metrics! {
///     pub static CACHE: Cache = Cache::new();
///     static POOL: Pool = Pool::new();
/// }
/// # CACHE.hits.inc(); POOL.open.set(1);
/// # assert_eq!(oxios_metrics::auto::check().unwrap(), 2);
/// ```
#[macro_export]
macro_rules! global_metrics {
    ($($(#[$attribute:meta])* $visibility:vis static $name:ident : $type:ty = $value:expr;)+) => {$(
        $(#[$attribute])*
        $visibility static $name: $type = $value;

        const _: () = {
            #[$crate::auto::__list::linkme::distributed_slice($crate::auto::__list::GROUPS)]
            #[linkme(crate = $crate::auto::__list::linkme)]
            static DECLARED: &'static (dyn ::core::any::Any + ::core::marker::Sync) =
                &$crate::auto::Declared::new(
                    &$name,
                    ::core::stringify!($name),
                    $crate::DefinitionSite::new(
                        ::core::file!(),
                        ::core::line!(),
                        ::core::column!(),
                    ),
                );
        };
    )+};
}

/// One `global_metrics!` declaration: the group, the static's name, and where it was
/// declared. Built by the macro.
pub struct Declared {
    group: &'static dyn MetricGroup,
    name: &'static str,
    site: DefinitionSite,
}

impl Declared {
    /// What the macro puts in the list.
    #[doc(hidden)]
    pub const fn new(
        group: &'static dyn MetricGroup,
        name: &'static str,
        site: DefinitionSite,
    ) -> Self {
        Declared { group, name, site }
    }
}

/// A declaration the global registry refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The static's name.
    pub name: &'static str,
    /// Where it was declared.
    pub site: DefinitionSite,
    /// The registry's reasons, with the definition sites of the metrics involved.
    pub error: RegisterError,
    /// The registered declarations it clashes with, and where they were declared.
    pub clashes_with: Vec<(&'static str, DefinitionSite)>,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` (declared at {}) was not registered into the global registry: {}",
            self.name, self.site, self.error
        )?;
        for (index, (name, site)) in self.clashes_with.iter().enumerate() {
            let joint = if index == 0 {
                "; it clashes with"
            } else {
                " and"
            };
            write!(f, "{joint} `{name}` (declared at {site})")?;
        }
        Ok(())
    }
}

/// Why some `global_metrics!` declarations are not registered: each one refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoRegisterError {
    refused: Vec<Refused>,
}

impl AutoRegisterError {
    /// Every refused declaration, in registration order.
    pub fn refused(&self) -> &[Refused] {
        &self.refused
    }
}

impl fmt::Display for AutoRegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, refused) in self.refused.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{refused}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AutoRegisterError {}

/// The outcome of the registration, computed once.
struct Outcome {
    registered: usize,
    refused: Vec<Refused>,
}

static OUTCOME: OnceLock<Outcome> = OnceLock::new();

thread_local! {
    /// Set while this thread registers the declarations: a group whose own code calls
    /// `global()` meanwhile gets the registry as it is, instead of waiting on itself.
    static REGISTERING: Cell<bool> = const { Cell::new(false) };
}

/// Registers every declaration into the global registry unless done already (checks that,
/// after the first time, cost one atomic load), and says whether this call did it.
fn ensure(registry: &'static Registry) -> Option<&'static Outcome> {
    if let Some(outcome) = OUTCOME.get() {
        return Some(outcome);
    }
    if REGISTERING.with(Cell::get) {
        return None;
    }
    let mut ran = false;
    let outcome = OUTCOME.get_or_init(|| {
        ran = true;
        REGISTERING.with(|flag| flag.set(true));
        let _reset = ResetOnDrop;
        register_all(registry)
    });
    ran.then_some(outcome)
}

struct ResetOnDrop;

impl Drop for ResetOnDrop {
    fn drop(&mut self) {
        REGISTERING.with(|flag| flag.set(false));
    }
}

/// Called by [`global()`](crate::global): registers the declarations on first use and
/// writes what was refused to standard error, once, since nobody asked for it.
pub(crate) fn register_declared(registry: &'static Registry) {
    if OUTCOME.get().is_some() {
        return;
    }
    if let Some(outcome) = ensure(registry) {
        for refused in &outcome.refused {
            eprintln!("oxios-metrics: {refused}");
        }
    }
}

/// Registers every `global_metrics!` declaration into [`global()`](crate::global) (unless
/// done already) and returns how many are registered, or every declaration that was refused.
/// Call it at the top of `main` to make a clash a startup error; it returns the same answer
/// on every call.
pub fn check() -> Result<usize, AutoRegisterError> {
    let registry = crate::registry::global_unregistered();
    // Inside the registration (from a group's own code), nothing is known yet.
    let Some(outcome) = ensure(registry).or_else(|| OUTCOME.get()) else {
        return Ok(0);
    };
    if outcome.refused.is_empty() {
        Ok(outcome.registered)
    } else {
        Err(AutoRegisterError {
            refused: outcome.refused.clone(),
        })
    }
}

fn register_all(registry: &'static Registry) -> Outcome {
    let mut declared: Vec<&'static Declared> = oxios_metrics_auto::GROUPS
        .iter()
        .filter_map(|entry| (*entry as &dyn Any).downcast_ref::<Declared>())
        .collect();
    if declared.is_empty() {
        return Outcome {
            registered: 0,
            refused: Vec::new(),
        };
    }
    declared.sort_by(|a, b| {
        (a.site.file, a.site.line, a.site.column, a.name).cmp(&(
            b.site.file,
            b.site.line,
            b.site.column,
            b.name,
        ))
    });
    let mut families: Vec<(String, &'static Declared)> = Vec::new();
    let mut registered = 0;
    let mut refused = Vec::new();
    for entry in declared {
        match registry.register_dyn(entry.group) {
            Ok(()) => {
                registered += 1;
                for name in family_names(entry.group) {
                    families.push((name, entry));
                }
            }
            Err(error) => {
                let mut clashes_with: Vec<(&'static str, DefinitionSite)> = Vec::new();
                for family in error.problems().iter().filter_map(problem_family) {
                    if let Some((_, other)) = families.iter().find(|(name, _)| name == family) {
                        let other = (other.name, other.site);
                        if !clashes_with.contains(&other) {
                            clashes_with.push(other);
                        }
                    }
                }
                refused.push(Refused {
                    name: entry.name,
                    site: entry.site,
                    error,
                    clashes_with,
                });
            }
        }
    }
    REFUSED.set(i64::try_from(refused.len()).unwrap_or(i64::MAX));
    if let Err(error) = registry.register(&STATUS) {
        // Only a declaration that took the reserved name can cause this; say so with the rest.
        eprintln!("oxios-metrics: {REFUSED_METRIC} could not be registered: {error}");
    }
    Outcome {
        registered,
        refused,
    }
}

/// The family a registration problem says is already taken.
fn problem_family(problem: &RegisterProblem) -> Option<&str> {
    match problem {
        RegisterProblem::Clash { first, .. } => Some(&first.0),
        RegisterProblem::Mismatch { name, .. } | RegisterProblem::Duplicate { name, .. } => {
            Some(name)
        }
        _ => None,
    }
}

/// The family names a group exposes (nested groups' prefixes applied).
fn family_names(group: &dyn MetricGroup) -> Vec<String> {
    struct Names {
        prefix: String,
        names: Vec<String>,
    }
    impl MetricVisitor for Names {
        fn metric(&mut self, desc: &MetricDesc, _: &dyn EncodeMetric) {
            self.names.push(format!("{}{}", self.prefix, desc.name()));
        }
        fn nested(&mut self, scope: Scope, group: &dyn MetricGroup) {
            let saved = self.prefix.len();
            self.prefix.push_str(scope.prefix);
            group.visit(self);
            self.prefix.truncate(saved);
        }
    }
    let mut names = Names {
        prefix: String::new(),
        names: Vec::new(),
    };
    group.visit(&mut names);
    names.names
}

static REFUSED: Gauge = Gauge::new();

/// The group of [`REFUSED_METRIC`].
struct Status;

static STATUS: Status = Status;

impl MetricGroup for Status {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        let desc = MetricDesc::new(
            REFUSED_METRIC,
            "Groups declared with global_metrics! that the global registry refused at startup; oxios_metrics::auto::check() and standard error name both declarations of each clash.",
            MetricType::Gauge,
            DefinitionSite::new(file!(), line!(), column!()),
        );
        visitor.metric(&desc, &REFUSED);
    }
}
