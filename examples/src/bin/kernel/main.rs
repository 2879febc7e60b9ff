//! The oxios agent-kernel demo: a simulated kernel forking agents that call tools and LLMs on
//! behalf of sessions, instrumented with `oxios-metrics` and served at
//! `http://127.0.0.1:9898/metrics` for Prometheus to scrape.
//!
//! ```text
//! cargo run --release -p oxios-metrics-examples --bin kernel -- --help
//! ```

mod args;
mod breaker;
mod llm;
mod memory;
mod rng;
mod sessions;
mod summary;
mod tools;
mod trace;
mod workload;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use oxios_metrics::process::ProcessCollector;
use oxios_metrics::serve::Exporter;
use oxios_metrics_examples::{KERNEL, TRACES};
use tokio::sync::watch;

use crate::args::{Options, PORT_VARIABLE, USAGE};

/// How long running agents get to finish once the workload is told to stop.
const DRAIN: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1), std::env::var(PORT_VARIABLE).ok())
    {
        Ok(options) => options,
        Err(error) => {
            eprintln!("kernel: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if options.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kernel: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let registry = oxios_metrics::global();
    registry.register(&KERNEL)?;
    // The metrics the derive does not declare yet (native histogram, summary, exemplars).
    registry.register(&TRACES)?;
    ProcessCollector::register(registry)?;
    let mut exporter = Exporter::builder(registry);
    if let Some(format) = options.format {
        exporter = exporter.force_format(format);
    }
    let exporter = exporter
        .bind(("127.0.0.1", options.port))
        .map_err(|error| format!("cannot serve on 127.0.0.1:{}: {error}", options.port))?;
    println!("oxios kernel demo: serving metrics at {}", exporter.url());
    println!(
        "  try: curl -H 'Accept: application/openmetrics-text' {} (Ctrl-C stops)",
        exporter.url()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let reason = runtime.block_on(simulate(options, &exporter));
    drop(runtime);
    let scrapes = exporter.scrape_counts();
    exporter.shutdown()?;
    println!(
        "stopped cleanly ({reason}); served {} scrapes in OpenMetrics and {} in text 0.0.4 and {} in protobuf",
        scrapes.openmetrics, scrapes.prometheus, scrapes.protobuf
    );
    Ok(())
}

/// Runs the workload and the summary until Ctrl-C (or SIGTERM) or `--duration`; returns why
/// it stopped.
async fn simulate(options: &Options, exporter: &Exporter) -> &'static str {
    let started = Instant::now();
    let (stop_workload, stopped) = watch::channel(false);
    let mut workload = tokio::spawn(workload::run(stopped));
    let mut workload_running = true;
    let far_future = Duration::from_secs(100 * 365 * 24 * 3600);
    let end = tokio::time::sleep(options.duration.unwrap_or(far_future));
    let workload_end = tokio::time::sleep(options.workload.unwrap_or(far_future));
    let interrupted = interrupted();
    let pause_requested = pause_requested();
    tokio::pin!(end, workload_end, interrupted, pause_requested);
    let mut summary = tokio::time::interval(options.summary_every);
    summary.tick().await;
    let reason = loop {
        let pause_reason = tokio::select! {
            signal = &mut interrupted => break signal,
            _ = &mut end => break "--duration elapsed",
            _ = &mut workload_end, if workload_running => "--workload-seconds elapsed",
            _ = &mut pause_requested, if workload_running => "SIGUSR1",
            _ = summary.tick() => {
                println!("{}", summary::status(started.elapsed(), exporter.scrape_counts()));
                continue;
            }
        };
        workload_running = false;
        let _ = stop_workload.send(true);
        if tokio::time::timeout(DRAIN, &mut workload).await.is_err() {
            println!("agents still running after {DRAIN:?}; no longer waiting for them");
        }
        println!(
            "{}",
            summary::status(started.elapsed(), exporter.scrape_counts())
        );
        println!("workload stopped ({pause_reason}); metrics hold still, still serving");
    };
    let _ = stop_workload.send(true);
    if workload_running && tokio::time::timeout(DRAIN, workload).await.is_err() {
        println!("agents still running after {DRAIN:?}; stopping anyway");
    }
    println!(
        "{}",
        summary::status(started.elapsed(), exporter.scrape_counts())
    );
    reason
}

/// Resolves on SIGUSR1 (Unix): the signal to stop the workload but keep serving, so a test
/// can freeze the values once its scraper has seen them move. Never resolves elsewhere.
async fn pause_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut user1) = signal(SignalKind::user_defined1()) {
            user1.recv().await;
            return;
        }
    }
    std::future::pending::<()>().await;
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM, naming which. A signal that cannot be
/// listened for is simply never reported (the demo then stops by `--duration` or a kill).
async fn interrupted() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = ctrl_c() => "Ctrl-C",
                _ = terminate.recv() => "SIGTERM",
            };
        }
    }
    ctrl_c().await;
    "Ctrl-C"
}

async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
