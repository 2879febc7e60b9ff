//! The HTTP semantics of a metrics endpoint, independent of the server that runs it: which
//! path and methods it answers, format and encoding negotiation, the render limit, and
//! rendering.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::Full;

use super::buffer::{BufferPool, PooledBuffer};
use super::limit::{RenderLimit, RenderPermit, DEFAULT_MAX_CONCURRENT_RENDERS};
use crate::{Exposition, Format, Registry};

/// The only path a metrics service answers.
pub const METRICS_PATH: &str = "/metrics";

/// The body type of every response.
pub type MetricsBody = Full<Bytes>;

/// The `Retry-After` a scrape refused for the render limit is given, in seconds: renders
/// usually take milliseconds, so a second later there is most likely room again.
const RETRY_AFTER_SECONDS: u32 = 1;

/// Answers HTTP requests for one registry's exposition. Cheap to clone: clones share the
/// buffer pool, the render limit and the scrape counts.
///
/// * `GET`/`HEAD /metrics`: the exposition
///   in the format the `Accept` header weighs highest (every protocol Prometheus 3
///   negotiates, protobuf included, with the `escaping` scheme it asks for), text 0.0.4 when
///   it names none ([`Format::from_accept`]; several `Accept` lines are read as one, joined
///   by commas), with the exact `Content-Type` of [`Exposition::content_type`]
///   (`escaping=` echoed); gzip-compressed when the `gzip` feature is on and
///   `Accept-Encoding` allows it;
/// * `GET`/`HEAD /metrics` while [`max_concurrent_renders`](Self::max_concurrent_renders)
///   renders are in progress: `503 Service Unavailable` with `Retry-After: 1`, at once;
/// * any other method on `/metrics`: `405 Method Not Allowed` with `Allow: GET, HEAD`;
/// * any other path: `404 Not Found`.
///
/// A render counts against the limit until its response body has been sent or dropped, so
/// the memory held by responses in flight is at most the limit times one exposition.
///
/// [`respond`](Self::respond) renders on the calling thread;
/// [`respond_async`](Self::respond_async) renders on tokio's blocking pool, for async
/// servers whose worker threads must not wait on a slow callback.
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
///     .header("accept", "application/openmetrics-text; version=1.0.0; escaping=allow-utf-8")
///     .body(())
///     .unwrap();
/// let response = service.respond(&request);
/// assert_eq!(response.status(), 200);
/// assert_eq!(
///     response.headers()["content-type"],
///     "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8"
/// );
/// ```
#[derive(Clone, Debug)]
pub struct MetricsService {
    registry: &'static Registry,
    forced_format: Option<Format>,
    created: bool,
    gzip: bool,
    pool: Arc<BufferPool>,
    #[cfg(feature = "gzip")]
    compressors: Arc<super::gzip::GzipPool>,
    limit: Arc<RenderLimit>,
    counts: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    prometheus: AtomicU64,
    openmetrics: AtomicU64,
    protobuf: AtomicU64,
    gzip: AtomicU64,
    rejected: AtomicU64,
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
    /// Scrapes refused with `503 Service Unavailable` because the render limit was reached
    /// (not counted in `prometheus`, `openmetrics` or `protobuf`).
    pub rejected: u64,
}

/// What a request needs: an answer ready now, or a render.
pub(crate) enum Answer {
    Ready(Response<Bytes>),
    Render(RenderJob),
}

/// A render admitted under the limit, to be run on whatever thread suits the server.
pub(crate) struct RenderJob {
    service: MetricsService,
    exposition: Exposition,
    gzip: bool,
    head_only: bool,
    permit: RenderPermit,
}

impl MetricsService {
    /// A service for `registry`, negotiating the format from `Accept`, with gzip on when the
    /// `gzip` feature is, and at most [`DEFAULT_MAX_CONCURRENT_RENDERS`] renders at once.
    ///
    /// [`DEFAULT_MAX_CONCURRENT_RENDERS`]: super::DEFAULT_MAX_CONCURRENT_RENDERS
    pub fn new(registry: &'static Registry) -> Self {
        MetricsService {
            registry,
            forced_format: None,
            created: false,
            gzip: cfg!(feature = "gzip"),
            pool: Arc::new(BufferPool::new(idle_buffers_for(
                DEFAULT_MAX_CONCURRENT_RENDERS,
            ))),
            #[cfg(feature = "gzip")]
            compressors: Arc::default(),
            limit: Arc::new(RenderLimit::new(DEFAULT_MAX_CONCURRENT_RENDERS)),
            counts: Arc::default(),
        }
    }

    /// Answers every scrape in `format` with the default escaping, whatever `Accept` says
    /// (for scrapers that negotiate badly, or to test one format on purpose).
    pub fn force_format(mut self, format: Format) -> Self {
        self.forced_format = Some(format);
        self
    }

    /// Writes `_created` samples in OpenMetrics answers (off by default; see
    /// [`Exposition::with_created`] for why). Protobuf answers carry creation times always.
    pub fn openmetrics_created(mut self, enabled: bool) -> Self {
        self.created = enabled;
        self
    }

    /// Turns gzip compression off (or back on). Without the `gzip` feature it is always off.
    pub fn gzip(mut self, enabled: bool) -> Self {
        self.gzip = enabled && cfg!(feature = "gzip");
        self
    }

    /// Allows at most `renders` scrapes to be rendered or sent at once (default
    /// [`DEFAULT_MAX_CONCURRENT_RENDERS`]); further scrapes get `503 Service Unavailable`
    /// with `Retry-After: 1` straight away. A scrape counts from the start of its render until
    /// its body has been sent or dropped. `0` is taken as `1`.
    ///
    /// The service gets a limit and buffer pool of its own; clones made afterwards share
    /// them.
    ///
    /// [`DEFAULT_MAX_CONCURRENT_RENDERS`]: super::DEFAULT_MAX_CONCURRENT_RENDERS
    pub fn max_concurrent_renders(mut self, renders: usize) -> Self {
        self.limit = Arc::new(RenderLimit::new(renders));
        self.pool = Arc::new(BufferPool::new(idle_buffers_for(self.limit.max())));
        self
    }

    /// The render limit (see [`max_concurrent_renders`](Self::max_concurrent_renders)).
    pub fn render_limit(&self) -> usize {
        self.limit.max()
    }

    /// How many renders are in progress now (rendering, or their body not yet sent).
    pub fn renders_in_progress(&self) -> usize {
        self.limit.in_use()
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
            rejected: self.counts.rejected.load(Ordering::Relaxed),
        }
    }

    /// The memory, in bytes, held by the idle exposition buffers kept for the next scrapes.
    ///
    /// Buffers keep their size from one scrape to the next, so steady scraping allocates
    /// nothing; after a scrape much larger than the ones that follow, the pool shrinks them
    /// back once that scrape is not among the last eight buffers handed back.
    pub fn idle_buffer_bytes(&self) -> usize {
        self.pool.idle_bytes()
    }

    /// Answers `request` (its body is ignored), rendering on the calling thread.
    pub fn respond<B>(&self, request: &Request<B>) -> Response<MetricsBody> {
        self.respond_to(request.method(), request.uri().path(), request.headers())
    }

    /// Answers a request given by its method, path and headers, rendering on the calling
    /// thread.
    pub fn respond_to(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
    ) -> Response<MetricsBody> {
        match self.answer(method, path, headers) {
            Answer::Ready(response) => response,
            Answer::Render(job) => job.run(),
        }
        .map(Full::new)
    }

    /// Answers `request` (its body is ignored) like [`respond`](Self::respond), but renders
    /// on tokio's blocking pool when called inside a tokio runtime, so a slow callback or a
    /// huge registry never holds up the runtime's worker threads. Outside a runtime it
    /// renders on the thread that polls it.
    ///
    /// The request is read before this returns; the future owns everything it needs. A
    /// render that panics (a panicking callback) is answered `500 Internal Server Error`.
    pub fn respond_async<B>(
        &self,
        request: &Request<B>,
    ) -> impl Future<Output = Response<MetricsBody>> + Send + 'static {
        let answer = self.answer(request.method(), request.uri().path(), request.headers());
        async move { run_off_thread(answer).await.map(Full::new) }
    }

    /// [`respond_async`](Self::respond_async) for a request a router has already routed
    /// here: answered whatever its path (the axum handler's way in).
    #[cfg(feature = "axum")]
    pub(crate) fn respond_routed_async<B>(
        &self,
        request: &Request<B>,
    ) -> impl Future<Output = Response<MetricsBody>> + Send + 'static {
        let answer = self.answer_routed(request.method(), request.headers());
        async move { run_off_thread(answer).await.map(Full::new) }
    }

    /// Routes a request: an immediate answer (404, 405, 503) or a render holding a permit.
    pub(crate) fn answer(&self, method: &Method, path: &str, headers: &HeaderMap) -> Answer {
        if path != METRICS_PATH {
            return Answer::Ready(plain(
                StatusCode::NOT_FOUND,
                "not found; metrics are at /metrics\n",
            ));
        }
        self.answer_routed(method, headers)
    }

    /// [`answer`](Self::answer) for a request a router already sent here: the route chose
    /// the path, so any path is answered (the axum handler may be routed anywhere).
    pub(crate) fn answer_routed(&self, method: &Method, headers: &HeaderMap) -> Answer {
        if method != Method::GET && method != Method::HEAD {
            let mut response = plain(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed; use GET or HEAD\n",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return Answer::Ready(response);
        }
        let Some(permit) = self.limit.try_acquire() else {
            self.counts.rejected.fetch_add(1, Ordering::Relaxed);
            let mut response = plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many scrapes in progress; retry later\n",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
            return Answer::Ready(response);
        };
        Answer::Render(RenderJob {
            service: self.clone(),
            exposition: self.negotiate(headers),
            gzip: self.wants_gzip(headers),
            head_only: method == Method::HEAD,
            permit,
        })
    }

    fn negotiate(&self, headers: &HeaderMap) -> Exposition {
        self.negotiate_format(headers).with_created(self.created)
    }

    fn negotiate_format(&self, headers: &HeaderMap) -> Exposition {
        if let Some(format) = self.forced_format {
            return Exposition::new(format);
        }
        // RFC 9110 §5.3: several field lines of a list header mean the same as one line of
        // their values joined by commas, so they are negotiated as that one line.
        let mut lines = headers
            .get_all(header::ACCEPT)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()));
        let Some(first) = lines.next() else {
            return Format::from_accept("");
        };
        let Some(second) = lines.next() else {
            return Format::from_accept(&first);
        };
        let mut joined = first.into_owned();
        for line in std::iter::once(second).chain(lines) {
            joined.push_str(", ");
            joined.push_str(&line);
        }
        Format::from_accept(&joined)
    }

    #[cfg(feature = "gzip")]
    fn wants_gzip(&self, headers: &HeaderMap) -> bool {
        // Every line together (as for `Accept`): a refusal on one line holds against a
        // wildcard on another. Valid UTF-8 is borrowed, so this allocates nothing.
        self.gzip
            && super::gzip::accepts_gzip(
                headers
                    .get_all(header::ACCEPT_ENCODING)
                    .iter()
                    .map(|value| String::from_utf8_lossy(value.as_bytes())),
            )
    }

    #[cfg(not(feature = "gzip"))]
    fn wants_gzip(&self, _headers: &HeaderMap) -> bool {
        false
    }

    #[cfg(feature = "gzip")]
    fn compress(&self, text: &PooledBuffer, gzip: bool) -> Option<PooledBuffer> {
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
    fn compress(&self, _text: &PooledBuffer, _gzip: bool) -> Option<PooledBuffer> {
        None
    }
}

impl RenderJob {
    /// Renders on the calling thread (user callbacks run here).
    pub(crate) fn run(self) -> Response<Bytes> {
        let RenderJob {
            service,
            exposition,
            gzip,
            head_only,
            permit,
        } = self;
        let format = exposition.format();
        let counter = if format.is_openmetrics() {
            &service.counts.openmetrics
        } else if format == Format::Protobuf {
            &service.counts.protobuf
        } else {
            &service.counts.prometheus
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let mut text = service.pool.take();
        service.registry.encode_to_vec(text.vec(), exposition);
        let (body, compressed) = match service.compress(&text, gzip) {
            Some(packed) => (packed, true),
            None => (text, false),
        };
        if compressed {
            service.counts.gzip.fetch_add(1, Ordering::Relaxed);
        }
        let length = body.len();
        // The permit goes with the body, so the limit also counts responses being sent.
        let mut response = if head_only {
            drop(body);
            drop(permit);
            Response::new(Bytes::new())
        } else {
            Response::new(body.into_bytes_holding(permit))
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
}

/// Runs a render on tokio's blocking pool (the current thread outside a runtime).
pub(crate) async fn run_off_thread(answer: Answer) -> Response<Bytes> {
    let job = match answer {
        Answer::Ready(response) => return response,
        Answer::Render(job) => job,
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return job.run();
    };
    // A dropped future leaves the render running to its end; the response (and with it the
    // permit and buffer) is then dropped on the blocking thread.
    match runtime.spawn_blocking(move || job.run()).await {
        Ok(response) => response,
        Err(_) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "rendering the metrics failed\n",
        ),
    }
}

/// How many idle buffers a pool keeps for a render limit: two per render (the text and its
/// gzip output).
fn idle_buffers_for(renders: usize) -> usize {
    renders.saturating_mul(2)
}

fn plain(status: StatusCode, message: &'static str) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from_static(message.as_bytes()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
