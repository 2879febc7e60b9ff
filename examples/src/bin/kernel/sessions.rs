//! Which users have an agent running: a session is open while at least one is.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use oxios_metrics_examples::{Session, KERNEL};

/// The open sessions: running agents per user.
#[derive(Default, Clone)]
pub struct Sessions {
    agents_per_user: Arc<Mutex<HashMap<String, u32>>>,
}

/// One agent's hold on its user's session; the session closes with the last hold.
pub struct SessionHold {
    sessions: Sessions,
    /// The session (its user).
    pub session: Session,
}

impl Sessions {
    /// Holds `user`'s session open for one agent, opening it if it was not.
    pub fn open(&self, user: String) -> SessionHold {
        let mut agents = self
            .agents_per_user
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let count = agents.entry(user.clone()).or_insert(0);
        if *count == 0 {
            KERNEL.sessions_active.inc();
        }
        *count += 1;
        SessionHold {
            sessions: self.clone(),
            session: Session { user },
        }
    }
}

impl SessionHold {
    /// Counts one message handled for this session.
    pub fn message(&self) {
        KERNEL.session_messages.get(self.session.clone()).inc();
    }
}

impl Drop for SessionHold {
    fn drop(&mut self) {
        let mut agents = self
            .sessions
            .agents_per_user
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = agents.get_mut(&self.session.user) {
            *count -= 1;
            if *count == 0 {
                agents.remove(&self.session.user);
                KERNEL.sessions_active.dec();
            }
        }
    }
}
