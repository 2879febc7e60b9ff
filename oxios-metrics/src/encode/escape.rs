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
    escape(out, value.as_bytes(), true);
}

/// Appends HELP text for the given format: OpenMetrics also escapes `"`.
pub(crate) fn help(out: &mut Vec<u8>, text: &str, escape_quote: bool) {
    escape(out, text.as_bytes(), escape_quote);
}

fn escape(out: &mut Vec<u8>, mut bytes: &[u8], escape_quote: bool) {
    loop {
        let next = if escape_quote {
            memchr::memchr3(b'\\', b'"', b'\n', bytes)
        } else {
            memchr::memchr2(b'\\', b'\n', bytes)
        };
        match next {
            None => {
                out.extend_from_slice(bytes);
                return;
            }
            Some(at) => {
                out.extend_from_slice(&bytes[..at]);
                out.extend_from_slice(match bytes[at] {
                    b'\\' => b"\\\\",
                    b'"' => b"\\\"",
                    _ => b"\\n",
                });
                bytes = &bytes[at + 1..];
            }
        }
    }
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
    fn help_escapes_quote_only_for_openmetrics() {
        let mut prom = Vec::new();
        help(&mut prom, "a \"q\" \\ \n", false);
        assert_eq!(prom, b"a \"q\" \\\\ \\n");
        let mut om = Vec::new();
        help(&mut om, "a \"q\" \\ \n", true);
        assert_eq!(om, b"a \\\"q\\\" \\\\ \\n");
    }
}
