//! The protobuf exposition: length-delimited `io.prometheus.client.MetricFamily` messages,
//! written straight into the output buffer with no intermediate message objects.
//!
//! Field numbers are those of `io/prometheus/client/metrics.proto` (client_model):
//!
//! | message | fields |
//! |---|---|
//! | `MetricFamily` | 1 name, 2 help, 3 type, 4 metric (repeated), 5 unit |
//! | `Metric` | 1 label (repeated), 2 gauge, 3 counter, 4 summary, 5 untyped, 7 histogram, 6 timestamp_ms |
//! | `LabelPair` | 1 name, 2 value |
//! | `Gauge`, `Untyped` | 1 value |
//! | `Counter` | 1 value, 2 exemplar, 3 created_timestamp |
//! | `Summary` | 1 sample_count, 2 sample_sum, 3 quantile (repeated), 4 created_timestamp |
//! | `Quantile` | 1 quantile, 2 value |
//! | `Histogram` | 1 sample_count, 2 sample_sum, 3 bucket (repeated), 15 created_timestamp, 5 schema (sint32), 6 zero_threshold, 7 zero_count, 9 negative_span, 10 negative_delta (sint64), 12 positive_span, 13 positive_delta (sint64), 16 exemplars |
//! | `Bucket` | 1 cumulative_count, 2 upper_bound, 3 exemplar |
//! | `BucketSpan` | 1 offset (sint32), 2 length (uint32) |
//! | `Exemplar` | 1 label (repeated), 2 value, 3 timestamp |
//! | `google.protobuf.Timestamp` | 1 seconds (int64), 2 nanos (int32) |
//!
//! A nested message's length is known only once its body is written, so each one starts
//! with a one-byte length placeholder that [`close`] fills in; the rare body of 128 bytes
//! or more is moved up by the extra length bytes (a `memmove` inside the buffer, never an
//! allocation once the buffer is warm). Repeated scalars (`*_delta`) are written packed,
//! which every protobuf parser must accept for proto2 fields too.

use super::escape;
use super::format::Escaping;
use super::name_escaping::{self, NameSyntax};

const VARINT: u32 = 0;
const FIXED64: u32 = 1;
const LENGTH_DELIMITED: u32 = 2;

/// The `MetricType` enum of `metrics.proto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProtoType {
    Counter = 0,
    Gauge = 1,
    Summary = 2,
    Histogram = 4,
}

/// Appends `value` as a base-128 varint.
pub(crate) fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub(crate) fn varint_len(value: u64) -> usize {
    // One byte per started group of 7 bits; zero takes one byte.
    (64 - (value | 1).leading_zeros() as usize).div_ceil(7)
}

fn key(out: &mut Vec<u8>, field: u32, wire_type: u32) {
    varint(out, u64::from(field << 3 | wire_type));
}

/// A `double` field.
pub(crate) fn double(out: &mut Vec<u8>, field: u32, value: f64) {
    key(out, field, FIXED64);
    out.extend_from_slice(&value.to_le_bytes());
}

/// A `uint64` (or `uint32`, or enum) field.
pub(crate) fn uint64(out: &mut Vec<u8>, field: u32, value: u64) {
    key(out, field, VARINT);
    varint(out, value);
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

/// A `sint32` or `sint64` field (zigzag-encoded).
pub(crate) fn sint64(out: &mut Vec<u8>, field: u32, value: i64) {
    key(out, field, VARINT);
    varint(out, zigzag(value));
}

/// A `string` or `bytes` field.
pub(crate) fn bytes(out: &mut Vec<u8>, field: u32, value: &[u8]) {
    key(out, field, LENGTH_DELIMITED);
    varint(out, value.len() as u64);
    out.extend_from_slice(value);
}

/// A length-delimited value being written: where its body starts.
#[must_use = "a nested message must be closed"]
#[derive(Debug)]
pub(crate) struct Open(usize);

/// Starts a nested message (or any length-delimited field) numbered `field`.
pub(crate) fn open(out: &mut Vec<u8>, field: u32) -> Open {
    key(out, field, LENGTH_DELIMITED);
    out.push(0);
    Open(out.len())
}

/// Starts a top-level message framed by its varint length (the `encoding=delimited` stream).
pub(crate) fn open_delimited(out: &mut Vec<u8>) -> Open {
    out.push(0);
    Open(out.len())
}

/// Ends a value started by [`open`] or [`open_delimited`], writing its length.
pub(crate) fn close(out: &mut Vec<u8>, open: Open) {
    let start = open.0;
    let length = out.len() - start;
    let size = varint_len(length as u64);
    if size == 1 {
        out[start - 1] = length as u8;
        return;
    }
    let extra = size - 1;
    out.resize(out.len() + extra, 0);
    out.copy_within(start..start + length, start + extra);
    let mut digits = [0u8; 10];
    let mut value = length as u64;
    let mut count = 0;
    while value >= 0x80 {
        digits[count] = (value as u8) | 0x80;
        value >>= 7;
        count += 1;
    }
    digits[count] = value as u8;
    count += 1;
    out[start - 1..start - 1 + count].copy_from_slice(&digits[..count]);
}

/// A point in time as `google.protobuf.Timestamp` and OpenMetrics carry it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    unix_nanos: u64,
}

impl Timestamp {
    /// The time `unix_nanos` nanoseconds after the Unix epoch.
    pub const fn from_unix_nanos(unix_nanos: u64) -> Timestamp {
        Timestamp { unix_nanos }
    }

    /// The current time. A clock set before the epoch reads as the epoch.
    pub fn now() -> Timestamp {
        Timestamp::from_system_time(std::time::SystemTime::now())
    }

    /// The same time, to the millisecond below (Prometheus keeps times in milliseconds, and
    /// `_created` then reads `1.700000000123e+09` rather than seventeen digits).
    pub const fn truncated_to_millis(self) -> Timestamp {
        Timestamp {
            unix_nanos: self.unix_nanos / 1_000_000 * 1_000_000,
        }
    }

    /// `time` as a timestamp (the epoch for times before it, which no scrape carries).
    pub fn from_system_time(time: std::time::SystemTime) -> Timestamp {
        let nanos = time
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| {
                u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
            });
        Timestamp { unix_nanos: nanos }
    }

    /// Nanoseconds since the Unix epoch.
    pub const fn unix_nanos(self) -> u64 {
        self.unix_nanos
    }

    /// Seconds since the Unix epoch as OpenMetrics writes them (`_created`, exemplar
    /// timestamps): whole seconds plus the fraction, so a millisecond time such as
    /// `1520430000.123` is the `f64` nearest it (`1.520430000123e+09`). Dividing the
    /// nanoseconds by 10^9 in one step, as Prometheus' Go encoder does, rounds twice and
    /// can miss it in the last digit (`1.5204300001230001e+09`).
    pub fn as_seconds_f64(self) -> f64 {
        let seconds = self.unix_nanos / 1_000_000_000;
        let nanos = self.unix_nanos % 1_000_000_000;
        seconds as f64 + nanos as f64 / 1e9
    }

    /// Appends the seconds since the Unix epoch in decimal, exactly: the whole seconds, then
    /// the nanoseconds without their trailing zeros (`1700000000`, `1700000000.123`,
    /// `1700000002.000000005`), as OpenMetrics writes exemplar timestamps.
    pub(crate) fn write_seconds(self, out: &mut Vec<u8>) {
        let seconds = self.unix_nanos / 1_000_000_000;
        let nanos = self.unix_nanos % 1_000_000_000;
        out.extend_from_slice(itoa::Buffer::new().format(seconds).as_bytes());
        if nanos == 0 {
            return;
        }
        let mut digits = [b'0'; 9];
        let mut rest = nanos;
        for digit in digits.iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let significant = 9 - digits
            .iter()
            .rev()
            .take_while(|&&digit| digit == b'0')
            .count();
        out.push(b'.');
        out.extend_from_slice(&digits[..significant]);
    }
}

/// A `google.protobuf.Timestamp` field.
pub(crate) fn timestamp(out: &mut Vec<u8>, field: u32, time: Timestamp) {
    let message = open(out, field);
    let seconds = time.unix_nanos / 1_000_000_000;
    let nanos = time.unix_nanos % 1_000_000_000;
    if seconds != 0 {
        uint64(out, 1, seconds);
    }
    if nanos != 0 {
        uint64(out, 2, nanos);
    }
    close(out, message);
}

/// A string field holding a metric or label name escaped by `scheme` (plain bytes with
/// `allow-utf-8`) followed by `suffix`.
pub(crate) fn name(out: &mut Vec<u8>, field: u32, name: &str, suffix: &str, scheme: Escaping) {
    let string = open(out, field);
    name_escaping::write_name(out, name, scheme, NameSyntax::Plain);
    out.extend_from_slice(suffix.as_bytes());
    close(out, string);
}

/// A `LabelPair` (field `field` of the enclosing message) with a value given as it is.
pub(crate) fn label_pair(
    out: &mut Vec<u8>,
    field: u32,
    label: &str,
    value: &str,
    scheme: Escaping,
) {
    let pair = open(out, field);
    name(out, 1, label, "", scheme);
    bytes(out, 2, value.as_bytes());
    close(out, pair);
}

/// A `LabelPair` whose value is given escaped for the text formats (`\\`, `\"`, `\n`):
/// the protobuf string holds the value itself.
pub(crate) fn label_pair_escaped(
    out: &mut Vec<u8>,
    field: u32,
    label: &str,
    escaped_value: &str,
    scheme: Escaping,
) {
    let pair = open(out, field);
    name(out, 1, label, "", scheme);
    let value = open(out, 2);
    escape::unescape_label_value(out, escaped_value);
    close(out, value);
    close(out, pair);
}

/// One `LabelPair` per label of rendered label text (`a="x",b="y \"q\""`, as the derives
/// and [`LabelWriter::rendered`](super::LabelWriter::rendered) hold it). Text that is not a
/// well-formed rendering ends the walk at the first malformed pair; the registry checks
/// constant labels at registration, so that only happens for a hand-written label set that
/// renders garbage.
pub(crate) fn rendered_label_pairs(
    out: &mut Vec<u8>,
    field: u32,
    rendered: &str,
    scheme: Escaping,
) {
    let mut rest = rendered;
    while let Some((label, after)) = rest.split_once("=\"") {
        let Some(end) = escape::closing_quote(after) else {
            return;
        };
        label_pair_escaped(out, field, label, &after[..end], scheme);
        rest = &after[end + 1..];
        match rest.strip_prefix(',') {
            Some(next) => rest = next,
            None => return,
        }
    }
}

/// An exemplar as the exposition writes it: its labels already rendered (`trace_id="…"`),
/// its value, and when it was recorded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExemplarRef<'a> {
    /// Rendered labels, `name="value"` pairs joined by commas (may be empty).
    pub labels: &'a str,
    /// The observed value.
    pub value: f64,
    /// When it was observed, if known.
    pub timestamp: Option<Timestamp>,
}

/// An `Exemplar` message as field `field`.
pub(crate) fn exemplar(out: &mut Vec<u8>, field: u32, exemplar: &ExemplarRef<'_>) {
    let message = open(out, field);
    // Exemplar label names are trace and span ids: never escaped.
    rendered_label_pairs(out, 1, exemplar.labels, Escaping::AllowUtf8);
    double(out, 2, exemplar.value);
    if let Some(time) = exemplar.timestamp {
        timestamp(out, 3, time);
    }
    close(out, message);
}

/// Gaps of at most this many empty buckets are bridged with zero counts rather than a new
/// span, as the Go client does: a span costs more bytes than two zeros.
const BRIDGED_GAP: i32 = 2;

/// The runs of one side of a native histogram whose populated buckets are `(index, count)`
/// pairs in increasing index order, as `(first index, length)`: populated buckets, with gaps
/// of up to [`BRIDGED_GAP`] empty buckets kept inside a run. Every layout of native buckets
/// (protobuf spans, OpenMetrics 2.0 spans, [`NativeBuckets::runs`](crate::native::NativeBuckets::runs))
/// comes from here.
pub(crate) fn bucket_runs<I>(buckets: I) -> impl Iterator<Item = (i32, u32)>
where
    I: Iterator<Item = (i32, u64)>,
{
    let mut populated = buckets.peekable();
    std::iter::from_fn(move || {
        let (start, _) = populated.next()?;
        let mut end = start;
        while let Some(&(next, _)) = populated.peek() {
            if next - end - 1 > BRIDGED_GAP {
                break;
            }
            end = next;
            populated.next();
        }
        Some((start, (end - start + 1) as u32))
    })
}

/// The runs of [`bucket_runs`] as spans, `(offset, length)`: the first offset is the first
/// index, later ones the gap after the span before.
pub(crate) fn bucket_spans<I>(buckets: I) -> impl Iterator<Item = (i32, u32)>
where
    I: Iterator<Item = (i32, u64)>,
{
    let mut previous_end: Option<i32> = None;
    bucket_runs(buckets).map(move |(start, length)| {
        let offset = previous_end.map_or(start, |end| start - end);
        previous_end = Some(start + length as i32);
        (offset, length)
    })
}

/// The count of every bucket the runs of [`bucket_runs`] cover, in order: the buckets'
/// counts with the bridged gaps as zeros.
pub(crate) fn bucket_span_counts<I>(buckets: I) -> impl Iterator<Item = u64>
where
    I: Iterator<Item = (i32, u64)>,
{
    let mut next_index: Option<i32> = None;
    buckets.flat_map(move |(index, count)| {
        let gap = next_index.map_or(0, |next| index - next);
        next_index = Some(index + 1);
        // A gap too wide to bridge starts a new span: no zeros for it.
        let zeros = if gap <= BRIDGED_GAP { gap as usize } else { 0 };
        std::iter::repeat_n(0, zeros).chain(std::iter::once(count))
    })
}

/// Writes the spans (field `span_field`) and packed deltas (field `delta_field`) of one side
/// of a native histogram from its buckets: `(index, count)` pairs in increasing index order,
/// count non-zero.
pub(crate) fn native_buckets<I>(out: &mut Vec<u8>, span_field: u32, delta_field: u32, buckets: I)
where
    I: Iterator<Item = (i32, u64)> + Clone,
{
    let mut any = false;
    for (offset, length) in bucket_spans(buckets.clone()) {
        any = true;
        write_span(out, span_field, i64::from(offset), length);
    }
    if !any {
        return;
    }
    let deltas = open(out, delta_field);
    let mut previous: i64 = 0;
    for count in bucket_span_counts(buckets) {
        let count = count as i64;
        varint(out, zigzag(count.wrapping_sub(previous)));
        previous = count;
    }
    close(out, deltas);
}

fn write_span(out: &mut Vec<u8>, field: u32, offset: i64, length: u32) {
    let message = open(out, field);
    sint64(out, 1, offset);
    uint64(out, 2, u64::from(length));
    close(out, message);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_written_as_exact_decimal_seconds() {
        for (nanos, text) in [
            (0, "0"),
            (1, "0.000000001"),
            (1_700_000_000_000_000_000, "1700000000"),
            (1_700_000_000_123_000_000, "1700000000.123"),
            (1_700_000_002_000_000_005, "1700000002.000000005"),
            (1_700_000_000_100_000_000, "1700000000.1"),
            (u64::MAX, "18446744073.709551615"),
        ] {
            let mut out = Vec::new();
            Timestamp::from_unix_nanos(nanos).write_seconds(&mut out);
            assert_eq!(String::from_utf8(out).unwrap(), text, "{nanos}");
        }
    }

    #[test]
    fn timestamps_read_as_seconds() {
        let created = Timestamp::from_unix_nanos(1_520_430_000_123_000_000);
        assert_eq!(created.as_seconds_f64(), 1_520_430_000.123);
        assert_eq!(Timestamp::from_unix_nanos(0).as_seconds_f64(), 0.0);
        assert_eq!(
            Timestamp::from_unix_nanos(1_500_000_000).as_seconds_f64(),
            1.5
        );
        let later = std::time::UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 5);
        assert_eq!(
            Timestamp::from_system_time(later).unix_nanos(),
            1_700_000_000_000_000_005
        );
        let before = std::time::UNIX_EPOCH - std::time::Duration::from_secs(1);
        assert_eq!(Timestamp::from_system_time(before).unix_nanos(), 0);
    }

    #[test]
    fn varints_match_the_encoding_examples() {
        for (value, bytes) in [
            (0u64, &[0x00][..]),
            (1, &[0x01]),
            (127, &[0x7f]),
            (128, &[0x80, 0x01]),
            (150, &[0x96, 0x01]),
            (300, &[0xac, 0x02]),
            (
                u64::MAX,
                &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
        ] {
            let mut out = Vec::new();
            varint(&mut out, value);
            assert_eq!(out, bytes, "{value}");
            assert_eq!(varint_len(value), bytes.len(), "{value}");
        }
    }

    #[test]
    fn zigzag_matches_the_encoding_examples() {
        for (value, encoded) in [
            (0, 0),
            (-1, 1),
            (1, 2),
            (-2, 3),
            (i64::MAX, u64::MAX - 1),
            (i64::MIN, u64::MAX),
        ] {
            assert_eq!(zigzag(value), encoded, "{value}");
        }
    }

    #[test]
    fn nested_lengths_are_back_patched_at_every_size() {
        for length in [0usize, 1, 127, 128, 300, 16_383, 16_384, 70_000] {
            let mut out = vec![0xaa];
            let message = open(&mut out, 4);
            out.extend(std::iter::repeat_n(0x55, length));
            close(&mut out, message);
            let mut expected = vec![0xaa, 4 << 3 | 2];
            varint(&mut expected, length as u64);
            expected.extend(std::iter::repeat_n(0x55, length));
            assert_eq!(out, expected, "body of {length} bytes");
        }
    }

    #[test]
    fn spans_bridge_small_gaps_and_deltas_follow_them() {
        // Buckets at -2, -1 | 1 (gap of one: bridged) | 5 (gap of three: new span).
        let buckets = [(-2, 3u64), (-1, 1), (1, 4), (5, 2)];
        let mut out = Vec::new();
        native_buckets(&mut out, 12, 13, buckets.iter().copied());
        let mut expected = Vec::new();
        let span = open(&mut expected, 12);
        sint64(&mut expected, 1, -2);
        uint64(&mut expected, 2, 4);
        close(&mut expected, span);
        let span = open(&mut expected, 12);
        sint64(&mut expected, 1, 3);
        uint64(&mut expected, 2, 1);
        close(&mut expected, span);
        let deltas = open(&mut expected, 13);
        for delta in [3i64, -2, -1, 4, -2] {
            varint(&mut expected, zigzag(delta));
        }
        close(&mut expected, deltas);
        assert_eq!(out, expected);
        let mut empty = Vec::new();
        native_buckets(&mut empty, 12, 13, std::iter::empty());
        assert!(empty.is_empty());
    }
}
