//! gzip for responses whose scraper sends `Accept-Encoding: gzip`.

use std::io::{self, Write};

use flate2::write::GzEncoder;
use flate2::Compression;

/// Whether an `Accept-Encoding` header value admits gzip: `gzip` (or `x-gzip`) with a
/// non-zero weight, or `*` with a non-zero weight when gzip is not listed on its own.
pub(crate) fn accepts_gzip(accept_encoding: &str) -> bool {
    let mut gzip_weight: Option<bool> = None;
    let mut wildcard_weight: Option<bool> = None;
    for coding in accept_encoding.split(',') {
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
    gzip_weight.or(wildcard_weight).unwrap_or(false)
}

/// Appends the gzip member of `input` to `out`. Fast compression: exposition text is highly
/// repetitive, so level 1 already shrinks it several times at a fraction of the CPU.
pub(crate) fn compress(input: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
    let mut encoder = GzEncoder::new(out, Compression::fast());
    encoder.write_all(input)?;
    encoder.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_values() {
        assert!(accepts_gzip("gzip"));
        assert!(accepts_gzip("deflate, GZIP;q=0.5"));
        assert!(accepts_gzip("x-gzip"));
        assert!(accepts_gzip("*"));
        assert!(accepts_gzip("br, *;q=0.1"));
        assert!(!accepts_gzip(""));
        assert!(!accepts_gzip("identity"));
        assert!(!accepts_gzip("gzip;q=0"));
        assert!(!accepts_gzip("gzip;q=0, *"));
        assert!(!accepts_gzip("*;q=0"));
        assert!(!accepts_gzip("gzip;q=nonsense"));
    }

    #[test]
    fn compressed_text_decompresses_to_the_input() {
        use std::io::Read;
        let text = b"# TYPE a counter\na_total 1\n".repeat(100);
        let mut packed = Vec::new();
        compress(&text, &mut packed).unwrap();
        assert!(packed.len() < text.len() / 4);
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, text);
    }
}
