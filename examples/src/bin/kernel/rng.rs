//! A small deterministic-per-seed random source for the simulation (xorshift64*): the demo
//! needs plausible variety, not cryptographic or statistical quality, and no extra crate.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// xorshift64* state (never zero).
pub struct Rng(u64);

impl Rng {
    /// A generator with a seed of its own (distinct for every call in this process).
    pub fn fresh() -> Rng {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let clock = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos() as u64);
        let sequence = NEXT.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        // A zero state would stay zero forever.
        Rng((clock ^ sequence) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Milliseconds between `low` and `high`, skewed towards `low` like real latencies.
    pub fn latency_ms(&mut self, low: f64, high: f64) -> u64 {
        let skewed = self.unit() * self.unit();
        (low + (high - low) * skewed) as u64
    }
}
