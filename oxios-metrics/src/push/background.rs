//! Pushing without a call at each point: periodically from a thread, and once at exit.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use super::{GroupingKey, PushError, PushMethod, Pushgateway};
use crate::Registry;

/// What a [`PeriodicPush`] has done so far.
#[derive(Clone, Debug, Default)]
pub struct PushStats {
    /// Pushes the gateway accepted.
    pub succeeded: u64,
    /// Pushes that failed (no connection, a timeout, a refusal).
    pub failed: u64,
    /// The error of the most recent failed push, kept until the next failure replaces it.
    pub last_error: Option<Arc<PushError>>,
}

struct Shared {
    stopped: Mutex<bool>,
    wake: Condvar,
    stats: Mutex<PushStats>,
}

/// Pushes a registry to a gateway from a background thread: once at start, then every
/// interval (measured from the start of one push to the start of the next; a push that
/// takes longer than the interval delays the next one). Made by
/// [`Pushgateway::push_every`].
///
/// Dropping the handle, or [`stop`](Self::stop), wakes the thread and joins it without a
/// further push; a push in progress is finished first, so this waits at most the client's
/// request timeout. [`finish`](Self::finish) stops the thread and then pushes the final
/// values once, returning that push's result. Failed pushes do not stop the thread; they are
/// counted in [`stats`](Self::stats).
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use oxios_metrics::push::{GroupingKey, PushMethod, Pushgateway};
/// use oxios_metrics::{global, Counter, Metrics};
///
/// #[derive(Metrics)]
/// pub struct Import {
///     /// Rows imported.
///     pub rows: Counter,
/// }
/// static IMPORT: Import = Import::new();
/// global().register(&IMPORT)?;
///
/// let gateway = Pushgateway::new("http://127.0.0.1:9091")?;
/// let key = GroupingKey::new("import");
/// let pusher = gateway.push_every(&key, global(), Duration::from_secs(15), PushMethod::Replace)?;
/// for _ in 0..1_000_000 {
///     IMPORT.rows.inc(); // the gateway sees progress every 15 s
/// }
/// pusher.finish()?; // and the final count, or an error
/// # Ok(())
/// # }
/// ```
pub struct PeriodicPush {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    gateway: Pushgateway,
    key: GroupingKey,
    registry: &'static Registry,
    method: PushMethod,
}

impl std::fmt::Debug for PeriodicPush {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeriodicPush")
            .field("gateway", &self.gateway)
            .field("key", &self.key)
            .field("method", &self.method)
            .field("running", &self.thread.is_some())
            .finish()
    }
}

impl PeriodicPush {
    pub(super) fn start(
        gateway: Pushgateway,
        key: &GroupingKey,
        registry: &'static Registry,
        interval: Duration,
        method: PushMethod,
    ) -> Result<PeriodicPush, PushError> {
        key.path()?;
        if interval.is_zero() {
            return Err(PushError::InvalidInterval);
        }
        let shared = Arc::new(Shared {
            stopped: Mutex::new(false),
            wake: Condvar::new(),
            stats: Mutex::new(PushStats::default()),
        });
        let thread = {
            let (shared, gateway, key) = (Arc::clone(&shared), gateway.clone(), key.clone());
            std::thread::Builder::new()
                .name("oxios-metrics-periodic-push".into())
                .spawn(move || run(&shared, &gateway, &key, registry, interval, method))
                .map_err(|source| PushError::Runtime { source })?
        };
        Ok(PeriodicPush {
            shared,
            thread: Some(thread),
            gateway,
            key: key.clone(),
            registry,
            method,
        })
    }

    /// The counts of pushes so far and the last error.
    pub fn stats(&self) -> PushStats {
        self.shared.stats.lock().clone()
    }

    /// Stops the thread without a further push and returns the final counts.
    pub fn stop(mut self) -> PushStats {
        self.stop_and_join();
        self.stats()
    }

    /// Stops the thread, then pushes once more so the gateway holds the final values, and
    /// returns the result of that push.
    pub fn finish(mut self) -> Result<(), PushError> {
        self.stop_and_join();
        self.gateway.send(self.method, &self.key, self.registry)
    }

    fn stop_and_join(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        *self.shared.stopped.lock() = true;
        self.shared.wake.notify_all();
        // The thread only records results; if it panicked there is nothing to hand on.
        let _ = thread.join();
    }
}

impl Drop for PeriodicPush {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

fn run(
    shared: &Shared,
    gateway: &Pushgateway,
    key: &GroupingKey,
    registry: &Registry,
    interval: Duration,
    method: PushMethod,
) {
    loop {
        let started = Instant::now();
        let result = gateway.send(method, key, registry);
        {
            let mut stats = shared.stats.lock();
            match result {
                Ok(()) => stats.succeeded += 1,
                Err(error) => {
                    stats.failed += 1;
                    stats.last_error = Some(Arc::new(error));
                }
            }
        }
        let next = started + interval;
        let mut stopped = shared.stopped.lock();
        // Loops over spurious wake-ups; a stop request ends the wait at once.
        while !*stopped {
            if shared.wake.wait_until(&mut stopped, next).timed_out() {
                break;
            }
        }
        if *stopped {
            return;
        }
    }
}

/// Pushes a registry once when it goes out of scope: the last thing a batch job does,
/// however it ends (a normal return, `?`, or a panic unwinding). Made by
/// [`Pushgateway::push_on_exit`].
///
/// [`finish`](Self::finish) pushes at a point of the caller's choosing and returns the
/// result. A push made by `drop` has no caller to return its error to, so a failure is
/// written to standard error (one line naming the URL and the error); call `finish` to
/// handle it instead, or [`cancel`](Self::cancel) to leave without pushing. A process that
/// exits without unwinding (`std::process::exit`, an abort, a signal) does not run the
/// guard.
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use oxios_metrics::push::{GroupingKey, PushMethod, Pushgateway};
/// use oxios_metrics::{Counter, Metrics, Registry};
///
/// #[derive(Metrics)]
/// pub struct Cleanup {
///     /// Files removed.
///     pub removed: Counter,
/// }
/// static CLEANUP: Cleanup = Cleanup::new();
///
/// let registry = Registry::new();
/// registry.register(&CLEANUP)?;
/// let gateway = Pushgateway::new("http://127.0.0.1:9091")?;
/// let on_exit = gateway.push_on_exit(&GroupingKey::new("cleanup"), &registry, PushMethod::Replace)?;
/// CLEANUP.removed.add(3); // an early `?` here would still push, from the guard's drop
/// on_exit.finish()?;
/// # Ok(())
/// # }
/// ```
pub struct PushOnExit<'r> {
    gateway: Pushgateway,
    key: GroupingKey,
    registry: &'r Registry,
    method: PushMethod,
    armed: bool,
}

impl std::fmt::Debug for PushOnExit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushOnExit")
            .field("gateway", &self.gateway)
            .field("key", &self.key)
            .field("method", &self.method)
            .field("armed", &self.armed)
            .finish()
    }
}

impl<'r> PushOnExit<'r> {
    pub(super) fn new(
        gateway: Pushgateway,
        key: &GroupingKey,
        registry: &'r Registry,
        method: PushMethod,
    ) -> Result<PushOnExit<'r>, PushError> {
        key.path()?;
        Ok(PushOnExit {
            gateway,
            key: key.clone(),
            registry,
            method,
            armed: true,
        })
    }

    /// Pushes now and returns the result; the guard then does nothing on drop.
    pub fn finish(mut self) -> Result<(), PushError> {
        self.armed = false;
        self.gateway.send(self.method, &self.key, self.registry)
    }

    /// Disarms the guard: nothing is pushed.
    pub fn cancel(mut self) {
        self.armed = false;
    }
}

impl Drop for PushOnExit<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Err(error) = self.gateway.send(self.method, &self.key, self.registry) {
            let url = self
                .gateway
                .url_for(&self.key)
                .unwrap_or_else(|_| self.gateway.url());
            eprintln!("oxios-metrics: the push to {url} on exit failed: {error}");
        }
    }
}
