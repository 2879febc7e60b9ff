//! The naming rules checked at registration, for groups that did not come from the derive
//! (the derive applies stricter rules at compile time, in `oxios-metrics-macros`).

/// A metric name: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`. Colons are valid in
/// Prometheus but reserved for recording rules, so they are refused here.
pub(crate) fn check_metric_name(name: &str) -> Result<(), &'static str> {
    check_identifier(name)
}

/// A label name: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`.
pub(crate) fn check_label_name(name: &str) -> Result<(), &'static str> {
    check_identifier(name)
}

/// A metric or label name declared with
/// [`MetricDesc::with_utf8_names`](crate::MetricDesc::with_utf8_names): any UTF-8 text that
/// is not empty, does not start with `__`, and holds no control character and none of the
/// characters that delimit names and labels in the text formats (`"`, `\`, `=`, `,`, `{`,
/// `}`), so every scheme writes it unambiguously.
pub(crate) fn check_utf8_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name.starts_with("__") {
        return Err("names starting with `__` are reserved for Prometheus' internal use");
    }
    if name.chars().any(char::is_control) {
        return Err("a name may not hold a control character");
    }
    if name.contains(['"', '\\', '=', ',', '{', '}']) {
        return Err("a name may not hold `\"`, `\\`, `=`, `,`, `{` or `}`");
    }
    Ok(())
}

fn check_identifier(name: &str) -> Result<(), &'static str> {
    let mut bytes = name.bytes();
    match bytes.next() {
        None => return Err("it is empty"),
        Some(first) if !(first.is_ascii_alphabetic() || first == b'_') => {
            return Err("it must start with a letter or `_`")
        }
        _ => {}
    }
    if name.contains(':') {
        return Err("`:` is reserved for recording rules");
    }
    if !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err("only ASCII letters, digits and `_` are allowed");
    }
    if name.starts_with("__") {
        return Err("names starting with `__` are reserved for Prometheus' internal use");
    }
    Ok(())
}

/// A label name given at run time to a sub-registry: valid, snake_case (promtool flags
/// camelCase label names), and not one of the names the exposition reserves.
pub(crate) fn check_constant_label_name(name: &str) -> Result<(), &'static str> {
    check_label_name(name)?;
    if is_camel_case(name) {
        return Err("label names are snake_case (promtool flags camelCase)");
    }
    match name {
        "le" => Err("`le` is the bucket label of histograms"),
        "quantile" => Err("`quantile` is reserved for summaries"),
        "series_overflow" => Err("`series_overflow` marks the overflow series of dynamic families"),
        _ => Ok(()),
    }
}

/// A metric-name prefix given at run time: a snake_case metric name not ending in `_`, none of
/// whose `_`-separated segments is a metric type word or a non-base unit.
pub(crate) fn check_prefix(prefix: &str) -> Result<(), &'static str> {
    check_metric_name(prefix)?;
    if prefix.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err("metric names are snake_case: no capital letters");
    }
    if prefix.ends_with('_') {
        return Err("the prefix and the name are joined with one `_`: remove the trailing `_`");
    }
    for segment in prefix.split('_') {
        if TYPE_WORDS.contains(&segment) {
            return Err("a metric type word (`counter`, `gauge`, `histogram`, `summary`) does not belong in a name: the `# TYPE` line states the type");
        }
        if NON_BASE_UNIT_SEGMENTS.contains(&segment) {
            return Err("a non-base unit does not belong in a name: use the base unit (seconds, bytes, ratio, ...)");
        }
    }
    Ok(())
}

/// promtool's test for camelCase: a lowercase letter followed by an uppercase one.
fn is_camel_case(name: &str) -> bool {
    name.as_bytes()
        .windows(2)
        .any(|pair| pair[0].is_ascii_lowercase() && pair[1].is_ascii_uppercase())
}

const TYPE_WORDS: &[&str] = &["counter", "gauge", "histogram", "summary"];

/// Segments that name a unit other than the base unit (or abbreviate one), refused in run-time
/// prefixes as the derive refuses them in declared names.
const NON_BASE_UNIT_SEGMENTS: &[&str] = &[
    "nanoseconds",
    "microseconds",
    "milliseconds",
    "minutes",
    "hours",
    "days",
    "ns",
    "nsec",
    "usec",
    "ms",
    "msec",
    "msecs",
    "millis",
    "sec",
    "secs",
    "mins",
    "hr",
    "hrs",
    "bits",
    "kilobytes",
    "megabytes",
    "gigabytes",
    "terabytes",
    "kibibytes",
    "mebibytes",
    "gibibytes",
    "kb",
    "mb",
    "gb",
    "tb",
    "kib",
    "mib",
    "gib",
    "percent",
    "percentage",
    "pct",
];

/// The `(name, escaped value)` pairs of rendered label text `a="x",b="y \"q\""`, or why the
/// text is not a well-formed rendering (a missing quote, an escape other than `\\`, `\"`,
/// `\n`, a raw newline, text after a value).
pub(crate) fn rendered_label_pairs(rendered: &str) -> Result<Vec<(&str, &str)>, &'static str> {
    let mut pairs = Vec::new();
    let mut rest = rendered;
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once("=\"")
            .ok_or("rendered labels must read name=\"value\",…")?;
        let mut escaped = false;
        let mut end = None;
        for (index, byte) in after.bytes().enumerate() {
            match byte {
                b'\\' | b'"' | b'n' if escaped => escaped = false,
                _ if escaped => {
                    return Err("a label value has an escape other than \\\\, \\\" or \\n")
                }
                b'\\' => escaped = true,
                b'\n' => return Err("a label value has a raw newline"),
                b'"' => {
                    end = Some(index);
                    break;
                }
                _ => {}
            }
        }
        let end = end.ok_or("a label value has no closing quote")?;
        pairs.push((name, &after[..end]));
        rest = &after[end + 1..];
        if !rest.is_empty() {
            rest = rest
                .strip_prefix(',')
                .filter(|next| !next.is_empty())
                .ok_or("rendered labels must be separated by single commas")?;
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(check_metric_name("http_requests").is_ok());
        assert!(check_metric_name("_private").is_ok());
        assert!(check_metric_name("").is_err());
        assert!(check_metric_name("1abc").is_err());
        assert!(check_metric_name("a:b").is_err());
        assert!(check_metric_name("__reserved").is_err());
        assert!(check_metric_name("a-b").is_err());
        assert!(check_label_name("ünï").is_err());
        assert!(check_utf8_name("http.server.duration").is_ok());
        assert!(check_utf8_name("ünï 花火").is_ok());
        for refused in [
            "", "__x", "a\nb", "a\"b", "a\\b", "a=b", "a,b", "a{b", "a}b", "\u{7}",
        ] {
            assert!(check_utf8_name(refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn run_time_prefixes_and_labels() {
        assert!(check_prefix("libp2p_swarm").is_ok());
        for bad in [
            "",
            "swarmMetrics",
            "Swarm",
            "swarm_",
            "a:b",
            "__x",
            "rpc_counter",
            "io_ms",
            "9x",
        ] {
            assert!(check_prefix(bad).is_err(), "{bad:?}");
        }
        assert!(check_constant_label_name("peer_id").is_ok());
        assert!(check_constant_label_name("HTTP_CODE").is_ok());
        for bad in [
            "peerId",
            "le",
            "quantile",
            "series_overflow",
            "__x",
            "a-b",
            "",
        ] {
            assert!(check_constant_label_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_of_rendered_labels() {
        let names: Vec<&str> = rendered_label_pairs(r#"a="x",b="y \"q\", c=\"z",c="""#)
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["a", "b", "c"]);
        let pairs = rendered_label_pairs(r#"a="x",b="y \"q\"""#).unwrap();
        assert_eq!(pairs, [("a", "x"), ("b", r#"y \"q\""#)]);
        assert_eq!(rendered_label_pairs(""), Ok(vec![]));
        for malformed in [
            r#"a="x"#,
            r#"a="x"b="y""#,
            r#"a="x","#,
            r#"a="\t""#,
            "a=\"\n\"",
            r#"lllll="*="v""#,
            "a",
        ] {
            assert!(rendered_label_pairs(malformed).is_err(), "{malformed:?}");
        }
    }
}
