//! The line prefixes a family keeps for its single-sample series (counters, gauges).
//!
//! A family does not know the name and constant labels it is scraped under until a scrape
//! tells it, so the prefixes (`name_total{const="c",user="ada"} `) are rendered at the first
//! scrape, all of a family's back to back in one buffer, and kept while the scrape context
//! (the encoder's [`PrefixKey`]) and the family's set of series stay the same. A warm scrape
//! then writes each series as one copy of its prefix and the value's digits, after one
//! reservation for the whole family, with no call through a label writer.
//!
//! Memory: about the text of the family's lines, once per exposition kept (at most
//! [`KEPT`]: a registry scraped in two text formats keeps both; a third replaces the one used
//! least recently). The lock around them is only tried: a scrape that finds it taken (another
//! scrape of the same family at the same moment) writes its lines the uncached way.

use crate::encode::{MetricEncoder, PrefixKey, Timestamp, WriteLabels};

/// How many expositions' prefixes a family keeps.
pub(crate) const KEPT: usize = 2;

/// Prefixes up to this long are copied as a block of this fixed size (a few vector moves,
/// no call), the output then cut back to the prefix; the text ends with this many spare
/// bytes so the block never runs past it.
pub(crate) const BLOCK: usize = 64;

/// What the storage calls once per series, in scrape order, to have its prefix rendered:
/// its position, labels and (when it has one of its own) creation time.
pub(crate) type EachSeries<'a, P> = &'a mut dyn FnMut(P, &dyn WriteLabels, Option<Timestamp>);

/// The prefixes of one family's series in one exposition.
pub(crate) struct Prefixes<P> {
    key: PrefixKey,
    /// The storage's series set when these were rendered (its change count).
    stamp: u64,
    text: Vec<u8>,
    /// Each series in scrape order: where the storage keeps it, where its value goes in
    /// `text`, and where its text ends (it starts where the previous one ends). What lies
    /// between the two is written after the value (protobuf only).
    entries: Vec<(P, usize, usize)>,
    last_used: u64,
}

impl<P: Copy> Prefixes<P> {
    /// Bytes of all prefixes.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len() - BLOCK
    }

    /// How many series.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
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

    /// The prefixes of `encoder`'s `suffix` lines for the series that `series` lists (through
    /// its callback, in scrape order) when the storage's change count is `stamp`: the kept
    /// ones if they still hold, else rendered now. `None` when the encoder writes such lines
    /// some other way (see [`MetricEncoder::prefix_key`]).
    pub(crate) fn prefixes(
        &mut self,
        encoder: &MetricEncoder<'_>,
        suffix: &'static str,
        stamp: u64,
        series: impl FnOnce(EachSeries<'_, P>),
    ) -> Option<&Prefixes<P>> {
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
                let Prefixes { text, entries, .. } = prefixes;
                let mut whole = true;
                series(&mut |position, labels, created| match encoder
                    .render_prefix(suffix, labels, created, text)
                {
                    Some(value_at) => entries.push((position, value_at, text.len())),
                    None => whole = false,
                });
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
