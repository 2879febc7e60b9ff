//! An axum application that serves the kernel metrics beside routes of its own, with
//! `oxios_metrics::serve::axum_router`:
//!
//! ```text
//! cargo run -p oxios-metrics-examples --bin axum_app -- --port 3000
//! curl -X POST http://127.0.0.1:3000/sessions/ada/agents   # fork an agent for user ada
//! curl http://127.0.0.1:3000/metrics
//! ```

use std::process::ExitCode;
use std::time::Duration;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use oxios_metrics::process::ProcessCollector;
use oxios_metrics::serve::axum_router;
use oxios_metrics::timed;
use oxios_metrics_examples::{Session, KERNEL};

const USAGE: &str =
    "usage: axum_app [--port PORT] [--duration SECONDS]   (default port 3000; 0 picks one)";

fn main() -> ExitCode {
    let (port, duration) = match parse(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("axum_app: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("axum_app: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(port, duration)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("axum_app: {error}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: impl Iterator<Item = String>) -> Result<(u16, Option<Duration>), String> {
    let mut port = 3000;
    let mut duration = None;
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => {
                let text = value()?;
                port = text
                    .parse()
                    .map_err(|_| format!("--port: `{text}` is not a port"))?;
            }
            "--duration" => {
                let text = value()?;
                let seconds = text
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
                    .ok_or(format!(
                        "--duration: `{text}` is not a positive number of seconds"
                    ))?;
                duration = Some(Duration::from_secs_f64(seconds));
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok((port, duration))
}

async fn serve(port: u16, duration: Option<Duration>) -> Result<(), Box<dyn std::error::Error>> {
    let registry = oxios_metrics::global();
    registry.register(&KERNEL)?;
    ProcessCollector::register(registry)?;
    let app = Router::new()
        .route(
            "/",
            get(|| async {
                "oxios agent kernel: POST /sessions/{user}/agents, GET /health, GET /metrics\n"
            }),
        )
        .route("/health", get(|| async { "ok\n" }))
        .route("/sessions/{user}/agents", post(fork_agent))
        .merge(axum_router(registry));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "axum app listening on http://{}/ (metrics at /metrics)",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            match duration {
                Some(duration) => {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = tokio::time::sleep(duration) => {}
                    }
                }
                None => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        })
        .await?;
    println!("stopped cleanly");
    Ok(())
}

/// Forks an agent for `user`; it runs in the background and the request returns at once.
async fn fork_agent(Path(user): Path<String>) -> (StatusCode, String) {
    KERNEL.agents_forked.inc();
    let session = Session { user };
    let reply = format!("forked an agent for {}\n", session.user);
    tokio::spawn(run_agent(session));
    (StatusCode::ACCEPTED, reply)
}

#[timed(KERNEL.orchestration_duration, in_flight = KERNEL.agents_running)]
async fn run_agent(session: Session) {
    for _ in 0..3 {
        KERNEL.session_messages.get(session.clone()).inc();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
