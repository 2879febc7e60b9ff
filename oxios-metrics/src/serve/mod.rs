//! Serving `/metrics` over HTTP (features `server` and `axum`).
//!
//! | you have | use |
//! |---|---|
//! | no web server | [`Exporter`] (feature `server`): hyper on its own thread and runtime |
//! | an axum application | [`axum_router`] or [`metrics_handler`] (feature `axum`) |
//! | another HTTP stack | [`MetricsService::respond`] turns an `http::Request` into a response |
//!
//! All three answer the same way (see [`MetricsService`]): the format from `Accept`, the exact
//! `Content-Type`, `404` off `/metrics`, `405` with `Allow` for methods other than `GET` and
//! `HEAD`, gzip when asked for (feature `gzip`). The exposition is rendered with
//! [`Registry::encode_to_vec`](crate::Registry::encode_to_vec) into pooled buffers that the
//! response body hands back when sent, so steady scraping allocates no exposition memory;
//! buffers grown by a scrape much larger than the ones after it are shrunk back.
//!
//! Hostile conditions are bounded the same way everywhere: at most
//! [`DEFAULT_MAX_CONCURRENT_RENDERS`] renders at once (configurable), the rest answered
//! `503` with `Retry-After` at once; the exporter and the axum handler render off the threads
//! that serve connections; the exporter cuts a response that is not fully sent by its
//! deadline (`DEFAULT_RESPONSE_TIMEOUT`, feature `server`).
//!
//! Registries are passed as `&'static Registry`: a `static REGISTRY: Registry =
//! Registry::new();`, [`crate::global`], or `Box::leak` for one built at run time.

#[cfg(feature = "axum")]
mod axum;
mod buffer;
#[cfg(feature = "server")]
mod deadline;
#[cfg(feature = "server")]
mod exporter;
#[cfg(feature = "gzip")]
mod gzip;
mod limit;
mod service;

#[cfg(feature = "axum")]
pub use self::axum::{axum_router, axum_router_for, metrics_handler};
#[cfg(feature = "server")]
pub use self::exporter::{
    Exporter, ExporterBuilder, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT,
};
pub use self::limit::DEFAULT_MAX_CONCURRENT_RENDERS;
pub use self::service::{MetricsBody, MetricsService, ScrapeCounts, METRICS_PATH};
