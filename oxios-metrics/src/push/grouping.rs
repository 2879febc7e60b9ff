//! Grouping keys and their URL path, encoded the way the Pushgateway's API reads them.

use super::PushError;
use crate::names::check_label_name;

/// The job and labels that name a group of metrics on a Pushgateway.
///
/// Every push to the same key replaces (`PUT`) or updates (`POST`) the same group; the
/// gateway adds the key's labels to every sample of the group. The key becomes the request
/// path `/metrics/job/<job>{/<label>/<value>}`, encoded as the gateway requires:
///
/// * a value containing `/`, the dot segments `.` and `..`, and the empty value are written
///   in base64url (RFC 4648 §5) after the label name suffixed `@base64` (the empty value as a
///   single `=`, which the gateway requires), because a router would otherwise split or
///   collapse the path there; the job likewise;
/// * any other value is percent-encoded, leaving only `A-Z a-z 0-9 - . _ ~` as they are.
///
/// Refused before anything is sent ([`PushError::InvalidGroupingKey`]): an empty job, a label
/// name outside `[a-zA-Z_][a-zA-Z0-9_]*` or starting with `__`, a label named `job` (the job
/// is the first segment), and a label given twice.
///
/// ```
/// use oxios_metrics::push::GroupingKey;
///
/// let key = GroupingKey::new("backup")
///     .label("instance", "db-1")
///     .label("path", "/var/tmp")
///     .label("stage", "")
///     .label("name", "Προμηθεύς");
/// assert_eq!(
///     key.path().unwrap(),
///     "/metrics/job/backup/instance/db-1/path@base64/L3Zhci90bXA/stage@base64/=\
///      /name/%CE%A0%CF%81%CE%BF%CE%BC%CE%B7%CE%B8%CE%B5%CF%8D%CF%82"
/// );
/// assert!(GroupingKey::new("backup").label("bad-name", "x").path().is_err());
/// assert!(GroupingKey::new("").path().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupingKey {
    job: String,
    labels: Vec<(String, String)>,
}

impl GroupingKey {
    /// A key with the `job` label only.
    pub fn new(job: impl Into<String>) -> Self {
        GroupingKey {
            job: job.into(),
            labels: Vec::new(),
        }
    }

    /// Adds a grouping label; labels keep the order they were added in. Names are checked
    /// when the key is used ([`path`](Self::path)), so a chain of calls needs no `?`.
    #[must_use]
    pub fn label(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.push((name.into(), value.into()));
        self
    }

    /// The job name.
    pub fn job(&self) -> &str {
        &self.job
    }

    /// The grouping labels besides `job`, in the order they were added.
    pub fn labels(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.labels
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// The request path for this key, from `/metrics/job/` on, or why the key is invalid.
    pub fn path(&self) -> Result<String, PushError> {
        if self.job.is_empty() {
            return Err(PushError::InvalidGroupingKey {
                label: "job".into(),
                reason: "the job name is empty (the Pushgateway refuses an empty job)",
            });
        }
        let mut path = String::from("/metrics");
        push_pair(&mut path, "job", &self.job);
        for (index, (name, value)) in self.labels.iter().enumerate() {
            check_label_name(name).map_err(|reason| PushError::InvalidGroupingKey {
                label: name.clone(),
                reason,
            })?;
            if name == "job" {
                return Err(PushError::InvalidGroupingKey {
                    label: name.clone(),
                    reason: "`job` is given by the key's job name, not as a label",
                });
            }
            if self.labels[..index].iter().any(|(seen, _)| seen == name) {
                return Err(PushError::InvalidGroupingKey {
                    label: name.clone(),
                    reason: "the label is given twice",
                });
            }
            push_pair(&mut path, name, value);
        }
        Ok(path)
    }
}

/// Appends `/<name>/<value>`, or `/<name>@base64/<base64url>` where a plain segment would be
/// split, dropped or collapsed by the gateway's router.
fn push_pair(path: &mut String, name: &str, value: &str) {
    path.push('/');
    path.push_str(name);
    if value.is_empty() {
        // An empty segment would vanish; the API asks for one padding character instead.
        path.push_str("@base64/=");
    } else if value.contains('/') || value == "." || value == ".." {
        path.push_str("@base64/");
        base64url(value.as_bytes(), path);
    } else {
        path.push('/');
        percent_encode(value, path);
    }
}

/// Percent-encodes every byte outside RFC 3986's unreserved set.
fn percent_encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// Base64 with the URL- and filename-safe alphabet, without padding (the gateway accepts
/// both; unpadded keeps `=` out of the path).
fn base64url(input: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let symbol = |bits: u32| char::from(ALPHABET[(bits & 0x3f) as usize]);
    let mut chunks = input.chunks_exact(3);
    for chunk in &mut chunks {
        let bits = u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8 | u32::from(chunk[2]);
        out.extend([
            symbol(bits >> 18),
            symbol(bits >> 12),
            symbol(bits >> 6),
            symbol(bits),
        ]);
    }
    match *chunks.remainder() {
        [a] => {
            let bits = u32::from(a) << 16;
            out.extend([symbol(bits >> 18), symbol(bits >> 12)]);
        }
        [a, b] => {
            let bits = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend([symbol(bits >> 18), symbol(bits >> 12), symbol(bits >> 6)]);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(input: &[u8]) -> String {
        let mut out = String::new();
        base64url(input, &mut out);
        out
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors_without_padding() {
        // RFC 4648 §10, with the padding removed.
        for (input, output) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encoded(input.as_bytes()), output, "{input:?}");
        }
        // The two symbols where base64url differs from standard base64 (`+` and `/`).
        assert_eq!(encoded(&[0xfb, 0xff]), "-_8");
        assert_eq!(encoded(b"/var/tmp"), "L3Zhci90bXA");
    }

    #[test]
    fn values_the_router_would_mangle_are_base64() {
        let path = GroupingKey::new("a/b")
            .label("dot", ".")
            .label("dots", "..")
            .label("three", "...")
            .label("empty", "")
            .path()
            .unwrap();
        assert_eq!(
            path,
            "/metrics/job@base64/YS9i/dot@base64/Lg/dots@base64/Li4/three/.../empty@base64/="
        );
    }

    #[test]
    fn other_characters_are_percent_encoded() {
        let path = GroupingKey::new("j")
            .label("l", "a b%c?#+ü~")
            .path()
            .unwrap();
        assert_eq!(path, "/metrics/job/j/l/a%20b%25c%3F%23%2B%C3%BC~");
    }

    #[test]
    fn invalid_keys_are_refused_with_the_label_named() {
        let cases = [
            (GroupingKey::new(""), "job"),
            (GroupingKey::new("j").label("", "v"), ""),
            (GroupingKey::new("j").label("1st", "v"), "1st"),
            (GroupingKey::new("j").label("a-b", "v"), "a-b"),
            (GroupingKey::new("j").label("__name", "v"), "__name"),
            (GroupingKey::new("j").label("job", "v"), "job"),
            (GroupingKey::new("j").label("x", "1").label("x", "2"), "x"),
        ];
        for (key, label) in cases {
            match key.path() {
                Err(PushError::InvalidGroupingKey { label: named, .. }) => {
                    assert_eq!(named, label, "{key:?}")
                }
                other => panic!("{key:?} gave {other:?}"),
            }
        }
    }
}
