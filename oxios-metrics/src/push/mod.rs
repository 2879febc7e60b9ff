//! Pushing a registry's exposition to a Prometheus Pushgateway (feature `push`).
//!
//! A batch job ends before Prometheus could scrape it, so it pushes its metrics to a
//! Pushgateway, which keeps the last push of each group for Prometheus to scrape. A group is
//! named by a [`GroupingKey`]: the job and optional labels.
//!
//! | call | HTTP | effect on the group |
//! |---|---|---|
//! | [`Pushgateway::push`] | `PUT` | replaces every metric of the group with the registry's |
//! | [`Pushgateway::push_add`] | `POST` | replaces only the metric families the registry has; others stay |
//! | [`Pushgateway::delete`] | `DELETE` | removes the group |
//! | [`Pushgateway::push_every`] | `PUT`/`POST` | from a background thread, now and at every interval, until dropped |
//! | [`Pushgateway::push_on_exit`] | `PUT`/`POST` | once, when the guard is dropped or [`finish`](PushOnExit::finish)ed |
//!
//! The body is the text format 0.0.4 ([`Format::Prometheus`]),
//! which every Pushgateway reads. The gateway adds the key's labels to every sample (a
//! sample's own `job` or grouping labels are overwritten by the key's) and adds
//! `push_time_seconds` and `push_failure_time_seconds` to the group. It refuses (status 400,
//! reported as [`PushError::Status`] with its explanation) a push whose metrics conflict
//! with what it holds from other groups: a name with another type, or the same series twice.
//!
//! Calls block the calling thread until the gateway answers or a timeout passes
//! ([`PushgatewayBuilder::connect_timeout`], [`PushgatewayBuilder::timeout`]); each request
//! uses a fresh HTTP/1.1 connection made with hyper's client. Called from inside an async
//! runtime they still work (the request runs on a helper thread), but they block that
//! runtime's thread meanwhile: from async code call them inside `spawn_blocking`. Only
//! `http://` gateways are supported (no TLS is built in).
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use oxios_metrics::push::{GroupingKey, Pushgateway};
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
//! static METRICS: BackupMetrics = BackupMetrics::new();
//!
//! let registry = Registry::new();
//! registry.register(&METRICS)?;
//! let gateway = Pushgateway::new("http://127.0.0.1:9091")?;
//! let key = GroupingKey::new("backup").label("instance", "db-1");
//! METRICS.files.add(120);
//! gateway.push(&key, &registry)?; // PUT /metrics/job/backup/instance/db-1
//! # Ok(())
//! # }
//! ```
//!
//! A gateway that cannot be reached is an error, within the timeouts:
//!
//! ```
//! use std::time::Duration;
//! use oxios_metrics::push::{GroupingKey, PushError, Pushgateway};
//! use oxios_metrics::Registry;
//!
//! // Nothing listens on port 1 of the loopback interface.
//! let gateway = Pushgateway::builder("http://127.0.0.1:1")
//!     .timeout(Duration::from_secs(2))
//!     .build()
//!     .unwrap();
//! let error = gateway.push(&GroupingKey::new("job"), &Registry::new()).unwrap_err();
//! assert!(matches!(error, PushError::Connect { .. }), "{error}");
//! ```

mod background;
mod error;
mod grouping;
mod transport;

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;

pub use self::background::{PeriodicPush, PushOnExit, PushStats};
pub use self::error::PushError;
pub use self::grouping::GroupingKey;
use crate::{Format, Registry};

/// How long establishing the TCP connection may take unless configured otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a whole request (connect, send, answer) may take unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How a push treats the metrics a group already holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PushMethod {
    /// `PUT`: the group holds exactly the pushed metrics afterwards
    /// ([`Pushgateway::push`]).
    #[default]
    Replace,
    /// `POST`: metric families of the group that the push does not name are kept
    /// ([`Pushgateway::push_add`]).
    Add,
}

impl PushMethod {
    fn http(self) -> http::Method {
        match self {
            PushMethod::Replace => http::Method::PUT,
            PushMethod::Add => http::Method::POST,
        }
    }
}

/// A client for one Pushgateway. Cheap to clone; holds no connection between requests.
///
/// ```
/// use oxios_metrics::push::Pushgateway;
///
/// let gateway = Pushgateway::new("http://pushgateway.example:9091").unwrap();
/// assert_eq!(gateway.url(), "http://pushgateway.example:9091");
/// // A gateway served under a route prefix, with `host:port` only: `http://` is assumed.
/// let prefixed = Pushgateway::new("pushgateway.example:9091/pgw/").unwrap();
/// assert_eq!(prefixed.url(), "http://pushgateway.example:9091/pgw");
/// assert!(Pushgateway::new("https://pushgateway.example").is_err());
/// ```
#[derive(Clone)]
pub struct Pushgateway {
    host: String,
    port: u16,
    /// `host[:port]` as given, for the `Host` header.
    authority: String,
    /// The route prefix, without a trailing `/` (empty at the root).
    prefix: String,
    headers: Vec<Header>,
    connect_timeout: Duration,
    timeout: Duration,
}

impl fmt::Debug for Pushgateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values stay out: they are often credentials.
        f.debug_struct("Pushgateway")
            .field("url", &self.url())
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A request header, checked.
type Header = (http::HeaderName, http::HeaderValue);

/// Options for a [`Pushgateway`] client; made by [`Pushgateway::builder`]. Problems with
/// the options are reported by [`build`](Self::build).
#[derive(Debug)]
pub struct PushgatewayBuilder {
    url: String,
    /// Each header as given, with its parsed form or why it does not parse.
    headers: Vec<(String, Result<Header, String>)>,
    connect_timeout: Duration,
    timeout: Duration,
}

impl PushgatewayBuilder {
    /// How long establishing the TCP connection (with the name lookup) may take; default
    /// [`DEFAULT_CONNECT_TIMEOUT`]. The request timeout bounds it too.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a whole request may take, from connecting to the end of the answer; default
    /// [`DEFAULT_TIMEOUT`]. A gateway that accepts the connection and never answers gives
    /// [`PushError::Timeout`] after this time.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends this header with every request (for example a bearer token for a gateway
    /// behind an authenticating proxy). An invalid name or value makes
    /// [`build`](Self::build) fail.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let parsed = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|error| error.to_string())
            .and_then(|header| {
                let mut value = http::HeaderValue::from_str(value)
                    .map_err(|_| "the value has a control character or is not text")?;
                value.set_sensitive(true);
                Ok((header, value))
            });
        self.headers.push((name.to_owned(), parsed));
        self
    }

    /// Sends HTTP basic authentication (`Authorization: Basic …`) with every request, as a
    /// gateway started with a `--web.config.file` that lists users asks for.
    pub fn basic_auth(self, user: &str, password: &str) -> Self {
        let credentials = format!("{user}:{password}");
        let mut encoded = String::from("Basic ");
        base64_standard(credentials.as_bytes(), &mut encoded);
        self.header("authorization", &encoded)
    }

    /// The client, or the first problem with the URL or a header.
    ///
    /// The URL is the gateway's base: `http://host:port`, optionally followed by the route
    /// prefix the gateway is served under; `http://` is assumed when no scheme is given.
    /// Refused: another scheme, a missing host, a query, and a path that already holds
    /// `/metrics/job/` (the grouping key's path is added per request).
    pub fn build(self) -> Result<Pushgateway, PushError> {
        let invalid = |reason| PushError::InvalidUrl {
            url: self.url.clone(),
            reason,
        };
        let with_scheme = if self.url.contains("://") {
            self.url.clone()
        } else {
            format!("http://{}", self.url)
        };
        let uri: http::Uri = with_scheme
            .parse()
            .map_err(|_| invalid("it is not a URL"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => {
                return Err(invalid(
                    "https is not supported (the client has no TLS); use http or a local TLS proxy",
                ))
            }
            _ => return Err(invalid("the scheme must be http")),
        }
        let authority = uri.authority().ok_or_else(|| invalid("it has no host"))?;
        if authority.as_str().contains('@') {
            return Err(invalid(
                "credentials in the URL are not sent; use PushgatewayBuilder::basic_auth",
            ));
        }
        let host = authority.host();
        if host.is_empty() {
            return Err(invalid("it has no host"));
        }
        if uri.query().is_some() {
            return Err(invalid("it has a query; give the gateway's base URL"));
        }
        let prefix = uri.path().trim_end_matches('/');
        if prefix.contains("/metrics/job") {
            return Err(invalid(
                "give the gateway's base URL; the /metrics/job/… path comes from the grouping key",
            ));
        }
        let mut headers = Vec::with_capacity(self.headers.len());
        for (name, parsed) in self.headers {
            headers.push(parsed.map_err(|reason| PushError::InvalidHeader { name, reason })?);
        }
        Ok(Pushgateway {
            // An IPv6 literal is written in brackets in URLs but connected to without them.
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port: authority.port_u16().unwrap_or(80),
            authority: authority.as_str().to_owned(),
            prefix: prefix.to_owned(),
            headers,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
        })
    }
}

impl Pushgateway {
    /// A client for the gateway at `url` with the default options; see
    /// [`PushgatewayBuilder::build`] for what `url` may be.
    pub fn new(url: &str) -> Result<Pushgateway, PushError> {
        Self::builder(url).build()
    }

    /// Options for a client of the gateway at `url`.
    pub fn builder(url: &str) -> PushgatewayBuilder {
        PushgatewayBuilder {
            url: url.to_owned(),
            headers: Vec::new(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The gateway's base URL, normalized: `http://host:port[/prefix]`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.authority, self.prefix)
    }

    /// The full URL a request for `key` goes to, or why the key is invalid.
    ///
    /// ```
    /// use oxios_metrics::push::{GroupingKey, Pushgateway};
    /// let gateway = Pushgateway::new("http://127.0.0.1:9091").unwrap();
    /// let key = GroupingKey::new("nightly").label("path", "/srv");
    /// assert_eq!(
    ///     gateway.url_for(&key).unwrap(),
    ///     "http://127.0.0.1:9091/metrics/job/nightly/path@base64/L3Nydg"
    /// );
    /// ```
    pub fn url_for(&self, key: &GroupingKey) -> Result<String, PushError> {
        Ok(format!("{}{}", self.url(), key.path()?))
    }

    /// `PUT`: replaces the group `key` with the metrics of `registry`.
    ///
    /// Errors: an invalid key (nothing is sent), no connection, a timeout, or a status
    /// other than 2xx with the gateway's explanation ([`PushError::Status`]).
    pub fn push(&self, key: &GroupingKey, registry: &Registry) -> Result<(), PushError> {
        self.send(PushMethod::Replace, key, registry)
    }

    /// `POST`: replaces, in the group `key`, the metric families that `registry` has;
    /// families of the group that `registry` does not have are kept. Errors as for
    /// [`push`](Self::push).
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use oxios_metrics::push::{GroupingKey, Pushgateway};
    /// use oxios_metrics::Registry;
    /// # let (extract, load) = (Registry::new(), Registry::new());
    ///
    /// let gateway = Pushgateway::new("http://127.0.0.1:9091")?;
    /// let key = GroupingKey::new("etl");
    /// gateway.push(&key, &extract)?; // the group holds extract's families
    /// gateway.push_add(&key, &load)?; // ... and load's; extract's are still there
    /// # Ok(())
    /// # }
    /// ```
    pub fn push_add(&self, key: &GroupingKey, registry: &Registry) -> Result<(), PushError> {
        self.send(PushMethod::Add, key, registry)
    }

    /// `DELETE`: removes the group `key` and its metrics from the gateway. Deleting a group
    /// that does not exist succeeds. The gateway answers before it applies the deletion
    /// (status 202), so a read right after may still show the group for a moment. Errors as
    /// for [`push`](Self::push).
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use oxios_metrics::push::{GroupingKey, Pushgateway};
    ///
    /// let gateway = Pushgateway::new("http://127.0.0.1:9091")?;
    /// // A decommissioned host's group would otherwise be scraped forever.
    /// gateway.delete(&GroupingKey::new("backup").label("instance", "db-old"))?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn delete(&self, key: &GroupingKey) -> Result<(), PushError> {
        let path = key.path()?;
        self.request(http::Method::DELETE, &path, Bytes::new())
    }

    /// Pushes with `method` ([`push`](Self::push) or [`push_add`](Self::push_add)).
    pub fn send(
        &self,
        method: PushMethod,
        key: &GroupingKey,
        registry: &Registry,
    ) -> Result<(), PushError> {
        let path = key.path()?;
        let mut body = Vec::new();
        registry.encode_to_vec(&mut body, Format::Prometheus);
        self.request(method.http(), &path, Bytes::from(body))
    }

    /// Pushes `registry` to `key` now and then every `interval` from a background thread,
    /// until the returned handle is dropped or stopped; see [`PeriodicPush`].
    ///
    /// Errors, before the thread starts: an invalid key, a zero interval, or a thread that
    /// cannot be spawned. Failed pushes later on are counted in [`PeriodicPush::stats`].
    pub fn push_every(
        &self,
        key: &GroupingKey,
        registry: &'static Registry,
        interval: Duration,
        method: PushMethod,
    ) -> Result<PeriodicPush, PushError> {
        PeriodicPush::start(self.clone(), key, registry, interval, method)
    }

    /// A guard that pushes `registry` to `key` once, when it is dropped (also while a panic
    /// unwinds) or when [`PushOnExit::finish`] is called; see [`PushOnExit`].
    ///
    /// Errors: an invalid key, found now rather than at exit.
    pub fn push_on_exit<'r>(
        &self,
        key: &GroupingKey,
        registry: &'r Registry,
        method: PushMethod,
    ) -> Result<PushOnExit<'r>, PushError> {
        PushOnExit::new(self.clone(), key, registry, method)
    }

    fn request(&self, method: http::Method, path: &str, body: Bytes) -> Result<(), PushError> {
        let mut request = http::Request::builder()
            .method(method)
            .uri(format!("{}{}", self.prefix, path))
            .header(http::header::HOST, &self.authority)
            .header(
                http::header::USER_AGENT,
                concat!("oxios-metrics/", env!("CARGO_PKG_VERSION")),
            );
        if !body.is_empty() {
            request = request.header(
                http::header::CONTENT_TYPE,
                Format::Prometheus.content_type(),
            );
        }
        let mut request = request
            .body(Full::new(body))
            .map_err(|_| PushError::InvalidUrl {
                url: self.url(),
                reason: "the request URL cannot be formed from it",
            })?;
        for (name, value) in &self.headers {
            request.headers_mut().append(name.clone(), value.clone());
        }
        let endpoint = transport::Endpoint {
            host: &self.host,
            port: self.port,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
        };
        transport::send(&endpoint, request)
    }
}

/// Standard base64 with padding, as `Authorization: Basic` wants it.
fn base64_standard(input: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in input.chunks(3) {
        let bits = chunk.iter().enumerate().fold(0u32, |bits, (index, &byte)| {
            bits | u32::from(byte) << (16 - 8 * index)
        });
        for position in 0..4 {
            if position <= chunk.len() {
                out.push(char::from(
                    ALPHABET[(bits >> (18 - 6 * position) & 0x3f) as usize],
                ));
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_standard_base64_with_padding() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ] {
            let mut out = String::new();
            base64_standard(input.as_bytes(), &mut out);
            assert_eq!(out, output, "{input:?}");
        }
        let mut out = String::new();
        base64_standard(&[0xfb, 0xff], &mut out);
        assert_eq!(out, "+/8=");
    }

    #[test]
    fn urls_are_checked_when_built() {
        let refused = [
            "ftp://gateway:9091",
            "https://gateway:9091",
            "http://user:pass@gateway:9091",
            "http://gateway:9091/metrics/job/x",
            "http://gateway:9091/?a=b",
            "http://",
            "not a url",
        ];
        for url in refused {
            assert!(
                matches!(Pushgateway::new(url), Err(PushError::InvalidUrl { .. })),
                "{url}"
            );
        }
        let gateway = Pushgateway::new("http://[::1]:9091/").unwrap();
        assert_eq!((gateway.host.as_str(), gateway.port), ("::1", 9091));
        assert_eq!(gateway.url(), "http://[::1]:9091");
        assert_eq!(Pushgateway::new("gateway").unwrap().port, 80);
    }

    #[test]
    fn bad_headers_fail_the_build_with_their_name() {
        let error = Pushgateway::builder("http://gateway:9091")
            .header("x ok", "v")
            .build()
            .unwrap_err();
        assert!(
            matches!(&error, PushError::InvalidHeader { name, .. } if name == "x ok"),
            "{error}"
        );
        let error = Pushgateway::builder("http://gateway:9091")
            .header("x-token", "line\nbreak")
            .build()
            .unwrap_err();
        assert!(matches!(error, PushError::InvalidHeader { .. }));
        let gateway = Pushgateway::builder("http://gateway:9091")
            .basic_auth("user", "secret")
            .build()
            .unwrap();
        assert!(!format!("{gateway:?}").contains("dXNlcjpzZWNyZXQ"));
        assert_eq!(gateway.headers[0].1, "Basic dXNlcjpzZWNyZXQ=");
    }
}
