//! Naming rules shared by the derives: identifiers, case conversion, units, reserved words,
//! and the escaping of text rendered at compile time.

/// Why `name` is not a valid Prometheus identifier (`[a-zA-Z_][a-zA-Z0-9_]*`, no leading
/// `__`, no `:`), or `None`.
pub(crate) fn identifier_problem(name: &str) -> Option<String> {
    let first = name.chars().next()?;
    if name.contains(':') {
        return Some("`:` is reserved for recording rules".to_owned());
    }
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Some(format!(
            "`{name}` must start with a letter or `_`, not `{first}`"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Some(format!(
            "`{name}` contains `{bad}`: only ASCII letters, digits and `_` are allowed"
        ));
    }
    if name.starts_with("__") {
        return Some(format!(
            "`{name}` starts with `__`, which is reserved for Prometheus' internal use"
        ));
    }
    None
}

/// Why `name` cannot be (part of) a metric name: not an identifier, or not snake_case.
pub(crate) fn metric_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("a metric name cannot be empty".to_owned());
    }
    if let Some(problem) = identifier_problem(name) {
        return Some(problem);
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "metric names are snake_case: use `{}`",
            snake_case(name)
        ));
    }
    None
}

/// Why `name` cannot be a label name, or `None`. `histogram` says whether `le` is taken.
pub(crate) fn label_name_problem(name: &str, refuse_le: bool) -> Option<String> {
    if name.is_empty() {
        return Some("a label name cannot be empty".to_owned());
    }
    if let Some(problem) = identifier_problem(name) {
        return Some(format!("invalid label name: {problem}"));
    }
    match name {
        "le" if refuse_le => Some(
            "`le` is the bucket label of histograms: choose another label name".to_owned(),
        ),
        "quantile" => {
            Some("`quantile` is the label of summaries: choose another label name".to_owned())
        }
        "series_overflow" => Some(
            "`series_overflow` marks the overflow series of bounded families: choose another label name"
                .to_owned(),
        ),
        _ => None,
    }
}

/// Splits an identifier into words: at `_`, `-`, spaces, and case changes
/// (`HTTPServer2Go` → `HTTP`, `Server2`, `Go`).
pub(crate) fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == ' ' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let previous = chars[index - 1];
            let next_is_lower = chars.get(index + 1).is_some_and(|n| n.is_lowercase());
            if previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_is_lower)
            {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `WebFetch` → `web_fetch`.
pub(crate) fn snake_case(text: &str) -> String {
    RenameRule::Snake.apply(text)
}

/// A `rename_all` rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Snake,
    Kebab,
    Lower,
    Upper,
    ScreamingSnake,
    Camel,
    Pascal,
}

impl RenameRule {
    pub(crate) const NAMES: &'static str = "`snake_case`, `kebab-case`, `lowercase`, `UPPERCASE`, `SCREAMING_SNAKE_CASE`, `camelCase`, `PascalCase`";

    pub(crate) fn from_name(name: &str) -> Option<RenameRule> {
        Some(match name {
            "snake_case" => RenameRule::Snake,
            "kebab-case" => RenameRule::Kebab,
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "camelCase" => RenameRule::Camel,
            "PascalCase" => RenameRule::Pascal,
            _ => return None,
        })
    }

    pub(crate) fn apply(self, text: &str) -> String {
        let words = words(text);
        let capitalized = || {
            words
                .iter()
                .map(|word| {
                    let lower = word.to_lowercase();
                    let mut chars = lower.chars();
                    chars.next().map_or_else(String::new, |first| {
                        first.to_uppercase().chain(chars).collect()
                    })
                })
                .collect::<Vec<_>>()
        };
        match self {
            RenameRule::Snake => join_lower(&words, "_"),
            RenameRule::Kebab => join_lower(&words, "-"),
            RenameRule::Lower => join_lower(&words, ""),
            RenameRule::Upper => join_lower(&words, "").to_uppercase(),
            RenameRule::ScreamingSnake => join_lower(&words, "_").to_uppercase(),
            RenameRule::Pascal => capitalized().concat(),
            RenameRule::Camel => {
                let mut parts = capitalized();
                if let Some(first) = parts.first_mut() {
                    *first = first.to_lowercase();
                }
                parts.concat()
            }
        }
    }
}

fn join_lower(words: &[String], separator: &str) -> String {
    words
        .iter()
        .map(|word| word.to_lowercase())
        .collect::<Vec<_>>()
        .join(separator)
}

/// The base units a `unit = "…"` may name.
pub(crate) const BASE_UNITS: &[&str] = &[
    "seconds", "bytes", "meters", "grams", "joules", "celsius", "kelvin", "volts", "amperes",
    "watts", "hertz", "ratio",
];

/// Units and abbreviations that are not base units, with the base unit to use instead.
const NON_BASE_UNITS: &[(&str, &str)] = &[
    ("nanoseconds", "seconds"),
    ("microseconds", "seconds"),
    ("milliseconds", "seconds"),
    ("second", "seconds"),
    ("minutes", "seconds"),
    ("minute", "seconds"),
    ("hours", "seconds"),
    ("hour", "seconds"),
    ("days", "seconds"),
    ("ns", "seconds"),
    ("nsec", "seconds"),
    ("us", "seconds"),
    ("usec", "seconds"),
    ("ms", "seconds"),
    ("msec", "seconds"),
    ("msecs", "seconds"),
    ("millis", "seconds"),
    ("s", "seconds"),
    ("sec", "seconds"),
    ("secs", "seconds"),
    ("mins", "seconds"),
    ("hr", "seconds"),
    ("hrs", "seconds"),
    ("bits", "bytes"),
    ("byte", "bytes"),
    ("kilobytes", "bytes"),
    ("megabytes", "bytes"),
    ("gigabytes", "bytes"),
    ("terabytes", "bytes"),
    ("kibibytes", "bytes"),
    ("mebibytes", "bytes"),
    ("gibibytes", "bytes"),
    ("kb", "bytes"),
    ("mb", "bytes"),
    ("gb", "bytes"),
    ("tb", "bytes"),
    ("kib", "bytes"),
    ("mib", "bytes"),
    ("gib", "bytes"),
    ("percent", "ratio"),
    ("percentage", "ratio"),
    ("pct", "ratio"),
    ("meter", "meters"),
    ("millimeters", "meters"),
    ("centimeters", "meters"),
    ("kilometers", "meters"),
    ("km", "meters"),
    ("gram", "grams"),
    ("milligrams", "grams"),
    ("kilograms", "grams"),
    ("kg", "grams"),
    ("fahrenheit", "celsius"),
    ("millivolts", "volts"),
    ("milliamperes", "amperes"),
    ("amps", "amperes"),
    ("kilowatts", "watts"),
    ("kilojoules", "joules"),
    ("calories", "joules"),
];

/// The base unit to use instead of `unit`, if `unit` is a known non-base unit or
/// abbreviation.
pub(crate) fn base_unit_for(unit: &str) -> Option<&'static str> {
    NON_BASE_UNITS
        .iter()
        .find(|(non_base, _)| *non_base == unit)
        .map(|(_, base)| *base)
}

/// Words that are units or abbreviations but too common in names to refuse as a segment
/// (`us` is a region, `s` a plural mark, `minute` a calendar field).
const SEGMENTS_ALLOWED: &[&str] = &[
    "s", "us", "second", "minute", "hour", "byte", "meter", "gram",
];

/// Why one `_`-separated segment of a metric name is refused, or `None`.
pub(crate) fn segment_problem(segment: &str) -> Option<String> {
    if let Some(word) = ["counter", "gauge", "histogram", "summary"]
        .into_iter()
        .find(|word| *word == segment)
    {
        return Some(format!(
            "`{word}` names a metric type: remove it from the name, the `# TYPE` line states the type"
        ));
    }
    if SEGMENTS_ALLOWED.contains(&segment) {
        return None;
    }
    base_unit_for(segment).map(|base| {
        format!("`{segment}` is not a base unit: use `{base}`, the base unit (declare it with `unit = \"{base}\"`)")
    })
}

/// The family the registry writes for dynamic families that overflowed
/// (`oxios_metrics::OVERFLOW_METRIC`); no declared metric may expose its samples.
pub(crate) const OVERFLOW_METRIC: &str = "oxios_metrics_series_overflow";

/// Why exposing the sample name `sample` would collide with the registry's own overflow
/// counter, or `None`.
pub(crate) fn reserved_sample_problem(sample: &str) -> Option<String> {
    let rest = sample.strip_prefix(OVERFLOW_METRIC)?;
    ["", "_total", "_created"].contains(&rest).then(|| {
        format!(
            "`{sample}` is reserved: the registry writes `{OVERFLOW_METRIC}_total` for dynamic families that reached `max_series`; choose another name"
        )
    })
}

/// Escapes a label value as the exposition writes it: `\`, `"` and newline.
pub(crate) fn escape_label_value(value: &str) -> String {
    escape(value, true)
}

/// Escapes HELP text: 0.0.4 escapes `\` and newline, OpenMetrics also `"`.
pub(crate) fn escape_help(text: &str, openmetrics: bool) -> String {
    escape(text, openmetrics)
}

fn escape(text: &str, escape_quote: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' if escape_quote => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
    out
}

/// The text of an identifier without a raw `r#` prefix.
pub(crate) fn unraw(ident: &syn::Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map_or(text.clone(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversion() {
        assert_eq!(snake_case("WebFetch"), "web_fetch");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("Http2Client"), "http2_client");
        assert_eq!(snake_case("already_snake"), "already_snake");
        assert_eq!(RenameRule::Kebab.apply("WebFetch"), "web-fetch");
        assert_eq!(RenameRule::Lower.apply("WebFetch"), "webfetch");
        assert_eq!(RenameRule::Upper.apply("WebFetch"), "WEBFETCH");
        assert_eq!(RenameRule::ScreamingSnake.apply("WebFetch"), "WEB_FETCH");
        assert_eq!(RenameRule::Camel.apply("WebFetch"), "webFetch");
        assert_eq!(RenameRule::Pascal.apply("WebFetch"), "WebFetch");
    }

    #[test]
    fn identifiers_and_segments() {
        assert!(identifier_problem("ok_name").is_none());
        assert!(identifier_problem("a:b").is_some());
        assert!(identifier_problem("__x").is_some());
        assert!(identifier_problem("1x").is_some());
        assert!(metric_name_problem("fooBar").is_some());
        assert!(segment_problem("ms").is_some());
        assert!(segment_problem("counter").is_some());
        assert!(segment_problem("us").is_none());
        assert_eq!(base_unit_for("milliseconds"), Some("seconds"));
        assert_eq!(escape_help("a\\b\n\"", false), "a\\\\b\\n\"");
        assert_eq!(escape_help("\"", true), "\\\"");
    }
}
