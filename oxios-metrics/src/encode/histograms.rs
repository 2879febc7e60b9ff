//! Histogram and summary series in every format: what [`MetricEncoder::classic_histogram`],
//! [`MetricEncoder::native_histogram`] and [`MetricEncoder::summary`] write.
//!
//! | series | text 0.0.4, 1.0.0 | OpenMetrics 1.0 | OpenMetrics 2.0 | protobuf |
//! |---|---|---|---|---|
//! | classic histogram | `_bucket` lines (cumulative, `le` last), `_sum`, `_count` | the same with each bucket's exemplar, `_created` when asked for | one composite value `{count:…,sum:…,bucket:[…]}`, `st@`, exemplars | `Histogram`: buckets (with exemplars), `created_timestamp` |
//! | native histogram | its classic buckets, or the `+Inf` bucket alone | the same, each exemplar on the classic bucket its value falls in | composite with schema, zero bucket, spans and counts, and classic buckets | `Histogram`: schema, zero threshold and count, spans and deltas of both signs, `exemplars`, classic buckets alongside (with the exemplars too) |
//! | summary | one line per quantile (`quantile` last), `_sum`, `_count` | the same without negative quantile values or a `_sum` that is not a counter | composite `{count:…,sum:…,quantile:[…]}` | `Summary` with its quantiles |
//!
//! OpenMetrics 1.0 holds `_sum` to be a counter: a histogram or summary whose sum may have
//! gone down (a negative observation, a bound below zero, a negative or NaN sum) is written
//! there without it (histograms also without `_count`; the `+Inf` bucket holds the count).
//!
//! Beside native buckets, one `sample_count` (one `count`) counts both kinds of bucket, so
//! protobuf and OpenMetrics 2.0 cap the classic buckets at it: an observation in flight
//! during the snapshot, or a NaN (which has no native bucket), never makes a classic bucket
//! exceed the count. The text formats, which carry the classic buckets alone, count NaN in
//! `+Inf` and `_count` as a classic histogram does.

use super::{protobuf, ExemplarRef, MetricEncoder, SampleValue, Timestamp, WriteLabels};

/// A classic histogram series as [`MetricEncoder::classic_histogram`] takes it.
#[derive(Clone, Copy, Debug)]
pub struct ClassicHistogram<'a> {
    /// The finite upper bounds, ascending.
    pub bounds: &'a [f64],
    /// Per-bucket (not cumulative) counts, one more than `bounds` (the last is `+Inf`).
    pub counts: &'a [u64],
    /// The sum of observations.
    pub sum: f64,
    /// One exemplar per bucket (same length as `counts`), or empty for none.
    pub exemplars: &'a [Option<ExemplarRef<'a>>],
    /// When the series was created, if known.
    pub created: Option<Timestamp>,
    /// Whether an observation below zero was ever made. OpenMetrics requires `_sum` to be a
    /// counter, so a series that may have had one (this, a bound below zero, or a sum that
    /// is negative or NaN) is written there without `_sum` and `_count`.
    pub negative_observations: bool,
}

impl ClassicHistogram<'_> {
    pub(super) fn sum_is_counter(&self) -> bool {
        !self.negative_observations
            && self.sum >= 0.0
            && self.bounds.first().is_none_or(|&bound| bound >= 0.0)
    }
}

/// One side (positive or negative) of a native histogram: `(index, count)` of each bucket
/// with a non-zero count, in increasing index order.
pub type NativeBuckets<'a> = &'a [(i32, u64)];

/// A native (exponential) histogram series as [`MetricEncoder::native_histogram`] takes it.
#[derive(Clone, Copy, Debug)]
pub struct NativeHistogram<'a> {
    /// The resolution: bucket boundaries are powers of `2^(2^-schema)` (-4 to 8).
    pub schema: i32,
    /// Observations whose absolute value is at most this go to the zero bucket.
    pub zero_threshold: f64,
    /// The zero bucket's count.
    pub zero_count: u64,
    /// Buckets of positive observations.
    pub positive: NativeBuckets<'a>,
    /// Buckets of negative observations (bucket `i` holds `-2^(i·2^-schema)` and below).
    pub negative: NativeBuckets<'a>,
    /// The number of observations in a bucket: the zero bucket's and the others'.
    pub count: u64,
    /// The sum of observations.
    pub sum: f64,
    /// NaN observations: in no native bucket, and in neither `count` nor `sum`. The text
    /// formats count them in `+Inf` and `_count`, as a classic histogram does.
    pub nan_count: u64,
    /// Whether an observation below zero was ever made (OpenMetrics then writes no `_sum`:
    /// see [`ClassicHistogram::negative_observations`]).
    pub negative_observations: bool,
    /// Classic buckets written alongside, if the histogram keeps them: the bounds and the
    /// per-bucket counts (one more than the bounds).
    pub classic: Option<(&'a [f64], &'a [u64])>,
    /// Exemplars, newest first (each should carry a timestamp, as Prometheus requires for
    /// native histograms). Where classic buckets are written each shows on the bucket its
    /// value falls in (the newest of those that do); without them OpenMetrics shows the
    /// newest on `+Inf`.
    pub exemplars: &'a [ExemplarRef<'a>],
    /// When the series was created, if known.
    pub created: Option<Timestamp>,
}

/// A summary series as [`MetricEncoder::summary`] takes it.
#[derive(Clone, Copy, Debug)]
pub struct SummaryValue<'a> {
    /// `(quantile, value)` pairs, quantiles ascending.
    pub quantiles: &'a [(f64, f64)],
    /// The number of observations.
    pub count: u64,
    /// The sum of observations.
    pub sum: f64,
    /// When the series was created, if known.
    pub created: Option<Timestamp>,
}

/// Something the encoder can read an exemplar from: an [`ExemplarRef`] given by the caller,
/// or one rendered on the stack from exemplar storage at the moment it is written (so a
/// histogram's exemplars are never all held at once).
pub(crate) trait AsExemplar {
    /// The exemplar.
    fn exemplar(&self) -> ExemplarRef<'_>;
}

impl AsExemplar for ExemplarRef<'_> {
    fn exemplar(&self) -> ExemplarRef<'_> {
        *self
    }
}

/// The classic bucket (position in the per-bucket counts) `value` counts in: the first
/// bound at or above it; `+Inf` for NaN and values above every bound.
fn classic_bucket_of(bounds: &[f64], value: f64) -> usize {
    if value.is_nan() {
        return bounds.len();
    }
    bounds.partition_point(|&bound| bound < value)
}

impl MetricEncoder<'_> {
    /// Writes a histogram series: one `_bucket` line per bound plus `+Inf` (cumulative,
    /// `le` last), then `_sum` and `_count`. `counts` holds the per-bucket (not cumulative)
    /// counts, one more than `bounds` (the last is the `+Inf` bucket). `_count` is the total
    /// of `counts`, so the `+Inf` bucket equals `_count` in every scrape.
    ///
    /// In OpenMetrics, where `_sum` must be a counter, a series with a bucket bound below zero
    /// or a negative or NaN `sum` is written without `_sum` and `_count`.
    pub fn histogram(
        &mut self,
        labels: &dyn WriteLabels,
        bounds: &[f64],
        counts: &[u64],
        sum: f64,
    ) {
        self.classic_histogram(
            labels,
            &ClassicHistogram {
                bounds,
                counts,
                sum,
                exemplars: &[],
                created: None,
                negative_observations: false,
            },
        );
    }

    /// [`histogram`](Self::histogram) with exemplars and a creation time: exemplars follow
    /// their bucket lines in OpenMetrics, `_created` follows `_count` when the exposition
    /// asks for it; protobuf carries both in the `Histogram` message.
    pub fn classic_histogram(
        &mut self,
        labels: &dyn WriteLabels,
        histogram: &ClassicHistogram<'_>,
    ) {
        self.classic_histogram_with(labels, histogram, |index| {
            histogram.exemplars.get(index).copied().flatten()
        });
    }

    /// [`classic_histogram`](Self::classic_histogram) with each bucket's exemplar asked of
    /// `exemplar_at` (by bucket position) only where the format writes it; the histogram's
    /// own `exemplars` are not read.
    pub(crate) fn classic_histogram_with<E: AsExemplar>(
        &mut self,
        labels: &dyn WriteLabels,
        histogram: &ClassicHistogram<'_>,
        exemplar_at: impl Fn(usize) -> Option<E>,
    ) {
        if self.mode.protobuf {
            self.proto_histogram(labels, histogram, None, exemplar_at);
        } else if self.mode.v2 {
            self.composite_start(labels);
            let count = histogram
                .counts
                .iter()
                .fold(0u64, |total, &c| total.wrapping_add(c));
            self.composite_count_sum(count, histogram.sum);
            self.out.push(b',');
            self.composite_classic_buckets(histogram.bounds, histogram.counts, None);
            let exemplars = (0..histogram.counts.len()).filter_map(&exemplar_at);
            self.composite_end(histogram.created, exemplars);
        } else {
            self.classic_text(labels, histogram, exemplar_at);
        }
    }

    /// The text lines of a classic histogram (every format but protobuf and OpenMetrics
    /// 2.0); exemplars in OpenMetrics only.
    fn classic_text<E: AsExemplar>(
        &mut self,
        labels: &dyn WriteLabels,
        histogram: &ClassicHistogram<'_>,
        exemplar_at: impl Fn(usize) -> Option<E>,
    ) {
        let sum_is_counter = histogram.sum_is_counter();
        let ClassicHistogram {
            bounds,
            counts,
            sum,
            created,
            ..
        } = *histogram;
        let mut cumulative: u64 = 0;
        let range = self.begin_sample("_bucket", labels);
        for (index, &count) in counts.iter().enumerate() {
            if index > 0 {
                self.series_start("_bucket");
                self.out.extend_from_within(range.0..range.1);
            }
            self.bucket_label(range, bounds.get(index).copied());
            cumulative = cumulative.wrapping_add(count);
            self.value(SampleValue::Unsigned(cumulative));
            if self.mode.openmetrics {
                if let Some(exemplar) = exemplar_at(index) {
                    self.text_exemplar(Some(&exemplar.exemplar()));
                }
            }
            self.out.push(b'\n');
        }
        // `_sum` and `_count` repeat the series labels without `le`.
        if sum_is_counter || !self.mode.openmetrics {
            for (suffix, value) in [
                ("_sum", SampleValue::Float(sum)),
                ("_count", SampleValue::Unsigned(cumulative)),
            ] {
                self.repeat_series(suffix, range);
                self.value(value);
                self.out.push(b'\n');
            }
        }
        self.text_created(range, created);
    }

    /// Ends a `_bucket` line's labels after the series' own (written at `range`): the comma
    /// if there were any, then `le="bound"}` (`+Inf` for `None`).
    pub(super) fn bucket_label(&mut self, range: (usize, usize), bound: Option<f64>) {
        if range.0 != range.1 {
            self.out.push(b',');
        }
        self.out.extend_from_slice(b"le=\"");
        match bound {
            Some(bound) => self.float(bound),
            None => self.out.extend_from_slice(b"+Inf"),
        }
        self.out.extend_from_slice(b"\"}");
    }

    /// A protobuf `Metric` holding a `Histogram`: the classic buckets of `classic` (each
    /// with the exemplar `exemplar_at` gives), and the native buckets of `native` if any.
    fn proto_histogram<E: AsExemplar>(
        &mut self,
        labels: &dyn WriteLabels,
        classic: &ClassicHistogram<'_>,
        native: Option<&NativeHistogram<'_>>,
        exemplar_at: impl Fn(usize) -> Option<E>,
    ) {
        let metric = self.proto_metric(labels);
        let histogram = protobuf::open(self.out, 7);
        let classic_count: u64 = classic
            .counts
            .iter()
            .fold(0, |total, &count| total.wrapping_add(count));
        let (count, sum) = native.map_or((classic_count, classic.sum), |native| {
            (native.count, native.sum)
        });
        protobuf::uint64(self.out, 1, count);
        protobuf::double(self.out, 2, sum);
        let mut cumulative: u64 = 0;
        for (index, &bucket_count) in classic.counts.iter().enumerate() {
            cumulative = cumulative.wrapping_add(bucket_count);
            let bound = classic.bounds.get(index).copied();
            let exemplar = exemplar_at(index);
            // The `+Inf` bucket is implied by `sample_count`; it is written only to carry
            // an exemplar, as the Go client does.
            if bound.is_none() && exemplar.is_none() {
                continue;
            }
            let written = match (native, bound) {
                (None, _) => cumulative,
                (Some(_), Some(_)) => cumulative.min(count),
                (Some(_), None) => count,
            };
            let bucket = protobuf::open(self.out, 3);
            protobuf::uint64(self.out, 1, written);
            protobuf::double(self.out, 2, bound.unwrap_or(f64::INFINITY));
            if let Some(exemplar) = exemplar {
                protobuf::exemplar(self.out, 3, &exemplar.exemplar());
            }
            protobuf::close(self.out, bucket);
        }
        if let Some(created) = classic
            .created
            .or(native.and_then(|n| n.created))
            .or(self.created)
        {
            protobuf::timestamp(self.out, 15, created);
        }
        if let Some(native) = native {
            protobuf::sint64(self.out, 5, i64::from(native.schema));
            protobuf::double(self.out, 6, native.zero_threshold);
            protobuf::uint64(self.out, 7, native.zero_count);
            protobuf::native_buckets(self.out, 9, 10, native.negative.iter().copied());
            protobuf::native_buckets(self.out, 12, 13, native.positive.iter().copied());
            if native.positive.is_empty()
                && native.negative.is_empty()
                && native.zero_count == 0
                && native.zero_threshold == 0.0
            {
                // With no bucket, no zero bucket count and no zero threshold, the message
                // would read as a classic histogram: a no-op span marks it native, as the Go
                // client marks it.
                let span = protobuf::open(self.out, 12);
                protobuf::sint64(self.out, 1, 0);
                protobuf::uint64(self.out, 2, 0);
                protobuf::close(self.out, span);
            }
            for exemplar in native.exemplars {
                protobuf::exemplar(self.out, 16, exemplar);
            }
        }
        protobuf::close(self.out, histogram);
        protobuf::close(self.out, metric);
    }

    /// Writes a native histogram series. Protobuf carries it whole (with its classic
    /// buckets, if any), OpenMetrics 2.0 as one composite value. The other text formats
    /// have no place for exponential buckets: they get the classic buckets when the
    /// histogram keeps them, and otherwise only the `+Inf` bucket, `_sum` and `_count`, as
    /// Prometheus' own encoders write it.
    pub fn native_histogram(&mut self, labels: &dyn WriteLabels, histogram: &NativeHistogram<'_>) {
        let classic = histogram.classic.filter(|(_, counts)| !counts.is_empty());
        let (bounds, counts): (&[f64], &[u64]) = classic.unwrap_or((&[], &[]));
        let newest_in = |index: usize| {
            histogram
                .exemplars
                .iter()
                .copied()
                .find(|exemplar| classic_bucket_of(bounds, exemplar.value) == index)
        };
        let classic_part = |counts| ClassicHistogram {
            bounds,
            counts,
            sum: histogram.sum,
            exemplars: &[],
            created: histogram.created,
            negative_observations: histogram.negative_observations,
        };
        if self.mode.protobuf {
            // Without classic buckets the exemplars travel in `exemplars` alone.
            self.proto_histogram(labels, &classic_part(counts), Some(histogram), |index| {
                classic.and_then(|_| newest_in(index))
            });
        } else if self.mode.v2 {
            self.composite_start(labels);
            self.composite_count_sum(histogram.count, histogram.sum);
            self.out.extend_from_slice(b",schema:");
            self.out
                .extend_from_slice(itoa::Buffer::new().format(histogram.schema).as_bytes());
            self.out.extend_from_slice(b",zero_threshold:");
            self.float(histogram.zero_threshold);
            self.out.extend_from_slice(b",zero_count:");
            self.number(SampleValue::Unsigned(histogram.zero_count));
            self.composite_native_side("negative", histogram.negative);
            self.composite_native_side("positive", histogram.positive);
            if classic.is_some() {
                self.out.push(b',');
                self.composite_classic_buckets(bounds, counts, Some(histogram.count));
            }
            self.composite_end(histogram.created, histogram.exemplars.iter().copied());
        } else {
            let only_inf = [histogram.count.wrapping_add(histogram.nan_count)];
            let counts = if classic.is_some() { counts } else { &only_inf };
            self.classic_text(labels, &classic_part(counts), newest_in);
        }
    }

    /// Writes a summary series: one line per quantile (`quantile` label last), `_sum`,
    /// `_count`, and `_created` when the exposition asks for it; in protobuf a `Summary`,
    /// in OpenMetrics 2.0 one composite value.
    ///
    /// OpenMetrics 1.0 forbids negative quantile values and holds `_sum` to be a counter:
    /// there quantiles with a negative value and a negative or NaN sum are left out.
    pub fn summary(&mut self, labels: &dyn WriteLabels, summary: &SummaryValue<'_>) {
        if self.mode.protobuf {
            let metric = self.proto_metric(labels);
            let message = protobuf::open(self.out, 4);
            protobuf::uint64(self.out, 1, summary.count);
            protobuf::double(self.out, 2, summary.sum);
            for &(quantile, value) in summary.quantiles {
                let entry = protobuf::open(self.out, 3);
                protobuf::double(self.out, 1, quantile);
                protobuf::double(self.out, 2, value);
                protobuf::close(self.out, entry);
            }
            if let Some(created) = summary.created.or(self.created) {
                protobuf::timestamp(self.out, 4, created);
            }
            protobuf::close(self.out, message);
            protobuf::close(self.out, metric);
            return;
        }
        if self.mode.v2 {
            self.composite_start(labels);
            self.composite_count_sum(summary.count, summary.sum);
            self.out.extend_from_slice(b",quantile:[");
            for (index, &(quantile, value)) in summary.quantiles.iter().enumerate() {
                if index > 0 {
                    self.out.push(b',');
                }
                self.float(quantile);
                self.out.push(b':');
                self.float(value);
            }
            self.out.push(b']');
            self.composite_end(summary.created, std::iter::empty::<ExemplarRef<'_>>());
            return;
        }
        let openmetrics = self.mode.openmetrics;
        // The first line written renders the labels; the others copy them.
        let mut range: Option<(usize, usize)> = None;
        for &(quantile, value) in summary.quantiles {
            if openmetrics && value < 0.0 {
                continue;
            }
            let labels_at = match range {
                Some(at) => {
                    self.series_start("");
                    self.out.extend_from_within(at.0..at.1);
                    at
                }
                None => *range.insert(self.begin_sample("", labels)),
            };
            if labels_at.0 != labels_at.1 {
                self.out.push(b',');
            }
            self.out.extend_from_slice(b"quantile=\"");
            self.float(quantile);
            self.out.extend_from_slice(b"\"}");
            self.value(SampleValue::Float(value));
            self.out.push(b'\n');
        }
        let sum_written = !openmetrics || summary.sum >= 0.0;
        for (suffix, value, written) in [
            ("_sum", SampleValue::Float(summary.sum), sum_written),
            ("_count", SampleValue::Unsigned(summary.count), true),
        ] {
            if !written {
                continue;
            }
            match range {
                Some(at) => self.repeat_series(suffix, at),
                None => {
                    let at = self.begin_sample(suffix, labels);
                    self.end_labels(at);
                    range = Some(at);
                }
            }
            self.value(value);
            self.out.push(b'\n');
        }
        if let Some(at) = range {
            self.text_created(at, summary.created);
        }
    }

    /// Starts an OpenMetrics 2.0 composite sample: `name{labels} {`.
    fn composite_start(&mut self, labels: &dyn WriteLabels) {
        let range = self.begin_sample("", labels);
        self.end_labels(range);
        self.out.extend_from_slice(b" {");
    }

    /// `count:N,sum:S` of a composite value.
    fn composite_count_sum(&mut self, count: u64, sum: f64) {
        self.out.extend_from_slice(b"count:");
        self.number(SampleValue::Unsigned(count));
        self.out.extend_from_slice(b",sum:");
        self.float(sum);
    }

    /// `bucket:[le:cumulative,...,+Inf:count]` of a composite value; beside native buckets
    /// (`cap`, their count) no bucket exceeds the count and `+Inf` equals it.
    fn composite_classic_buckets(&mut self, bounds: &[f64], counts: &[u64], cap: Option<u64>) {
        self.out.extend_from_slice(b"bucket:[");
        let mut cumulative: u64 = 0;
        for (index, &count) in counts.iter().enumerate() {
            if index > 0 {
                self.out.push(b',');
            }
            cumulative = cumulative.wrapping_add(count);
            let bound = bounds.get(index);
            match bound {
                Some(&bound) => self.float(bound),
                None => self.out.extend_from_slice(b"+Inf"),
            }
            self.out.push(b':');
            let written = match (cap, bound) {
                (None, _) => cumulative,
                (Some(cap), Some(_)) => cumulative.min(cap),
                (Some(cap), None) => cap,
            };
            self.number(SampleValue::Unsigned(written));
        }
        self.out.push(b']');
    }

    /// `,<side>_spans:[offset:length,...],<side>_buckets:[count,...]`, or nothing for a side
    /// with no buckets.
    fn composite_native_side(&mut self, side: &str, buckets: NativeBuckets<'_>) {
        if buckets.is_empty() {
            return;
        }
        for (field, spans) in [("_spans:[", true), ("_buckets:[", false)] {
            self.out.push(b',');
            self.out.extend_from_slice(side.as_bytes());
            self.out.extend_from_slice(field.as_bytes());
            let mut first = true;
            if spans {
                for (offset, length) in protobuf::bucket_spans(buckets.iter().copied()) {
                    if !std::mem::take(&mut first) {
                        self.out.push(b',');
                    }
                    self.out
                        .extend_from_slice(itoa::Buffer::new().format(offset).as_bytes());
                    self.out.push(b':');
                    self.out
                        .extend_from_slice(itoa::Buffer::new().format(length).as_bytes());
                }
            } else {
                for count in protobuf::bucket_span_counts(buckets.iter().copied()) {
                    if !std::mem::take(&mut first) {
                        self.out.push(b',');
                    }
                    self.out
                        .extend_from_slice(itoa::Buffer::new().format(count).as_bytes());
                }
            }
            self.out.push(b']');
        }
    }

    /// Ends a composite sample: `}`, the start timestamp, exemplars, newline.
    fn composite_end<E: AsExemplar>(
        &mut self,
        created: Option<Timestamp>,
        exemplars: impl Iterator<Item = E>,
    ) {
        self.out.push(b'}');
        self.start_timestamp(created);
        for exemplar in exemplars {
            self.text_exemplar(Some(&exemplar.exemplar()));
        }
        self.out.push(b'\n');
    }
}
