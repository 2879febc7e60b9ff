//! The HTTP semantics of a metrics endpoint, independent of the server that runs it: which
//! path and methods it answers, format and encoding negotiation, and rendering.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::Full;

use super::buffer::BufferPool;
use crate::encode::Exposition;
use crate::{Format, Registry};

/// The only path a metrics service answers.
pub const METRICS_PATH: &str = "/metrics";

/// The body type of every response.
pub type MetricsBody = Full<Bytes>;

/// Answers HTTP requests for one registry's exposition. Cheap to clone: clones share the
/// buffer pool and the scrape counts.
///
/// * `GET`/`HEAD /metrics`: the exposition in the format the `Accept` header weighs highest
///   (every protocol Prometheus 3 negotiates, protobuf included, with the `escaping` scheme
///   it asks for), 0.0.4 when it names none ([`Exposition::from_accept_lines`]), with the exact
///   `Content-Type` of [`Exposition::content_type`]; gzip-compressed when the `gzip` feature is on
///   and `Accept-Encoding` allows it;
/// * any other method on `/metrics`: `405 Method Not Allowed` with `Allow: GET, HEAD`;
/// * any other path: `404 Not Found`.
///
/// The registry is a `&'static Registry` (a `static`, [`crate::global`], or a leaked box):
/// scrapes run on server tasks and threads that outlive any stack frame, and the groups a
/// registry holds are `'static` already, so a static registry costs nothing and needs no
/// reference counting.
///
/// ```
/// use oxios_metrics::serve::MetricsService;
/// use oxios_metrics::Registry;
///
/// static REGISTRY: Registry = Registry::new();
/// let service = MetricsService::new(&REGISTRY);
/// let request = http::Request::get("/metrics")
///     .header("accept", "application/openmetrics-text; version=1.0.0")
///     .body(())
///     .unwrap();
/// let response = service.respond(&request);
/// assert_eq!(response.status(), 200);
/// assert_eq!(
///     response.headers()["content-type"],
///     "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores"
/// );
/// ```
#[derive(Clone, Debug)]
pub struct MetricsService {
    registry: &'static Registry,
    forced_format: Option<Format>,
    gzip: bool,
    pool: Arc<BufferPool>,
    #[cfg(feature = "gzip")]
    compressors: Arc<super::gzip::GzipPool>,
    counts: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    prometheus: AtomicU64,
    openmetrics: AtomicU64,
    protobuf: AtomicU64,
    gzip: AtomicU64,
}

/// How many scrapes a service answered, by format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScrapeCounts {
    /// Scrapes answered in the Prometheus text format (0.0.4 or 1.0.0).
    pub prometheus: u64,
    /// Scrapes answered in OpenMetrics (1.0.0 or 0.0.1).
    pub openmetrics: u64,
    /// Scrapes answered in protobuf.
    pub protobuf: u64,
    /// Scrapes (of either format) answered gzip-compressed.
    pub gzip: u64,
}

impl MetricsService {
    /// A service for `registry`, negotiating the format from `Accept`, with gzip on when the
    /// `gzip` feature is.
    pub fn new(registry: &'static Registry) -> Self {
        MetricsService {
            registry,
            forced_format: None,
            gzip: cfg!(feature = "gzip"),
            pool: Arc::default(),
            #[cfg(feature = "gzip")]
            compressors: Arc::default(),
            counts: Arc::default(),
        }
    }

    /// Answers every scrape in `format` with the default escaping, whatever `Accept` says
    /// (for scrapers that negotiate badly, or to test one format on purpose).
    pub fn force_format(mut self, format: Format) -> Self {
        self.forced_format = Some(format);
        self
    }

    /// Turns gzip compression off (or back on). Without the `gzip` feature it is always off.
    pub fn gzip(mut self, enabled: bool) -> Self {
        self.gzip = enabled && cfg!(feature = "gzip");
        self
    }

    /// The registry this service renders.
    pub fn registry(&self) -> &'static Registry {
        self.registry
    }

    /// How many scrapes this service (and its clones) answered so far.
    pub fn scrape_counts(&self) -> ScrapeCounts {
        ScrapeCounts {
            prometheus: self.counts.prometheus.load(Ordering::Relaxed),
            openmetrics: self.counts.openmetrics.load(Ordering::Relaxed),
            protobuf: self.counts.protobuf.load(Ordering::Relaxed),
            gzip: self.counts.gzip.load(Ordering::Relaxed),
        }
    }

    /// Answers `request` (its body is ignored).
    pub fn respond<B>(&self, request: &Request<B>) -> Response<MetricsBody> {
        self.respond_to(request.method(), request.uri().path(), request.headers())
    }

    /// Answers a request given by its method, path and headers.
    pub fn respond_to(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
    ) -> Response<MetricsBody> {
        if path != METRICS_PATH {
            return plain(
                StatusCode::NOT_FOUND,
                "not found; metrics are at /metrics\n",
            );
        }
        if method != Method::GET && method != Method::HEAD {
            let mut response = plain(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed; use GET or HEAD\n",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let exposition = match self.forced_format {
            Some(format) => Exposition::new(format),
            None => Exposition::from_accept_lines(
                headers
                    .get_all(header::ACCEPT)
                    .iter()
                    .filter_map(|value| value.to_str().ok()),
                &Format::ALL,
            ),
        };
        self.render(exposition, self.wants_gzip(headers), method == Method::HEAD)
    }

    #[cfg(feature = "gzip")]
    fn wants_gzip(&self, headers: &HeaderMap) -> bool {
        self.gzip
            && headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .any(super::gzip::accepts_gzip)
    }

    #[cfg(not(feature = "gzip"))]
    fn wants_gzip(&self, _headers: &HeaderMap) -> bool {
        false
    }

    fn render(&self, exposition: Exposition, gzip: bool, head_only: bool) -> Response<MetricsBody> {
        let format = exposition.format();
        let counter = if format.is_openmetrics() {
            &self.counts.openmetrics
        } else if format == Format::Protobuf {
            &self.counts.protobuf
        } else {
            &self.counts.prometheus
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let mut text = self.pool.take();
        self.registry.encode_to_vec(text.vec(), exposition);
        let (body, compressed) = match self.compress(&text, gzip) {
            Some(packed) => (packed, true),
            None => (text, false),
        };
        if compressed {
            self.counts.gzip.fetch_add(1, Ordering::Relaxed);
        }
        let length = body.len();
        let mut response = if head_only {
            Response::new(Full::new(Bytes::new()))
        } else {
            Response::new(Full::new(body.into_bytes()))
        };
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(exposition.content_type()),
        );
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        headers.insert(
            header::VARY,
            HeaderValue::from_static("Accept, Accept-Encoding"),
        );
        if compressed {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }

    #[cfg(feature = "gzip")]
    fn compress(
        &self,
        text: &super::buffer::PooledBuffer,
        gzip: bool,
    ) -> Option<super::buffer::PooledBuffer> {
        if !gzip {
            return None;
        }
        let mut packed = self.pool.take();
        // Writing into a Vec cannot fail; on the impossible error fall back to plain text.
        self.compressors
            .compress(text.as_ref(), packed.vec())
            .ok()?;
        Some(packed)
    }

    #[cfg(not(feature = "gzip"))]
    fn compress(
        &self,
        _text: &super::buffer::PooledBuffer,
        _gzip: bool,
    ) -> Option<super::buffer::PooledBuffer> {
        None
    }
}

fn plain(status: StatusCode, message: &'static str) -> Response<MetricsBody> {
    let mut response = Response::new(Full::new(Bytes::from_static(message.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
