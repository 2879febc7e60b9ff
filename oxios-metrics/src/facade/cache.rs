//! The lookup every `metrics::counter!` (or `gauge!`, `histogram!`) invocation goes through:
//! from the facade's key to the shared series, in one of several shards, each a read-mostly
//! map behind its own lock. A hit costs the shard's read lock, one probe with the hash the
//! key already carries, and a reference-count increment; the name is not looked at again.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use metrics::Key;
use parking_lot::RwLock;

/// Independent locks, so that threads emitting different metrics rarely meet on one.
const SHARDS: usize = 16;

/// The most keys kept in all shards together. Beyond it, new keys still work, through the
/// slower path that finds the family and series each time; the bound keeps keys built from
/// hostile label values from growing the cache without limit.
pub(crate) const MAX_CACHED_KEYS: usize = 1 << 17;

/// Uses the hash a `metrics::Key` computed when it was built, instead of hashing again.
#[derive(Default)]
pub(crate) struct KeyHashPassThrough(u64);

impl Hasher for KeyHashPassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // `Key` only writes its precomputed `u64`; anything else still hashes (FNV-1a).
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type Shard<C> = RwLock<HashMap<Key, Arc<C>, BuildHasherDefault<KeyHashPassThrough>>>;

/// Keys already seen, with their series.
pub(crate) struct KeyCache<C> {
    shards: Box<[Shard<C>]>,
}

impl<C> KeyCache<C> {
    pub(crate) fn new() -> Self {
        KeyCache {
            shards: (0..SHARDS).map(|_| RwLock::default()).collect(),
        }
    }

    fn shard(&self, key: &Key) -> &Shard<C> {
        // Bits 32 and up, below the top 7: the map uses the low bits to pick a bucket and
        // the top 7 as a tag, so a shard chosen by either would crowd its map.
        let index = (key.get_hash() >> 32) as usize % SHARDS;
        &self.shards[index]
    }

    /// The series of `key`, if it was seen before.
    #[inline]
    pub(crate) fn get(&self, key: &Key) -> Option<Arc<C>> {
        self.shard(key).read().get(key).cloned()
    }

    /// Remembers the series of `key` while the cache has room.
    pub(crate) fn insert(&self, key: &Key, cell: &Arc<C>) {
        let mut shard = self.shard(key).write();
        if shard.len() < MAX_CACHED_KEYS / SHARDS {
            shard.insert(key.clone(), Arc::clone(cell));
        }
    }
}
