//! A real Pushgateway (Debian's `prometheus-pushgateway`) on a free loopback port, for the
//! push tests, with a minimal client to read what it holds.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const INSTALL_HINT: &str =
    "install Debian's `prometheus-pushgateway` package (apt-get install -y prometheus-pushgateway)";

/// A running Pushgateway, stopped (by its PID) when dropped. Its state is in memory only.
pub struct Gateway {
    child: Child,
    address: SocketAddr,
    log: PathBuf,
}

/// The gateway binary: `$PUSHGATEWAY_BIN`, else Debian's name, else upstream's.
fn binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PUSHGATEWAY_BIN") {
        return Some(PathBuf::from(path));
    }
    ["prometheus-pushgateway", "pushgateway"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok()
        })
        .map(PathBuf::from)
}

/// Starts a Pushgateway on `127.0.0.1` and waits until it is ready.
///
/// When none is installed, prints `SKIPPED: …` and returns `None` — unless the `CI`
/// environment variable is set, where a missing gateway fails the test: CI installs it.
pub fn start_pushgateway() -> Option<Gateway> {
    let Some(binary) = binary() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "prometheus-pushgateway is required under CI but is missing: {INSTALL_HINT}"
        );
        eprintln!(
            "SKIPPED: prometheus-pushgateway is not installed; {INSTALL_HINT} to run this test"
        );
        return None;
    };
    // The port is found free, then given to the gateway; another process can take it in
    // between, so a gateway that exits at start is retried on a fresh port.
    let mut last_log = String::new();
    for attempt in 0..3 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let log = std::env::temp_dir().join(format!(
            "oxios-pushgateway-{}-{port}-{attempt}.log",
            std::process::id()
        ));
        let log_file = std::fs::File::create(&log).expect("create the gateway's log file");
        let child = Command::new(&binary)
            .arg(format!("--web.listen-address={address}"))
            .arg("--persistence.file=")
            .arg("--log.level=warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", binary.display()));
        let mut gateway = Gateway {
            child,
            address,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = gateway.child.try_wait() {
                break;
            }
            if matches!(gateway.try_get("/-/ready"), Ok((200, _))) {
                return Some(gateway);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        last_log = gateway.log_text();
    }
    panic!("the Pushgateway did not become ready on loopback; its log said:\n{last_log}");
}

impl Gateway {
    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// What the gateway wrote to its log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `GET path`: the status and body; panics (failing the test) on a transport error.
    pub fn get(&self, path: &str) -> (u16, String) {
        self.try_get(path)
            .unwrap_or_else(|error| panic!("GET {path} from the Pushgateway failed: {error}"))
    }

    /// The gateway's own exposition (`/metrics`), which carries every pushed group.
    pub fn scrape(&self) -> String {
        let (status, body) = self.get("/metrics");
        assert_eq!(status, 200, "scrape of the Pushgateway: {body}");
        body
    }

    /// The pushed groups as the gateway's JSON API lists them (`/api/v1/metrics`).
    pub fn api_metrics(&self) -> String {
        let (status, body) = self.get("/api/v1/metrics");
        assert_eq!(status, 200, "GET /api/v1/metrics: {body}");
        body
    }

    /// One request per connection, as HTTP/1.0 so the answer is never chunked and ends
    /// with the connection; every read and write is bounded by a timeout.
    fn try_get(&self, path: &str) -> std::io::Result<(u16, String)> {
        let timeout = Duration::from_secs(5);
        let mut stream = TcpStream::connect_timeout(&self.address, timeout)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response)?;
        let response = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = response
            .split_once("\r\n\r\n")
            .ok_or_else(|| std::io::Error::other(format!("no header end in {response:?}")))?;
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("no status in {head:?}")))?;
        Ok((status, body.to_owned()))
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Polls `condition` every 20 ms until it holds or `limit` has passed; whether it held.
/// The gateway queues a `DELETE` and answers before applying it, so a test waits for the
/// effect rather than reading once.
pub fn eventually(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One sample line of a text 0.0.4 exposition.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The sample name (`foo_total`, `foo_bucket`, …).
    pub name: String,
    /// The labels, sorted by name, values unescaped.
    pub labels: BTreeMap<String, String>,
    /// The value.
    pub value: f64,
}

/// The samples of a text 0.0.4 exposition (comment lines skipped). Panics, failing the test,
/// on a line it cannot read.
pub fn parse_samples(exposition: &str) -> Vec<Sample> {
    exposition
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| parse_line(line).unwrap_or_else(|| panic!("unreadable sample line {line:?}")))
        .collect()
}

fn parse_line(line: &str) -> Option<Sample> {
    let name_end = line.find(['{', ' '])?;
    let name = line[..name_end].to_owned();
    let mut labels = BTreeMap::new();
    let mut rest = &line[name_end..];
    if let Some(mut inner) = rest.strip_prefix('{') {
        loop {
            if let Some(after) = inner.strip_prefix('}') {
                rest = after;
                break;
            }
            let (label, after) = inner.split_once("=\"")?;
            let mut value = String::new();
            let mut chars = after.char_indices();
            let end = loop {
                match chars.next()? {
                    (index, '"') => break index,
                    (_, '\\') => match chars.next()?.1 {
                        'n' => value.push('\n'),
                        other => value.push(other),
                    },
                    (_, other) => value.push(other),
                }
            };
            labels.insert(label.trim_start_matches(',').to_owned(), value);
            inner = &after[end + 1..];
        }
    }
    let mut fields = rest.split_whitespace();
    let value = match fields.next()? {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        other => other.parse().ok()?,
    };
    Some(Sample {
        name,
        labels,
        value,
    })
}

/// The value of the sample `name` whose label set is exactly `labels`, or `None`.
pub fn sample_value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let wanted: BTreeMap<String, String> = labels
        .iter()
        .map(|(label, value)| ((*label).to_owned(), (*value).to_owned()))
        .collect();
    samples
        .iter()
        .find(|sample| sample.name == name && sample.labels == wanted)
        .map(|sample| sample.value)
}
