//! The simulated agent kernel: a scheduler forks agents; each agent runs one orchestration of
//! a few steps for a user's session, each step a tool call or an LLM call.

use std::sync::Arc;
use std::time::{Duration, Instant};

use oxios_metrics::timed;
use oxios_metrics_examples::{Outcome, KERNEL, TRACES};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::llm::{self, Providers};
use crate::memory::{self, WorkingMemory};
use crate::rng::Rng;
use crate::sessions::{SessionHold, Sessions};
use crate::tools;
use crate::trace::TraceId;

/// Agents allowed to run at once.
const MAX_AGENTS: usize = 8;
/// How often the scheduler considers forking an agent.
const FORK_EVERY: Duration = Duration::from_millis(40);
/// Distinct users.
const USERS: u64 = 24;

/// Runs agents until `stop` turns true, then waits for the running ones to finish.
pub async fn run(mut stop: watch::Receiver<bool>) {
    let providers = Arc::new(Providers::new());
    let sessions = Sessions::default();
    let mut agents = JoinSet::new();
    let mut ticks = tokio::time::interval(FORK_EVERY);
    let mut rng = Rng::fresh();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = ticks.tick() => {}
        }
        while agents.try_join_next().is_some() {}
        if agents.len() < MAX_AGENTS {
            KERNEL.agents_forked.inc();
            let session = sessions.open(format!("user-{:02}", rng.below(USERS)));
            agents.spawn(agent(session, Arc::clone(&providers)));
        }
    }
    while agents.join_next().await.is_some() {}
}

/// One agent run, traced: its trace id goes with every LLM call it makes and with its own
/// duration, as exemplars.
async fn agent(session: SessionHold, providers: Arc<Providers>) {
    let mut rng = Rng::fresh();
    let trace = TraceId::new(&mut rng);
    let started = Instant::now();
    let result = orchestrate(&mut rng, &session, &providers, &trace).await;
    let exemplar = [("trace_id", trace.as_str())];
    if let Err(error) = TRACES
        .agent_duration
        .observe_with_exemplar(started.elapsed().as_secs_f64(), &exemplar)
    {
        eprintln!("kernel: exemplar refused: {error}");
    }
    if result.is_ok() {
        memory::learn_fact();
    }
}

/// More than half of an orchestration's steps failed.
#[derive(Debug)]
struct Failed;

/// One orchestration: a plan of 2 to 5 steps. Timed as a whole, and counted as a running
/// agent while it runs.
#[timed(KERNEL.orchestration_duration, in_flight = KERNEL.agents_running)]
async fn orchestrate(
    rng: &mut Rng,
    session: &SessionHold,
    providers: &Providers,
    trace: &TraceId,
) -> Result<usize, Failed> {
    let mut working = WorkingMemory::new();
    let steps = 2 + rng.below(4) as usize;
    let mut failures = 0;
    for _ in 0..steps {
        session.message();
        working.remember(2_048 + rng.below(6_144) as i64);
        let outcome = if rng.chance(0.5) {
            tools::call(rng).await
        } else {
            llm::call(rng, providers, trace)
                .await
                .unwrap_or(Outcome::Error)
        };
        if outcome != Outcome::Ok {
            failures += 1;
        }
    }
    if failures * 2 > steps {
        Err(Failed)
    } else {
        Ok(steps)
    }
}
