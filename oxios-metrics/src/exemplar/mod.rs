//! Exemplars: one sampled observation (its trace and span ids, value and time) attached to a
//! counter or a histogram bucket, so a dashboard can jump from a metric to a trace.
//!
//! Exemplar storage is opt-in: [`ExemplarCounter`], [`ExemplarHistogram`] (one exemplar per
//! bucket) and [`ExemplarNativeHistogram`] (the latest few) carry it; plain
//! [`Counter`](crate::Counter), [`Histogram`](crate::Histogram) and
//! [`NativeHistogram`](crate::NativeHistogram) stay as small as they are.
//!
//! **Storage.** An [`ExemplarCell`] is fixed-size (176 bytes): the label text packed into
//! sixteen atomic words, the label lengths, value and timestamp, under a sequence number. A
//! writer makes the number odd with a compare-and-swap, stores the words and makes it even
//! again; a second writer arriving meanwhile finds it odd (or changed) and skips instead of
//! waiting, so recording never blocks and the cell keeps one of the two exemplars, each
//! whole. A reader copies the words and keeps the copy only if the number was even and
//! unchanged around it. No allocation, no lock, no `unsafe`.
//!
//! **Limits.** OpenMetrics allows at most 128 UTF-8 characters in an exemplar's label names
//! and values together; the cell holds 128 bytes and 8 labels, so every ASCII label set the
//! specification allows fits. A label set over any limit, or with an invalid label name, is
//! refused with an [`ExemplarError`] (the count or observation is still recorded, without
//! the exemplar): never truncated.
//!
//! **Exposition.** A scrape copies each exemplar ([`ExemplarSnapshot`]), renders its labels
//! on the stack ([`ExemplarSnapshot::render`]) and hands it to the format-generic encoder:
//! * OpenMetrics text writes it after its sample as
//!   `foo_total 5 # {trace_id="abc"} 1.0 1700000000.123`: the labels (values escaped), the
//!   exemplar's value and its timestamp in seconds since the Unix epoch (up to nanosecond
//!   digits, written exactly from the stored integer); OpenMetrics 2.0 after the composite
//!   value of a histogram;
//! * protobuf carries it in the `Counter`, in the histogram `Bucket` it falls in, and for a
//!   native histogram in `Histogram.exemplars` as well (older servers, Prometheus 2.42 among
//!   them, read a native histogram's exemplars only from its classic buckets);
//! * the Prometheus text formats 0.0.4 and 1.0.0 have no exemplars and write the sample
//!   alone (the exemplar is not even read there).

mod counter;
mod histogram;
mod native;

pub use counter::ExemplarCounter;
pub use histogram::{ExemplarHistogram, ExemplarHistogramCells, ExemplarHistogramRef};
pub use native::{
    ExemplarNativeCells, ExemplarNativeHistogram, ExemplarNativeHistogramRef, NATIVE_EXEMPLARS,
};

use std::sync::atomic::{fence, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::encode::{escape, AsExemplar, ExemplarRef, Timestamp};

/// The most UTF-8 characters an exemplar's label names and values may hold together (the
/// OpenMetrics limit).
pub const EXEMPLAR_MAX_CHARS: usize = 128;
/// The most bytes of label names and values an exemplar cell stores.
pub const EXEMPLAR_MAX_BYTES: usize = 128;
/// The most labels an exemplar may have.
pub const EXEMPLAR_MAX_LABELS: usize = 8;

const WORDS: usize = EXEMPLAR_MAX_BYTES / 8;

/// Why an exemplar was refused (the observation itself is always recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExemplarError {
    /// The label names and values hold more than 128 characters together.
    TooManyCharacters {
        /// How many they hold.
        chars: usize,
    },
    /// The label names and values take more than 128 bytes (non-ASCII text).
    TooManyBytes {
        /// How many they take.
        bytes: usize,
    },
    /// More than 8 labels.
    TooManyLabels {
        /// How many were given.
        labels: usize,
    },
    /// A label name outside `[a-zA-Z_][a-zA-Z0-9_]*` (or starting with `__`).
    InvalidLabelName {
        /// The position of the offending label.
        index: usize,
    },
    /// Two labels with the same name.
    DuplicateLabelName {
        /// The position of the second one.
        index: usize,
    },
}

impl std::fmt::Display for ExemplarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExemplarError::TooManyCharacters { chars } => write!(
                f,
                "exemplar labels hold {chars} characters; OpenMetrics allows {EXEMPLAR_MAX_CHARS}"
            ),
            ExemplarError::TooManyBytes { bytes } => write!(
                f,
                "exemplar labels take {bytes} bytes; an exemplar stores at most {EXEMPLAR_MAX_BYTES}"
            ),
            ExemplarError::TooManyLabels { labels } => write!(
                f,
                "an exemplar has at most {EXEMPLAR_MAX_LABELS} labels, not {labels}"
            ),
            ExemplarError::InvalidLabelName { index } => {
                write!(f, "exemplar label #{index} has an invalid name")
            }
            ExemplarError::DuplicateLabelName { index } => {
                write!(f, "exemplar label #{index} repeats an earlier label's name")
            }
        }
    }
}

impl std::error::Error for ExemplarError {}

/// Checks a label set against the limits and naming rules.
fn check(labels: &[(&str, &str)]) -> Result<(), ExemplarError> {
    if labels.len() > EXEMPLAR_MAX_LABELS {
        return Err(ExemplarError::TooManyLabels {
            labels: labels.len(),
        });
    }
    let (mut chars, mut bytes) = (0, 0);
    for (index, (name, value)) in labels.iter().enumerate() {
        if !is_label_name(name) {
            return Err(ExemplarError::InvalidLabelName { index });
        }
        if labels[..index].iter().any(|(earlier, _)| earlier == name) {
            return Err(ExemplarError::DuplicateLabelName { index });
        }
        // Trace and span ids are ASCII: one pass tells, and then characters are bytes.
        let value_chars = if value.is_ascii() {
            value.len()
        } else {
            value.chars().count()
        };
        chars += name.len() + value_chars;
        bytes += name.len() + value.len();
    }
    if chars > EXEMPLAR_MAX_CHARS {
        return Err(ExemplarError::TooManyCharacters { chars });
    }
    if bytes > EXEMPLAR_MAX_BYTES {
        return Err(ExemplarError::TooManyBytes { bytes });
    }
    Ok(())
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__` (the registry's rule for label names),
/// in one pass over the bytes.
fn is_label_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    match bytes.first() {
        Some(first) if first.is_ascii_alphabetic() || *first == b'_' => {}
        _ => return false,
    }
    !name.starts_with("__")
        && bytes[1..]
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'_')
}

/// Nanoseconds since the Unix epoch (0 for times before it, saturating far after it).
fn unix_nanos(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Storage for one exemplar (see the [module documentation](self)).
#[derive(Debug)]
pub struct ExemplarCell {
    sequence: AtomicU64,
    text: [AtomicU64; WORDS],
    /// Name and value length of each label, one byte each.
    lengths: [AtomicU64; 2],
    /// The number of labels.
    labels: AtomicU64,
    value_bits: AtomicU64,
    timestamp_nanos: AtomicU64,
}

impl Default for ExemplarCell {
    fn default() -> Self {
        Self::new()
    }
}

impl ExemplarCell {
    /// An empty cell.
    pub const fn new() -> Self {
        ExemplarCell {
            sequence: AtomicU64::new(0),
            text: [const { AtomicU64::new(0) }; WORDS],
            lengths: [const { AtomicU64::new(0) }; 2],
            labels: AtomicU64::new(0),
            value_bits: AtomicU64::new(0),
            timestamp_nanos: AtomicU64::new(0),
        }
    }

    /// Stores an exemplar, replacing the one held. Returns `Ok(false)` when another thread
    /// was storing one at the same moment (this one is skipped; the cell keeps the other).
    pub fn record(
        &self,
        labels: &[(&str, &str)],
        value: f64,
        at: SystemTime,
    ) -> Result<bool, ExemplarError> {
        check(labels)?;
        let mut text = [0u8; EXEMPLAR_MAX_BYTES];
        let mut lengths = [0u8; 2 * EXEMPLAR_MAX_LABELS];
        let mut end = 0;
        for (index, (name, value)) in labels.iter().enumerate() {
            text[end..end + name.len()].copy_from_slice(name.as_bytes());
            end += name.len();
            text[end..end + value.len()].copy_from_slice(value.as_bytes());
            end += value.len();
            // `check` bounded every length by 128.
            lengths[2 * index] = name.len() as u8;
            lengths[2 * index + 1] = value.len() as u8;
        }
        let sequence = self.sequence.load(Ordering::Relaxed);
        if sequence & 1 == 1
            || self
                .sequence
                .compare_exchange(sequence, sequence + 1, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return Ok(false);
        }
        // Orders the odd sequence number before the data: a reader that sees new data then
        // sees the number changed.
        fence(Ordering::Release);
        let used_words = end.div_ceil(8);
        for (word, chunk) in self.text.iter().zip(text.chunks_exact(8)).take(used_words) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            word.store(u64::from_le_bytes(bytes), Ordering::Relaxed);
        }
        for (word, chunk) in self.lengths.iter().zip(lengths.chunks_exact(8)) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            word.store(u64::from_le_bytes(bytes), Ordering::Relaxed);
        }
        self.labels.store(labels.len() as u64, Ordering::Relaxed);
        self.value_bits.store(value.to_bits(), Ordering::Relaxed);
        // 1 ns after the epoch at the earliest, so 0 can mean "never recorded".
        self.timestamp_nanos
            .store(unix_nanos(at).max(1), Ordering::Relaxed);
        self.sequence.store(sequence + 2, Ordering::Release);
        Ok(true)
    }

    /// Forgets the exemplar held (a writer storing one at this moment completes first, and
    /// its exemplar is forgotten too).
    ///
    /// Clearing is a write like any other: the sequence number moves on to a new even value
    /// with the timestamp set to 0 (never recorded), rather than going back to 0. Were it to
    /// go back, a reader that read the old number before the clear could find the same
    /// number again after the next exemplar was stored, and keep a copy mixing both.
    pub fn clear(&self) {
        let mut spins = 0u32;
        loop {
            let sequence = self.sequence.load(Ordering::Relaxed);
            if sequence & 1 == 0
                && self
                    .sequence
                    .compare_exchange(sequence, sequence + 1, Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok()
            {
                fence(Ordering::Release);
                self.labels.store(0, Ordering::Relaxed);
                self.timestamp_nanos.store(0, Ordering::Relaxed);
                self.sequence.store(sequence + 2, Ordering::Release);
                return;
            }
            // A writer is storing an exemplar: a few dozen stores, never a wait of its own.
            spins += 1;
            if spins < 64 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }

    /// A copy of the exemplar held, if one was recorded and a consistent copy could be taken
    /// (a reader retries a few times while a writer is storing, then gives up for this read).
    pub fn snapshot(&self) -> Option<ExemplarSnapshot> {
        for _ in 0..64 {
            let before = self.sequence.load(Ordering::Acquire);
            if before & 1 == 1 {
                std::hint::spin_loop();
                continue;
            }
            if before == 0 {
                return None;
            }
            let mut snapshot = ExemplarSnapshot {
                text: [0; EXEMPLAR_MAX_BYTES],
                lengths: [0; 2 * EXEMPLAR_MAX_LABELS],
                labels: 0,
                value: 0.0,
                timestamp_nanos: 0,
            };
            for (chunk, word) in snapshot.text.chunks_exact_mut(8).zip(&self.text) {
                chunk.copy_from_slice(&word.load(Ordering::Relaxed).to_le_bytes());
            }
            for (chunk, word) in snapshot.lengths.chunks_exact_mut(8).zip(&self.lengths) {
                chunk.copy_from_slice(&word.load(Ordering::Relaxed).to_le_bytes());
            }
            snapshot.labels = self.labels.load(Ordering::Relaxed) as usize;
            snapshot.value = f64::from_bits(self.value_bits.load(Ordering::Relaxed));
            snapshot.timestamp_nanos = self.timestamp_nanos.load(Ordering::Relaxed);
            fence(Ordering::Acquire);
            if self.sequence.load(Ordering::Relaxed) == before && snapshot.is_well_formed() {
                // A timestamp of 0 is a cleared cell (recorded ones are at least 1 ns).
                return (snapshot.timestamp_nanos != 0).then_some(snapshot);
            }
        }
        None
    }
}

/// A copy of one exemplar, for encoders.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExemplarSnapshot {
    text: [u8; EXEMPLAR_MAX_BYTES],
    lengths: [u8; 2 * EXEMPLAR_MAX_LABELS],
    labels: usize,
    value: f64,
    timestamp_nanos: u64,
}

impl ExemplarSnapshot {
    /// Whether the lengths describe valid UTF-8 text inside the buffer (always so for a
    /// consistent copy; checked so no read can index out of bounds or split a character).
    fn is_well_formed(&self) -> bool {
        if self.labels > EXEMPLAR_MAX_LABELS {
            return false;
        }
        let total: usize = self.lengths[..2 * self.labels]
            .iter()
            .map(|&len| usize::from(len))
            .sum();
        total <= EXEMPLAR_MAX_BYTES && self.pieces().all(|piece| piece.is_some())
    }

    fn pieces(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        let mut start = 0usize;
        self.lengths[..2 * self.labels.min(EXEMPLAR_MAX_LABELS)]
            .iter()
            .map(move |&len| {
                let end = start + usize::from(len);
                let piece = self
                    .text
                    .get(start..end)
                    .and_then(|bytes| std::str::from_utf8(bytes).ok());
                start = end;
                piece
            })
    }

    /// The labels as `(name, value)` pairs, in the order recorded.
    pub fn labels(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let mut pieces = self.pieces().map(|piece| piece.unwrap_or(""));
        std::iter::from_fn(move || Some((pieces.next()?, pieces.next()?)))
    }

    /// The exemplar's value (the observation, or a counter's increment).
    pub fn value(&self) -> f64 {
        self.value
    }

    /// When it was recorded, in nanoseconds since the Unix epoch.
    pub fn timestamp_nanos(&self) -> u64 {
        self.timestamp_nanos
    }

    /// When it was recorded.
    pub fn timestamp(&self) -> SystemTime {
        UNIX_EPOCH + std::time::Duration::from_nanos(self.timestamp_nanos)
    }

    /// The exemplar as the encoders take it: its labels rendered as `name="value"` pairs
    /// (values escaped) into fixed storage on the stack, with its value and timestamp.
    ///
    /// ```
    /// use oxios_metrics::ExemplarCounter;
    /// let counter = ExemplarCounter::new();
    /// counter.inc_with_exemplar(&[("trace_id", "4bf9"), ("note", "say \"hi\"")]).unwrap();
    /// let rendered = counter.exemplar().unwrap().render();
    /// let exemplar = rendered.as_exemplar_ref();
    /// assert_eq!(exemplar.labels, "trace_id=\"4bf9\",note=\"say \\\"hi\\\"\"");
    /// assert_eq!(exemplar.value, 1.0);
    /// ```
    pub fn render(&self) -> RenderedExemplar {
        let mut rendered = RenderedExemplar {
            text: [0; RENDERED_MAX_BYTES],
            len: 0,
            value: self.value,
            timestamp_nanos: self.timestamp_nanos,
        };
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            // The bound of RENDERED_MAX_BYTES covers every label set a cell can hold; a
            // copy that does not fit (none can) is cut rather than written out of bounds.
            let end = (at + bytes.len()).min(RENDERED_MAX_BYTES);
            rendered.text[at..end].copy_from_slice(&bytes[..end - at]);
            at = end;
        };
        for (index, (name, value)) in self.labels().enumerate() {
            if index > 0 {
                put(b",");
            }
            put(name.as_bytes());
            put(b"=\"");
            escape::label_value_pieces(value, &mut put);
            put(b"\"");
        }
        rendered.len = at;
        rendered
    }
}

/// The most bytes an exemplar's labels take rendered: names and values (128 bytes) with
/// every value byte escaped to two, plus `=""` and a comma per label.
const RENDERED_MAX_BYTES: usize = 2 * EXEMPLAR_MAX_BYTES + 4 * EXEMPLAR_MAX_LABELS;

/// An exemplar rendered for the encoders ([`ExemplarSnapshot::render`]): fixed-size, so a
/// scrape renders exemplars on its stack without allocating.
#[derive(Clone, Copy, Debug)]
pub struct RenderedExemplar {
    text: [u8; RENDERED_MAX_BYTES],
    len: usize,
    value: f64,
    timestamp_nanos: u64,
}

impl RenderedExemplar {
    /// The exemplar as [`MetricEncoder`](crate::MetricEncoder)'s series writers take it.
    pub fn as_exemplar_ref(&self) -> ExemplarRef<'_> {
        // Only whole UTF-8 labels and ASCII punctuation were copied in, so the text is
        // UTF-8; the fallback is never taken.
        let labels = std::str::from_utf8(&self.text[..self.len]).unwrap_or("");
        ExemplarRef {
            labels,
            value: self.value,
            timestamp: Some(Timestamp::from_unix_nanos(self.timestamp_nanos)),
        }
    }
}

impl AsExemplar for RenderedExemplar {
    fn exemplar(&self) -> ExemplarRef<'_> {
        self.as_exemplar_ref()
    }
}
