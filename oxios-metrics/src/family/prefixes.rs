//! The line prefixes a family keeps for its single-sample series (counters, gauges) and its
//! classic histograms.
//!
//! A family does not know the name and constant labels it is scraped under until a scrape
//! tells it, so the prefixes (`name_total{const="c",user="ada"} `) are rendered at the first
//! scrape, all of a family's back to back in one buffer, and kept while the scrape context
//! (the encoder's [`PrefixKey`]) and the family's set of series stay the same. A warm scrape
//! then writes each series as one copy of its prefix and the value's digits, after one
//! reservation for the whole family, with no call through a label writer.
//!
//! A classic histogram series keeps three pieces: the head of its `_bucket` lines
//! (`name_bucket{const="c",user="ada",`) and the prefixes of its `_sum` and `_count` lines;
//! the `le="0.25"} ` texts, the same for every series, are rendered once per family and
//! exposition. A warm scrape writes each bucket line as two copies (head, `le`) and the
//! cumulative count's digits, so no bound is formatted as a float again.
//!
//! Memory: about the text of the family's lines, once per exposition kept (at most
//! [`KEPT`]: a registry scraped in two text formats keeps both; a third replaces the one used
//! least recently). The lock around them is only tried: a scrape that finds it taken (another
//! scrape of the same family at the same moment) writes its lines the uncached way.

use crate::encode::{Format, MetricEncoder, PrefixKey, Timestamp, WriteLabels, MAX_VALUE_LINE};
use crate::metric::FamilyMember;

/// How many expositions' prefixes a family keeps.
pub(crate) const KEPT: usize = 2;

/// Prefixes up to this long are copied as a block of this fixed size (a few vector moves,
/// no call), the output then cut back to the prefix; the text ends with this many spare
/// bytes so the block never runs past it.
pub(crate) const BLOCK: usize = 64;

/// What the storage calls once per series, in scrape order, to have its prefix rendered:
/// its position, labels and (when it has one of its own) creation time.
pub(crate) type EachSeries<'a, P> = &'a mut dyn FnMut(P, &dyn WriteLabels, Option<Timestamp>);

/// What a family's series are written as, and so which prefixes are kept for them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape<'a> {
    /// One `sample(suffix, …)` line per series: one prefix each.
    Sample(&'static str),
    /// A classic histogram without exemplars, with these bounds: a `_bucket` line head and
    /// the `_sum` and `_count` prefixes per series, and the `le` texts once.
    Histogram(&'a [f64]),
}

impl<'a> Shape<'a> {
    /// How a family of `M` with `config` writes its series from kept prefixes, if it can.
    pub(crate) fn of<M: FamilyMember>(config: &'a M::Config) -> Option<Shape<'a>> {
        match (M::SINGLE_SAMPLE_SUFFIX, M::classic_bounds(config)) {
            (Some(suffix), _) => Some(Shape::Sample(suffix)),
            (None, Some(bounds)) => Some(Shape::Histogram(bounds)),
            (None, None) => None,
        }
    }

    /// The suffix the kept prefixes are keyed by (a family's shape never changes, so a
    /// histogram's `_bucket` tells its prefixes apart from nothing else).
    fn suffix(self) -> &'static str {
        match self {
            Shape::Sample(suffix) => suffix,
            Shape::Histogram(_) => "_bucket",
        }
    }
}

/// The prefixes of one family's series in one exposition.
pub(crate) struct Prefixes<P> {
    key: PrefixKey,
    /// The storage's series set when these were rendered (its change count).
    stamp: u64,
    text: Vec<u8>,
    /// Each prefix in scrape order (three per histogram series): where the storage keeps
    /// its series, where its value goes in `text`, and where its text ends (it starts where
    /// the previous one ends). What lies between the two is written after the value
    /// (protobuf only).
    entries: Vec<(P, usize, usize)>,
    /// A histogram family's `le` texts, one per bucket, back to back (with [`BLOCK`] spare
    /// bytes), and where each ends.
    le_text: Vec<u8>,
    le_ends: Vec<usize>,
    /// The most bytes a scrape writes from these: the prefixes as often as they are
    /// written, the `le` texts, the longest values.
    write_len: usize,
    last_used: u64,
}

impl<P: Copy> Prefixes<P> {
    /// The most bytes the family's lines take, values included: what to reserve.
    pub(crate) fn write_len(&self) -> usize {
        self.write_len
    }

    /// Each series' position and prefix, in scrape order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (P, Prefix<'_>)> + '_ {
        let mut start = 0;
        self.entries.iter().map(move |&(position, value_at, end)| {
            let prefix = Prefix {
                text: &self.text[start..],
                len: value_at - start,
                tail_len: end - value_at,
            };
            start = end;
            (position, prefix)
        })
    }
}

impl<P: Copy> Prefixes<P> {
    /// Each histogram series' position and pieces (its `_bucket` head, its `_sum` and
    /// `_count` prefixes), in scrape order.
    pub(crate) fn histograms(&self) -> impl Iterator<Item = (P, [Prefix<'_>; 3])> + '_ {
        let mut pieces = self.iter();
        std::iter::from_fn(move || {
            let (position, head) = pieces.next()?;
            let (_, sum) = pieces.next()?;
            let (_, count) = pieces.next()?;
            Some((position, [head, sum, count]))
        })
    }

    /// The `le` texts of a histogram family, one per bucket (`+Inf` last).
    pub(crate) fn le_texts(&self) -> LeTexts<'_> {
        LeTexts {
            text: &self.le_text,
            ends: &self.le_ends,
        }
    }
}

/// A histogram family's `le="bound"} ` texts.
#[derive(Clone, Copy)]
pub(crate) struct LeTexts<'a> {
    text: &'a [u8],
    ends: &'a [usize],
}

impl<'a> LeTexts<'a> {
    /// How many: one per bucket, `+Inf` included.
    pub(crate) fn len(self) -> usize {
        self.ends.len()
    }

    /// Each text, lowest bound first.
    #[inline]
    pub(crate) fn iter(self) -> impl Iterator<Item = Prefix<'a>> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let prefix = Prefix {
                text: &self.text[start..],
                len: end - start,
                tail_len: 0,
            };
            start = end;
            prefix
        })
    }
}

/// One series' line prefix: the first `len` bytes of `text`, which runs on into the next
/// prefixes and the spare bytes at the end.
#[derive(Clone, Copy)]
pub(crate) struct Prefix<'a> {
    text: &'a [u8],
    len: usize,
    /// How many bytes after the prefix follow the value.
    tail_len: usize,
}

impl<'a> Prefix<'a> {
    /// How many bytes [`write`](Self::write) appends.
    pub(crate) fn len(self) -> usize {
        self.len
    }

    /// What follows the value (empty in the text formats).
    pub(crate) fn tail(self) -> &'a [u8] {
        &self.text[self.len..self.len + self.tail_len]
    }

    /// Appends the prefix to `out`.
    #[inline]
    pub(crate) fn write(self, out: &mut Vec<u8>) {
        match self.text.first_chunk::<BLOCK>() {
            Some(block) if self.len <= BLOCK => {
                let start = out.len();
                out.extend_from_slice(block);
                out.truncate(start + self.len);
            }
            _ => out.extend_from_slice(&self.text[..self.len]),
        }
    }
}

/// The prefixes a family keeps, for up to [`KEPT`] expositions.
pub(crate) struct PrefixCache<P> {
    kept: Vec<Prefixes<P>>,
    clock: u64,
}

impl<P: Copy> PrefixCache<P> {
    /// No prefixes yet.
    pub(crate) const fn new() -> Self {
        PrefixCache {
            kept: Vec::new(),
            clock: 0,
        }
    }

    /// The prefixes of `encoder`'s lines of `shape` for the series that `series` lists
    /// (through its callback, in scrape order) when the storage's change count is `stamp`:
    /// the kept ones if they still hold, else rendered now. `None` when the encoder writes
    /// such lines some other way (see [`MetricEncoder::prefix_key`] and
    /// [`MetricEncoder::writes_histogram_lines`]).
    pub(crate) fn prefixes(
        &mut self,
        encoder: &MetricEncoder<'_>,
        shape: Shape<'_>,
        stamp: u64,
        series: impl FnOnce(EachSeries<'_, P>),
    ) -> Option<&Prefixes<P>> {
        if matches!(shape, Shape::Histogram(_)) && !encoder.writes_histogram_lines() {
            // Known before rendering anything (protobuf, say): nothing is kept to fail.
            return None;
        }
        let suffix = shape.suffix();
        self.clock += 1;
        let found = self
            .kept
            .iter()
            .position(|kept| kept.stamp == stamp && encoder.has_prefix_key(&kept.key, suffix));
        let index = match found {
            Some(index) => index,
            None => {
                let key = encoder.prefix_key(suffix)?;
                let same_key = self.kept.iter().position(|kept| kept.key == key);
                let index = if let Some(index) = same_key {
                    // This exposition's, gone stale: rendered again in place.
                    index
                } else if self.kept.len() < KEPT {
                    self.kept.push(Prefixes {
                        key: key.clone(),
                        stamp,
                        text: Vec::new(),
                        entries: Vec::new(),
                        le_text: Vec::new(),
                        le_ends: Vec::new(),
                        write_len: 0,
                        last_used: 0,
                    });
                    self.kept.len() - 1
                } else {
                    // The least recently used exposition's make room, their buffers reused.
                    (0..self.kept.len())
                        .min_by_key(|&index| self.kept[index].last_used)
                        .unwrap_or(0)
                };
                let prefixes = &mut self.kept[index];
                prefixes.key = key;
                prefixes.stamp = stamp;
                prefixes.text.clear();
                prefixes.entries.clear();
                prefixes.le_text.clear();
                prefixes.le_ends.clear();
                let Prefixes {
                    text,
                    entries,
                    le_text,
                    le_ends,
                    write_len,
                    ..
                } = prefixes;
                *write_len = 0;
                let mut whole = true;
                match shape {
                    Shape::Sample(suffix) => series(&mut |position, labels, created| {
                        let start = text.len();
                        match encoder.render_prefix(suffix, labels, created, text) {
                            Some(value_at) => {
                                entries.push((position, value_at, text.len()));
                                *write_len += text.len() - start + MAX_VALUE_LINE;
                            }
                            None => whole = false,
                        }
                    }),
                    Shape::Histogram(bounds) => {
                        encoder.render_le_texts(bounds, le_text, le_ends);
                        let buckets = le_ends.len();
                        // A text series writes its head once per bucket; a protobuf `Metric`
                        // its label pairs once.
                        let head_repeats = if encoder.format() == Format::Protobuf {
                            1
                        } else {
                            buckets
                        };
                        // Per series: the `le` texts and a value per line.
                        let per_series = le_text.len() + (buckets + 2) * MAX_VALUE_LINE;
                        le_text.resize(le_text.len() + BLOCK, 0);
                        series(&mut |position, labels, created| {
                            let start = text.len();
                            match encoder.render_histogram_prefixes(labels, created, text) {
                                Some([head, sum, count]) => {
                                    for end in [head, sum, count] {
                                        entries.push((position, end, end));
                                    }
                                    *write_len +=
                                        (head - start) * head_repeats + (count - head) + per_series;
                                }
                                None => whole = false,
                            }
                        });
                    }
                }
                text.resize(text.len() + BLOCK, 0);
                if !whole {
                    // Some series cannot be written from a prefix: none is, and a stamp no
                    // storage reaches keeps these from being found again.
                    entries.clear();
                    prefixes.stamp = u64::MAX;
                    return None;
                }
                index
            }
        };
        let prefixes = &mut self.kept[index];
        prefixes.last_used = self.clock;
        Some(prefixes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::MetricType;
    use crate::encode::{ClassicHistogram, Escaping, Exposition, LabelWriter};

    struct PathLabel(String);

    impl WriteLabels for PathLabel {
        fn write_labels(&self, writer: &mut LabelWriter<'_>) {
            writer.label("path", &self.0);
        }
    }

    struct Series {
        labels: PathLabel,
        counts: Vec<u64>,
        sum: f64,
        negative: bool,
        created: Option<Timestamp>,
    }

    /// A small deterministic generator (xorshift), so failures repeat.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, bound: u64) -> u64 {
            self.next() % bound
        }

        fn pick<T: Copy>(&mut self, from: &[T]) -> T {
            from[self.below(from.len() as u64) as usize]
        }
    }

    fn histogram<'a>(bounds: &'a [f64], series: &'a Series) -> ClassicHistogram<'a> {
        ClassicHistogram {
            bounds,
            counts: &series.counts,
            sum: series.sum,
            exemplars: &[],
            created: None,
            negative_observations: series.negative,
        }
    }

    #[test]
    fn kept_histogram_pieces_write_what_the_general_encoder_writes() {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let family_created = Some(Timestamp::from_unix_nanos(1_700_000_000_123_456_789));
        let expositions = [
            Exposition::new(Format::Prometheus),
            Exposition::new(Format::OpenMetrics),
            Exposition::new(Format::PrometheusV1).with_escaping(Escaping::AllowUtf8),
            Exposition::new(Format::OpenMetrics).with_escaping(Escaping::Values),
            Exposition::new(Format::Protobuf),
            Exposition::new(Format::Protobuf).with_escaping(Escaping::AllowUtf8),
        ];
        let mut compared = 0;
        for _ in 0..300 {
            let mut bounds: Vec<f64> = (0..1 + random.below(12))
                .map(|_| {
                    random.pick(&[-2.0, -0.5, 0.0, 0.001, 0.1, 1.0, 2.5, 60.0, 1e9, 3e21])
                        + random.below(3) as f64
                })
                .collect();
            bounds.sort_by(f64::total_cmp);
            bounds.dedup();
            let series: Vec<Series> = (0..random.below(4))
                .map(|index| {
                    let long = "/a\"b\\c\né".repeat(random.below(40) as usize);
                    Series {
                        labels: PathLabel(format!("/{index}{long}")),
                        counts: (0..=bounds.len())
                            .map(|_| match random.below(4) {
                                0 => 0,
                                1 => random.below(200),
                                2 => random.below(1 << 40),
                                // Wraps: cumulative counts take every varint length.
                                _ => random.next(),
                            })
                            .collect(),
                        sum: random.pick(&[0.0, 12.5, -3.0, f64::NAN, f64::INFINITY, 1e-300]),
                        negative: random.below(3) == 0,
                        created: (random.below(2) == 0)
                            .then(|| Timestamp::from_unix_nanos(random.next() >> 4)),
                    }
                })
                .collect();
            for exposition in expositions {
                for name in ["req_seconds", "http.server.duration"] {
                    for const_labels in ["", "shard=\"a\\\"b\""] {
                        let encoder = |out| {
                            MetricEncoder::for_family(
                                out,
                                exposition,
                                name,
                                MetricType::Histogram,
                                const_labels,
                            )
                            .with_created(family_created)
                        };
                        let mut expected = Vec::new();
                        {
                            let mut general = encoder(&mut expected);
                            for one in &series {
                                general.set_creation_time(one.created.or(family_created));
                                general.classic_histogram(&one.labels, &histogram(&bounds, one));
                            }
                        }
                        let mut cache = PrefixCache::<usize>::new();
                        for round in 0..2 {
                            let mut written = Vec::new();
                            let mut kept = MetricEncoder::for_family(
                                &mut written,
                                exposition,
                                name,
                                MetricType::Histogram,
                                const_labels,
                            )
                            .with_created(family_created);
                            let listed = |each: EachSeries<'_, usize>| {
                                for (index, one) in series.iter().enumerate() {
                                    each(index, &one.labels, one.created);
                                }
                            };
                            let prefixes = cache
                                .prefixes(&kept, Shape::Histogram(&bounds), 0, listed)
                                .expect("pieces are kept in this exposition");
                            let le = prefixes.le_texts();
                            for (index, pieces) in prefixes.histograms() {
                                let one = &series[index];
                                assert!(kept.prefixed_histogram(
                                    le,
                                    pieces,
                                    &histogram(&bounds, one)
                                ));
                            }
                            assert_eq!(
                                written, expected,
                                "{exposition:?} {name} {const_labels:?} round {round} {bounds:?}"
                            );
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(compared, 300 * 6 * 2 * 2 * 2);
    }
}
