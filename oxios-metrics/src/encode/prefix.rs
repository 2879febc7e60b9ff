//! Line prefixes: everything a single-sample line carries before its value
//! (`name_total{const="c",path="/a"} `), rendered once per series by the encoder's own code
//! and kept by family storage (`family/prefixes.rs`), so a scrape writes such a series as one
//! copy and the digits. In protobuf the same holds for a series' `Metric` message, whose
//! value is a fixed-size double: the bytes before it (the message key and length, the label
//! pairs, the counter or gauge key) and after it (a counter's creation time) are kept, and
//! the value's eight bytes go between.

use super::{
    protobuf, ClassicHistogram, Exposition, MetricEncoder, MetricType, SampleValue, Timestamp,
    WriteLabels,
};
use crate::family::prefixes::{LeTexts, Prefix};

/// What the text before a sample's value depends on, besides the series' labels: when two
/// encoders agree on it, a prefix rendered by one is the prefix the other would write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PrefixKey {
    exposition: Exposition,
    metric_type: Option<MetricType>,
    plain_names: bool,
    omits_total: bool,
    created: Option<Timestamp>,
    suffix: &'static str,
    name: Box<str>,
    const_labels: Box<str>,
}

/// The longest text a [`SampleValue`] takes: 20 digits and a sign, or a float in Go's `%g`
/// (`-2.2250738585072014e-308`), and the newline.
pub(crate) const MAX_VALUE_LINE: usize = 26;

impl MetricEncoder<'_> {
    /// The key of the prefixes of `sample(suffix, …)` lines, when such a line is exactly its
    /// prefix, the value and a newline in this exposition.
    pub(crate) fn prefix_key(&self, suffix: &'static str) -> Option<PrefixKey> {
        // A counter line of OpenMetrics 2.0 may end in its series' start time, and `_created`
        // lines follow a counter's: neither is a prefix and a value.
        if self.mode.v2 || self.mode.created_lines {
            return None;
        }
        Some(PrefixKey {
            exposition: self.exposition,
            metric_type: self.metric_type,
            plain_names: self.plain_names,
            omits_total: self.omits_total,
            created: self.created,
            suffix,
            name: self.name.into(),
            const_labels: self.const_labels.into(),
        })
    }

    /// Whether prefixes rendered under `key` are those this encoder writes for `suffix`
    /// (allocates nothing, unlike building a key to compare).
    pub(crate) fn has_prefix_key(&self, key: &PrefixKey, suffix: &'static str) -> bool {
        key.exposition == self.exposition
            && key.metric_type == self.metric_type
            && key.plain_names == self.plain_names
            && key.omits_total == self.omits_total
            && key.created == self.created
            && key.suffix == suffix
            && *key.name == *self.name
            && *key.const_labels == *self.const_labels
    }

    /// Appends to `out` what a `sample(suffix, labels, …)` line holds before its value, then
    /// (protobuf) what it holds after it, through the same code that writes the line, so the
    /// two cannot differ. Returns where in `out` the value goes; `None` (having appended
    /// nothing) when the line is not a prefix, a value and what follows.
    ///
    /// `created`, when given, is the series' own creation time (protobuf carries it in each
    /// counter's message), in place of the encoder's.
    pub(crate) fn render_prefix(
        &self,
        suffix: &'static str,
        labels: &dyn WriteLabels,
        created: Option<Timestamp>,
        out: &mut Vec<u8>,
    ) -> Option<usize> {
        if self.mode.protobuf {
            return self.render_protobuf_prefix(suffix, labels, created.or(self.created), out);
        }
        let mut encoder = self.writing_into(out, self.created);
        let range = encoder.begin_sample(suffix, labels);
        encoder.end_labels(range);
        encoder.out.push(b' ');
        Some(out.len())
    }

    /// [`render_prefix`](Self::render_prefix) in protobuf: the message is written twice, with
    /// two values that differ in each of their eight bytes, and the bytes that differ are the
    /// value's place.
    fn render_protobuf_prefix(
        &self,
        suffix: &'static str,
        labels: &dyn WriteLabels,
        created: Option<Timestamp>,
        out: &mut Vec<u8>,
    ) -> Option<usize> {
        let start = out.len();
        self.writing_into(out, created)
            .sample(suffix, labels, SampleValue::Float(0.0));
        let mut other = Vec::with_capacity(out.len() - start);
        self.writing_into(&mut other, created).sample(
            suffix,
            labels,
            SampleValue::Float(f64::from_bits(0x0101_0101_0101_0101)),
        );
        let message = &out[start..];
        let at = message.iter().zip(&other).position(|(a, b)| a != b);
        match at {
            Some(at) if other.len() == message.len() && at + 8 <= message.len() => {
                out.drain(start + at..start + at + 8);
                Some(start + at)
            }
            // Not a message with one double in it (a sample this family's type has no
            // protobuf form for writes nothing): written the uncached way.
            _ => {
                out.truncate(start);
                None
            }
        }
    }

    /// Whether a classic histogram series is written here from kept pieces and its values:
    /// its `_bucket` lines as the series' head (`name_bucket{labels,`), the bucket's `le`
    /// text and the cumulative count, then `_sum` and `_count` as prefix and value; in
    /// protobuf, its `Metric` as the kept label pairs and creation time around the counts,
    /// sum and bounds. Not so in OpenMetrics 2.0 (one composite value with a start time),
    /// nor with `_created` lines.
    pub(crate) fn writes_histogram_lines(&self) -> bool {
        !self.mode.v2 && !self.mode.created_lines
    }

    /// Appends to `out`, through the code [`classic_histogram`](Self::classic_histogram)
    /// writes with, what a classic histogram series' lines hold besides the `le` texts and the
    /// values: the head of its `_bucket` lines (everything before `le="`), and what its
    /// `_sum` and `_count` lines hold before their values. Returns where each of the three
    /// ends in `out`; `None` (having appended nothing) where the lines are not written so
    /// (see [`writes_histogram_lines`](Self::writes_histogram_lines)).
    ///
    /// In protobuf the three are the `Metric`'s label pairs, its `created_timestamp` field
    /// (`created`, the series' own creation time, or the encoder's), and nothing.
    pub(crate) fn render_histogram_prefixes(
        &self,
        labels: &dyn WriteLabels,
        created: Option<Timestamp>,
        out: &mut Vec<u8>,
    ) -> Option<[usize; 3]> {
        if !self.writes_histogram_lines() {
            return None;
        }
        if self.mode.protobuf {
            // The label pairs, then the `created_timestamp` field (if any): what the
            // `Metric` holds that no scrape changes.
            let mut encoder = self.writing_into(out, created.or(self.created));
            encoder.proto_labels(labels);
            let labels_end = encoder.out.len();
            if let Some(created) = encoder.created {
                protobuf::timestamp(encoder.out, 15, created);
            }
            let end = encoder.out.len();
            return Some([labels_end, end, end]);
        }
        let mut encoder = self.writing_into(out, self.created);
        let range = encoder.begin_sample("_bucket", labels);
        if range.0 != range.1 {
            encoder.out.push(b',');
        }
        let head = encoder.out.len();
        encoder.repeat_series("_sum", range);
        encoder.out.push(b' ');
        let sum = encoder.out.len();
        encoder.repeat_series("_count", range);
        encoder.out.push(b' ');
        Some([head, sum, encoder.out.len()])
    }

    /// Appends the `le="bound"} ` text of each of `bounds` and of `+Inf` (what follows a
    /// bucket line's head up to its value), pushing where each ends onto `ends`. In
    /// protobuf, each bound's `upper_bound` field, and nothing for `+Inf`.
    pub(crate) fn render_le_texts(&self, bounds: &[f64], out: &mut Vec<u8>, ends: &mut Vec<usize>) {
        let mut encoder = self.writing_into(out, self.created);
        if self.mode.protobuf {
            // Each bucket's `upper_bound` field; the `+Inf` bucket is not written.
            for &bound in bounds {
                protobuf::double(encoder.out, 2, bound);
                ends.push(encoder.out.len());
            }
            ends.push(encoder.out.len());
            return;
        }
        for index in 0..=bounds.len() {
            // An empty range: the comma is the head's.
            encoder.bucket_label((0, 0), bounds.get(index).copied());
            encoder.out.push(b' ');
            ends.push(encoder.out.len());
        }
    }

    /// Writes a classic histogram series (one without exemplars) from its rendered pieces
    /// (see [`render_histogram_prefixes`](Self::render_histogram_prefixes)): each bucket
    /// line as the head, the bucket's `le` text and the cumulative count; then `_sum` and
    /// `_count`, unless OpenMetrics holds the sum not to be a counter. Returns false, having
    /// written nothing, when `le` does not hold one text per bucket of `histogram`.
    #[inline]
    pub(crate) fn prefixed_histogram(
        &mut self,
        le: LeTexts<'_>,
        [head, sum, count]: [Prefix<'_>; 3],
        histogram: &ClassicHistogram<'_>,
    ) -> bool {
        if le.len() != histogram.counts.len() {
            return false;
        }
        if self.mode.protobuf {
            self.prefixed_proto_histogram(head, sum, histogram);
            return true;
        }
        let mut cumulative: u64 = 0;
        for (le, &bucket) in le.iter().zip(histogram.counts) {
            head.write(self.out);
            le.write(self.out);
            cumulative = cumulative.wrapping_add(bucket);
            decimal_line_inlined(self.out, cumulative);
        }
        if !self.mode.openmetrics || histogram.sum_is_counter() {
            sum.write(self.out);
            self.float(histogram.sum);
            self.out.push(b'\n');
            count.write(self.out);
            decimal_line(self.out, cumulative);
        }
        true
    }

    /// [`prefixed_histogram`](Self::prefixed_histogram) in protobuf: the `Metric` that
    /// `classic_histogram` writes (no exemplars, so no `+Inf` bucket), its lengths computed
    /// ahead rather than filled in afterwards, so nothing is moved. The bounds' fields are
    /// written from `histogram.bounds` (the kept ones, which `le` holds, are the same
    /// bytes), each bucket as one block.
    fn prefixed_proto_histogram(
        &mut self,
        labels: Prefix<'_>,
        created: Prefix<'_>,
        histogram: &ClassicHistogram<'_>,
    ) {
        use protobuf::varint_len;
        let finite = histogram.counts.len() - 1;
        let mut count: u64 = 0;
        // The `Bucket` messages: key, length, the count's key and varint, the bound field.
        let mut buckets_len = 0;
        for &bucket in &histogram.counts[..finite] {
            count = count.wrapping_add(bucket);
            buckets_len += 2 + 1 + varint_len(count) + 9;
        }
        count = histogram.counts[finite..]
            .iter()
            .fold(count, |total, &bucket| total.wrapping_add(bucket));
        let histogram_len = 1 + varint_len(count) + 9 + buckets_len + created.len();
        let metric_len = labels.len() + 1 + varint_len(histogram_len as u64) + histogram_len;
        self.out.push(0x22);
        protobuf::varint(self.out, metric_len as u64);
        labels.write(self.out);
        self.out.push(0x3a);
        protobuf::varint(self.out, histogram_len as u64);
        protobuf::uint64(self.out, 1, count);
        protobuf::double(self.out, 2, histogram.sum);
        let mut cumulative: u64 = 0;
        for (&bound, &bucket) in histogram.bounds.iter().zip(&histogram.counts[..finite]) {
            cumulative = cumulative.wrapping_add(bucket);
            // The whole `Bucket` field (at most 22 bytes) laid out in one block and stored
            // at once: key, length, `cumulative_count`, `upper_bound`.
            let mut block = [0u8; 32];
            block[0] = 0x1a;
            block[1] = (1 + varint_len(cumulative) + 9) as u8;
            block[2] = 0x08;
            let mut at = 3;
            let mut value = cumulative;
            while value >= 0x80 {
                block[at] = (value as u8) | 0x80;
                value >>= 7;
                at += 1;
            }
            block[at] = value as u8;
            block[at + 1] = 0x11;
            block[at + 2..at + 10].copy_from_slice(&bound.to_le_bytes());
            let start = self.out.len();
            self.out.extend_from_slice(&block);
            self.out.truncate(start + at + 10);
        }
        created.write(self.out);
    }

    /// An encoder like this one writing into `out`, with series created at `created`.
    fn writing_into<'o>(
        &'o self,
        out: &'o mut Vec<u8>,
        created: Option<Timestamp>,
    ) -> MetricEncoder<'o> {
        MetricEncoder {
            out,
            exposition: self.exposition,
            name: self.name,
            const_labels: self.const_labels,
            metric_type: self.metric_type,
            plain_names: self.plain_names,
            omits_total: self.omits_total,
            copy_names: self.copy_names,
            created,
            mode: self.mode,
        }
    }

    /// Room for `bytes` more, so the lines of a family are written with one reservation.
    pub(crate) fn reserve(&mut self, bytes: usize) {
        self.out.reserve(bytes);
    }

    /// Writes a line from its rendered prefix: the prefix, the value, a newline (in
    /// protobuf: the bytes before the value, the value as a double, the bytes after it).
    #[inline]
    pub(crate) fn prefixed_sample(&mut self, prefix: Prefix<'_>, value: SampleValue) {
        prefix.write(self.out);
        if self.mode.protobuf {
            self.out.extend_from_slice(&value.as_f64().to_le_bytes());
            self.out.extend_from_slice(prefix.tail());
            return;
        }
        match value {
            SampleValue::Unsigned(v) => decimal_line(self.out, v),
            SampleValue::Signed(v) => {
                if v < 0 {
                    self.out.push(b'-');
                }
                decimal_line(self.out, v.unsigned_abs());
            }
            SampleValue::Float(v) => {
                self.float(v);
                self.out.push(b'\n');
            }
        }
    }
}

/// Powers of ten that fit a u64.
const POWERS_OF_TEN: [u64; 20] = {
    let mut powers = [1u64; 20];
    let mut index = 1;
    while index < 20 {
        powers[index] = powers[index - 1] * 10;
        index += 1;
    }
    powers
};

/// How many decimal digits `value` has (1 for 0), from its bit length: `bits × log10(2)`
/// (1233 / 4096) is the digit count or one less, which one comparison settles. Setting the
/// low bit changes no count but 0's (no power of ten above 1 is odd), which becomes 1.
#[inline]
fn decimal_digits(value: u64) -> usize {
    let odd = value | 1;
    let bits = u64::BITS - odd.leading_zeros();
    let guess = ((bits * 1233) >> 12) as usize;
    guess + usize::from(odd >= POWERS_OF_TEN[guess])
}

/// The eight decimal digits of `value` (below 10^8, with leading zeros) as ASCII, the
/// first digit in the lowest byte: both halves of four digits are split at once in the lanes
/// of one integer (to two pairs, then to single digits), so there is no loop, table or
/// division beyond the first.
#[inline]
fn eight_digits(value: u32) -> u64 {
    let value = u64::from(value);
    let high = value / 10_000;
    let low = value - high * 10_000;
    // Lanes of 32 bits: the first four digits low, the last four high.
    let fours = high | (low << 32);
    // Each lane divided by 100 (exact below 10,000 with this multiplier).
    let pairs_high = ((fours * 10_486) >> 20) & 0x0000_007F_0000_007F;
    let pairs = ((fours - 100 * pairs_high) << 16) | pairs_high;
    // Lanes of 16 bits, each divided by 10 (exact below 100).
    let tens = ((pairs * 103) >> 10) & 0x000F_000F_000F_000F;
    let digits = tens | ((pairs - 10 * tens) << 8);
    digits + 0x3030_3030_3030_3030
}

/// Appends `value`'s decimal digits and a newline: the integer fast path of every line.
/// The digits are computed in registers ([`eight_digits`]) and stored as blocks of fixed size
/// (a copy of known length compiles to a move, not a call), then the vector is cut back to
/// the digits.
#[inline]
pub(crate) fn decimal_line(out: &mut Vec<u8>, value: u64) {
    decimal_line_inlined(out, value);
}

/// [`decimal_line`] inlined at its call site: in a loop over a histogram's buckets its
/// constants stay in registers and no call is made per line.
#[inline(always)]
fn decimal_line_inlined(out: &mut Vec<u8>, value: u64) {
    const E8: u64 = 100_000_000;
    if value >= E8 * E8 {
        // 17 digits or more: rare enough for the general formatter.
        out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
        out.push(b'\n');
        return;
    }
    let digits = decimal_digits(value);
    let start = out.len();
    if value < E8 {
        // The leading zeros (the low bytes) shifted out, the newline after the digits.
        let text = u128::from(eight_digits(value as u32) >> (8 * (8 - digits)))
            | (u128::from(b'\n') << (8 * digits));
        out.extend_from_slice(&text.to_le_bytes());
    } else {
        let leading = digits - 8;
        let high = eight_digits((value / E8) as u32) >> (8 * (8 - leading));
        out.extend_from_slice(&high.to_le_bytes());
        out.truncate(start + leading);
        let low = u128::from(eight_digits((value % E8) as u32)) | (u128::from(b'\n') << 64);
        out.extend_from_slice(&low.to_le_bytes());
    }
    out.truncate(start + digits + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_lines_match_the_standard_formatting() {
        let mut values = vec![
            0,
            1,
            9,
            10,
            99,
            100,
            101,
            999,
            1000,
            65_535,
            u64::MAX,
            u64::MAX - 1,
        ];
        for power in 0..20 {
            let p = 10u64.pow(power);
            values.extend([
                p - 1,
                p,
                p + 1,
                p.wrapping_mul(7),
                p.wrapping_mul(3) + 12_345,
            ]);
        }
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Every digit count equally often.
            values.push(state >> (state % 64));
        }
        for &value in &values {
            assert_eq!(decimal_digits(value), value.to_string().len(), "{value}");
        }
        let mut out = b"x ".to_vec();
        for &value in &values {
            out.truncate(2);
            decimal_line(&mut out, value);
            assert_eq!(out, format!("x {value}\n").as_bytes(), "{value}");
        }
    }
}
