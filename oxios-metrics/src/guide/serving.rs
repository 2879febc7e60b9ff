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
//! `GET`/`HEAD /metrics` only (404 elsewhere, 405 with `Allow` otherwise), the format chosen from `Accept` with its exact `Content-Type`, gzip when
//! `Accept-Encoding` allows it (feature `gzip`), and the exposition rendered into pooled
//! buffers. The exporter drops a connection whose request headers do not arrive within its
//! header-read timeout (10 s by default), so a client that never finishes cannot hold it.
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
