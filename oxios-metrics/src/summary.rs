//! Summaries: `_sum`, `_count`, and quantiles over a sliding window of recent observations.
//!
//! **Estimator.** The window (`max_age`, 10 minutes unless configured) is split into
//! `age_buckets` slices (5 unless configured), each a *reservoir* of
//! [`SUMMARY_SAMPLES`] (128) samples kept as a uniform random sample of the observations
//! made during that slice (Vitter's algorithm R). A scrape merges the live slices, each
//! sample weighted by how many observations it stands for, and reads each quantile by rank.
//! As with client_golang's age buckets, the window covers between `(age_buckets - 1) /
//! age_buckets × max_age` and `max_age` of the past. Slices are numbered modulo 2^32 and
//! compared by wrapping distance, so the window slides however many slices the process
//! outlives (a 1 ms window in 5 slices passes 2^32 of them in ten days); where the count
//! wraps, an `age_buckets` that is not a power of two loses one slice's samples once.
//!
//! **Error.** The estimate is an observed value whose rank is off by a random amount: with
//! `m` retained samples (up to 128 × `age_buckets`) its standard deviation is about
//! `sqrt(q (1 - q) / m)` in rank. For the default 640 samples that is ±2% of rank at the
//! median and ±0.4% at the 0.99 quantile (one standard deviation). A slice that saw at most
//! 128 observations holds them all, so a window of at most 128 observations per slice gives
//! the exact sample quantile (nearest rank).
//!
//! **Cost.** `observe` reads the clock (`Instant::now()`), adds to the count, adds to the sum
//! (a compare-and-swap loop, as every float sum here), claims a reservoir position with one
//! compare-and-swap and stores one sample: no lock, no allocation, no waiting for a scrape.
//! Memory is fixed: about 8 KiB per series, inline, so a summary is built in `const`
//! context. A scrape copies and sorts at most 1,024 samples on its stack.
//!
//! **Edge values.** NaN is counted in `_count` but neither added to `_sum` (one NaN would
//! make it NaN for good, as [`Histogram`](crate::Histogram) avoids too) nor sampled for
//! quantiles. With no observation in the window a quantile is NaN.
//! OpenMetrics treats a summary's `_sum` as counter-like and forbids negative quantiles: an
//! OpenMetrics 1.0 exposition leaves out a NaN or negative `_sum` and negative quantile values
//! (the Prometheus text formats, OpenMetrics 2.0 and protobuf write them all).
//!
//! **Exposition.** Text writes one line per quantile (`quantile` the last label), `_sum` and
//! `_count` (and `_created` in OpenMetrics when asked for); OpenMetrics 2.0 one composite
//! value (`{count:…,sum:…,quantile:[0.5:…,…]}`); protobuf a `Summary` with its quantiles and
//! `created_timestamp`.
//!
//! A scrape racing an observation may see it counted in `_count` but not yet in `_sum` or the
//! samples, or (for that one sample) the value its slot held before.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::counter::add_f64;
use crate::encode::{MetricEncoder, SummaryValue, WriteLabels};
use crate::metric::configured_metric;

/// Samples kept per age bucket.
pub const SUMMARY_SAMPLES: usize = 128;
/// The most age buckets a summary can have.
pub const MAX_AGE_BUCKETS: usize = 8;
/// The most quantiles a summary can report.
pub const MAX_QUANTILES: usize = 16;
/// The quantiles reported when none are configured.
pub const DEFAULT_QUANTILES: &[f64] = &[0.5, 0.9, 0.99];
/// The window length used when none is configured (client_golang's `DefMaxAge`).
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(600);
/// The number of age buckets used when none is configured (client_golang's `DefAgeBuckets`).
pub const DEFAULT_AGE_BUCKETS: usize = 5;

/// Why a summary option was refused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SummaryConfigError {
    /// No quantile, or more than [`MAX_QUANTILES`].
    QuantileCount(usize),
    /// A quantile outside `[0, 1]` (or NaN), at this position.
    QuantileRange {
        /// The position of the offending quantile.
        index: usize,
    },
    /// A quantile not greater than the one before it, at this position.
    QuantileOrder {
        /// The position of the offending quantile.
        index: usize,
    },
    /// A zero window length.
    MaxAge,
    /// An age bucket count outside `1..=8`.
    AgeBuckets(usize),
}

impl std::fmt::Display for SummaryConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SummaryConfigError::QuantileCount(count) => write!(
                f,
                "a summary reports 1 to {MAX_QUANTILES} quantiles, not {count}"
            ),
            SummaryConfigError::QuantileRange { index } => {
                write!(f, "quantile #{index} is not in [0, 1]")
            }
            SummaryConfigError::QuantileOrder { index } => write!(
                f,
                "quantile #{index} is not greater than the one before it: quantiles must be sorted and distinct"
            ),
            SummaryConfigError::MaxAge => write!(f, "a summary's window must be longer than 0"),
            SummaryConfigError::AgeBuckets(count) => write!(
                f,
                "a summary has 1 to {MAX_AGE_BUCKETS} age buckets, not {count}"
            ),
        }
    }
}

impl std::error::Error for SummaryConfigError {}

/// The options of a summary, shared by every series of a [`Family`](crate::Family) of them.
///
/// ```
/// use std::time::Duration;
/// use oxios_metrics::{SummaryConfig, SummaryConfigError};
/// const CONFIG: SummaryConfig = SummaryConfig::new()
///     .with_quantiles(&[0.5, 0.99])
///     .with_max_age(Duration::from_secs(60))
///     .with_age_buckets(3);
/// assert_eq!(CONFIG.quantiles(), &[0.5, 0.99]);
/// assert_eq!(
///     SummaryConfig::new().try_with_quantiles(&[0.9, 0.5]),
///     Err(SummaryConfigError::QuantileOrder { index: 1 })
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SummaryConfig {
    quantiles: &'static [f64],
    max_age: Duration,
    age_buckets: u8,
}

impl SummaryConfig {
    /// Quantiles 0.5, 0.9 and 0.99 over a 10-minute window in 5 age buckets.
    pub const DEFAULT: SummaryConfig = SummaryConfig {
        quantiles: DEFAULT_QUANTILES,
        max_age: DEFAULT_MAX_AGE,
        age_buckets: DEFAULT_AGE_BUCKETS as u8,
    };

    /// The default options ([`SummaryConfig::DEFAULT`]).
    pub const fn new() -> Self {
        Self::DEFAULT
    }

    /// Sets the quantiles reported (each in `[0, 1]`, ascending, 1 to 16 of them).
    ///
    /// # Panics
    /// When the quantiles are invalid: in a `const` or `static` initialiser that is a compile
    /// error. Use [`try_with_quantiles`](Self::try_with_quantiles) for run-time values.
    pub const fn with_quantiles(self, quantiles: &'static [f64]) -> Self {
        match self.try_with_quantiles(quantiles) {
            Ok(config) => config,
            Err(_) => panic!("summary quantiles must be 1 to 16 ascending values in [0, 1]"),
        }
    }

    /// Sets the quantiles reported, or says why they cannot be used.
    pub const fn try_with_quantiles(
        mut self,
        quantiles: &'static [f64],
    ) -> Result<Self, SummaryConfigError> {
        if quantiles.is_empty() || quantiles.len() > MAX_QUANTILES {
            return Err(SummaryConfigError::QuantileCount(quantiles.len()));
        }
        let mut index = 0;
        while index < quantiles.len() {
            let quantile = quantiles[index];
            if !(quantile >= 0.0 && quantile <= 1.0) {
                return Err(SummaryConfigError::QuantileRange { index });
            }
            if index > 0 && quantile <= quantiles[index - 1] {
                return Err(SummaryConfigError::QuantileOrder { index });
            }
            index += 1;
        }
        self.quantiles = quantiles;
        Ok(self)
    }

    /// Sets how far back the quantiles look.
    ///
    /// # Panics
    /// When `max_age` is zero (a compile error in `const` context).
    pub const fn with_max_age(self, max_age: Duration) -> Self {
        match self.try_with_max_age(max_age) {
            Ok(config) => config,
            Err(_) => panic!("a summary's window must be longer than 0"),
        }
    }

    /// Sets how far back the quantiles look, or says why it cannot be used.
    pub const fn try_with_max_age(mut self, max_age: Duration) -> Result<Self, SummaryConfigError> {
        if max_age.is_zero() {
            return Err(SummaryConfigError::MaxAge);
        }
        self.max_age = max_age;
        Ok(self)
    }

    /// Sets how many slices the window rotates through (`1..=8`): more slices make the
    /// window slide more smoothly, each slice keeping its own 128 samples.
    ///
    /// # Panics
    /// When `count` is out of range (a compile error in `const` context).
    pub const fn with_age_buckets(self, count: usize) -> Self {
        match self.try_with_age_buckets(count) {
            Ok(config) => config,
            Err(_) => panic!("a summary has 1 to 8 age buckets"),
        }
    }

    /// Sets how many slices the window rotates through, or says why it cannot be used.
    pub const fn try_with_age_buckets(mut self, count: usize) -> Result<Self, SummaryConfigError> {
        if count == 0 || count > MAX_AGE_BUCKETS {
            return Err(SummaryConfigError::AgeBuckets(count));
        }
        self.age_buckets = count as u8;
        Ok(self)
    }

    /// The quantiles reported.
    pub const fn quantiles(&self) -> &'static [f64] {
        self.quantiles
    }

    /// The window length.
    pub const fn max_age(&self) -> Duration {
        self.max_age
    }

    /// The number of age buckets.
    pub const fn age_buckets(&self) -> usize {
        self.age_buckets as usize
    }

    /// The slice of time `at` falls in, counted modulo 2^32: a short window (1 ms in 5
    /// slices) passes 2^32 slices in ten days, so generations are compared by their wrapping
    /// distance ([`is_late`], [`SummaryRef::snapshot_at`]), never by their order as numbers.
    fn generation(&self, at: Instant) -> u32 {
        let slice = (self.max_age.as_nanos() / self.age_buckets as u128).max(1);
        let elapsed = at.saturating_duration_since(clock_origin()).as_nanos();
        // Truncation is the intended reduction modulo 2^32.
        (elapsed / slice) as u32
    }
}

impl Default for SummaryConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The instant generations are counted from (the first time any summary needs one).
fn clock_origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

/// A reservoir position for observation number `seen` of a slice: `seen` itself while the
/// reservoir fills, then a uniformly drawn position in `0..=seen` (kept if it is a slot).
#[inline]
fn reservoir_slot(seen: u32, generation: u32) -> Option<usize> {
    if (seen as usize) < SUMMARY_SAMPLES {
        return Some(seen as usize);
    }
    // splitmix64 of the observation's number: a fixed, well-mixed draw, no shared RNG state.
    let mut z = (u64::from(generation) << 32 | u64::from(seen)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    let position = ((u128::from(z) * (u128::from(seen) + 1)) >> 64) as usize;
    (position < SUMMARY_SAMPLES).then_some(position)
}

/// How many slices an observation may lag behind the newest one a slice holds and still be
/// taken as late (dropped, being older than that slice's window) rather than taking the
/// slice over: generations count modulo 2^32, so a slice left idle for nearly 2^32 slices
/// holds a number just "ahead" of the current one, and must not refuse it. A thread
/// descheduled between reading the clock and recording lags a slice or two; a replay through
/// [`Summary::observe_at`] more than 2^16 slices behind the newest observation (91 days in
/// the default 2-minute slices) takes a slice over instead of being dropped.
const LATE_HORIZON: u32 = 1 << 16;

/// Whether an observation of `generation` is late for a slice holding `held`: `held` is
/// newer, by less than [`LATE_HORIZON`] slices (distances taken modulo 2^32).
#[inline]
fn is_late(generation: u32, held: u32) -> bool {
    let ahead = held.wrapping_sub(generation);
    ahead != 0 && ahead < LATE_HORIZON
}

const EMPTY_SAMPLE: u64 = 0x7ff8_0000_0000_0000; // a NaN: never stored as a sample

/// One age bucket: its generation and observation count in one word, and its reservoir.
#[derive(Debug)]
struct Slice {
    /// `generation << 32 | observations seen` (saturating at `u32::MAX`).
    word: AtomicU64,
    samples: [AtomicU64; SUMMARY_SAMPLES],
}

impl Slice {
    const fn new() -> Self {
        Slice {
            word: AtomicU64::new(0),
            samples: [const { AtomicU64::new(EMPTY_SAMPLE) }; SUMMARY_SAMPLES],
        }
    }

    /// Claims the next observation number of `generation`, starting the slice afresh if it
    /// is unused or holds an older generation. `None` when the slice already holds a newer
    /// one (the observation is older than the whole window).
    #[inline]
    fn claim(&self, generation: u32) -> Option<u32> {
        let mut word = self.word.load(Ordering::Relaxed);
        loop {
            let held = (word >> 32) as u32;
            let seen = word as u32;
            // A slice in use has seen at least one observation: `seen == 0` marks it unused,
            // whatever generation number it holds.
            let (next, claimed) = if seen > 0 && held == generation {
                (word + u64::from(seen < u32::MAX), seen)
            } else if seen == 0 || !is_late(generation, held) {
                ((u64::from(generation) << 32) | 1, 0)
            } else {
                return None;
            };
            match self
                .word
                .compare_exchange_weak(word, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return Some(claimed),
                Err(actual) => word = actual,
            }
        }
    }
}

/// The counters of one summary series.
#[derive(Debug)]
pub struct SummaryCells {
    count: AtomicU64,
    sum_bits: AtomicU64,
    slices: [Slice; MAX_AGE_BUCKETS],
}

impl Default for SummaryCells {
    fn default() -> Self {
        Self::new()
    }
}

impl SummaryCells {
    /// Puts the series back to zero (a dynamic family reusing a removed series' slot).
    pub(crate) fn reset(&self) {
        self.count.store(0, Ordering::Relaxed);
        self.sum_bits.store(0, Ordering::Relaxed);
        for slice in &self.slices {
            slice.word.store(0, Ordering::Relaxed);
        }
    }

    /// Zeroed counters.
    pub const fn new() -> Self {
        SummaryCells {
            count: AtomicU64::new(0),
            sum_bits: AtomicU64::new(0),
            slices: [const { Slice::new() }; MAX_AGE_BUCKETS],
        }
    }
}

/// A point-in-time read of a summary series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SummarySnapshot {
    count: u64,
    sum: f64,
    quantiles: [(f64, f64); MAX_QUANTILES],
    quantile_count: usize,
}

impl SummarySnapshot {
    /// Every observation ever made, NaN included.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The sum of every observation (NaN excluded).
    pub fn sum(&self) -> f64 {
        self.sum
    }

    /// `(quantile, estimate)` for each configured quantile, ascending; the estimate is NaN
    /// when the window holds no observation.
    pub fn quantiles(&self) -> &[(f64, f64)] {
        &self.quantiles[..self.quantile_count]
    }

    /// The estimate for `quantile` if it is one of the configured ones.
    pub fn quantile(&self, quantile: f64) -> Option<f64> {
        self.quantiles()
            .iter()
            .find(|(q, _)| *q == quantile)
            .map(|&(_, value)| value)
    }
}

/// A summary.
///
/// ```
/// use oxios_metrics::Summary;
/// static SIZES: Summary = Summary::new().with_quantiles(&[0.5, 1.0]);
/// for size in 1..=100 {
///     SIZES.observe(f64::from(size));
/// }
/// let snapshot = SIZES.snapshot();
/// assert_eq!((snapshot.count(), snapshot.sum()), (100, 5050.0));
/// assert_eq!(snapshot.quantile(0.5), Some(50.0)); // nearest rank: exact below 128 per slice
/// assert_eq!(snapshot.quantile(1.0), Some(100.0));
/// ```
#[derive(Debug)]
pub struct Summary {
    config: SummaryConfig,
    cells: SummaryCells,
}

impl Summary {
    /// A summary with the default options ([`SummaryConfig::DEFAULT`]).
    pub const fn new() -> Self {
        Self::with_config(SummaryConfig::DEFAULT)
    }

    /// A summary with `config`.
    pub const fn with_config(config: SummaryConfig) -> Self {
        Summary {
            config,
            cells: SummaryCells::new(),
        }
    }

    /// Sets the quantiles (see [`SummaryConfig::with_quantiles`]; panics when invalid).
    pub const fn with_quantiles(mut self, quantiles: &'static [f64]) -> Self {
        self.config = self.config.with_quantiles(quantiles);
        self
    }

    /// Sets the window length (see [`SummaryConfig::with_max_age`]).
    pub const fn with_max_age(mut self, max_age: Duration) -> Self {
        self.config = self.config.with_max_age(max_age);
        self
    }

    /// Sets the number of age buckets (see [`SummaryConfig::with_age_buckets`]).
    pub const fn with_age_buckets(mut self, count: usize) -> Self {
        self.config = self.config.with_age_buckets(count);
        self
    }

    /// The options.
    pub const fn config(&self) -> &SummaryConfig {
        &self.config
    }

    /// The reference form shared with family members.
    #[inline]
    pub fn as_ref(&self) -> SummaryRef<'_> {
        SummaryRef {
            config: &self.config,
            cells: &self.cells,
        }
    }

    /// Records one observation now.
    #[inline]
    pub fn observe(&self, value: f64) {
        self.as_ref().observe(value);
    }

    /// Records one observation made at `at` (replaying, or driving the window from a clock
    /// of the caller's, as tests do).
    #[inline]
    pub fn observe_at(&self, value: f64, at: Instant) {
        self.as_ref().observe_at(value, at);
    }

    /// Count, sum and quantiles now.
    pub fn snapshot(&self) -> SummarySnapshot {
        self.as_ref().snapshot()
    }

    /// Count, sum and quantiles as of `at`.
    pub fn snapshot_at(&self, at: Instant) -> SummarySnapshot {
        self.as_ref().snapshot_at(at)
    }
}

impl Default for Summary {
    fn default() -> Self {
        Self::new()
    }
}

/// A summary series: a plain [`Summary`] or one member of a [`Family`](crate::Family) of
/// them.
#[derive(Clone, Copy, Debug)]
pub struct SummaryRef<'a> {
    config: &'a SummaryConfig,
    cells: &'a SummaryCells,
}

impl SummaryRef<'_> {
    /// Records one observation now.
    #[inline]
    pub fn observe(self, value: f64) {
        self.observe_at(value, Instant::now());
    }

    /// Records one observation made at `at`.
    #[inline]
    pub fn observe_at(self, value: f64, at: Instant) {
        self.cells.count.fetch_add(1, Ordering::Relaxed);
        if value.is_nan() {
            return;
        }
        add_f64(&self.cells.sum_bits, value);
        let generation = self.config.generation(at);
        let slice = &self.cells.slices[generation as usize % self.config.age_buckets as usize];
        if let Some(slot) = slice
            .claim(generation)
            .and_then(|seen| reservoir_slot(seen, generation))
        {
            slice.samples[slot].store(value.to_bits(), Ordering::Relaxed);
        }
    }

    /// Count, sum and quantiles now.
    pub fn snapshot(self) -> SummarySnapshot {
        self.snapshot_at(Instant::now())
    }

    /// Count, sum and quantiles as of `at`: the quantiles cover the slices that are at most
    /// `age_buckets - 1` slices older than the one `at` falls in.
    pub fn snapshot_at(self, at: Instant) -> SummarySnapshot {
        let config = self.config;
        let now = config.generation(at);
        // (value, weight) of every live sample.
        let mut samples = [(0.0f64, 0.0f64); SUMMARY_SAMPLES * MAX_AGE_BUCKETS];
        let mut len = 0;
        for slice in &self.cells.slices[..config.age_buckets as usize] {
            let word = slice.word.load(Ordering::Relaxed);
            let (generation, seen) = ((word >> 32) as u32, word as u32);
            // Live: used, and at most `age_buckets - 1` slices older than `at`'s (a slice
            // newer than `at` is a wrapping distance near 2^32 away, and skipped too).
            if seen == 0 || now.wrapping_sub(generation) >= u32::from(config.age_buckets) {
                continue;
            }
            let start = len;
            for cell in &slice.samples[..(seen as usize).min(SUMMARY_SAMPLES)] {
                let value = f64::from_bits(cell.load(Ordering::Relaxed));
                if !value.is_nan() {
                    samples[len].0 = value;
                    len += 1;
                }
            }
            let kept = len - start;
            if kept > 0 {
                let weight = f64::from(seen) / kept as f64;
                for sample in &mut samples[start..len] {
                    sample.1 = weight;
                }
            }
        }
        let samples = &mut samples[..len];
        samples.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let total: f64 = samples.iter().map(|sample| sample.1).sum();
        let mut quantiles = [(0.0, f64::NAN); MAX_QUANTILES];
        for (slot, &quantile) in quantiles.iter_mut().zip(config.quantiles) {
            *slot = (quantile, rank_value(samples, total, quantile));
        }
        SummarySnapshot {
            count: self.cells.count.load(Ordering::Relaxed),
            sum: f64::from_bits(self.cells.sum_bits.load(Ordering::Relaxed)),
            quantiles,
            quantile_count: config.quantiles.len(),
        }
    }

    fn encode_with(self, labels: &dyn WriteLabels, encoder: &mut MetricEncoder<'_>) {
        let snapshot = self.snapshot();
        encoder.summary(
            labels,
            &SummaryValue {
                quantiles: snapshot.quantiles(),
                count: snapshot.count(),
                sum: snapshot.sum(),
                created: None,
            },
        );
    }
}

/// The value at `quantile` of weighted samples sorted by value: the first whose cumulative
/// weight reaches `quantile × total` (nearest rank; the smallest for quantile 0).
fn rank_value(samples: &[(f64, f64)], total: f64, quantile: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let target = quantile * total;
    let mut cumulative = 0.0;
    for &(value, weight) in samples {
        cumulative += weight;
        // A small tolerance keeps float rounding of the weights from skipping the sample a
        // whole rank lands on (e.g. 0.5 × 100 against a cumulative of 49.999999).
        if cumulative >= target * (1.0 - 1e-12) {
            return value;
        }
    }
    samples[samples.len() - 1].0
}

configured_metric!(Summary: Summary, series SummaryCells, config SummaryConfig = SummaryConfig::DEFAULT,
    handle SummaryRef { config });
