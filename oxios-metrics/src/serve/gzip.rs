//! gzip for responses whose scraper sends `Accept-Encoding: gzip` (Prometheus always does).
//!
//! A deflate compressor carries a few hundred kilobytes of state, so creating one per scrape
//! would allocate far more than the exposition itself. Compressors are pooled like the
//! buffers and reset between uses; the gzip framing around the raw deflate stream (a 10-byte
//! header, CRC-32 and length trailer, RFC 1952) is written here.

use std::io;
use std::sync::{Mutex, PoisonError};

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

/// How many idle compressors the pool keeps.
const MAX_IDLE: usize = 4;

/// Whether an `Accept-Encoding` header admits gzip: `gzip` (or `x-gzip`) with a non-zero
/// weight, or `*` with a non-zero weight when gzip is not listed on its own. The header's
/// field `lines` are read as one list, as RFC 9110 §5.3 has several lines mean the same as
/// their values joined by commas: `gzip;q=0` on one line refuses gzip even when another
/// line says `*`.
pub(crate) fn accepts_gzip<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> bool {
    let mut gzip_weight: Option<bool> = None;
    let mut wildcard_weight: Option<bool> = None;
    for line in lines {
        for coding in line.as_ref().split(',') {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let acceptable = parts
                .filter_map(|parameter| parameter.split_once('='))
                .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
                .is_none_or(|(_, value)| value.trim().parse::<f32>().is_ok_and(|q| q > 0.0));
            if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                gzip_weight = Some(gzip_weight.unwrap_or(false) || acceptable);
            } else if name == "*" {
                wildcard_weight = Some(acceptable);
            }
        }
    }
    gzip_weight.or(wildcard_weight).unwrap_or(false)
}

/// Reusable deflate compressors.
#[derive(Default)]
pub(crate) struct GzipPool {
    idle: Mutex<Vec<Compress>>,
}

impl std::fmt::Debug for GzipPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GzipPool").finish_non_exhaustive()
    }
}

/// gzip header: magic, deflate, no flags, no time, "fastest" (XFL 4), unknown OS.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255];

impl GzipPool {
    /// Appends the gzip member of `input` to `out`. Fast compression: exposition text is
    /// highly repetitive, so level 1 already shrinks it several times at little CPU.
    pub(crate) fn compress(&self, input: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
        let mut compressor = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_else(|| Compress::new(Compression::fast(), false));
        let result = deflate(&mut compressor, input, out);
        compressor.reset();
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push(compressor);
        }
        result
    }
}

fn deflate(compressor: &mut Compress, input: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
    out.extend_from_slice(&HEADER);
    // Text compresses well; start with a quarter and grow only if that is not enough.
    out.reserve(input.len() / 4 + 64);
    let start_in = compressor.total_in();
    loop {
        let consumed = (compressor.total_in() - start_in) as usize;
        if out.capacity() == out.len() {
            out.reserve(out.len().max(64));
        }
        let status = compressor
            .compress_vec(&input[consumed..], out, FlushCompress::Finish)
            .map_err(io::Error::other)?;
        if status == Status::StreamEnd {
            break;
        }
    }
    let mut crc = Crc::new();
    crc.update(input);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE is the length modulo 2^32 (RFC 1952).
    out.extend_from_slice(&(input.len() as u32).to_le_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn accept_encoding_values() {
        assert!(accepts_gzip(["gzip"]));
        assert!(accepts_gzip(["deflate, GZIP;q=0.5"]));
        assert!(accepts_gzip(["x-gzip"]));
        assert!(accepts_gzip(["*"]));
        assert!(accepts_gzip(["br, *;q=0.1"]));
        assert!(!accepts_gzip([""]));
        assert!(!accepts_gzip(["identity"]));
        assert!(!accepts_gzip(["gzip;q=0"]));
        assert!(!accepts_gzip(["gzip;q=0, *"]));
        assert!(!accepts_gzip(["*;q=0"]));
        assert!(!accepts_gzip(["gzip;q=nonsense"]));
        assert!(!accepts_gzip(["gzip;q=0", "*"]));
        assert!(!accepts_gzip(["*", "x-gzip;q=0"]));
        assert!(accepts_gzip(["identity", "gzip"]));
    }

    fn gunzip(packed: &[u8]) -> Vec<u8> {
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(packed)
            .read_to_end(&mut unpacked)
            .unwrap();
        unpacked
    }

    #[test]
    fn compressed_text_decompresses_to_the_input() {
        let pool = GzipPool::default();
        let text = b"# TYPE a counter\na_total 1\n".repeat(1000);
        let mut packed = Vec::new();
        pool.compress(&text, &mut packed).unwrap();
        assert!(packed.len() < text.len() / 4);
        assert_eq!(gunzip(&packed), text);
    }

    #[test]
    fn a_reused_compressor_starts_a_fresh_stream() {
        let pool = GzipPool::default();
        for text in [&b"first exposition\n"[..], b"", b"second\n"] {
            let mut packed = Vec::new();
            pool.compress(text, &mut packed).unwrap();
            assert_eq!(gunzip(&packed), text);
        }
        assert_eq!(
            pool.idle.lock().unwrap().len(),
            1,
            "one compressor served all"
        );
    }

    #[test]
    fn incompressible_input_grows_the_output_as_needed() {
        let pool = GzipPool::default();
        let mut state: u32 = 7;
        let noise: Vec<u8> = (0..100_000)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (state >> 16) as u8
            })
            .collect();
        let mut packed = Vec::new();
        pool.compress(&noise, &mut packed).unwrap();
        assert_eq!(gunzip(&packed), noise);
    }
}
