//! The deadline of the response a connection is sending, from the moment its request has
//! been read until its last byte has gone to the socket.
//!
//! hyper times out reading a request's headers but not writing a response: a client that
//! asks and never reads would hold its connection, and the exposition queued for it, for as
//! long as it likes. Each request arms the connection's clock; the response body carries a
//! [`ResponseGuard`] that disarms it when the body is dropped, which hyper does once the
//! last byte has been written (or the connection is gone). The connection task waits on
//! [`ResponseClock::expired`] beside the connection and cuts it when that fires.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::watch;
use tokio::time::Instant;

/// One connection's response deadline.
#[derive(Debug)]
pub(crate) struct ResponseClock {
    timeout: Duration,
    armed: watch::Sender<Option<Armed>>,
    next_id: AtomicU64,
}

/// The response being sent and when it must be done; `id` tells a late guard of an earlier
/// response from the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Armed {
    id: u64,
    at: Instant,
}

impl ResponseClock {
    /// A clock giving each response `timeout`.
    pub(crate) fn new(timeout: Duration) -> Arc<Self> {
        Arc::new(ResponseClock {
            timeout,
            armed: watch::Sender::new(None),
            next_id: AtomicU64::new(0),
        })
    }

    /// Arms the deadline for a response whose request has just been read. A timeout too
    /// large to add to the clock means no deadline.
    pub(crate) fn start(self: &Arc<Self>) -> ResponseGuard {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let armed = Instant::now()
            .checked_add(self.timeout)
            .map(|at| Armed { id, at });
        self.armed.send_replace(armed);
        ResponseGuard {
            clock: Arc::clone(self),
            id,
        }
    }

    /// Completes when a response has been in progress past its deadline; pending while none
    /// is.
    pub(crate) async fn expired(&self) {
        let mut armed = self.armed.subscribe();
        loop {
            let current = *armed.borrow_and_update();
            match current {
                None => {
                    // The sender lives in `self`, so `changed` only fails if it is gone,
                    // and then nothing can arm the clock again.
                    if armed.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
                Some(deadline) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(deadline.at) => {
                            // The response may have finished just as the timer fired.
                            if *armed.borrow() == Some(deadline) {
                                return;
                            }
                        }
                        changed = armed.changed() => {
                            if changed.is_err() {
                                std::future::pending::<()>().await;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Disarms its response's deadline when dropped.
#[derive(Debug)]
pub(crate) struct ResponseGuard {
    clock: Arc<ResponseClock>,
    id: u64,
}

impl ResponseGuard {
    /// `body` with the guard attached: the deadline stays armed until the body is dropped.
    pub(crate) fn attach(self, body: Bytes) -> Bytes {
        Bytes::from_owner(Guarded { body, _guard: self })
    }
}

impl Drop for ResponseGuard {
    fn drop(&mut self) {
        self.clock.armed.send_if_modified(|armed| {
            if armed.is_some_and(|armed| armed.id == self.id) {
                *armed = None;
                true
            } else {
                false
            }
        });
    }
}

/// A body chunk that disarms the deadline when dropped (after the body, so the exposition
/// buffer is back in its pool first).
struct Guarded {
    body: Bytes,
    _guard: ResponseGuard,
}

impl AsRef<[u8]> for Guarded {
    fn as_ref(&self) -> &[u8] {
        &self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    #[test]
    fn an_unfinished_response_expires_and_a_finished_one_does_not() {
        runtime().block_on(async {
            let clock = ResponseClock::new(Duration::from_millis(50));
            let guard = clock.start();
            let started = std::time::Instant::now();
            tokio::time::timeout(Duration::from_secs(5), clock.expired())
                .await
                .expect("the deadline fires");
            assert!(started.elapsed() >= Duration::from_millis(40));
            drop(guard);
            let body = clock.start().attach(Bytes::from_static(b"done"));
            drop(body);
            let idle = tokio::time::timeout(Duration::from_millis(200), clock.expired()).await;
            assert!(idle.is_err(), "a sent response leaves the clock disarmed");
        });
    }

    #[test]
    fn a_late_guard_does_not_disarm_the_next_response() {
        runtime().block_on(async {
            let clock = ResponseClock::new(Duration::from_millis(50));
            let first = clock.start();
            let _second = clock.start();
            drop(first);
            tokio::time::timeout(Duration::from_secs(5), clock.expired())
                .await
                .expect("the second response's deadline still fires");
        });
    }

    #[test]
    fn an_unrepresentable_timeout_means_no_deadline() {
        runtime().block_on(async {
            let clock = ResponseClock::new(Duration::MAX);
            let _guard = clock.start();
            let waited = tokio::time::timeout(Duration::from_millis(100), clock.expired()).await;
            assert!(waited.is_err());
        });
    }
}
