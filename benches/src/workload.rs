//! The input every implementation gets: the same buckets, values, labels and order.

/// Histogram bucket bounds: `exponential(0.01, 2.0, 10)`, the tool-duration buckets of the
/// design's example.
pub const BUCKETS: [f64; 10] = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12];

/// How many entries the cycling tables hold; a power of two so the index is a mask.
pub const CYCLE: usize = 1024;

/// Number of distinct values of the dynamic label.
pub const DYNAMIC_VALUES: usize = 1000;

/// Number of series in the exposition case.
pub const ENCODE_SERIES: usize = 10_000;

/// Number of combinations of the fixed two-label set (3 tools × 2 outcomes).
pub const FIXED_COMBINATIONS: usize = 6;

/// A small deterministic generator, so runs are repeatable without a dependency.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `CYCLE` observations spread log-uniformly over 0.005 .. 10.24, so every bucket (and `+Inf`)
/// is hit and the bucket search cannot be predicted from the previous value.
pub fn observations() -> Vec<f64> {
    let mut random = SplitMix(0x006f_7869_6f73);
    (0..CYCLE)
        .map(|_| {
            let unit = (random.next() >> 11) as f64 / (1u64 << 53) as f64;
            0.005 * 2f64.powf(unit * 11.0)
        })
        .collect()
}

/// `CYCLE` indices below `bound`, in a shuffled order that visits each value about equally.
pub fn cycling_order(bound: usize) -> Vec<usize> {
    let mut random = SplitMix(0x006d_6574_7269_6373 ^ bound as u64);
    let mut order: Vec<usize> = (0..CYCLE).map(|i| i % bound).collect();
    for i in (1..order.len()).rev() {
        let j = (random.next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// The dynamic label's values: `user-0000` .. `user-0999`.
pub fn user_names() -> Vec<String> {
    (0..DYNAMIC_VALUES)
        .map(|i| format!("user-{i:04}"))
        .collect()
}

/// The exposition case's label values: `/api/v1/items/0` .. `/api/v1/items/9999`.
pub fn paths() -> Vec<String> {
    (0..ENCODE_SERIES)
        .map(|i| format!("/api/v1/items/{i}"))
        .collect()
}

/// The counter value of series `index` in the exposition case (varied digit counts).
pub fn series_value(index: usize) -> u64 {
    (index as u64).wrapping_mul(7919) % 1_000_003
}

/// Tool names of the fixed label set, by tool ordinal.
pub const TOOLS: [&str; 3] = ["shell", "web_fetch", "file_read"];

/// Outcome names of the fixed label set, by outcome ordinal.
pub const OUTCOMES: [&str; 2] = ["ok", "error"];

/// Splits a combination number (below [`FIXED_COMBINATIONS`]) into (tool, outcome) ordinals.
pub fn split_combination(combination: usize) -> (usize, usize) {
    (combination / 2, combination % 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_hit_every_bucket_and_inf() {
        let mut hits = [0usize; BUCKETS.len() + 1];
        for value in observations() {
            let index = BUCKETS.partition_point(|&bound| bound < value);
            hits[index] += 1;
        }
        assert!(hits.iter().all(|&h| h > 0), "bucket hits {hits:?}");
    }

    #[test]
    fn cycling_order_covers_every_value() {
        for bound in [FIXED_COMBINATIONS, DYNAMIC_VALUES] {
            let order = cycling_order(bound);
            assert_eq!(order.len(), CYCLE);
            let mut seen = vec![false; bound];
            for &i in &order {
                seen[i] = true;
            }
            assert!(seen.iter().all(|&s| s), "bound {bound}");
        }
    }
}
