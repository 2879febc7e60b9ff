//! What a native histogram is configured with: schema, zero bucket, bucket limit, and the
//! classic buckets it may keep alongside.

use super::index::{MAX_SCHEMA, MIN_SCHEMA};
use crate::histogram::Buckets;

/// The most buckets of each sign a native histogram can hold: the ring each sign's counts
/// live in has this many slots. At the coarsest schema (-4) every `f64` from `5e-324` to
/// `+Inf` fits in 134 buckets, so a histogram can always lower its schema far enough.
pub const NATIVE_MAX_BUCKETS: u16 = 160;

/// The schema used when none is configured: 8 buckets per power of two (each bucket about
/// 9% wider than the one before), client_golang's choice for its default bucket factor 1.1.
pub const DEFAULT_SCHEMA: i8 = 3;

/// The zero bucket's default half-width, 2^-128, as client_golang's.
pub const DEFAULT_ZERO_THRESHOLD: f64 = 2.938735877055719e-39;

/// Why a native histogram option was refused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NativeConfigError {
    /// The schema is outside `-4..=8`.
    Schema(i32),
    /// The zero threshold is negative, NaN or infinite.
    ZeroThreshold(f64),
    /// The bucket limit is 0 or above [`NATIVE_MAX_BUCKETS`].
    MaxBuckets(usize),
}

impl std::fmt::Display for NativeConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NativeConfigError::Schema(schema) => {
                write!(f, "native histogram schema {schema} is outside -4..=8")
            }
            NativeConfigError::ZeroThreshold(threshold) => write!(
                f,
                "native histogram zero threshold {threshold} is not a finite number >= 0"
            ),
            NativeConfigError::MaxBuckets(max) => write!(
                f,
                "native histogram bucket limit {max} is outside 1..={NATIVE_MAX_BUCKETS}"
            ),
        }
    }
}

impl std::error::Error for NativeConfigError {}

/// The options of a native histogram, shared by every series of a
/// [`Family`](crate::Family) of them.
///
/// Each `with_*` option has a `try_with_*` twin returning a `Result`, for values read at
/// run time; the plain form is `const`, meant for constants, where an invalid value stops the
/// build.
///
/// ```
/// use oxios_metrics::{Buckets, NativeConfig, NativeConfigError};
/// const CONFIG: NativeConfig = NativeConfig::new()
///     .with_schema(5)
///     .with_max_buckets(100)
///     .with_classic_buckets(Buckets::checked(&[0.1, 1.0]));
/// assert_eq!(CONFIG.schema(), 5);
/// assert_eq!(
///     NativeConfig::new().try_with_schema(9),
///     Err(NativeConfigError::Schema(9))
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct NativeConfig {
    schema: i8,
    zero_threshold: f64,
    max_buckets: u16,
    classic: Option<Buckets>,
}

impl NativeConfig {
    /// Schema 3, zero threshold 2^-128, at most 160 buckets of each sign, no classic buckets.
    pub const DEFAULT: NativeConfig = NativeConfig {
        schema: DEFAULT_SCHEMA,
        zero_threshold: DEFAULT_ZERO_THRESHOLD,
        max_buckets: NATIVE_MAX_BUCKETS,
        classic: None,
    };

    /// The default options ([`NativeConfig::DEFAULT`]).
    pub const fn new() -> Self {
        Self::DEFAULT
    }

    /// Sets the starting schema (`-4..=8`; higher is finer). The histogram lowers it by
    /// itself when the bucket limit is reached, never raises it.
    ///
    /// # Panics
    /// When `schema` is out of range: in a `const` or `static` initialiser that is a
    /// compile error. Use [`try_with_schema`](Self::try_with_schema) for run-time values.
    pub const fn with_schema(mut self, schema: i8) -> Self {
        self.set_schema(schema);
        self
    }

    /// Sets the starting schema, or says why it cannot be used.
    pub fn try_with_schema(mut self, schema: i32) -> Result<Self, NativeConfigError> {
        if !schema_ok(schema) {
            return Err(NativeConfigError::Schema(schema));
        }
        self.schema = schema as i8;
        Ok(self)
    }

    /// Sets the zero bucket's half-width: observations with `|v| <= threshold` are counted
    /// in the zero bucket (0 makes it hold exact zeros only).
    ///
    /// # Panics
    /// When `threshold` is negative, NaN or infinite (a compile error in `const` context).
    pub const fn with_zero_threshold(mut self, threshold: f64) -> Self {
        self.set_zero_threshold(threshold);
        self
    }

    /// Sets the zero bucket's half-width, or says why it cannot be used.
    pub fn try_with_zero_threshold(mut self, threshold: f64) -> Result<Self, NativeConfigError> {
        if !threshold_ok(threshold) {
            return Err(NativeConfigError::ZeroThreshold(threshold));
        }
        // `-0.0` passes `>= 0.0`; adding 0 makes it `0.0`, so no format writes `-0.0`.
        self.zero_threshold = threshold + 0.0;
        Ok(self)
    }

    /// Sets how many buckets each sign may span (from its lowest to its highest populated
    /// bucket, `1..=160`). An observation that would widen the span past it makes the
    /// histogram halve its resolution (schema − 1, adjacent buckets merged) until it fits;
    /// at schema -4, where no coarser schema exists, the span may grow to 160.
    ///
    /// # Panics
    /// When `max` is out of range (a compile error in `const` context).
    pub const fn with_max_buckets(mut self, max: usize) -> Self {
        self.set_max_buckets(max);
        self
    }

    /// Sets the bucket limit, or says why it cannot be used.
    pub fn try_with_max_buckets(mut self, max: usize) -> Result<Self, NativeConfigError> {
        if !max_buckets_ok(max) {
            return Err(NativeConfigError::MaxBuckets(max));
        }
        self.max_buckets = max as u16;
        Ok(self)
    }

    /// Keeps classic buckets too: every observation is also counted in them, and the text
    /// formats (which cannot carry native buckets) write them.
    ///
    /// # Panics
    /// When classic buckets were already set (a compile error in `const` context).
    pub const fn with_classic_buckets(mut self, buckets: Buckets) -> Self {
        self.set_classic_buckets(buckets);
        self
    }

    /// The starting schema.
    pub const fn schema(&self) -> i8 {
        self.schema
    }

    /// The zero bucket's half-width.
    pub const fn zero_threshold(&self) -> f64 {
        self.zero_threshold
    }

    /// The bucket limit per sign.
    pub const fn max_buckets(&self) -> usize {
        self.max_buckets as usize
    }

    /// The classic buckets kept alongside, if any.
    pub const fn classic_buckets(&self) -> Option<&Buckets> {
        self.classic.as_ref()
    }
}

/// In-place forms of the `const` builders, for the histograms' own builders (a `const fn`
/// cannot drop a value it replaces, and the configuration owns its classic buckets).
impl NativeConfig {
    pub(crate) const fn set_schema(&mut self, schema: i8) {
        if !schema_ok(schema as i32) {
            panic!("a native histogram schema must be in -4..=8");
        }
        self.schema = schema;
    }

    pub(crate) const fn set_zero_threshold(&mut self, threshold: f64) {
        if !threshold_ok(threshold) {
            panic!("a native histogram zero threshold must be finite and >= 0");
        }
        self.zero_threshold = threshold + 0.0;
    }

    pub(crate) const fn set_max_buckets(&mut self, max: usize) {
        if !max_buckets_ok(max) {
            panic!("a native histogram bucket limit must be in 1..=160");
        }
        self.max_buckets = max as u16;
    }

    pub(crate) const fn set_classic_buckets(&mut self, buckets: Buckets) {
        if self.classic.is_some() {
            panic!("a native histogram's classic buckets are set once");
        }
        // The value replaced is `None` (checked above): forgetting it releases nothing.
        std::mem::forget(self.classic.replace(buckets));
    }
}

const fn schema_ok(schema: i32) -> bool {
    schema >= MIN_SCHEMA as i32 && schema <= MAX_SCHEMA as i32
}

const fn threshold_ok(threshold: f64) -> bool {
    threshold.is_finite() && threshold >= 0.0
}

const fn max_buckets_ok(max: usize) -> bool {
    max >= 1 && max <= NATIVE_MAX_BUCKETS as usize
}

impl Default for NativeConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The `const` builder methods of the native histogram types, each a [`NativeConfig`]
/// setter applied to the type's `config` field, so both types document and check the same.
macro_rules! native_builders {
    () => {
        /// Sets the starting schema (see [`NativeConfig::with_schema`]; panics when out of
        /// range, at compile time in a `const`).
        pub const fn with_schema(mut self, schema: i8) -> Self {
            self.config.set_schema(schema);
            self
        }

        /// Sets the zero bucket's half-width (see [`NativeConfig::with_zero_threshold`]).
        pub const fn with_zero_threshold(mut self, threshold: f64) -> Self {
            self.config.set_zero_threshold(threshold);
            self
        }

        /// Sets the bucket limit per sign (see [`NativeConfig::with_max_buckets`]).
        pub const fn with_max_buckets(mut self, max: usize) -> Self {
            self.config.set_max_buckets(max);
            self
        }

        /// Keeps classic buckets alongside (see [`NativeConfig::with_classic_buckets`]).
        pub const fn with_classic_buckets(mut self, buckets: Buckets) -> Self {
            self.config.set_classic_buckets(buckets);
            self
        }

        /// The options.
        pub const fn config(&self) -> &NativeConfig {
            &self.config
        }
    };
}
pub(crate) use native_builders;
