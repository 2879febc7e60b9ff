//! Family lookups: a fixed two-label family cycling its 6 combinations, and a dynamic
//! one-label family cycling 1,000 string values (every series exists before timing starts).

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use metrics::Recorder;
use oxios_metrics::{Counter, Family};
use oxios_metrics_benches::exposition::METRICS_METADATA;
use oxios_metrics_benches::oxios_labels::{Outcome, Session, SharedSession, Tool, ToolCall};
use oxios_metrics_benches::peers::{fastmetrics_labels, measured_labels, prometheus_client_labels};
use oxios_metrics_benches::workload::{
    cycling_order, split_combination, user_names, CYCLE, DYNAMIC_VALUES, FIXED_COMBINATIONS,
    OUTCOMES, TOOLS,
};
use oxios_metrics_benches::{global_metrics_recorder, hot_path_criterion, local_metrics_recorder};

/// Runs `op` on the next entry of `items` each iteration, cycling.
fn cycle<T>(b: &mut criterion::Bencher<'_>, items: &[T], mut op: impl FnMut(&T)) {
    assert_eq!(items.len(), CYCLE);
    let mut next = 0usize;
    b.iter(|| {
        op(&items[next & (CYCLE - 1)]);
        next = next.wrapping_add(1);
    });
}

static TOOL_CALLS: Family<ToolCall, Counter> = Family::new();
static PLAIN: Counter = Counter::new();
static RAW: AtomicU64 = AtomicU64::new(0);

fn fixed_family(c: &mut Criterion) {
    let order = cycling_order(FIXED_COMBINATIONS);
    let recorder = local_metrics_recorder();
    global_metrics_recorder();

    let oxios: Vec<ToolCall> = order
        .iter()
        .map(|&k| {
            let (tool, outcome) = split_combination(k);
            ToolCall {
                tool: Tool::from_ordinal(tool),
                outcome: Outcome::from_ordinal(outcome),
            }
        })
        .collect();
    let names: Vec<[&str; 2]> = order
        .iter()
        .map(|&k| {
            let (tool, outcome) = split_combination(k);
            [TOOLS[tool], OUTCOMES[outcome]]
        })
        .collect();
    let prometheus = prometheus::IntCounterVec::new(
        prometheus::Opts::new("tool_calls_total", "Tool calls."),
        &["tool", "outcome"],
    )
    .unwrap();
    let prometheus_client = prometheus_client::metrics::family::Family::<
        prometheus_client_labels::ToolCall,
        prometheus_client::metrics::counter::Counter,
    >::default();
    let prometheus_client_labels: Vec<_> = order
        .iter()
        .map(|&k| prometheus_client_labels::ToolCall::combination(k))
        .collect();
    let metrics_keys: Vec<metrics::Key> = names
        .iter()
        .map(|[tool, outcome]| {
            metrics::Key::from_parts(
                "tool_calls_total",
                vec![
                    metrics::Label::from_static_parts("tool", tool),
                    metrics::Label::from_static_parts("outcome", outcome),
                ],
            )
        })
        .collect();
    let measured = measured::CounterVec::<measured_labels::ToolCallSet>::new();
    let measured_labels: Vec<_> = order
        .iter()
        .map(|&k| measured_labels::ToolCall::combination(k))
        .collect();
    let fastmetrics = fastmetrics::metrics::family::Family::<
        fastmetrics_labels::ToolCall,
        fastmetrics::metrics::counter::Counter,
    >::default();
    let fastmetrics_labels: Vec<_> = order
        .iter()
        .map(|&k| fastmetrics_labels::ToolCall::combination(k))
        .collect();
    // Create every series before timing, so each case measures a lookup of an existing one.
    for k in 0..FIXED_COMBINATIONS {
        let (tool, outcome) = split_combination(k);
        prometheus.with_label_values(&[TOOLS[tool], OUTCOMES[outcome]]);
        drop(prometheus_client.get_or_create(&prometheus_client_labels::ToolCall::combination(k)));
        fastmetrics.with_or_new(&fastmetrics_labels::ToolCall::combination(k), |_| ());
    }

    let mut group = c.benchmark_group("fixed_family_inc");
    // The floor: the same loop adding to one raw atomic, ignoring the labels.
    group.bench_function("raw_atomic", |b| {
        cycle(b, &oxios, |labels| {
            black_box(labels);
            black_box(&RAW).fetch_add(1, Ordering::Relaxed);
        })
    });
    group.bench_function("oxios-metrics (plain Counter, same loop)", |b| {
        cycle(b, &oxios, |labels| {
            black_box(labels);
            PLAIN.inc()
        })
    });
    group.bench_function("oxios-metrics", |b| {
        cycle(b, &oxios, |&labels| {
            black_box(&TOOL_CALLS).get(labels).inc()
        })
    });
    group.bench_function("prometheus", |b| {
        cycle(b, &names, |labels| {
            prometheus.with_label_values(labels).inc()
        })
    });
    group.bench_function("prometheus-client", |b| {
        cycle(b, &prometheus_client_labels, |labels| {
            prometheus_client.get_or_create(labels).inc();
        })
    });
    group.bench_function("metrics (recorder lookup)", |b| {
        cycle(b, &metrics_keys, |key| {
            recorder
                .register_counter(key, &METRICS_METADATA)
                .increment(1)
        })
    });
    group.bench_function("metrics (counter! macro)", |b| {
        cycle(b, &names, |&[tool, outcome]| {
            metrics::counter!("tool_calls_total", "tool" => tool, "outcome" => outcome).increment(1)
        })
    });
    group.bench_function("measured", |b| {
        cycle(b, &measured_labels, |&labels| measured.inc(labels))
    });
    group.bench_function("fastmetrics", |b| {
        cycle(b, &fastmetrics_labels, |labels| {
            fastmetrics.with_or_new(labels, |counter| counter.inc())
        })
    });
    group.finish();
}

fn dynamic_family(c: &mut Criterion) {
    let order = cycling_order(DYNAMIC_VALUES);
    let users = user_names();
    let recorder = local_metrics_recorder();
    global_metrics_recorder();

    let oxios_owned: Family<Session, Counter> = Family::new().with_max_series(DYNAMIC_VALUES);
    let oxios_shared: Family<SharedSession, Counter> =
        Family::new().with_max_series(DYNAMIC_VALUES);
    let shared_users: Vec<Arc<str>> = users.iter().map(|u| Arc::from(u.as_str())).collect();
    let prometheus = prometheus::IntCounterVec::new(
        prometheus::Opts::new("session_messages_total", "Messages."),
        &["user"],
    )
    .unwrap();
    let prometheus_client = prometheus_client::metrics::family::Family::<
        prometheus_client_labels::Session,
        prometheus_client::metrics::counter::Counter,
    >::default();
    let prometheus_client_labels: Vec<_> = users
        .iter()
        .map(|user| prometheus_client_labels::Session { user: user.clone() })
        .collect();
    let metrics_keys: Vec<metrics::Key> = users
        .iter()
        .map(|user| {
            metrics::Key::from_parts(
                "session_messages_total",
                vec![metrics::Label::new("user", user.clone())],
            )
        })
        .collect();
    let measured = measured::CounterVec::<measured_labels::SessionSet>::new();
    let fastmetrics = fastmetrics::metrics::family::Family::<
        fastmetrics_labels::Session,
        fastmetrics::metrics::counter::Counter,
    >::default();
    let fastmetrics_labels: Vec<_> = users
        .iter()
        .map(|user| fastmetrics_labels::Session {
            value: user.clone(),
        })
        .collect();
    for (index, user) in users.iter().enumerate() {
        oxios_owned.get(Session { user: user.clone() });
        oxios_shared.get(SharedSession {
            user: shared_users[index].clone(),
        });
        prometheus.with_label_values(&[user.as_str()]);
        drop(prometheus_client.get_or_create(&prometheus_client_labels[index]));
        recorder
            .register_counter(&metrics_keys[index], &METRICS_METADATA)
            .increment(0);
        metrics::counter!("session_messages_total", "user" => user.clone()).increment(0);
        measured.inc_by(measured_labels::Session { user }, 0);
        fastmetrics.with_or_new(&fastmetrics_labels[index], |_| ());
    }
    assert_eq!(oxios_owned.series_count(), DYNAMIC_VALUES);
    let oxios_held: Vec<Session> = users
        .iter()
        .map(|user| Session { user: user.clone() })
        .collect();

    let mut group = c.benchmark_group("dynamic_family_inc");
    group.bench_function("oxios-metrics (String label, cloned per call)", |b| {
        cycle(b, &order, |&k| {
            oxios_owned
                .get(Session {
                    user: users[k].clone(),
                })
                .inc()
        })
    });
    group.bench_function(
        "oxios-metrics (get_ref, String label held by the caller)",
        |b| cycle(b, &order, |&k| oxios_owned.get_ref(&oxios_held[k]).inc()),
    );
    group.bench_function("oxios-metrics (Arc<str> label)", |b| {
        cycle(b, &order, |&k| {
            oxios_shared
                .get(SharedSession {
                    user: shared_users[k].clone(),
                })
                .inc()
        })
    });
    group.bench_function("prometheus", |b| {
        cycle(b, &order, |&k| {
            prometheus.with_label_values(&[users[k].as_str()]).inc()
        })
    });
    group.bench_function("prometheus-client", |b| {
        cycle(b, &order, |&k| {
            prometheus_client
                .get_or_create(&prometheus_client_labels[k])
                .inc();
        })
    });
    group.bench_function("metrics (recorder lookup)", |b| {
        cycle(b, &order, |&k| {
            recorder
                .register_counter(&metrics_keys[k], &METRICS_METADATA)
                .increment(1)
        })
    });
    group.bench_function("metrics (counter! macro)", |b| {
        cycle(b, &order, |&k| {
            metrics::counter!("session_messages_total", "user" => users[k].clone()).increment(1)
        })
    });
    group.bench_function("measured", |b| {
        cycle(b, &order, |&k| {
            measured.inc(measured_labels::Session { user: &users[k] })
        })
    });
    group.bench_function("fastmetrics", |b| {
        cycle(b, &order, |&k| {
            fastmetrics.with_or_new(&fastmetrics_labels[k], |counter| counter.inc())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = hot_path_criterion();
    targets = fixed_family, dynamic_family
}
criterion_main!(benches);
