//! # Timing functions
//!
//! `#[timed(TARGET)]` records a function's duration in seconds into a histogram on every way
//! out of it: the tail value, `return`, `?`, a panic, and for an `async fn` the future being
//! dropped before it completes. The body stays where it is (a guard is placed at its top), so
//! `return` and `?` keep their meaning, and the cost per call is two clock reads and one
//! observation.
//!
//! ```
//! use oxios_metrics::{timed, Family, Histogram, Metrics, TimedOutcome};
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "kernel")]
//! pub struct Kernel {
//!     /// Orchestration duration.
//!     #[metric(unit = "seconds", buckets = [0.1, 1.0, 10.0])]
//!     pub orchestration: Histogram,
//!     /// Plan duration, by outcome.
//!     #[metric(unit = "seconds")]
//!     pub plan: Family<TimedOutcome, Histogram>,
//! }
//! pub static KERNEL: Kernel = Kernel::new();
//!
//! #[timed(KERNEL.orchestration)]
//! fn orchestrate(task: &str) -> usize {
//!     if task.is_empty() {
//!         return 0; // recorded too
//!     }
//!     task.len()
//! }
//!
//! #[timed(KERNEL.plan, outcome)]
//! fn plan(steps: &str) -> Result<u32, std::num::ParseIntError> {
//!     let steps: u32 = steps.parse()?; // an `error` observation when this fails
//!     Ok(steps)
//! }
//!
//! orchestrate("");
//! orchestrate("fork agents");
//! plan("3").unwrap();
//! plan("three").unwrap_err();
//! assert_eq!(KERNEL.orchestration.count(), 2);
//! assert_eq!(KERNEL.plan.get(TimedOutcome::Ok).count(), 1);
//! assert_eq!(KERNEL.plan.get(TimedOutcome::Error).count(), 1);
//! ```
//!
//! A library whose metrics belong to each instance (an `Arc` of a derived group, registered
//! through a sub-registry) times its `&self` methods into them:
//! `#[timed(self.metrics.dial_duration)]`, with `outcome` and `in_flight` reached through
//! `self` the same way (see [`timing`](crate::timing) for what is refused and why).
//!
//! A bare `#[timed]` needs no declaration: it records into the built-in family
//! `function_duration_seconds{function, module}` on the [global registry](crate::global).
//! The options (`outcome`, `in_flight = GAUGE`, per-function `buckets`, `name`) and every
//! supported kind of function (methods, trait impls, `async fn` in traits, `#[async_trait]`,
//! generics, `impl Trait`) are described in [`timing`](crate::timing).
