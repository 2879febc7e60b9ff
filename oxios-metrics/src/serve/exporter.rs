//! A standalone `/metrics` server for programs without a web server of their own.

use std::convert::Infallible;
use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener as StdTcpListener, ToSocketAddrs};
use std::thread::JoinHandle;
use std::time::Duration;

use http::header::{self, HeaderValue};
use http::StatusCode;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::deadline::ResponseClock;
use super::service::{run_off_thread, MetricsService, ScrapeCounts};
use crate::{Format, Registry};

/// How long a client may take to send a request's headers unless configured otherwise.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a response may take, from its request until its last byte, unless configured
/// otherwise: above Prometheus' default scrape timeout (10 s), so a scrape Prometheus still
/// waits for is never cut.
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);

/// How long shutdown waits for responses in flight before dropping their connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// How long shutdown then waits for renders still running in user code before leaving them
/// to finish on their own threads.
const RENDER_ABANDON: Duration = Duration::from_millis(200);

/// A running `/metrics` server on its own thread, with its own single-threaded tokio runtime
/// and hyper's HTTP/1.1 implementation. It stops when [`shutdown`](Self::shutdown) is called
/// or the handle is dropped.
///
/// The runtime's thread only accepts connections and moves bytes: renders (and the user
/// callbacks they call) run on the runtime's blocking pool, at most
/// [`max_concurrent_renders`](ExporterBuilder::max_concurrent_renders) at once, so a slow
/// render never delays other connections. Past the limit a scrape is answered
/// `503 Service Unavailable` with `Retry-After: 1` and the connection closed. Every response
/// has a deadline ([`response_timeout`](ExporterBuilder::response_timeout)) covering its
/// body: a client that does not read is disconnected then, and the exposition queued for it
/// freed.
///
/// ```
/// use oxios_metrics::serve::Exporter;
/// use oxios_metrics::Registry;
///
/// static REGISTRY: Registry = Registry::new();
/// // Port 0 lets the system choose a free port; `local_addr` tells which.
/// let exporter = Exporter::bind("127.0.0.1:0", &REGISTRY).unwrap();
/// assert_ne!(exporter.local_addr().port(), 0);
/// println!("metrics at {}", exporter.url());
/// exporter.shutdown().unwrap();
/// ```
pub struct Exporter {
    address: SocketAddr,
    service: MetricsService,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl fmt::Debug for Exporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exporter")
            .field("address", &self.address)
            .field("running", &self.thread.is_some())
            .finish()
    }
}

/// Options for an [`Exporter`]; made by [`Exporter::builder`].
#[derive(Debug, Clone)]
pub struct ExporterBuilder {
    service: MetricsService,
    header_read_timeout: Duration,
    response_timeout: Duration,
}

impl ExporterBuilder {
    /// How long a client may take to send a request's headers (default
    /// [`DEFAULT_HEADER_READ_TIMEOUT`]). A client that starts a request and never finishes it
    /// is disconnected after this time instead of holding its connection forever. It also
    /// bounds how long an idle keep-alive connection stays open.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// How long a response may take, from the moment its request has been read until its
    /// last byte has been written (default [`DEFAULT_RESPONSE_TIMEOUT`]). Past it the
    /// connection is closed with a reset, whatever was left unsent: a client that requests
    /// and never reads cannot hold the exposition in memory longer than this. The time
    /// includes the render; a render still running then goes on to its end on its own
    /// thread, and its result is dropped.
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = timeout;
        self
    }

    /// Allows at most `renders` scrapes to be rendered or sent at once (default
    /// [`DEFAULT_MAX_CONCURRENT_RENDERS`](super::DEFAULT_MAX_CONCURRENT_RENDERS)); others are
    /// answered `503 Service Unavailable` with `Retry-After: 1` at once. The memory held by
    /// responses in flight is at most this many expositions. `0` is taken as `1`.
    pub fn max_concurrent_renders(mut self, renders: usize) -> Self {
        self.service = self.service.max_concurrent_renders(renders);
        self
    }

    /// Answers every scrape in `format`, whatever `Accept` asks for.
    pub fn force_format(mut self, format: Format) -> Self {
        self.service = self.service.force_format(format);
        self
    }

    /// Turns gzip compression off (or on; it needs the `gzip` feature).
    pub fn gzip(mut self, enabled: bool) -> Self {
        self.service = self.service.gzip(enabled);
        self
    }

    /// Binds `address` (port 0 picks a free port) and starts serving on a new thread.
    ///
    /// Errors: the address does not resolve, cannot be bound, or the thread or runtime cannot
    /// be started. Nothing keeps running after an error.
    pub fn bind(self, address: impl ToSocketAddrs) -> io::Result<Exporter> {
        // Binding here, not on the server thread, reports a taken port to the caller and
        // makes the chosen port known before `bind` returns.
        let listener = StdTcpListener::bind(address)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        // Renders are the runtime's only blocking work and hold a permit each, so the pool
        // never needs more threads than the limit.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .max_blocking_threads(self.service.render_limit())
            .thread_name("oxios-metrics-render")
            .build()?;
        let (stop, stopped) = watch::channel(false);
        let service = self.service.clone();
        let timeouts = Timeouts {
            header_read: self.header_read_timeout,
            response: self.response_timeout,
        };
        let thread = std::thread::Builder::new()
            .name("oxios-metrics-exporter".into())
            .spawn(move || {
                let served = runtime.block_on(serve(listener, service, timeouts, stopped));
                // A render stuck in user code must not hold up shutdown: its thread is left
                // to finish on its own.
                runtime.shutdown_timeout(RENDER_ABANDON);
                served
            })?;
        Ok(Exporter {
            address,
            service: self.service,
            stop,
            thread: Some(thread),
        })
    }
}

impl Exporter {
    /// Serves `registry` at `http://<address>/metrics` with the default options.
    pub fn bind(address: impl ToSocketAddrs, registry: &'static Registry) -> io::Result<Exporter> {
        Self::builder(registry).bind(address)
    }

    /// Options for serving `registry`.
    pub fn builder(registry: &'static Registry) -> ExporterBuilder {
        ExporterBuilder {
            service: MetricsService::new(registry),
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            response_timeout: DEFAULT_RESPONSE_TIMEOUT,
        }
    }

    /// The address bound (with the real port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// `http://<address>/metrics`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.address, super::METRICS_PATH)
    }

    /// How many scrapes were answered so far, by format, and how many were refused for the
    /// render limit.
    pub fn scrape_counts(&self) -> ScrapeCounts {
        self.service.scrape_counts()
    }

    /// How many renders are in progress now: rendering, or their body not yet sent (at most
    /// the render limit).
    pub fn renders_in_progress(&self) -> usize {
        self.service.renders_in_progress()
    }

    /// The memory, in bytes, held by idle exposition buffers kept for the next scrapes
    /// ([`MetricsService::idle_buffer_bytes`]).
    pub fn idle_buffer_bytes(&self) -> usize {
        self.service.idle_buffer_bytes()
    }

    /// Stops accepting connections, lets responses in flight finish (up to a few seconds),
    /// and joins the server thread. Returns the server's error if it failed while running.
    ///
    /// Shutdown is bounded even when a render never returns (a callback stuck forever):
    /// such a render is left running on its own thread, which ends when the callback does.
    pub fn shutdown(mut self) -> io::Result<()> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> io::Result<()> {
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        // An error means the server already ended; joining tells why.
        let _ = self.stop.send(true);
        thread
            .join()
            .map_err(|_| io::Error::other("the metrics exporter thread panicked"))?
    }
}

impl Drop for Exporter {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

/// The exporter's time limits on a connection.
#[derive(Clone, Copy, Debug)]
struct Timeouts {
    header_read: Duration,
    response: Duration,
}

async fn serve(
    listener: StdTcpListener,
    service: MetricsService,
    timeouts: Timeouts,
    mut stopped: watch::Receiver<bool>,
) -> io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _peer)) => stream,
                    // Out of file descriptors or a connection reset before accept: keep
                    // serving the others, after a pause so a persistent error cannot spin.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                connections.spawn(connection(
                    stream,
                    service.clone(),
                    timeouts,
                    stopped.clone(),
                ));
            }
            // Reap finished connections so the set does not grow with every scrape.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.shutdown().await;
    }
    Ok(())
}

async fn connection(
    stream: tokio::net::TcpStream,
    service: MetricsService,
    timeouts: Timeouts,
    mut stopped: watch::Receiver<bool>,
) {
    let clock = ResponseClock::new(timeouts.response);
    let handler = {
        let clock = clock.clone();
        service_fn(move |request: hyper::Request<Incoming>| {
            let guard = clock.start();
            let answer = service.answer(request.method(), request.uri().path(), request.headers());
            async move {
                let mut response = run_off_thread(answer).await;
                if response.status() == StatusCode::SERVICE_UNAVAILABLE {
                    // An overloaded server frees the socket too.
                    response
                        .headers_mut()
                        .insert(header::CONNECTION, HeaderValue::from_static("close"));
                }
                Ok::<_, Infallible>(response.map(|body| Full::new(guard.attach(body))))
            }
        })
    };
    let mut connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read)
        .serve_connection(TokioIo::new(stream), handler);
    let expired = clock.expired();
    tokio::pin!(expired);
    let cut = tokio::select! {
        // A client that misbehaves only loses its own connection.
        _ = &mut connection => false,
        () = &mut expired => true,
        _ = stopped.changed() => {
            std::pin::Pin::new(&mut connection).graceful_shutdown();
            tokio::select! {
                _ = &mut connection => false,
                () = &mut expired => true,
            }
        }
    };
    if cut {
        // A reset discards what the client left unread in the socket's send buffer too.
        let parts = connection.into_parts();
        let _ = parts.io.inner().set_zero_linger();
    }
}
