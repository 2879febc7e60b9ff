//! The Pushgateway client's requests byte for byte and its failures, against local stand-ins
//! for a gateway: nothing listening, a server that never answers, one that answers
//! something that is not HTTP, and one that records what it was sent. Every call runs on a
//! thread the test waits for with a bound, so a hang fails instead of stalling.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use oxios_metrics::push::{GroupingKey, PushError, Pushgateway};
use oxios_metrics::{Counter, Format, Metrics, Registry};
use oxios_metrics_tests::{leak, ClosedPort};

#[derive(Metrics)]
#[metrics(prefix = "wire")]
struct Wire {
    /// Things sent.
    sent: Counter,
}

fn registry() -> &'static Registry {
    let wire: &'static Wire = leak(Wire::new());
    wire.sent.add(5);
    let registry: &'static Registry = leak(Registry::new());
    registry.register(wire).unwrap();
    registry
}

/// Runs `call` on a thread and returns its result and how long it took; fails the test if
/// it has not returned within `bound`.
fn bounded<T: Send + 'static>(
    bound: Duration,
    call: impl FnOnce() -> T + Send + 'static,
) -> (T, Duration) {
    let (done, result) = mpsc::channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let value = call();
        let _ = done.send((value, started.elapsed()));
    });
    result
        .recv_timeout(bound)
        .unwrap_or_else(|_| panic!("the call did not return within {bound:?}"))
}

#[test]
fn a_gateway_that_is_down_is_an_err_at_once() {
    let closed = ClosedPort::new();
    let url = format!("http://127.0.0.1:{}", closed.port());
    let (result, took) = bounded(Duration::from_secs(20), move || {
        let client = Pushgateway::builder(&url)
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        client.push(&GroupingKey::new("down"), registry())
    });
    let error = result.expect_err("nothing listens");
    assert!(
        matches!(&error, PushError::Connect { address, .. } if address.starts_with("127.0.0.1:")),
        "{error:?}"
    );
    assert!(error.to_string().contains("cannot connect"), "{error}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn a_gateway_that_never_answers_is_a_timeout_not_a_hang() {
    // Accepts connections (the kernel completes the handshake) and reads, but never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let silent = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut sink = [0u8; 4096];
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
    });
    let timeout = Duration::from_millis(500);
    let (result, took) = bounded(Duration::from_secs(20), move || {
        let client = Pushgateway::builder(&url).timeout(timeout).build().unwrap();
        client.push(&GroupingKey::new("silent"), registry())
    });
    let error = result.expect_err("no answer comes");
    assert!(
        matches!(error, PushError::Timeout { timeout: t } if t == timeout),
        "{error:?}"
    );
    assert!(error.is_timeout());
    assert!(took >= timeout, "gave up early: {took:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    silent.join().unwrap();
}

#[test]
fn a_connection_that_cannot_be_made_in_time_is_a_connect_timeout() {
    // A listener that never accepts: once its accept queue is full, the kernel drops further
    // connection attempts, so a new connect waits until the client gives up.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let mut held = Vec::new();
    let full = loop {
        match TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
            Ok(stream) => held.push(stream),
            Err(_) => break true,
        }
        if held.len() > 4096 {
            break false;
        }
    };
    if !full {
        eprintln!(
            "SKIPPED: this system's accept queue did not fill; no connect timeout to provoke"
        );
        return;
    }
    let connect_timeout = Duration::from_millis(300);
    let (result, took) = bounded(Duration::from_secs(20), move || {
        let client = Pushgateway::builder(&format!("http://{address}"))
            .connect_timeout(connect_timeout)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        client.push(&GroupingKey::new("queued"), registry())
    });
    let error = result.expect_err("the connection cannot be made");
    assert!(
        matches!(error, PushError::ConnectTimeout { timeout, .. } if timeout == connect_timeout),
        "{error:?}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");
    drop(held);
    drop(listener);
}

#[test]
fn invalid_grouping_keys_are_refused_before_anything_is_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let client = Pushgateway::new(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    let keys = [
        GroupingKey::new(""),
        GroupingKey::new("j").label("instance-id", "1"),
        GroupingKey::new("j").label("9lives", "1"),
        GroupingKey::new("j").label("__meta", "1"),
        GroupingKey::new("j").label("job", "other"),
        GroupingKey::new("j").label("a", "1").label("a", "2"),
    ];
    for key in &keys {
        let push = client.push(key, registry());
        assert!(
            matches!(push, Err(PushError::InvalidGroupingKey { .. })),
            "{key:?}: {push:?}"
        );
        let add = client.push_add(key, registry());
        assert!(matches!(add, Err(PushError::InvalidGroupingKey { .. })));
        let delete = client.delete(key);
        assert!(matches!(delete, Err(PushError::InvalidGroupingKey { .. })));
    }
    let error = client
        .push(&GroupingKey::new("j").label("instance-id", "1"), registry())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid grouping key label \"instance-id\": only ASCII letters, digits and `_` are allowed"
    );
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a connection was made for an invalid key"
    );
}

/// One HTTP request as received: the head (request line and headers) and the body.
struct Received {
    head: String,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// Serves `answers.len()` connections, one request each: records the request and replies
/// with the next raw answer. Returns the address and a receiver of the requests.
fn recording_server(answers: Vec<Vec<u8>>) -> (std::net::SocketAddr, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut data = Vec::new();
            let mut chunk = [0u8; 4096];
            let head_end = loop {
                if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                    break end + 4;
                }
                match stream.read(&mut chunk) {
                    Ok(n) if n > 0 => data.extend_from_slice(&chunk[..n]),
                    _ => return,
                }
            };
            let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|line| {
                    let (key, value) = line.split_once(':')?;
                    key.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            while data.len() < head_end + length {
                match stream.read(&mut chunk) {
                    Ok(n) if n > 0 => data.extend_from_slice(&chunk[..n]),
                    _ => return,
                }
            }
            let body = data[head_end..head_end + length].to_vec();
            let _ = stream.write_all(&answer);
            let _ = stream.flush();
            let _ = sender.send(Received { head, body });
        }
    });
    (address, receiver)
}

const OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
const ACCEPTED: &[u8] = b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

#[test]
fn requests_carry_the_method_path_headers_and_exposition_the_api_asks_for() {
    let (address, received) = recording_server(vec![OK.to_vec(), OK.to_vec(), ACCEPTED.to_vec()]);
    let registry = registry();
    let key = GroupingKey::new("wire").label("path", "/srv/data");
    let (results, _) = bounded(Duration::from_secs(20), move || {
        let client = Pushgateway::builder(&format!("http://{address}/gateway/"))
            .basic_auth("ci", "s3cret")
            .header("x-tenant", "team-a")
            .build()
            .unwrap();
        [
            client.push(&key, registry),
            client.push_add(&key, registry),
            client.delete(&key),
        ]
    });
    for result in results {
        result.expect("the stand-in answers 2xx");
    }
    let path = "/gateway/metrics/job/wire/path@base64/L3Nydi9kYXRh";
    let exposition = registry.render(Format::Prometheus);
    for method in ["PUT", "POST"] {
        let request = received.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(
            request
                .head
                .starts_with(&format!("{method} {path} HTTP/1.1\r\n")),
            "{}",
            request.head
        );
        assert_eq!(request.header("host"), Some(address.to_string().as_str()));
        assert_eq!(
            request.header("content-type"),
            Some("text/plain; version=0.0.4; charset=utf-8")
        );
        assert_eq!(request.header("authorization"), Some("Basic Y2k6czNjcmV0"));
        assert_eq!(request.header("x-tenant"), Some("team-a"));
        assert_eq!(
            request.header("content-length"),
            Some(exposition.len().to_string().as_str())
        );
        assert_eq!(String::from_utf8(request.body).unwrap(), exposition);
    }
    let delete = received.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(
        delete
            .head
            .starts_with(&format!("DELETE {path} HTTP/1.1\r\n")),
        "{}",
        delete.head
    );
    assert!(delete.body.is_empty());
    assert_eq!(delete.header("content-type"), None);
}

#[test]
fn an_error_status_is_returned_with_its_body_cut_at_64_kib() {
    let long_body = "x".repeat(200_000);
    let answers = vec![
        b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 13\r\nConnection: close\r\n\r\nUnauthorized\n"
            .to_vec(),
        format!(
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{long_body}",
            long_body.len()
        )
        .into_bytes(),
    ];
    let (address, _received) = recording_server(answers);
    let ((unauthorized, server_error), _) = bounded(Duration::from_secs(20), move || {
        let client = Pushgateway::new(&format!("http://{address}")).unwrap();
        (
            client.push(&GroupingKey::new("auth"), registry()),
            client.push(&GroupingKey::new("big"), registry()),
        )
    });
    let unauthorized = unauthorized.unwrap_err();
    assert_eq!(unauthorized.status(), Some(401));
    assert_eq!(unauthorized.body(), Some("Unauthorized"));
    assert_eq!(
        unauthorized.to_string(),
        "the Pushgateway answered 401: Unauthorized"
    );
    let server_error = server_error.unwrap_err();
    assert_eq!(server_error.status(), Some(500));
    assert_eq!(server_error.body().map(str::len), Some(64 * 1024));
}

#[test]
fn an_answer_that_is_not_http_is_a_transport_error() {
    let (address, _received) = recording_server(vec![b"SSH-2.0-OpenSSH_9.2\r\n".to_vec()]);
    let (result, _) = bounded(Duration::from_secs(20), move || {
        Pushgateway::new(&format!("http://{address}"))
            .unwrap()
            .push(&GroupingKey::new("ssh"), registry())
    });
    let error = result.unwrap_err();
    assert!(matches!(error, PushError::Transport { .. }), "{error:?}");
    assert!(std::error::Error::source(&error).is_some());
}
