//! DESIGN §10's ratios measured in interleaved rounds, for a machine shared with other work.
//!
//! Criterion measures one implementation after another, so load that comes and goes during a
//! run lands on some rows and not others. Here each case runs all its implementations in
//! every round (a slice of a few milliseconds each, in an order that rotates per round) and
//! takes, per round, each implementation's time over oxios-metrics'; the report gives the
//! median of those per-round ratios over 31 rounds and their spread. Slow drifts of the load
//! cancel out of a ratio taken within one round, and the median discards the rounds that a
//! burst of load hit on one side only.
//!
//! Writes `<target>/criterion/ratios.json` for `scripts/bench_report.py` and prints the same.
//! `ROUNDS=5 cargo bench -p oxios-metrics-benches --bench ratios` for a quick look.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use oxios_metrics::{Buckets, Counter, Family, Histogram, StripedCounter};
use oxios_metrics_benches::baselines::RawHistogram;
use oxios_metrics_benches::exposition::exposition;
use oxios_metrics_benches::exposition::TextFormat;
use oxios_metrics_benches::oxios_labels::{Outcome, Session, Tool, ToolCall};
use oxios_metrics_benches::peers::{fastmetrics_labels, measured_labels, prometheus_client_labels};
use oxios_metrics_benches::workload::{
    cycling_order, observations, split_combination, user_names, BUCKETS, CYCLE, DYNAMIC_VALUES,
    FIXED_COMBINATIONS,
};

/// One implementation of a case: `run(n)` does the operation `n` times.
struct Subject {
    name: &'static str,
    run: Box<dyn FnMut(u64)>,
    /// The fewest operations per slice, so fixed costs (starting threads) stay negligible.
    min_ops: u64,
}

fn subject(name: &'static str, run: impl FnMut(u64) + 'static) -> Subject {
    Subject {
        name,
        run: Box::new(run),
        min_ops: 1,
    }
}

/// A subject that starts two threads per slice.
fn threaded(name: &'static str, op: &'static (dyn Fn() + Sync)) -> Subject {
    Subject {
        min_ops: 1 << 16,
        ..subject(name, on_two_threads(op))
    }
}

/// Runs `op` on entry `i % CYCLE` of `items`, `n` times.
fn cycling<T: 'static>(items: Vec<T>, mut op: impl FnMut(&T) + 'static) -> impl FnMut(u64) {
    assert_eq!(items.len(), CYCLE);
    let mut next = 0usize;
    move |n| {
        for _ in 0..n {
            op(black_box(&items[next & (CYCLE - 1)]));
            next = next.wrapping_add(1);
        }
    }
}

/// Runs `op` `n` times on each of two threads at once (the pair's wall time is the slice's).
fn on_two_threads(op: &'static (dyn Fn() + Sync)) -> impl FnMut(u64) {
    move |n| {
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    for _ in 0..n {
                        op();
                    }
                });
            }
        });
    }
}

#[repr(align(128))]
struct Isolated<T>(T);

static RAW: Isolated<AtomicU64> = Isolated(AtomicU64::new(0));
static RAW_SHARED: Isolated<AtomicU64> = Isolated(AtomicU64::new(0));
static COUNTER: Isolated<Counter> = Isolated(Counter::new());
static STRIPED: StripedCounter = StripedCounter::new();
static TOOL_CALLS: Family<ToolCall, Counter> = Family::new();
static HISTOGRAM: Histogram = Histogram::with_buckets(Buckets::checked(&BUCKETS));

fn tool_calls() -> Vec<ToolCall> {
    cycling_order(FIXED_COMBINATIONS)
        .into_iter()
        .map(|k| {
            let (tool, outcome) = split_combination(k);
            ToolCall {
                tool: Tool::from_ordinal(tool),
                outcome: Outcome::from_ordinal(outcome),
            }
        })
        .collect()
}

fn counter_case() -> Vec<Subject> {
    let order = cycling_order(FIXED_COMBINATIONS);
    vec![
        subject("oxios-metrics", cycling(order.clone(), |_| COUNTER.0.inc())),
        subject(
            "raw_atomic",
            cycling(order, |_| {
                RAW.0.fetch_add(1, Ordering::Relaxed);
            }),
        ),
    ]
}

fn fixed_case() -> Vec<Subject> {
    let measured = measured::CounterVec::<measured_labels::ToolCallSet>::new();
    let measured_labels: Vec<_> = cycling_order(FIXED_COMBINATIONS)
        .into_iter()
        .map(measured_labels::ToolCall::combination)
        .collect();
    let fastmetrics = fastmetrics::metrics::family::Family::<
        fastmetrics_labels::ToolCall,
        fastmetrics::metrics::counter::Counter,
    >::default();
    let fastmetrics_labels: Vec<_> = cycling_order(FIXED_COMBINATIONS)
        .into_iter()
        .map(fastmetrics_labels::ToolCall::combination)
        .collect();
    for labels in &fastmetrics_labels {
        fastmetrics.with_or_new(labels, |_| ());
    }
    vec![
        subject(
            "oxios-metrics",
            cycling(tool_calls(), |&labels| TOOL_CALLS.get(labels).inc()),
        ),
        subject(
            "raw_atomic",
            cycling(tool_calls(), |labels| {
                black_box(labels);
                RAW.0.fetch_add(1, Ordering::Relaxed);
            }),
        ),
        subject(
            "measured",
            cycling(measured_labels, move |&labels| measured.inc(labels)),
        ),
        subject(
            "fastmetrics",
            cycling(fastmetrics_labels, move |labels| {
                fastmetrics.with_or_new(labels, |counter| counter.inc())
            }),
        ),
    ]
}

fn histogram_case() -> Vec<Subject> {
    let raw = RawHistogram::new();
    let prometheus = prometheus::Histogram::with_opts(
        prometheus::HistogramOpts::new("duration_seconds", "Duration.").buckets(BUCKETS.to_vec()),
    )
    .expect("valid histogram");
    let prometheus_client =
        prometheus_client::metrics::histogram::Histogram::new(BUCKETS.iter().copied());
    let measured = measured::Histogram::<10>::with_metadata(
        measured::metric::histogram::Thresholds::with_buckets(BUCKETS),
    );
    let fastmetrics = fastmetrics::metrics::histogram::Histogram::new(BUCKETS);
    vec![
        subject(
            "oxios-metrics",
            cycling(observations(), |&v| HISTOGRAM.observe(v)),
        ),
        subject(
            "raw atomics (by hand)",
            cycling(observations(), move |&v| raw.observe(v)),
        ),
        subject(
            "prometheus",
            cycling(observations(), move |&v| prometheus.observe(v)),
        ),
        subject(
            "prometheus-client",
            cycling(observations(), move |&v| prometheus_client.observe(v)),
        ),
        subject(
            "measured",
            cycling(observations(), move |&v| measured.observe(v)),
        ),
        subject(
            "fastmetrics",
            cycling(observations(), move |&v| fastmetrics.observe(v)),
        ),
    ]
}

fn dynamic_case() -> Vec<Subject> {
    let users = user_names();
    let order = cycling_order(DYNAMIC_VALUES);
    let oxios: Family<Session, Counter> = Family::new().with_max_series(DYNAMIC_VALUES);
    let held: Arc<Vec<Session>> = Arc::new(
        users
            .iter()
            .map(|user| Session { user: user.clone() })
            .collect(),
    );
    for labels in held.iter() {
        oxios.get_ref(labels);
    }
    let fastmetrics = fastmetrics::metrics::family::Family::<
        fastmetrics_labels::Session,
        fastmetrics::metrics::counter::Counter,
    >::default();
    let fastmetrics_held: Vec<_> = users
        .iter()
        .map(|user| fastmetrics_labels::Session {
            value: user.clone(),
        })
        .collect();
    for labels in &fastmetrics_held {
        fastmetrics.with_or_new(labels, |_| ());
    }
    let measured = measured::CounterVec::<measured_labels::SessionSet>::new();
    for user in &users {
        measured.inc_by(measured_labels::Session { user }, 0);
    }
    let prometheus = prometheus::IntCounterVec::new(
        prometheus::Opts::new("session_messages_total", "Messages."),
        &["user"],
    )
    .expect("valid counter vec");
    let prometheus_client = prometheus_client::metrics::family::Family::<
        prometheus_client_labels::Session,
        prometheus_client::metrics::counter::Counter,
    >::default();
    let prometheus_client_held: Vec<_> = users
        .iter()
        .map(|user| prometheus_client_labels::Session { user: user.clone() })
        .collect();
    for (index, user) in users.iter().enumerate() {
        prometheus.with_label_values(&[user.as_str()]);
        drop(prometheus_client.get_or_create(&prometheus_client_held[index]));
    }
    let users_measured = users.clone();
    let users_prometheus = users;
    vec![
        subject(
            "oxios-metrics (get_ref, String label held by the caller)",
            cycling(order.clone(), move |&k| oxios.get_ref(&held[k]).inc()),
        ),
        subject(
            "fastmetrics",
            cycling(order.clone(), move |&k| {
                fastmetrics.with_or_new(&fastmetrics_held[k], |counter| counter.inc())
            }),
        ),
        subject(
            "measured",
            cycling(order.clone(), move |&k| {
                measured.inc(measured_labels::Session {
                    user: &users_measured[k],
                })
            }),
        ),
        subject(
            "prometheus",
            cycling(order.clone(), move |&k| {
                prometheus
                    .with_label_values(&[users_prometheus[k].as_str()])
                    .inc()
            }),
        ),
        subject(
            "prometheus-client",
            cycling(order, move |&k| {
                prometheus_client
                    .get_or_create(&prometheus_client_held[k])
                    .inc();
            }),
        ),
    ]
}

fn two_threads_case() -> Vec<Subject> {
    vec![
        threaded("oxios-metrics (StripedCounter)", &|| {
            black_box(&STRIPED).inc()
        }),
        threaded("raw_atomic", &|| {
            black_box(&RAW_SHARED.0).fetch_add(1, Ordering::Relaxed);
        }),
        threaded("oxios-metrics", &|| black_box(&COUNTER.0).inc()),
    ]
}

fn encode_case(format: TextFormat, peers: &[&'static str]) -> Vec<Subject> {
    std::iter::once("oxios-metrics")
        .chain(peers.iter().copied())
        .map(|name| {
            let mut exposition = exposition(name, format).expect("the peer writes the format");
            exposition.encode();
            subject(name, move |n| {
                for _ in 0..n {
                    exposition.encode();
                }
            })
        })
        .collect()
}

/// Times `run(n)` in nanoseconds per operation.
fn time(subject: &mut Subject, n: u64) -> f64 {
    let start = Instant::now();
    (subject.run)(n);
    start.elapsed().as_nanos() as f64 / n as f64
}

/// How many operations fill a slice of about `slice`.
fn calibrate(subject: &mut Subject, slice: Duration) -> u64 {
    let mut n = subject.min_ops;
    loop {
        let start = Instant::now();
        (subject.run)(n);
        let took = start.elapsed();
        if took >= slice / 4 || n >= 1 << 40 {
            let scale = slice.as_secs_f64() / took.as_secs_f64().max(1e-9);
            return ((n as f64 * scale) as u64).max(subject.min_ops);
        }
        n *= 4;
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

/// Runs every subject once per round, rotating the order; returns per subject its median
/// time per operation and the median, lowest and highest of its per-round ratio to the first.
fn run_case(mut subjects: Vec<Subject>, rounds: usize, slice: Duration) -> Vec<Row> {
    let counts: Vec<u64> = subjects.iter_mut().map(|s| calibrate(s, slice)).collect();
    let mut times = vec![Vec::with_capacity(rounds); subjects.len()];
    for round in 0..rounds {
        for offset in 0..subjects.len() {
            let index = (round + offset) % subjects.len();
            let per_op = time(&mut subjects[index], counts[index]);
            times[index].push(per_op);
        }
    }
    subjects
        .iter()
        .zip(&times)
        .map(|(subject, own)| {
            let mut ratios: Vec<f64> = own.iter().zip(&times[0]).map(|(t, o)| t / o).collect();
            let mut own = own.clone();
            let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let high = ratios.iter().copied().fold(0.0, f64::max);
            Row {
                name: subject.name,
                median_ns: median(&mut own),
                ratio: median(&mut ratios),
                low,
                high,
            }
        })
        .collect()
}

struct Row {
    name: &'static str,
    median_ns: f64,
    /// Median over rounds of this subject's time over the first subject's.
    ratio: f64,
    low: f64,
    high: f64,
}

fn criterion_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("criterion");
    }
    let exe = std::env::current_exe().expect("the executable has a path");
    exe.ancestors()
        .nth(3)
        .map(|target| target.join("criterion"))
        .expect("the executable lives in <target>/<profile>/deps")
}

fn main() {
    // `cargo test --benches` runs bench executables with `--bench` absent: one quick round.
    let benching = std::env::args().any(|argument| argument == "--bench");
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(if benching { 31 } else { 1 });
    let slice = if benching {
        Duration::from_millis(10)
    } else {
        Duration::from_micros(200)
    };
    type Build = fn() -> Vec<Subject>;
    let cases: [(&str, Build); 8] = [
        ("counter_inc", counter_case),
        ("fixed_family_inc", fixed_case),
        ("histogram_observe", histogram_case),
        ("dynamic_family_inc", dynamic_case),
        ("counter_inc_2_threads", two_threads_case),
        ("encode_10k_prometheus_0_0_4", || {
            encode_case(TextFormat::Prometheus, &["measured", "fastmetrics"])
        }),
        ("encode_10k_openmetrics_1_0", || {
            encode_case(
                TextFormat::OpenMetrics,
                &["prometheus-client", "fastmetrics"],
            )
        }),
        ("encode_10k_protobuf", || {
            encode_case(TextFormat::Protobuf, &["prometheus"])
        }),
    ];
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut json = format!(
        "{{\n  \"rounds\": {rounds},\n  \"load_before\": \"{}\",\n  \"cases\": {{\n",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (number, (case, build)) in cases.iter().enumerate() {
        let rows = run_case(build(), rounds, slice);
        println!("{case} ({rounds} rounds; ratio to {}):", rows[0].name);
        json.push_str(&format!("    \"{case}\": {{\n"));
        for (index, row) in rows.iter().enumerate() {
            println!(
                "  {:<34} {:>12.2} ns  ratio {:.3} (rounds {:.3} .. {:.3})",
                row.name, row.median_ns, row.ratio, row.low, row.high
            );
            json.push_str(&format!(
                "      \"{}\": {{\"median_ns\": {:.4}, \"ratio_to_first\": {:.4}, \"low\": {:.4}, \"high\": {:.4}, \"first\": \"{}\"}}{}\n",
                row.name,
                row.median_ns,
                row.ratio,
                row.low,
                row.high,
                rows[0].name,
                if index + 1 < rows.len() { "," } else { "" }
            ));
        }
        json.push_str(if number + 1 < cases.len() {
            "    },\n"
        } else {
            "    }\n"
        });
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    json.push_str(&format!(
        "  }},\n  \"load_after\": \"{}\"\n}}\n",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    ));
    let dir = criterion_dir();
    std::fs::create_dir_all(&dir).expect("the criterion folder can be created");
    let path = dir.join("ratios.json");
    std::fs::write(&path, json).expect("the ratios can be written");
    println!("wrote {}", path.display());
}
