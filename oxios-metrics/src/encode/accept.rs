//! `Accept` header parsing (RFC 9110 §12.5.1) and the choice of an [`Exposition`].
//!
//! The grammar, as RFC 9110 gives it:
//!
//! ```text
//! Accept      = #( media-range [ weight ] )
//! media-range = ( "*/*" / ( type "/" "*" ) / ( type "/" subtype ) ) parameters
//! parameters  = *( OWS ";" OWS [ parameter ] )
//! parameter   = token "=" ( token / quoted-string )
//! weight      = OWS ";" OWS "q=" qvalue
//! qvalue      = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
//! ```
//!
//! `#` lists allow empty elements (`a, , b`). The parser walks the header once with a cursor
//! and keeps only slices of it, so negotiation allocates nothing; a range that breaks the
//! grammar is skipped whole, and the header is never trusted to be well formed.

use super::format::{Escaping, Exposition, Format};

/// A parameter value as written: a token, or the inside of a quoted string whose escapes
/// (`\x`) are resolved when compared.
#[derive(Clone, Copy, Debug)]
struct Value<'a> {
    raw: &'a str,
    quoted: bool,
}

impl Value<'_> {
    /// Whether the value equals `expected` (case-sensitive, as parameter values are).
    fn is(self, expected: &str) -> bool {
        if !self.quoted {
            return self.raw == expected;
        }
        let mut expected = expected.bytes();
        let mut bytes = self.raw.bytes();
        while let Some(byte) = bytes.next() {
            let byte = if byte == b'\\' {
                match bytes.next() {
                    Some(escaped) => escaped,
                    None => return false,
                }
            } else {
                byte
            };
            if expected.next() != Some(byte) {
                return false;
            }
        }
        expected.next().is_none()
    }
}

/// One media range with the parameters negotiation looks at.
#[derive(Clone, Copy, Debug)]
struct Range<'a> {
    kind: &'a str,
    subtype: &'a str,
    /// The weight in thousandths (0–1000).
    quality: u16,
    version: Option<Value<'a>>,
    proto: Option<Value<'a>>,
    encoding: Option<Value<'a>>,
    escaping: Option<Value<'a>>,
}

fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// A cursor over the header's bytes. Every method leaves the cursor on a byte boundary of
/// ASCII delimiters, so slicing the `&str` between positions is always valid UTF-8.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn token(&mut self) -> Option<&'a str> {
        let start = self.at;
        while self.peek().is_some_and(is_tchar) {
            self.at += 1;
        }
        (self.at > start).then(|| &self.text[start..self.at])
    }

    /// A quoted string after its opening quote: the text up to the closing quote, escapes
    /// left in place. `None` when it is unterminated or holds a byte the grammar refuses
    /// (a control character other than tab); the cursor still moves past the closing
    /// quote, so skipping the rest of the range starts outside the string.
    fn quoted_rest(&mut self) -> Option<&'a str> {
        let start = self.at;
        let refused = |byte: u8| byte != b'\t' && (byte < 0x20 || byte == 0x7f);
        let mut valid = true;
        loop {
            match self.peek()? {
                b'"' => {
                    let inner = &self.text[start..self.at];
                    self.at += 1;
                    return valid.then_some(inner);
                }
                b'\\' => {
                    self.at += 1;
                    valid &= !refused(self.peek()?);
                    self.at += 1;
                }
                byte => {
                    valid &= !refused(byte);
                    self.at += 1;
                }
            }
        }
    }

    /// Moves past the next comma that is not inside a quoted string (or to the end), so a
    /// malformed range is skipped without losing the ranges after it.
    fn skip_to_next_element(&mut self) {
        let mut quoted = false;
        while let Some(byte) = self.peek() {
            self.at += 1;
            match byte {
                b'\\' if quoted => self.at = (self.at + 1).min(self.text.len()),
                b'"' => quoted = !quoted,
                b',' if !quoted => return,
                _ => {}
            }
        }
    }
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn parse_quality(text: &str) -> Option<u16> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    if fraction.len() > 3 || !fraction.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for (position, digit) in fraction.bytes().enumerate() {
        let scale = [100, 10, 1][position];
        thousandths += u16::from(digit - b'0') * scale;
    }
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Parses one range at the cursor, up to and including the `,` that ends it. `Ok(None)`
/// is an empty list element.
fn parse_range<'a>(cursor: &mut Cursor<'a>) -> Result<Option<Range<'a>>, ()> {
    cursor.skip_ows();
    if cursor.peek().is_none() || cursor.eat(b',') {
        return Ok(None);
    }
    let kind = cursor.token().ok_or(())?;
    if !cursor.eat(b'/') {
        return Err(());
    }
    let subtype = cursor.token().ok_or(())?;
    if kind == "*" && subtype != "*" {
        return Err(());
    }
    let mut range = Range {
        kind,
        subtype,
        quality: 1000,
        version: None,
        proto: None,
        encoding: None,
        escaping: None,
    };
    loop {
        cursor.skip_ows();
        match cursor.peek() {
            None => return Ok(Some(range)),
            Some(b',') => {
                cursor.at += 1;
                return Ok(Some(range));
            }
            Some(b';') => cursor.at += 1,
            Some(_) => return Err(()),
        }
        cursor.skip_ows();
        // `parameters` allows an empty parameter (`text/plain;;q=1`).
        if matches!(cursor.peek(), None | Some(b';' | b',')) {
            continue;
        }
        let name = cursor.token().ok_or(())?;
        if !cursor.eat(b'=') {
            return Err(());
        }
        let value = if cursor.eat(b'"') {
            Value {
                raw: cursor.quoted_rest().ok_or(())?,
                quoted: true,
            }
        } else {
            Value {
                raw: cursor.token().ok_or(())?,
                quoted: false,
            }
        };
        if name.eq_ignore_ascii_case("q") {
            // The weight is a bare qvalue; RFC 9110 has no quoted form for it.
            if value.quoted {
                return Err(());
            }
            range.quality = parse_quality(value.raw).ok_or(())?;
        } else if name.eq_ignore_ascii_case("version") {
            range.version = Some(value);
        } else if name.eq_ignore_ascii_case("proto") {
            range.proto = Some(value);
        } else if name.eq_ignore_ascii_case("encoding") {
            range.encoding = Some(value);
        } else if name.eq_ignore_ascii_case("escaping") {
            range.escaping = Some(value);
        }
    }
}

/// How specifically `range` names `format`, or `None` when it does not match it. Higher is
/// more specific: a type with its version (3) over a type alone (2) over `text/*` (1) over
/// `*/*` (0).
fn specificity(range: &Range<'_>, format: Format) -> Option<u8> {
    let is_type = |kind: &str, subtype: &str| {
        range.kind.eq_ignore_ascii_case(kind) && range.subtype.eq_ignore_ascii_case(subtype)
    };
    let versioned = |default: bool, version: &str| match range.version {
        None if default => Some(2),
        None => None,
        Some(value) if value.is(version) => Some(3),
        Some(_) => None,
    };
    match format {
        Format::Protobuf => {
            let named = is_type("application", "vnd.google.protobuf")
                && range
                    .proto
                    .is_some_and(|proto| proto.is("io.prometheus.client.MetricFamily"))
                && range
                    .encoding
                    .is_some_and(|encoding| encoding.is("delimited"));
            named.then_some(3)
        }
        Format::Prometheus => {
            if is_type("text", "plain") {
                versioned(true, "0.0.4")
            } else if range.kind.eq_ignore_ascii_case("text") && range.subtype == "*" {
                Some(1)
            } else if range.kind == "*" {
                Some(0)
            } else {
                None
            }
        }
        Format::PrometheusV1 => is_type("text", "plain")
            .then(|| versioned(false, "1.0.0"))
            .flatten(),
        Format::OpenMetrics => is_type("application", "openmetrics-text")
            .then(|| versioned(true, "1.0.0"))
            .flatten(),
        Format::OpenMetricsV0 => is_type("application", "openmetrics-text")
            .then(|| versioned(false, "0.0.1"))
            .flatten(),
        Format::OpenMetricsV2 => is_type("application", "openmetrics-text")
            .then(|| versioned(false, "2.0.0"))
            .flatten(),
    }
}

/// The best range for each format: (specificity, quality, escaping).
type Best<'a> = Option<(u8, u16, Option<Value<'a>>)>;

/// Chooses among every [`Format`].
pub(crate) fn negotiate(accept: &str) -> Exposition {
    negotiate_among([accept], &Format::ALL)
}

/// Chooses among `offered` (in the server's order of preference for ties) for the `Accept`
/// header whose field lines are `lines`: several lines mean the same as one joined by
/// commas. With nothing acceptable among them the answer is text 0.0.4.
pub(crate) fn negotiate_among<'a>(
    lines: impl IntoIterator<Item = &'a str>,
    offered: &[Format],
) -> Exposition {
    let mut best: [Best<'a>; Format::ALL.len()] = [None; Format::ALL.len()];
    for line in lines {
        weigh_line(line, &mut best);
    }
    choose(&best, offered)
}

/// Records, for each format, the most specific range of `line` that names it.
fn weigh_line<'a>(line: &'a str, best: &mut [Best<'a>; Format::ALL.len()]) {
    let mut cursor = Cursor { text: line, at: 0 };
    while cursor.at < line.len() {
        let range = match parse_range(&mut cursor) {
            Ok(Some(range)) => range,
            Ok(None) => continue,
            Err(()) => {
                cursor.skip_to_next_element();
                continue;
            }
        };
        for (slot, &format) in best.iter_mut().zip(Format::ALL.iter()) {
            let Some(specific) = specificity(&range, format) else {
                continue;
            };
            let better = match *slot {
                None => true,
                // The most specific range decides; among equally specific ones the
                // heavier.
                Some((known, quality, _)) => {
                    specific > known || (specific == known && range.quality > quality)
                }
            };
            if better {
                *slot = Some((specific, range.quality, range.escaping));
            }
        }
    }
}

/// The heaviest acceptable format of `offered`, with the escaping its range asked for.
fn choose(best: &[Best<'_>; Format::ALL.len()], offered: &[Format]) -> Exposition {
    let mut chosen: Option<(Format, u16, Option<Value<'_>>)> = None;
    for &format in offered {
        let Some(index) = Format::ALL.iter().position(|&known| known == format) else {
            continue;
        };
        let Some((_, quality, escaping)) = best[index] else {
            continue;
        };
        if quality > 0 && chosen.is_none_or(|(_, known, _)| quality > known) {
            chosen = Some((format, quality, escaping));
        }
    }
    match chosen {
        Some((format, _, escaping)) => {
            let escaping = escaping
                .and_then(|value| {
                    Escaping::ALL
                        .into_iter()
                        .find(|scheme| value.is(scheme.as_str()))
                })
                .unwrap_or_default();
            Exposition::new(format).with_escaping(escaping)
        }
        None => Exposition::new(Format::Prometheus),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(accept: &str) -> (Format, Escaping) {
        let exposition = negotiate(accept);
        (exposition.format(), exposition.escaping())
    }

    #[test]
    fn quality_values_follow_the_grammar() {
        for (text, expected) in [
            ("0", Some(0)),
            ("0.", Some(0)),
            ("0.5", Some(500)),
            ("0.25", Some(250)),
            ("0.125", Some(125)),
            ("0.001", Some(1)),
            ("1", Some(1000)),
            ("1.", Some(1000)),
            ("1.000", Some(1000)),
            ("1.001", None),
            ("0.1234", None),
            ("2", None),
            (".5", None),
            ("-0", None),
            ("0.5e1", None),
            ("nan", None),
            ("", None),
            ("00.5", None),
        ] {
            assert_eq!(parse_quality(text), expected, "q={text}");
        }
    }

    #[test]
    fn quoted_values_compare_after_unescaping() {
        let value = |raw| Value { raw, quoted: true };
        assert!(value("1.0.0").is("1.0.0"));
        assert!(value(r"1\.0\.0").is("1.0.0"));
        assert!(!value("1.0.0").is("1.0.00"));
        assert!(!value("1.0").is("1.0.0"));
        assert!(!value("\\").is("\\"));
        assert!(value("\\\\").is("\\"));
    }

    #[test]
    fn the_most_specific_range_sets_the_weight() {
        // `text/plain;version=0.0.4;q=0` refuses 0.0.4 although `*/*` accepts everything.
        assert_eq!(
            chosen("*/*;q=0.9, text/plain;version=0.0.4;q=0, application/openmetrics-text;q=0.1"),
            (Format::OpenMetrics, Escaping::Underscores)
        );
        // Order in the header does not matter; a bare type is less specific than a
        // versioned one.
        assert_eq!(
            chosen("text/plain;version=1.0.0;q=0.8, text/plain;q=0.5"),
            (Format::PrometheusV1, Escaping::Underscores)
        );
        assert_eq!(
            chosen("text/plain;q=0.5, text/plain;version=1.0.0;q=0.4"),
            (Format::Prometheus, Escaping::Underscores)
        );
    }
}
