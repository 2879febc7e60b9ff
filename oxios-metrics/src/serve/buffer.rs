//! Exposition buffers reused across scrapes, trimmed back when scrapes get smaller.
//!
//! A response body must own its bytes until the HTTP stack has written them, so a buffer
//! cannot simply be cleared and refilled by the next scrape. Instead a scrape takes a buffer
//! from a small pool, the body owns it, and dropping the body (after the last byte went out)
//! hands it back. Once the pool holds as many buffers as there are concurrent scrapes and each
//! has grown to the exposition's size, a scrape allocates no exposition memory.
//!
//! Buffers are trimmed by the rule of [`crate::buffer_sizes`]: an idle buffer much larger than
//! the recent expositions is shrunk, so one huge scrape does not pin its memory.

use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;

use crate::buffer_sizes::RecentSizes;

/// A pool of byte buffers shared by one metrics service.
#[derive(Debug)]
pub(crate) struct BufferPool {
    max_idle: usize,
    state: Mutex<PoolState>,
}

#[derive(Debug, Default)]
struct PoolState {
    idle: Vec<Vec<u8>>,
    sizes: RecentSizes,
}

impl BufferPool {
    /// A pool keeping at most `max_idle` idle buffers; more concurrent scrapes than this
    /// allocate.
    pub(crate) fn new(max_idle: usize) -> Self {
        BufferPool {
            max_idle,
            state: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An empty buffer, reused when one is idle.
    pub(crate) fn take(self: &Arc<Self>) -> PooledBuffer {
        let buffer = self.lock().idle.pop().unwrap_or_default();
        PooledBuffer {
            bytes: buffer,
            pool: Arc::clone(self),
        }
    }

    fn give_back(&self, mut buffer: Vec<u8>) {
        let used = buffer.len();
        buffer.clear();
        let mut state = self.lock();
        state.sizes.record(used);
        let PoolState { idle, sizes } = &mut *state;
        sizes.trim(&mut buffer);
        // Buffers that sat idle since a larger scrape are trimmed as soon as the history
        // forgets it, not only when they are next used.
        for idle in idle.iter_mut() {
            sizes.trim(idle);
        }
        if state.idle.len() < self.max_idle {
            state.idle.push(buffer);
        }
    }

    /// The total capacity of the idle buffers, in bytes.
    pub(crate) fn idle_bytes(&self) -> usize {
        self.lock().idle.iter().map(Vec::capacity).sum()
    }

    /// The capacities of the idle buffers (for tests of reuse).
    #[cfg(test)]
    fn idle_capacities(&self) -> Vec<usize> {
        self.lock().idle.iter().map(Vec::capacity).collect()
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

    /// Turns the buffer into a response body chunk without copying, keeping `held` alive as
    /// long as the chunk: the buffer goes back to the pool, and then `held` is dropped, when
    /// the chunk is dropped.
    pub(crate) fn into_bytes_holding<T: Send + 'static>(self, held: T) -> Bytes {
        Bytes::from_owner(Holding {
            buffer: self,
            _held: held,
        })
    }
}

/// A body chunk's owner: the buffer, then whatever must live exactly as long (fields drop in
/// order, so the buffer is back in the pool before `_held` goes).
struct Holding<T> {
    buffer: PooledBuffer,
    _held: T,
}

impl<T> AsRef<[u8]> for Holding<T> {
    fn as_ref(&self) -> &[u8] {
        &self.buffer.bytes
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
    use crate::buffer_sizes::{KEEP_FACTOR, KEEP_FLOOR, RECENT};

    fn filled(pool: &Arc<BufferPool>, size: usize) -> PooledBuffer {
        let mut buffer = pool.take();
        buffer.vec().resize(size, b'x');
        buffer
    }

    #[test]
    fn a_dropped_body_returns_its_buffer_for_the_next_scrape() {
        let pool = Arc::new(BufferPool::new(8));
        let mut first = pool.take();
        first.vec().extend_from_slice(&[b'x'; 4096]);
        let address = first.vec().as_ptr();
        let body = first.into_bytes_holding(());
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
    fn what_a_body_holds_lives_until_the_body_is_dropped() {
        let pool = Arc::new(BufferPool::new(8));
        let held = Arc::new(());
        let body = filled(&pool, 10).into_bytes_holding(Arc::clone(&held));
        let copy = body.clone();
        drop(body);
        assert_eq!(
            Arc::strong_count(&held),
            2,
            "a clone of the body still holds it"
        );
        drop(copy);
        assert_eq!(Arc::strong_count(&held), 1);
        assert_eq!(pool.idle_capacities().len(), 1);
    }

    #[test]
    fn the_pool_keeps_a_bounded_number_of_idle_buffers() {
        let pool = Arc::new(BufferPool::new(3));
        let loans: Vec<PooledBuffer> = (0..8).map(|_| pool.take()).collect();
        drop(loans);
        assert_eq!(pool.idle_capacities().len(), 3);
    }

    #[test]
    fn steady_scrapes_keep_their_capacity() {
        let pool = Arc::new(BufferPool::new(8));
        let size = 1 << 20;
        drop(filled(&pool, size));
        let capacity = pool.idle_capacities()[0];
        for _ in 0..50 {
            let mut buffer = pool.take();
            let address = buffer.vec().as_ptr();
            buffer.vec().resize(size, b'y');
            assert_eq!(buffer.vec().as_ptr(), address, "no reallocation");
            drop(buffer);
        }
        assert_eq!(pool.idle_capacities(), vec![capacity]);
    }

    #[test]
    fn one_huge_scrape_is_trimmed_once_it_leaves_the_history() {
        let pool = Arc::new(BufferPool::new(8));
        let huge = 32 << 20;
        let small = 200 << 10;
        // Two buffers hold the huge exposition at once; only one is reused afterwards.
        let (a, b) = (filled(&pool, huge), filled(&pool, huge));
        drop((a, b));
        assert!(pool.idle_bytes() >= 2 * huge);
        for scrape in 0..RECENT {
            drop(filled(&pool, small));
            if scrape < RECENT - 2 {
                assert!(pool.idle_bytes() >= 2 * huge, "still recent: {scrape}");
            }
        }
        let capacities = pool.idle_capacities();
        assert_eq!(capacities.len(), 2);
        for capacity in capacities {
            assert!(
                capacity <= KEEP_FACTOR * small,
                "trimmed to {capacity} bytes after {small}-byte scrapes"
            );
            assert!(capacity >= small, "still fits a recent exposition");
        }
    }

    #[test]
    fn small_buffers_are_never_trimmed_below_the_floor() {
        let pool = Arc::new(BufferPool::new(8));
        drop(filled(&pool, KEEP_FLOOR));
        for _ in 0..RECENT * 2 {
            drop(filled(&pool, 10));
        }
        assert!(pool.idle_capacities()[0] >= KEEP_FLOOR);
    }
}
