//! # Libraries and per-instance metrics
//!
//! A `static` group is the simplest case. A library crate usually wants something else: each
//! instance of its main type (a connection pool, a swarm, a cache) has metrics of its own,
//! and the *application* decides where they go — which registry, under which prefix, with
//! which constant labels telling instances apart. This chapter is that pattern.
//!
//! ## The library declares, the application places
//!
//! The library derives a group without a prefix, builds one per instance in an `Arc`, and
//! registers it through a [`SubRegistry`](crate::SubRegistry) the application hands it (or
//! builds one from a [`Registry`](crate::Registry) it is given). The returned
//! [`Registration`](crate::Registration) lives beside the metrics; dropping it takes the
//! instance's series out of the next scrape.
//!
//! ```
//! use std::sync::Arc;
//! use oxios_metrics::{
//!     Counter, Family, Format, Histogram, LabelSet, LabelValue, Metrics, RegisterError,
//!     Registration, Registry,
//! };
//!
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
//! pub enum Kind { Read, Write }
//!
//! /// The library's metrics: no prefix of its own.
//! #[derive(Metrics)]
//! pub struct PoolMetrics {
//!     /// Queries run, by kind.
//!     pub queries: Family<Kind, Counter>,
//!     /// Time to get a connection from the pool.
//!     #[metric(unit = "seconds", buckets = [0.001, 0.01, 0.1, 1.0])]
//!     pub checkout: Histogram,
//! }
//!
//! pub struct Pool {
//!     metrics: Arc<PoolMetrics>,
//!     _registration: Registration, // 'static + Send + Sync; dropping it unregisters
//! }
//!
//! impl Pool {
//!     pub fn new(registry: &Registry, name: &str) -> Result<Pool, RegisterError> {
//!         let metrics = Arc::new(PoolMetrics::new());
//!         let registration = registry
//!             .sub_registry_with_prefix("db_pool")?   // checked: Err, never a panic
//!             .with_label("pool", name)?              // checked, value escaped once
//!             .register_shared(metrics.clone())?;
//!         Ok(Pool { metrics, _registration: registration })
//!     }
//!
//!     pub fn query(&self, kind: Kind) {
//!         let _timer = self.metrics.checkout.start_timer();
//!         self.metrics.queries.get(kind).inc();
//!     }
//! }
//!
//! let registry = Registry::new();
//! let primary = Pool::new(&registry, "primary")?;
//! let replica = Pool::new(&registry, "replica")?;
//! primary.query(Kind::Write);
//! replica.query(Kind::Read);
//! let text = registry.render(Format::Prometheus);
//! // One family, one HELP and TYPE, the series of both instances together.
//! assert_eq!(text.matches("# HELP db_pool_queries_total").count(), 1);
//! assert!(text.contains("db_pool_queries_total{pool=\"primary\",kind=\"write\"} 1\n"));
//! assert!(text.contains("db_pool_queries_total{pool=\"replica\",kind=\"read\"} 1\n"));
//!
//! // A second pool named "primary" would write the same series: refused, naming both sites.
//! assert!(Pool::new(&registry, "primary").is_err());
//!
//! drop(replica);
//! assert!(!registry.render(Format::Prometheus).contains("replica"));
//! # Ok::<(), RegisterError>(())
//! ```
//!
//! ## The rules
//!
//! * **Prefixes and labels given at run time are checked** by the rules the derive applies at
//!   compile time: a prefix is snake_case, without a trailing `_`, without metric type words
//!   or non-base units in it; a label name is a valid snake_case name that is not reserved
//!   (`le`, `quantile`, `series_overflow`, `__…`) and not already a label of the sub-registry;
//!   a value is not empty. Each failure is a [`RegisterError`](crate::RegisterError) saying
//!   where the sub-registry was made.
//! * **Members of one family.** Metrics of the same name registered several times (instances
//!   under different constant labels) are written as one family. They must agree on HELP,
//!   type and unit, and their constant labels must differ: otherwise registration fails and
//!   the error names both definition sites. A clash with a *different* family's sample names
//!   (a gauge `x_count` beside a histogram `x`) is refused the same way.
//! * **Dropping frees.** When the last member of a family is dropped, the family and its
//!   sample names are gone: another group may claim them, even with another type.
//! * **Order.** Families appear in the order their first member was registered, members in
//!   registration order.
//! * **The scrape does not allocate** for any of this: headers, names and constant label text
//!   are rendered at registration.
//!
//! ## Timing through `self`
//!
//! `#[timed]` takes a target reached through `&self`, so an instance's own histogram records
//! its methods (a `&mut self` or by-value receiver is a compile error: the timer borrows the
//! target for the whole call). Buckets may name a `const`, checked at compile time:
//!
//! ```
//! use std::sync::Arc;
//! use oxios_metrics::{timed, Format, Histogram, Metrics, Registry};
//!
//! pub const FETCH_BUCKETS: [f64; 3] = [0.01, 0.1, 1.0];
//!
//! #[derive(Metrics)]
//! pub struct CacheMetrics {
//!     /// Time to fetch a missing entry.
//!     #[metric(unit = "seconds", buckets = FETCH_BUCKETS)]
//!     pub fetch: Histogram,
//! }
//!
//! pub struct Cache { metrics: Arc<CacheMetrics> }
//!
//! impl Cache {
//!     #[timed(self.metrics.fetch)]
//!     pub fn fetch(&self, key: &str) -> usize { key.len() }
//! }
//!
//! let cache = Cache { metrics: Arc::new(CacheMetrics::new()) };
//! cache.fetch("k");
//! assert_eq!(cache.metrics.fetch.count(), 1);
//! ```
//!
//! ## Series that come and go
//!
//! Within one instance, series of dynamic families can be removed when what they describe is
//! gone ([`Family::remove`](crate::Family::remove), [`Family::clear`](crate::Family::clear)):
//!
//! ```
//! use oxios_metrics::{Counter, Family, LabelSet};
//!
//! #[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
//! pub struct Peer { pub peer: String }
//!
//! let bytes: Family<Peer, Counter> = Family::new().with_max_series(100);
//! let peer = Peer { peer: "12D3KooW".into() };
//! bytes.get_ref(&peer).add(512);
//! // The peer disconnected: its series leaves the next scrape and frees its slot.
//! assert!(bytes.remove(&peer));
//! assert_eq!(bytes.series_count(), 0);
//! ```
//!
//! ## Buckets from configuration
//!
//! Bucket bounds read at startup are checked with a `Result` and shared, not leaked:
//!
//! ```
//! use oxios_metrics::{Buckets, Family, Histogram, LabelSet};
//!
//! #[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
//! pub struct Route { pub route: String }
//!
//! let configured: Vec<f64> = vec![0.05, 0.25, 1.0]; // from a config file, say
//! let buckets = Buckets::from_vec(configured).expect("valid buckets");
//! let latency = Histogram::with_buckets(buckets.clone());
//! let by_route: Family<Route, Histogram> = Family::with_config(buckets);
//! latency.observe(0.1);
//! by_route.get(Route { route: "/".into() }).observe(0.1);
//! assert!(Buckets::from_vec(vec![1.0, f64::NAN]).is_err());
//! ```
//!
//! A per-instance group built with `new()` gets its declared buckets; since the fields are
//! public, an instance can replace one before it is registered:
//! `metrics.checkout = Histogram::with_buckets(buckets)`.
//!
//! ## Values computed at scrape
//!
//! [`CallbackGauge::from_fn`](crate::CallbackGauge::from_fn) and
//! [`CallbackCounter::from_fn`](crate::CallbackCounter::from_fn) read instance state through
//! a closure; [`CallbackFamily::from_fn`](crate::CallbackFamily::from_fn) writes one series
//! per label set (one per peer, per queue) from it. The callbacks run with no registry lock
//! held, so they may take their own locks.
//!
//! ## A whole module, ported
//!
//! `examples/src/swarm.rs` ports the swarm metrics of a peer-to-peer networking library
//! (twelve families, fixed and open label sets, a histogram family) to this pattern, and
//! `cargo run -p oxios-metrics-examples --bin swarm` prints two swarms side by side.
