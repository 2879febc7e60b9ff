//! The kernel's simulated memory: working memory held by each running agent, long-term facts
//! kept after successful orchestrations, and their embeddings in the vector index.

use oxios_metrics_examples::{MemoryTier, KERNEL};

/// Long-term facts kept at most (older ones are forgotten as new ones arrive).
const LONG_TERM_CAPACITY: i64 = 2_000;
/// Bytes of one long-term fact, and of its embedding (1536 × f32).
const FACT_BYTES: i64 = 512;
const EMBEDDING_BYTES: i64 = 1536 * 4;

fn add(tier: MemoryTier, entries: i64, bytes: i64) {
    KERNEL.memory_entries.get(tier).add(entries);
    KERNEL.memory.get(tier).add(bytes);
}

/// Working memory of one agent, released when the agent ends however it ends.
pub struct WorkingMemory {
    entries: i64,
    bytes: i64,
}

impl WorkingMemory {
    /// Empty working memory.
    pub fn new() -> WorkingMemory {
        WorkingMemory {
            entries: 0,
            bytes: 0,
        }
    }

    /// Keeps one step's context.
    pub fn remember(&mut self, bytes: i64) {
        self.entries += 1;
        self.bytes += bytes;
        add(MemoryTier::Working, 1, bytes);
    }
}

impl Drop for WorkingMemory {
    fn drop(&mut self) {
        add(MemoryTier::Working, -self.entries, -self.bytes);
    }
}

/// Stores one fact learned by an orchestration, with its embedding.
pub fn learn_fact() {
    if KERNEL.memory_entries.get(MemoryTier::LongTerm).get() < LONG_TERM_CAPACITY {
        add(MemoryTier::LongTerm, 1, FACT_BYTES);
        add(MemoryTier::Vector, 1, EMBEDDING_BYTES);
    }
}
