//! Exposition buffers reused across scrapes.
//!
//! A response body must own its bytes until the HTTP stack has written them, so a buffer
//! cannot simply be cleared and refilled by the next scrape. Instead a scrape takes a buffer
//! from a small pool, the body owns it, and dropping the body (after the last byte went out)
//! hands it back. Once the pool holds as many buffers as there are concurrent scrapes and each
//! has grown to the exposition's size, a scrape allocates no exposition memory.

use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;

/// How many idle buffers the pool keeps; more concurrent scrapes than this allocate.
const MAX_IDLE: usize = 8;

/// A pool of byte buffers shared by one metrics service.
#[derive(Debug, Default)]
pub(crate) struct BufferPool {
    idle: Mutex<Vec<Vec<u8>>>,
}

impl BufferPool {
    /// An empty buffer, reused when one is idle.
    pub(crate) fn take(self: &Arc<Self>) -> PooledBuffer {
        let buffer = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        PooledBuffer {
            bytes: buffer,
            pool: Arc::clone(self),
        }
    }

    fn give_back(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push(buffer);
        }
    }

    /// The capacities of the idle buffers (for tests of reuse).
    #[cfg(test)]
    fn idle_capacities(&self) -> Vec<usize> {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(Vec::capacity)
            .collect()
    }
}

/// A buffer on loan from a [`BufferPool`]; returns to it when dropped.
#[derive(Debug)]
pub(crate) struct PooledBuffer {
    bytes: Vec<u8>,
    pool: Arc<BufferPool>,
}

impl PooledBuffer {
    /// The buffer to write into.
    pub(crate) fn vec(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }

    /// The bytes written so far.
    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Turns the buffer into a response body chunk without copying; the buffer goes back to
    /// the pool when the chunk is dropped.
    pub(crate) fn into_bytes(self) -> Bytes {
        Bytes::from_owner(self)
    }
}

impl AsRef<[u8]> for PooledBuffer {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for PooledBuffer {
    fn drop(&mut self) {
        self.pool.give_back(std::mem::take(&mut self.bytes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_body_returns_its_buffer_for_the_next_scrape() {
        let pool = Arc::new(BufferPool::default());
        let mut first = pool.take();
        first.vec().extend_from_slice(&[b'x'; 4096]);
        let address = first.vec().as_ptr();
        let body = first.into_bytes();
        assert_eq!(body.len(), 4096);
        assert!(pool.idle_capacities().is_empty(), "still owned by the body");
        drop(body);
        assert_eq!(pool.idle_capacities().len(), 1);
        assert!(pool.idle_capacities()[0] >= 4096);
        let mut second = pool.take();
        assert_eq!(second.len(), 0);
        assert_eq!(
            second.vec().as_ptr(),
            address,
            "the same allocation is reused"
        );
    }

    #[test]
    fn the_pool_keeps_a_bounded_number_of_idle_buffers() {
        let pool = Arc::new(BufferPool::default());
        let loans: Vec<PooledBuffer> = (0..MAX_IDLE + 5).map(|_| pool.take()).collect();
        drop(loans);
        assert_eq!(pool.idle_capacities().len(), MAX_IDLE);
    }
}
