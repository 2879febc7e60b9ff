//! # Batch jobs and the Pushgateway
//!
//! A job that ends before Prometheus scrapes it pushes its metrics to a
//! [Pushgateway](https://github.com/prometheus/pushgateway) instead (feature `push`), which
//! keeps the last push of each group for Prometheus to scrape. A group is named by a
//! grouping key: the job, and labels such as the instance.
//!
//! ```toml
//! [dependencies]
//! oxios-metrics = { version = "0.1", features = ["push"] }
//! ```
//!
//! ```no_run
//! # #[cfg(feature = "push")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use oxios_metrics::push::{GroupingKey, PushMethod, Pushgateway};
//! use oxios_metrics::{Counter, Gauge, Metrics, Registry};
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "backup")]
//! pub struct BackupMetrics {
//!     /// Files copied.
//!     pub files: Counter,
//!     /// When the last backup finished, as a Unix time.
//!     #[metric(unit = "seconds")]
//!     pub last_success: Gauge,
//! }
//! static BACKUP: BackupMetrics = BackupMetrics::new();
//!
//! let registry = Registry::new();
//! registry.register(&BACKUP)?;
//! let gateway = Pushgateway::new("http://127.0.0.1:9091")?;
//! let key = GroupingKey::new("backup").label("instance", "db-1");
//!
//! // However the job ends (return, `?`, panic), the guard pushes once when dropped.
//! let on_exit = gateway.push_on_exit(&key, &registry, PushMethod::Replace)?;
//! BACKUP.files.add(120);
//! BACKUP.last_success.set(1_700_000_000);
//! on_exit.finish()?; // push now and see the result, rather than at drop
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "push"))]
//! # fn main() {}
//! ```
//!
//! ## The calls
//!
//! | call | HTTP | the group afterwards |
//! |---|---|---|
//! | `push` | `PUT /metrics/job/<job>/<label>/<value>…` | exactly the registry's metrics |
//! | `push_add` | `POST` | the registry's families replaced, the group's other families kept |
//! | `delete` | `DELETE` | gone |
//! | `push_every(key, registry, interval, method)` | `PUT`/`POST` from a background thread | refreshed every interval until the handle is dropped; failures counted in its stats |
//! | `push_on_exit(key, registry, method)` | `PUT`/`POST` once | pushed when the guard is dropped or finished |
//!
//! Grouping-key values are encoded as the Pushgateway's API requires: a value containing
//! `/`, the dot segments `.` and `..`, and the empty value go base64url-encoded in the
//! `<label>@base64/<value>` form (a router would split or collapse them otherwise); other
//! values are percent-encoded. An empty job, an invalid or repeated label name, and a label
//! named `job` are refused before anything is sent. The body is the text format 0.0.4, which
//! every Pushgateway reads.
//!
//! ## What to know
//!
//! * **Push, then exit.** `push` replaces the group whole; a job that runs under several
//!   instances gives each its own `instance` label so they do not overwrite one another.
//! * **The gateway adds** the key's labels to every sample (a sample's own `job` label is
//!   overwritten by the key's) and `push_time_seconds` / `push_failure_time_seconds` per
//!   group, which make "last successful run" alerts easy.
//! * **It refuses** (status 400, `PushError::Status` with its explanation) a push whose
//!   metrics conflict with what it holds from other groups: one name with two types, or
//!   the same series twice.
//! * **Time bounds.** Calls block until the gateway answers or a timeout passes: the
//!   builder's `connect_timeout` (5 s) and `timeout` for the whole request (10 s). From
//!   async code, call them inside `spawn_blocking`. Only `http://` gateways are supported;
//!   the builder adds headers (`header`, `basic_auth`) for gateways behind a proxy.
//! * **Old groups stay** on the gateway until deleted: a job that is retired calls
//!   `delete`.
//!
//! CI checks all of this against Debian's `prometheus-pushgateway` started on loopback
//! (`tests/tests/push_gateway.rs`): each call's effect is read back from the gateway's own
//! API and scrape.
//!
//! The client's reference is
#![cfg_attr(feature = "push", doc = "[`push`](crate::push).")]
#![cfg_attr(not(feature = "push"), doc = "the `push` module (feature `push`).")]
