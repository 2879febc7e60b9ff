//! Escaping of label values and HELP text.
//!
//! | text        | 0.0.4 escapes         | OpenMetrics escapes    |
//! |-------------|-----------------------|------------------------|
//! | label value | `\` `"` newline       | `\` `"` newline        |
//! | HELP        | `\` newline           | `\` `"` newline        |
//!
//! The common case (nothing to escape) is one `memchr` scan and one copy.

/// Appends a label value, escaping `\`, `"` and newline.
pub(crate) fn label_value(out: &mut Vec<u8>, value: &str) {
    escape(value.as_bytes(), true, |piece| out.extend_from_slice(piece));
}

/// Hands a label value, escaped as [`label_value`] escapes it, to `put` piece by piece (for
/// writers into fixed storage rather than a `Vec`).
pub(crate) fn label_value_pieces(value: &str, put: impl FnMut(&[u8])) {
    escape(value.as_bytes(), true, put);
}

/// Appends HELP text for the given format: OpenMetrics also escapes `"`.
pub(crate) fn help(out: &mut Vec<u8>, text: &str, escape_quote: bool) {
    escape(text.as_bytes(), escape_quote, |piece| {
        out.extend_from_slice(piece)
    });
}

fn escape(mut bytes: &[u8], escape_quote: bool, mut put: impl FnMut(&[u8])) {
    loop {
        let next = if escape_quote {
            memchr::memchr3(b'\\', b'"', b'\n', bytes)
        } else {
            memchr::memchr2(b'\\', b'\n', bytes)
        };
        match next {
            None => {
                put(bytes);
                return;
            }
            Some(at) => {
                put(&bytes[..at]);
                put(match bytes[at] {
                    b'\\' => b"\\\\",
                    b'"' => b"\\\"",
                    _ => b"\\n",
                });
                bytes = &bytes[at + 1..];
            }
        }
    }
}

/// Appends a label value given escaped (`\\`, `\"`, `\n`) as the value itself. Any other
/// escape is kept as written, as the text parsers keep it.
pub(crate) fn unescape_label_value(out: &mut Vec<u8>, mut escaped: &str) {
    while let Some(at) = memchr::memchr(b'\\', escaped.as_bytes()) {
        out.extend_from_slice(&escaped.as_bytes()[..at]);
        match escaped.as_bytes().get(at + 1) {
            Some(b'n') => out.push(b'\n'),
            Some(&byte @ (b'\\' | b'"')) => out.push(byte),
            Some(_) | None => {
                out.push(b'\\');
                escaped = &escaped[at + 1..];
                continue;
            }
        }
        escaped = &escaped[at + 2..];
    }
    out.extend_from_slice(escaped.as_bytes());
}

/// The offset of the `"` that closes an escaped label value starting at `text` (the quote
/// itself not escaped), if there is one.
pub(crate) fn closing_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some(at),
            _ => at += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(value: &str) -> String {
        let mut out = Vec::new();
        label_value(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn label_values_escape_backslash_quote_newline() {
        assert_eq!(label("a\\b"), "a\\\\b");
        assert_eq!(label("say \"hi\""), "say \\\"hi\\\"");
        assert_eq!(label("one\ntwo"), "one\\ntwo");
        assert_eq!(label("plain ünïcode"), "plain ünïcode");
        assert_eq!(label(""), "");
    }

    #[test]
    fn unescaping_inverts_label_value_escaping() {
        for value in [
            "",
            "plain",
            "a\\b",
            "say \"hi\"",
            "one\ntwo",
            "\\\\\"\n",
            "ünï\\",
        ] {
            let mut escaped = Vec::new();
            label_value(&mut escaped, value);
            let escaped = String::from_utf8(escaped).unwrap();
            let mut back = Vec::new();
            unescape_label_value(&mut back, &escaped);
            assert_eq!(back, value.as_bytes(), "{escaped}");
            assert_eq!(
                closing_quote(&format!("{escaped}\",x")),
                Some(escaped.len())
            );
        }
        let mut kept = Vec::new();
        unescape_label_value(&mut kept, "a\\tb\\");
        assert_eq!(kept, b"a\\tb\\");
        assert_eq!(closing_quote("no end\\\""), None);
    }

    #[test]
    fn help_escapes_quote_only_for_openmetrics() {
        let mut prom = Vec::new();
        help(&mut prom, "a \"q\" \\ \n", false);
        assert_eq!(prom, b"a \"q\" \\\\ \\n");
        let mut om = Vec::new();
        help(&mut om, "a \"q\" \\ \n", true);
        assert_eq!(om, b"a \\\"q\\\" \\\\ \\n");
    }
}
