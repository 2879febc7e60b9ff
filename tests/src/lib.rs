//! Shared helpers of the integration tests: hand-written label sets (the same shape the
//! derives generate), exposition checkers, and a real Pushgateway ([`pushgateway`]).

pub mod counting_alloc;
pub mod pushgateway;

use oxios_metrics::__private::{DenseSeries, DynamicSeries};
use oxios_metrics::{FamilyMember, FixedLabelSet, LabelSet, LabelValue, LabelWriter, WriteLabels};

/// A fixed label value written by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `get`
    Get,
    /// `post`
    Post,
}

impl LabelValue for Method {
    const CARDINALITY: usize = 2;
    const VALUES: &'static [&'static str] = &["get", "post"];
    fn ordinal(self) -> usize {
        self as usize
    }
}

impl WriteLabels for Method {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label_escaped("method", Self::VALUES[LabelValue::ordinal(*self)]);
    }
}

impl LabelSet for Method {
    const LABEL_NAMES: &'static [&'static str] = &["method"];
    type Storage<M: FamilyMember> = DenseSeries<M, { <Method as LabelValue>::CARDINALITY }>;
}

impl FixedLabelSet for Method {
    const CARDINALITY: usize = 2;
    fn ordinal(&self) -> usize {
        LabelValue::ordinal(*self)
    }
    fn write_labels_at(ordinal: usize, writer: &mut LabelWriter<'_>) {
        writer.label_escaped("method", Self::VALUES[ordinal]);
    }
}

/// A dynamic label set written by hand.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Path {
    /// The request path.
    pub path: String,
}

impl WriteLabels for Path {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("path", &self.path);
    }
}

impl LabelSet for Path {
    const LABEL_NAMES: &'static [&'static str] = &["path"];
    type Storage<M: FamilyMember> = DynamicSeries<Path, M>;
}

/// What an external checker said about an exposition.
#[derive(Debug)]
pub enum Checked {
    /// The checker ran; its combined stdout and stderr (empty means no problems).
    Ran(String),
    /// The checker is not installed here (and `CI` is not set): the caller skips.
    Missing,
}

/// Runs `promtool check metrics` on `text`.
///
/// When promtool is missing, a notice is printed and `Checked::Missing` returned — unless the
/// `CI` environment variable is set, where a missing promtool fails the test: CI installs it.
pub fn promtool_check(text: &str) -> Checked {
    run_checker(
        "promtool",
        &["check", "metrics"],
        text,
        "install Debian's `prometheus` package (apt-get install -y prometheus)",
    )
}

/// Parses `text` with the Python `prometheus_client` OpenMetrics parser (an implementation
/// independent of this crate) and returns what it printed: one line per sample,
/// `name{labels} value`, or the parser's error.
pub fn openmetrics_parse(text: &str) -> Checked {
    python_parse(text, "prometheus_client.openmetrics.parser", false)
}

/// Like [`openmetrics_parse`], with each sample's exemplar after it when it has one:
/// `name{labels} value # {exemplar labels} exemplar_value timestamp`.
pub fn openmetrics_parse_exemplars(text: &str) -> Checked {
    python_parse(text, "prometheus_client.openmetrics.parser", true)
}

/// Parses `text` with the Python `prometheus_client` parser of the Prometheus text format
/// (0.0.4, and 1.0.0's quoted names), and returns one line per sample as
/// [`openmetrics_parse`] does.
pub fn prometheus_text_parse(text: &str) -> Checked {
    python_parse(text, "prometheus_client.parser", false)
}

/// Runs one of `prometheus_client`'s parsers (`module` holds `text_string_to_metric_families`)
/// over `text`, printing a line per sample (and its exemplar when `exemplars`).
fn python_parse(text: &str, module: &str, exemplars: bool) -> Checked {
    let exemplar_lines = if exemplars {
        r#"
        if s.exemplar is not None:
            e = s.exemplar
            elabels = ",".join(f"{k}={v!r}" for k, v in sorted(e.labels.items()))
            line += f" # {{{elabels}}} {e.value!r} {e.timestamp}""#
    } else {
        ""
    };
    let script = format!(
        r#"
import sys
from {module} import text_string_to_metric_families
text = sys.stdin.read()
for family in text_string_to_metric_families(text):
    for s in family.samples:
        labels = ",".join(f"{{k}}={{v!r}}" for k, v in sorted(s.labels.items()))
        line = f"{{family.type}} {{s.name}}{{{{{{labels}}}}}} {{s.value!r}}"{exemplar_lines}
        print(line)
"#
    );
    run_checker(
        "python3",
        &["-c", &script],
        text,
        "install the Python package `prometheus_client` (pip install prometheus_client)",
    )
}

/// Whether the OpenMetrics parser is available (python3 with `prometheus_client`).
fn python_parser_available() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import prometheus_client.openmetrics.parser"])
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false)
}

fn run_checker(program: &str, args: &[&str], text: &str, install_hint: &str) -> Checked {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let available = match program {
        "python3" => python_parser_available(),
        _ => Command::new(program).arg("--version").output().is_ok(),
    };
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is required under CI but is missing: {install_hint}"
        );
        eprintln!("SKIPPED: {program} is not installed; {install_hint} to run this check");
        return Checked::Missing;
    }
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {program}: {error}"));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = text.as_bytes().to_vec();
    // Write from another thread so a checker that answers before reading everything cannot
    // deadlock the test on a full pipe.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("checker runs");
    writer.join().expect("writer thread");
    let mut said = String::from_utf8_lossy(&output.stdout).into_owned();
    said.push_str(&String::from_utf8_lossy(&output.stderr));
    if !output.status.success() && said.is_empty() {
        said = format!("{program} exited with {}", output.status);
    }
    Checked::Ran(said)
}

/// A dynamic label set with one label `l`, for escaping tests.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct L(pub String);

impl WriteLabels for L {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        writer.label("l", &self.0);
    }
}

impl LabelSet for L {
    const LABEL_NAMES: &'static [&'static str] = &["l"];
    type Storage<M: FamilyMember> = DynamicSeries<L, M>;
}

/// A group of hand-picked metrics, as a collector or a hand-written group would be.
pub struct HandGroup {
    metrics: Vec<(
        oxios_metrics::MetricDesc,
        &'static dyn oxios_metrics::EncodeMetric,
    )>,
}

impl HandGroup {
    /// A group writing `metrics` in order.
    pub fn new(
        metrics: Vec<(
            oxios_metrics::MetricDesc,
            &'static dyn oxios_metrics::EncodeMetric,
        )>,
    ) -> Self {
        HandGroup { metrics }
    }
}

impl oxios_metrics::MetricGroup for HandGroup {
    fn visit(&self, visitor: &mut dyn oxios_metrics::MetricVisitor) {
        for (desc, metric) in &self.metrics {
            visitor.metric(desc, *metric);
        }
    }
}

/// A description at a fake site (line `line` of `file`).
pub fn desc(
    name: &'static str,
    help: &'static str,
    metric_type: oxios_metrics::MetricType,
    file: &'static str,
    line: u32,
) -> oxios_metrics::MetricDesc {
    oxios_metrics::MetricDesc::new(
        name,
        help,
        metric_type,
        oxios_metrics::DefinitionSite::new(file, line, 5),
    )
}

/// A registry holding one hand group of `metrics`.
pub fn registry_with(
    metrics: Vec<(
        oxios_metrics::MetricDesc,
        &'static dyn oxios_metrics::EncodeMetric,
    )>,
) -> oxios_metrics::Registry {
    let registry = oxios_metrics::Registry::new();
    registry
        .register_owned(Box::new(HandGroup::new(metrics)))
        .expect("the test group registers");
    registry
}

/// Checks the structural rules every exposition must keep: a final newline, no blank line,
/// no trailing space, exactly one HELP and one TYPE per family, and for OpenMetrics a single
/// `# EOF` at the end.
pub fn assert_well_formed(text: &str, format: oxios_metrics::Format) {
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "final newline missing:\n{text}"
    );
    let mut helps = std::collections::HashSet::new();
    let mut types = std::collections::HashSet::new();
    for line in text.lines() {
        assert!(!line.is_empty(), "blank line in:\n{text}");
        assert!(!line.ends_with(' '), "trailing space in {line:?}");
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap_or("");
            assert!(helps.insert(name.to_owned()), "second HELP for {name}");
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let name = rest.split(' ').next().unwrap_or("");
            assert!(types.insert(name.to_owned()), "second TYPE for {name}");
        }
    }
    if format == oxios_metrics::Format::OpenMetrics {
        assert!(text.ends_with("# EOF\n"), "no # EOF at the end");
        assert_eq!(text.matches("# EOF").count(), 1, "one # EOF");
    }
}

/// Gives a metric the `'static` lifetime a registered group needs (tests only; bounded leaks).
pub fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// A loopback port that refuses connections for as long as this value lives.
///
/// A port found free and then released can be taken again at once, by another test's
/// listener or as the local port of an outgoing connection (which, for a connection to that
/// very port, connects the socket to itself). This socket stays bound without listening, so
/// a connection to it is refused and the kernel gives the port to nobody else meanwhile.
pub struct ClosedPort {
    socket: socket2::Socket,
}

impl ClosedPort {
    /// Binds a fresh port on `127.0.0.1` and keeps it closed.
    pub fn new() -> ClosedPort {
        use socket2::{Domain, Socket, Type};
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a TCP socket");
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        socket.bind(&address.into()).expect("bind a loopback port");
        ClosedPort { socket }
    }

    /// The port's number.
    pub fn port(&self) -> u16 {
        self.socket
            .local_addr()
            .ok()
            .and_then(|address| address.as_socket())
            .expect("a bound IPv4 socket has an address")
            .port()
    }
}

impl Default for ClosedPort {
    fn default() -> Self {
        ClosedPort::new()
    }
}

/// This process's resident memory in KiB, from `/proc/self/statm` (0 where it cannot be read).
pub fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4)
}

/// The descriptions a group shows, nested groups' included, in visit order.
pub fn descriptions(group: &dyn oxios_metrics::MetricGroup) -> Vec<oxios_metrics::MetricDesc> {
    use oxios_metrics::{EncodeMetric, MetricDesc, MetricGroup, MetricVisitor, Scope};

    struct Descriptions(Vec<MetricDesc>);

    impl MetricVisitor for Descriptions {
        fn metric(&mut self, desc: &MetricDesc, _metric: &dyn EncodeMetric) {
            self.0.push(desc.clone());
        }

        fn nested(&mut self, _scope: Scope, group: &dyn MetricGroup) {
            group.visit(self);
        }
    }

    let mut descriptions = Descriptions(Vec::new());
    group.visit(&mut descriptions);
    descriptions.0
}
