//! # Histograms
//!
//! A [`Histogram`](crate::Histogram) counts observations into buckets with inclusive upper
//! bounds (`le`), plus `+Inf`. Buckets are declared on the field (`buckets = [..]`,
//! `linear(start, width, count)`, `exponential(start, factor, count)`, the path of a const
//! `[f64; N]` or `&[f64]` shared by several declarations (`buckets = DIAL_BUCKETS`), or
//! Prometheus' defaults when absent), computed and checked by the derive (a const's bounds
//! where it is evaluated, still at compile time); by hand, [`Buckets::checked`] in a
//! `static` turns bad bounds into a build error and [`Buckets::new`] returns a `Result`.
//!
//! ```
//! use oxios_metrics::{Buckets, Histogram};
//!
//! static LATENCY: Histogram = Histogram::with_buckets(Buckets::checked(&[0.005, 0.01, 1.0]));
//! for seconds in [0.005, 0.5, 2.0] {
//!     LATENCY.observe(seconds);
//! }
//! // Cumulative counts: 0.005 is in the first bucket (le is inclusive).
//! assert_eq!(LATENCY.buckets(), vec![(0.005, 1), (0.01, 1), (1.0, 2), (f64::INFINITY, 3)]);
//! assert_eq!(LATENCY.sum(), 2.505);
//!
//! {
//!     let _timer = LATENCY.start_timer(); // records the block's seconds when dropped
//! }
//! assert_eq!(LATENCY.count(), 4);
//! ```
//!
//! ## Why every scrape is consistent without a lock
//!
//! Each bucket has its own counter, incremented once per observation that lands in it. A
//! scrape reads each counter once and adds them up in bucket order, so the cumulative values it
//! writes never decrease, and `_count` *is* the last cumulative value: the `+Inf` bucket equals
//! `_count` by construction, whatever the writers do meanwhile. No invariant spans two atomics
//! that a scrape must read together, which is why the design needs neither the hot/cold shard
//! swap some clients use nor a model check: the only race left is between `_sum` and the
//! bucket counts (a scrape may see an observation in one and not yet in the other), and both
//! remain individually exact and untorn. The concurrency tests check this over thousands of
//! scrapes under writers.
//!
//! ## NaN and infinities
//!
//! A NaN observation is counted in the `+Inf` bucket and in `_count` (it is not lost) and makes
//! `_sum` NaN from then on, as Prometheus' Go client does. `+∞` goes to `+Inf`, `−∞` to the
//! first bucket; both make `_sum` infinite. Negative values go to the first bucket whose bound
//! holds them.
//!
//! [`Buckets::checked`]: crate::Buckets::checked
//! [`Buckets::new`]: crate::Buckets::new
