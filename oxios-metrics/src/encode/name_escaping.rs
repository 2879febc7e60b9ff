//! Metric and label names outside the legacy character set: the escaping schemes of
//! Prometheus' `model` package, and the quoted form of the text formats.
//!
//! A name is *legacy* when it matches `[a-zA-Z_:][a-zA-Z0-9_:]*`. Legacy names are written as
//! they are whatever the scheme (Prometheus escapes only names that need it); any other name
//! is escaped by the negotiated [`Escaping`], or, with [`Escaping::AllowUtf8`] in a format
//! that carries UTF-8 names, written as it is: quoted in text (`{"http.server.duration"}`,
//! `"http.method"="get"`), a plain string in protobuf.
//!
//! Everything here appends to a `Vec<u8>` and allocates nothing beyond the vector's growth.

use super::format::Escaping;

/// Whether `byte`, at byte offset `index` of a name, is in the legacy character set
/// (`[a-zA-Z_:]` first, `[a-zA-Z0-9_:]` after).
fn is_legacy_char(character: char, index: usize) -> bool {
    character.is_ascii_alphabetic()
        || character == '_'
        || character == ':'
        || (character.is_ascii_digit() && index > 0)
}

/// Whether `name` is a legacy metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`: written unquoted and
/// unescaped in every format and scheme.
///
/// ```
/// use oxios_metrics::encode::is_legacy_name;
/// assert!(is_legacy_name("http_requests_total"));
/// assert!(is_legacy_name("job:rate5m"));
/// assert!(!is_legacy_name("http.server.duration"));
/// assert!(!is_legacy_name("1st"));
/// assert!(!is_legacy_name(""));
/// ```
pub fn is_legacy_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .char_indices()
            .all(|(index, character)| is_legacy_char(character, index))
}

/// Appends `name` escaped by `scheme` exactly as Prometheus' `model.EscapeName` does,
/// including its one rule that touches legacy names: [`Escaping::Dots`] doubles every `_`
/// (`no:escaping_required` becomes `no:escaping__required`). Writers of an exposition use
/// [`write_name`], which leaves legacy names alone as Prometheus' encoders do.
///
/// [`Escaping::AllowUtf8`] appends the name unchanged.
///
/// ```
/// use oxios_metrics::encode::{escape_name, Escaping};
/// let escaped = |name, scheme| {
///     let mut out = Vec::new();
///     escape_name(&mut out, name, scheme);
///     String::from_utf8(out).unwrap()
/// };
/// assert_eq!(escaped("mysystem.prod.west.cpu.load_total", Escaping::Underscores), "mysystem_prod_west_cpu_load_total");
/// assert_eq!(escaped("mysystem.prod.west.cpu.load_total", Escaping::Dots), "mysystem_dot_prod_dot_west_dot_cpu_dot_load__total");
/// assert_eq!(escaped("mysystem.prod.west.cpu.load_total", Escaping::Values), "U__mysystem_2e_prod_2e_west_2e_cpu_2e_load__total");
/// ```
pub fn escape_name(out: &mut Vec<u8>, name: &str, scheme: Escaping) {
    match scheme {
        Escaping::AllowUtf8 => out.extend_from_slice(name.as_bytes()),
        Escaping::Underscores => {
            if is_legacy_name(name) {
                out.extend_from_slice(name.as_bytes());
                return;
            }
            for (index, character) in name.char_indices() {
                out.push(if is_legacy_char(character, index) {
                    character as u8
                } else {
                    b'_'
                });
            }
        }
        Escaping::Dots => {
            for (index, character) in name.char_indices() {
                match character {
                    '_' => out.extend_from_slice(b"__"),
                    '.' => out.extend_from_slice(b"_dot_"),
                    _ if is_legacy_char(character, index) => out.push(character as u8),
                    _ => out.extend_from_slice(b"__"),
                }
            }
        }
        Escaping::Values => {
            if is_legacy_name(name) || name.is_empty() {
                out.extend_from_slice(name.as_bytes());
                return;
            }
            out.extend_from_slice(b"U__");
            for (index, character) in name.char_indices() {
                match character {
                    '_' => out.extend_from_slice(b"__"),
                    _ if is_legacy_char(character, index) => out.push(character as u8),
                    _ => {
                        // A `&str` holds only valid scalar values, so the code point is
                        // never the replacement Go writes for invalid UTF-8.
                        out.push(b'_');
                        push_lower_hex(out, u32::from(character));
                        out.push(b'_');
                    }
                }
            }
        }
    }
}

/// Appends `value` in lower-case hexadecimal without leading zeros (Go's
/// `strconv.FormatInt(v, 16)`).
fn push_lower_hex(out: &mut Vec<u8>, value: u32) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut digits = [0u8; 8];
    let mut count = 0;
    let mut rest = value;
    loop {
        digits[count] = DIGITS[(rest & 0xf) as usize];
        count += 1;
        rest >>= 4;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[..count].iter().rev());
}

/// Appends `name` between double quotes, escaping `\`, `"` and newline as the text formats'
/// quoted names require.
pub fn write_quoted(out: &mut Vec<u8>, name: &str) {
    out.push(b'"');
    super::escape::label_value(out, name);
    out.push(b'"');
}

/// How a name is placed in the exposition, for [`write_name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameSyntax {
    /// Text that quotes names outside the legacy character set (text 1.0.0 and OpenMetrics
    /// with [`Escaping::AllowUtf8`]).
    Quoted,
    /// Bytes written as they are (protobuf strings, or a name already known to be legacy).
    Plain,
}

/// Appends a metric or label name the way an exposition writes it: a legacy name as it is; any other
/// name escaped by `scheme`, or with [`Escaping::AllowUtf8`] quoted (`syntax` is
/// [`NameSyntax::Quoted`]) or as it is ([`NameSyntax::Plain`]).
///
/// Label names follow the same rule as metric names, as in Prometheus' encoders (the
/// registry refuses `:` in label names, so the difference never shows).
///
/// ```
/// use oxios_metrics::encode::{write_name, Escaping, NameSyntax};
/// let written = |name, scheme, syntax| {
///     let mut out = Vec::new();
///     write_name(&mut out, name, scheme, syntax);
///     String::from_utf8(out).unwrap()
/// };
/// assert_eq!(written("http.server.duration", Escaping::AllowUtf8, NameSyntax::Quoted), "\"http.server.duration\"");
/// assert_eq!(written("http.server.duration", Escaping::Dots, NameSyntax::Quoted), "http_dot_server_dot_duration");
/// assert_eq!(written("legacy_name", Escaping::Dots, NameSyntax::Quoted), "legacy_name");
/// ```
pub fn write_name(out: &mut Vec<u8>, name: &str, scheme: Escaping, syntax: NameSyntax) {
    if is_legacy_name(name) {
        out.extend_from_slice(name.as_bytes());
    } else if scheme == Escaping::AllowUtf8 {
        match syntax {
            NameSyntax::Quoted => write_quoted(out, name),
            NameSyntax::Plain => out.extend_from_slice(name.as_bytes()),
        }
    } else {
        escape_name(out, name, scheme);
    }
}

/// The ways a scrape may write `name` outside quotes: as it is under each escaping scheme
/// that rewrites names (`underscores`, `dots`, `values`), in that order. A legacy name is the
/// same in all three. The registry checks these forms against each other so that no two names
/// read the same however a scrape escapes them.
pub(crate) fn escaped_forms(name: &str) -> [Vec<u8>; 3] {
    [Escaping::Underscores, Escaping::Dots, Escaping::Values].map(|scheme| {
        let mut out = Vec::new();
        write_name(&mut out, name, scheme, NameSyntax::Plain);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(name: &str, scheme: Escaping) -> String {
        let mut out = Vec::new();
        escape_name(&mut out, name, scheme);
        String::from_utf8(out).unwrap()
    }

    /// The cases of Prometheus' own `TestEscapeName`, input then underscores, dots, values.
    #[test]
    fn escaping_matches_prometheus_model_cases() {
        let cases = [
            ("", "", "", ""),
            (
                "no:escaping_required",
                "no:escaping_required",
                "no:escaping__required",
                "no:escaping_required",
            ),
            (
                "mysystem.prod.west.cpu.load",
                "mysystem_prod_west_cpu_load",
                "mysystem_dot_prod_dot_west_dot_cpu_dot_load",
                "U__mysystem_2e_prod_2e_west_2e_cpu_2e_load",
            ),
            (
                "mysystem.prod.west.cpu.load_total",
                "mysystem_prod_west_cpu_load_total",
                "mysystem_dot_prod_dot_west_dot_cpu_dot_load__total",
                "U__mysystem_2e_prod_2e_west_2e_cpu_2e_load__total",
            ),
            (
                "http.status:sum",
                "http_status:sum",
                "http_dot_status:sum",
                "U__http_2e_status:sum",
            ),
            (
                "label with 😱",
                "label_with__",
                "label__with____",
                "U__label_20_with_20__1f631_",
            ),
            ("花火", "__", "____", "U___82b1__706b_"),
            (
                "label with \u{0100}",
                "label_with__",
                "label__with____",
                "U__label_20_with_20__100_",
            ),
        ];
        for (input, underscores, dots, values) in cases {
            assert_eq!(
                escaped(input, Escaping::Underscores),
                underscores,
                "{input}"
            );
            assert_eq!(escaped(input, Escaping::Dots), dots, "{input}");
            assert_eq!(escaped(input, Escaping::Values), values, "{input}");
            assert_eq!(escaped(input, Escaping::AllowUtf8), input, "{input}");
        }
    }

    /// The examples of Prometheus' escaping-schemes specification.
    #[test]
    fn escaping_matches_the_specification_examples() {
        assert_eq!(
            escaped("metric.name/with/slashes", Escaping::Underscores),
            "metric_name_with_slashes"
        );
        assert_eq!(
            escaped("metric.name.with.dots", Escaping::Dots),
            "metric_dot_name_dot_with_dot_dots"
        );
        // The specification writes the code point as `2E`; Prometheus' code writes lower
        // case, and its unescaping reads either.
        assert_eq!(
            escaped("metric.name", Escaping::Values),
            "U__metric_2e_name"
        );
    }

    #[test]
    fn a_leading_digit_is_escaped_but_not_a_later_one() {
        assert_eq!(escaped("1st.try2", Escaping::Underscores), "_st_try2");
        assert_eq!(escaped("1st.try2", Escaping::Dots), "__st_dot_try2");
        assert_eq!(escaped("1st.try2", Escaping::Values), "U___31_st_2e_try2");
    }

    #[test]
    fn quoted_names_escape_backslash_quote_and_newline() {
        let mut out = Vec::new();
        write_name(
            &mut out,
            "a\"b\\c\nd",
            Escaping::AllowUtf8,
            NameSyntax::Quoted,
        );
        assert_eq!(out, br#""a\"b\\c\nd""#);
        out.clear();
        write_name(
            &mut out,
            "http.method",
            Escaping::Underscores,
            NameSyntax::Quoted,
        );
        assert_eq!(out, b"http_method");
        out.clear();
        write_name(
            &mut out,
            "http.method",
            Escaping::AllowUtf8,
            NameSyntax::Plain,
        );
        assert_eq!(out, b"http.method");
    }

    #[test]
    fn hex_digits_are_lower_case_without_leading_zeros() {
        for (value, text) in [
            (0, "0"),
            (0xf, "f"),
            (0x10, "10"),
            (0x1f631, "1f631"),
            (0x10ffff, "10ffff"),
        ] {
            let mut out = Vec::new();
            push_lower_hex(&mut out, value);
            assert_eq!(out, text.as_bytes());
        }
    }
}
