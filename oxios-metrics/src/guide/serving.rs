//! # Serving `/metrics`
//!
//! A program without a web server starts the standalone exporter (feature `server`): hyper on
//! its own thread with a single-threaded runtime, bound before `bind` returns (so port 0 and a
//! taken port are known at once), shut down on drop.
//!
//! ```no_run
//! # #[cfg(feature = "server")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use oxios_metrics::{global, process::ProcessCollector, serve::Exporter};
//!
//! ProcessCollector::register(global())?; // process_cpu_seconds_total, ..._resident_memory_bytes, ...
//! let exporter = Exporter::bind("127.0.0.1:9898", global())?;
//! println!("metrics at {}", exporter.url());
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "server"))]
//! # fn main() {}
//! ```
//!
//! An axum application mounts `serve::axum_router` (feature `axum`) beside its own routes
//! (the [axum chapter](super::axum) has a whole program). Both answer the same way:
//! `GET`/`HEAD /metrics` only (404 elsewhere, 405 with `Allow` otherwise), the format chosen
//! from `Accept` with its exact `Content-Type`, gzip when `Accept-Encoding` allows it (feature
//! `gzip`), and the exposition rendered into pooled buffers. The exporter drops a connection whose request headers do not arrive within its
//! header-read timeout (10 s by default), so a client that never finishes cannot hold it.
//!
//! ## Slow renders, floods and clients that do not read
//!
//! Renders never run where they could stall other requests. The exporter's runtime thread
//! only accepts connections and moves bytes; renders, with the callbacks and collectors they
//! call, run on its blocking pool. The axum handler renders on tokio's blocking pool
//! (`serve::MetricsService::respond_async`), not on the application's async workers. A
//! callback that takes seconds delays only its own scrape.
//!
//! At most `ExporterBuilder::max_concurrent_renders` scrapes are in progress at once
//! (default `serve::DEFAULT_MAX_CONCURRENT_RENDERS`, 4). A scrape counts from the start of
//! its render until its body has been sent or dropped. Further scrapes are answered
//! `503 Service Unavailable` with `Retry-After: 1` at once, without being queued, and the
//! exporter closes their connections. The axum handler takes the limit of its
//! `MetricsService` (`MetricsService::max_concurrent_renders`).
//!
//! Every exporter response has a deadline, from the moment its request has been read until
//! its last byte has been written (`ExporterBuilder::response_timeout`, default 30 s). A
//! client that asks and never reads is reset then, and the exposition queued for it goes
//! back to the pool. So responses in flight hold at most the render limit times one
//! exposition.
//!
//! Exposition buffers are pooled at their working size, so steady scrapes allocate nothing.
//! An idle buffer larger than four times the largest of the last eight expositions (and
//! larger than 64 KiB) is shrunk to twice that size: after one huge scrape the memory goes
//! back once eight smaller ones have followed. `Exporter::idle_buffer_bytes` tells how much
//! is pooled.
//!
//! Shutdown (or drop) waits up to 2 s for responses in flight. A render stuck in user code
//! is then left to finish on its own thread, so shutdown stays bounded.
//!
//! ```no_run
//! # #[cfg(feature = "server")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use oxios_metrics::{global, serve::Exporter};
//!
//! let exporter = Exporter::builder(global())
//!     .max_concurrent_renders(2)
//!     .response_timeout(Duration::from_secs(20))
//!     .header_read_timeout(Duration::from_secs(5))
//!     .bind("127.0.0.1:9898")?;
//! # drop(exporter);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "server"))]
//! # fn main() {}
//! ```
//!
//! The [process collector](crate::process::ProcessCollector) reads `/proc` at each scrape
//! and writes the names and units of Prometheus' official clients
//! (`process_cpu_seconds_total`, `process_resident_memory_bytes`,
//! `process_virtual_memory_bytes`, `process_open_fds`, `process_max_fds`,
//! `process_start_time_seconds`, `process_threads`); on other systems it registers nothing.
//!
//! The workspace's `kernel` example (`cargo run --release -p oxios-metrics-examples --bin
//! kernel`) puts it together: a simulated agent kernel whose metrics a real Prometheus scrapes
//! in `scripts/e2e.sh`, once negotiating OpenMetrics and once in the 0.0.4 text.
