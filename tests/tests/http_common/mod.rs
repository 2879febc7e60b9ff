//! What every `/metrics` server must do, checked over real TCP connections against a server
//! at some address: the standalone exporter and the axum router run the same checks.
//!
//! The client is deliberately minimal (one request per connection, `Connection: close`,
//! read to end of stream) so the checks see exactly the bytes the server sent, and so a test
//! can also send half a request.

// Each test binary uses the checks it needs.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use oxios_metrics::{
    Buckets, CallbackGauge, Counter, EncodeMetric, Escaping, Exposition, Family, Format, Gauge,
    Histogram, LabelWriter, MetricEncoder, MetricType, Registry, SampleValue, WriteLabels,
};
use oxios_metrics_tests::{desc, leak, registry_with, Method, L};

pub const OPENMETRICS: &str =
    "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores";
pub const PROMETHEUS: &str = "text/plain; version=0.0.4; charset=utf-8";
/// The `Accept` header Prometheus 2.x sends by default.
pub const PROMETHEUS_SCRAPER_ACCEPT: &str = "application/openmetrics-text;version=1.0.0,\
    application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/// The `Accept` header of a Prometheus 3 that prefers protobuf (native histograms on).
pub const PROMETHEUS_3_PROTOBUF_ACCEPT: &str = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,\
    application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.4,\
    application/openmetrics-text;version=0.0.1;q=0.3,\
    text/plain;version=1.0.0;escaping=allow-utf-8;q=0.2,\
    text/plain;version=0.0.4;q=0.1,*/*;q=0";

/// A registry whose values are set once and never change, so every scrape of it must equal
/// `registry.render(format)` byte for byte. Large enough (a few hundred series) that gzip
/// and buffer reuse matter.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<&'static Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let requests: &'static Family<Method, Counter> = leak(Family::new());
        requests.get(Method::Get).add(41);
        requests.get(Method::Post).inc();
        let running: &'static Gauge = leak(Gauge::new());
        running.set(3);
        let latency: &'static Histogram =
            leak(Histogram::with_buckets(Buckets::checked(&[0.1, 0.5, 1.0])));
        for seconds in [0.05, 0.3, 0.3, 2.0] {
            latency.observe(seconds);
        }
        let sessions: &'static Family<L, Counter> = leak(Family::new().with_max_series(1000));
        for user in 0..300 {
            sessions.get(L(format!("user-{user}"))).add(user);
        }
        let registry = registry_with(vec![
            (
                desc(
                    "http_test_requests",
                    "Requests.",
                    MetricType::Counter,
                    "h.rs",
                    1,
                ),
                requests,
            ),
            (
                desc(
                    "http_test_running",
                    "Running.",
                    MetricType::Gauge,
                    "h.rs",
                    2,
                ),
                running,
            ),
            (
                desc(
                    "http_test_latency_seconds",
                    "Latency.",
                    MetricType::Histogram,
                    "h.rs",
                    3,
                )
                .with_unit("seconds"),
                latency,
            ),
            (
                desc(
                    "http_test_sessions",
                    "Sessions.",
                    MetricType::Counter,
                    "h.rs",
                    4,
                ),
                sessions,
            ),
        ]);
        leak(registry)
    })
}

/// One HTTP response as received.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("the body is UTF-8")
    }
}

/// Serves the axum `app` on a free loopback port from a background thread for the rest of
/// the test, on a current-thread runtime: one worker thread, which a render on it would block.
pub fn serve_axum(app: axum::Router) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    address
}

/// Sends one request and reads the whole response.
pub fn request(address: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(address).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII header");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("header line has a colon");
            (name.trim().to_owned(), value.trim().to_owned())
        })
        .collect();
    let reply = Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    };
    if method != "HEAD" {
        if let Some(length) = reply.header("content-length") {
            assert_eq!(
                length.parse::<usize>().unwrap(),
                reply.body.len(),
                "Content-Length matches the body"
            );
        }
    }
    reply
}

pub fn get(address: SocketAddr, headers: &[(&str, &str)]) -> Reply {
    request(address, "GET", "/metrics", headers)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut plain)
        .expect("a valid gzip stream");
    plain
}

/// The exposition a scrape asking with `accept` must return, with its content type.
fn expected(format: Format) -> (String, &'static str) {
    (registry().render(format), format.content_type())
}

pub fn check_content_types(address: SocketAddr) {
    let cases: [(Option<&str>, Format); 6] = [
        (None, Format::Prometheus),
        (Some("text/plain"), Format::Prometheus),
        (Some("text/plain;version=0.0.4"), Format::Prometheus),
        (Some("*/*"), Format::Prometheus),
        (
            Some("application/openmetrics-text; version=1.0.0"),
            Format::OpenMetrics,
        ),
        (Some(PROMETHEUS_SCRAPER_ACCEPT), Format::OpenMetrics),
    ];
    for (accept, format) in cases {
        let headers: Vec<(&str, &str)> =
            accept.map(|value| ("Accept", value)).into_iter().collect();
        let reply = get(address, &headers);
        let (body, content_type) = expected(format);
        assert_eq!(reply.status, 200, "Accept {accept:?}");
        assert_eq!(
            reply.header("content-type"),
            Some(content_type),
            "Accept {accept:?}"
        );
        assert_eq!(reply.header("content-encoding"), None);
        assert_eq!(reply.text(), body, "Accept {accept:?}");
    }
    // The other protocols Prometheus 3 negotiates, with the escaping echoed.
    let exposition_cases = [
        (
            PROMETHEUS_3_PROTOBUF_ACCEPT,
            Exposition::new(Format::Protobuf),
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores",
        ),
        (
            "text/plain;version=1.0.0;escaping=allow-utf-8",
            Exposition::new(Format::PrometheusV1).with_escaping(Escaping::AllowUtf8),
            "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8",
        ),
        (
            "application/openmetrics-text;version=0.0.1",
            Exposition::new(Format::OpenMetricsV0),
            "application/openmetrics-text; version=0.0.1; charset=utf-8",
        ),
    ];
    for (accept, exposition, content_type) in exposition_cases {
        let reply = get(address, &[("Accept", accept)]);
        assert_eq!(reply.status, 200, "Accept {accept:?}");
        assert_eq!(
            reply.header("content-type"),
            Some(content_type),
            "Accept {accept:?}"
        );
        let mut body = Vec::new();
        registry().encode_to_vec(&mut body, exposition);
        assert_eq!(reply.body, body, "Accept {accept:?}");
    }
    assert_eq!(expected(Format::OpenMetrics).1, OPENMETRICS);
    assert_eq!(expected(Format::Prometheus).1, PROMETHEUS);
    assert!(expected(Format::OpenMetrics).0.ends_with("# EOF\n"));
}

pub fn check_not_found(address: SocketAddr) {
    for path in ["/", "/metric", "/metrics/", "/metrics/extra", "/other"] {
        assert_eq!(request(address, "GET", path, &[]).status, 404, "GET {path}");
    }
    assert_eq!(request(address, "POST", "/nowhere", &[]).status, 404);
    // A query string does not change the path.
    assert_eq!(request(address, "GET", "/metrics?debug=1", &[]).status, 200);
}

pub fn check_method_not_allowed(address: SocketAddr) {
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let reply = request(address, method, "/metrics", &[("Content-Length", "0")]);
        assert_eq!(reply.status, 405, "{method} /metrics");
        let allow = reply
            .header("allow")
            .unwrap_or_else(|| panic!("{method}: no Allow"));
        let allowed: Vec<&str> = allow.split(',').map(str::trim).collect();
        assert!(
            allowed.contains(&"GET") && allowed.contains(&"HEAD"),
            "Allow: {allow}"
        );
    }
}

pub fn check_head(address: SocketAddr) {
    for (format, accept) in [
        (Format::Prometheus, "text/plain"),
        (Format::OpenMetrics, "application/openmetrics-text"),
    ] {
        let reply = request(address, "HEAD", "/metrics", &[("Accept", accept)]);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), Some(format.content_type()));
        assert!(reply.body.is_empty(), "HEAD has no body");
        let length = reply
            .header("content-length")
            .expect("HEAD gives the length");
        assert_eq!(
            length.parse::<usize>().unwrap(),
            registry().render(format).len()
        );
    }
}

pub fn check_gzip(address: SocketAddr) {
    for (format, accept) in [
        (Format::Prometheus, "text/plain;version=0.0.4"),
        (Format::OpenMetrics, PROMETHEUS_SCRAPER_ACCEPT),
    ] {
        let reply = get(address, &[("Accept", accept), ("Accept-Encoding", "gzip")]);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-encoding"), Some("gzip"));
        assert_eq!(reply.header("content-type"), Some(format.content_type()));
        let expected = registry().render(format);
        assert!(
            reply.body.len() < expected.len() / 3,
            "gzip shrinks the text"
        );
        assert_eq!(String::from_utf8(gunzip(&reply.body)).unwrap(), expected);
    }
    // A refused gzip gets plain text.
    let reply = get(address, &[("Accept-Encoding", "gzip;q=0, identity")]);
    assert_eq!(reply.header("content-encoding"), None);
    assert_eq!(reply.text(), registry().render(Format::Prometheus));
}

/// 16 clients scrape at once, several times each, alternating formats and encodings; every
/// response is complete and exact. The server must allow 16 renders at once.
pub fn check_concurrent_scrapes(address: SocketAddr) {
    let prometheus = registry().render(Format::Prometheus);
    let openmetrics = registry().render(Format::OpenMetrics);
    std::thread::scope(|scope| {
        let clients: Vec<_> = (0..16)
            .map(|client| {
                let (prometheus, openmetrics) = (&prometheus, &openmetrics);
                scope.spawn(move || {
                    for round in 0..8 {
                        let openmetrics_wanted = (client + round) % 2 == 0;
                        let gzip = (client + round) % 3 == 0;
                        let mut headers = vec![(
                            "Accept",
                            if openmetrics_wanted {
                                PROMETHEUS_SCRAPER_ACCEPT
                            } else {
                                "text/plain"
                            },
                        )];
                        if gzip {
                            headers.push(("Accept-Encoding", "gzip"));
                        }
                        let reply = get(address, &headers);
                        assert_eq!(reply.status, 200);
                        let body = if gzip {
                            gunzip(&reply.body)
                        } else {
                            reply.body
                        };
                        let want = if openmetrics_wanted {
                            openmetrics
                        } else {
                            prometheus
                        };
                        assert_eq!(
                            std::str::from_utf8(&body).unwrap(),
                            want.as_str(),
                            "client {client} round {round}"
                        );
                    }
                })
            })
            .collect();
        for client in clients {
            client.join().expect("a client thread failed");
        }
    });
}

/// Opens a connection and sends half a request, leaving it unfinished.
pub fn start_slow_client(address: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: slow\r\nAccept: text/pl")
        .unwrap();
    stream
}

/// While a client sits on half a request, other scrapes are answered promptly.
pub fn check_slow_client_does_not_block(address: SocketAddr) -> TcpStream {
    let slow = start_slow_client(address);
    let started = Instant::now();
    for _ in 0..5 {
        let reply = get(address, &[]);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.text(), registry().render(Format::Prometheus));
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "scrapes took {:?} beside a slow client",
        started.elapsed()
    );
    slow
}

/// A metric writing `lines` counter samples, each with its own 40-byte label value: an
/// exposition of any size at no storage cost, resizable between scrapes.
pub struct Bulk {
    lines: AtomicUsize,
}

/// The label of one [`Bulk`] sample.
struct BulkLabel(usize);

impl WriteLabels for BulkLabel {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label(
            "series",
            &format!("a-fairly-long-label-value-number-{:08}", self.0),
        );
    }
}

impl Bulk {
    /// How many samples each scrape writes from now on.
    pub fn set_lines(&self, lines: usize) {
        self.lines.store(lines, Ordering::SeqCst);
    }
}

impl EncodeMetric for Bulk {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        for index in 0..self.lines.load(Ordering::SeqCst) {
            encoder.sample(
                "_total",
                &BulkLabel(index),
                SampleValue::Unsigned(index as u64),
            );
        }
    }

    fn visit_label_names(&self, visit: &mut dyn FnMut(&str)) {
        visit("series");
    }
}

/// A registry of one [`Bulk`] counter writing `lines` samples (about 80 bytes each).
pub fn bulk_registry(lines: usize) -> (&'static Registry, &'static Bulk) {
    let bulk: &'static Bulk = leak(Bulk {
        lines: AtomicUsize::new(lines),
    });
    let registry = registry_with(vec![(
        desc("bulk", "Bulk.", MetricType::Counter, "b.rs", 1),
        bulk,
    )]);
    (leak(registry), bulk)
}

/// A registry of one callback gauge calling `read` at every scrape.
pub fn callback_registry(read: fn() -> f64) -> &'static Registry {
    let gauge: &'static CallbackGauge = leak(CallbackGauge::new(read));
    leak(registry_with(vec![(
        desc("callback", "Callback.", MetricType::Gauge, "c.rs", 1),
        gauge,
    )]))
}

/// Holds scrapes inside a callback until the test lets them go, and tells the test how many
/// are waiting. A `static` per test, passed through a plain `fn` callback.
pub struct Gate {
    state: Mutex<(bool, usize)>,
    changed: Condvar,
}

/// How long a gated callback waits at most, so a test that forgets to open its gate fails
/// instead of hanging.
const GATE_LIMIT: Duration = Duration::from_secs(20);

impl Gate {
    /// A closed gate.
    pub const fn new() -> Self {
        Gate {
            state: Mutex::new((false, 0)),
            changed: Condvar::new(),
        }
    }

    /// Called by the callback: counts itself in and waits until the gate opens.
    pub fn pass(&self) {
        let mut state = self.state.lock().unwrap();
        state.1 += 1;
        self.changed.notify_all();
        let started = Instant::now();
        while !state.0 && started.elapsed() < GATE_LIMIT {
            state = self.changed.wait_timeout(state, GATE_LIMIT).unwrap().0;
        }
    }

    /// Waits until `count` callbacks are waiting (or have passed); false after `timeout`.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> bool {
        let started = Instant::now();
        let mut state = self.state.lock().unwrap();
        while state.1 < count {
            let left = timeout.saturating_sub(started.elapsed());
            if left.is_zero() {
                return false;
            }
            state = self.changed.wait_timeout(state, left).unwrap().0;
        }
        true
    }

    /// How many callbacks came to the gate so far.
    pub fn arrived(&self) -> usize {
        self.state.lock().unwrap().1
    }

    /// Lets every waiting and later callback through.
    pub fn open(&self) {
        self.state.lock().unwrap().0 = true;
        self.changed.notify_all();
    }
}

/// What a client that never read finds when it finally looks at its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drained {
    /// The server had closed (end of stream) or reset the connection.
    pub closed: bool,
    /// The status of the response it had started to send, if any.
    pub status: Option<u16>,
    /// How many bytes had arrived.
    pub bytes: usize,
}

/// Reads and discards whatever the server sent on `stream` and tells whether it has closed
/// the connection. A connection still open is declared so once nothing arrived for
/// `quiet`; reading lets a stalled response move on, so keep `quiet` short.
pub fn drain(stream: &mut TcpStream, quiet: Duration) -> Drained {
    let mut chunk = vec![0u8; 1 << 16];
    let mut head = Vec::new();
    let mut bytes = 0;
    stream.set_read_timeout(Some(quiet)).unwrap();
    let closed = loop {
        match stream.read(&mut chunk) {
            Ok(0) => break true,
            Ok(read) => {
                if head.len() < 12 {
                    head.extend_from_slice(&chunk[..read.min(12)]);
                }
                bytes += read;
            }
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break false
            }
            Err(_) => break true,
        }
    };
    let status = String::from_utf8_lossy(&head)
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3)?.parse().ok());
    Drained {
        closed,
        status,
        bytes,
    }
}
