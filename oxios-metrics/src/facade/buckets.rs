//! Which buckets a histogram emitted through the facade gets: the first rule whose pattern
//! matches its family name, else the default set. A facade histogram is always a histogram
//! with buckets, never a summary.

use crate::histogram::{Buckets, DEFAULT_BUCKETS};

/// A pattern on a facade histogram's family name: the name as exposed, after sanitizing and
/// with the base unit's suffix (`request_latency_seconds`), without `_bucket`/`_sum`/`_count`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// The whole name.
    Full(String),
    /// The name starts with this.
    Prefix(String),
    /// The name ends with this.
    Suffix(String),
}

impl Matcher {
    /// Whether `name` matches.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Matcher::Full(full) => name == full,
            Matcher::Prefix(prefix) => name.starts_with(prefix.as_str()),
            Matcher::Suffix(suffix) => name.ends_with(suffix.as_str()),
        }
    }
}

/// Byte sizes from 64 B to 16 MiB, a factor of 4 apart: the default for names ending in
/// `_bytes`, where Prometheus' defaults (made for seconds) would put everything in `+Inf`.
pub const DEFAULT_BYTE_BUCKETS: &[f64] = &[
    64.0,
    256.0,
    1024.0,
    4096.0,
    16_384.0,
    65_536.0,
    262_144.0,
    1_048_576.0,
    4_194_304.0,
    16_777_216.0,
];

/// The rules in order, and the set for names no rule matches.
#[derive(Clone, Debug)]
pub(crate) struct BucketRules {
    pub(crate) rules: Vec<(Matcher, Buckets)>,
    pub(crate) fallback: Buckets,
}

impl Default for BucketRules {
    fn default() -> Self {
        BucketRules {
            rules: vec![(
                Matcher::Suffix("_bytes".to_owned()),
                Buckets::checked(DEFAULT_BYTE_BUCKETS),
            )],
            fallback: Buckets::checked(DEFAULT_BUCKETS),
        }
    }
}

impl BucketRules {
    /// The buckets for the family `name`.
    pub(crate) fn for_name(&self, name: &str) -> Buckets {
        self.rules
            .iter()
            .find(|(matcher, _)| matcher.matches(name))
            .map_or_else(|| self.fallback.clone(), |(_, buckets)| buckets.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_rule_wins() {
        let mut rules = BucketRules::default();
        let fast = Buckets::from_vec(vec![0.001, 0.01]).unwrap();
        rules
            .rules
            .insert(0, (Matcher::Prefix("rpc_".to_owned()), fast.clone()));
        assert_eq!(rules.for_name("rpc_latency_seconds"), fast);
        assert_eq!(rules.for_name("rpc_size_bytes"), fast);
        assert_eq!(rules.for_name("body_bytes").bounds(), DEFAULT_BYTE_BUCKETS);
        assert_eq!(rules.for_name("latency_seconds").bounds(), DEFAULT_BUCKETS);
        assert!(Matcher::Full("a".into()).matches("a"));
        assert!(!Matcher::Full("a".into()).matches("ab"));
        assert!(Matcher::Suffix("_seconds".into()).matches("x_seconds"));
    }
}
