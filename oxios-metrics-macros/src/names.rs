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

/// Why `name` cannot be a label name, or `None`. `refuse_le` says whether `le` is taken.
pub(crate) fn label_name_problem(name: &str, refuse_le: bool) -> Option<String> {
    if name.is_empty() {
        return Some("a label name cannot be empty".to_owned());
    }
    if let Some(problem) = identifier_problem(name) {
        return Some(format!("invalid label name: {problem}"));
    }
    // Prometheus accepts capitals, but promtool flags camelCase label names, and a label
    // spelled two ways splits the series a query would join.
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "label names are snake_case: use `{}`",
            snake_case(name)
        ));
    }
    reserved_label_problem(name, refuse_le)
}

/// Why `name` is a label name the exposition reserves (`le` when `refuse_le`, `quantile`,
/// `series_overflow`), or `None`.
pub(crate) fn reserved_label_problem(name: &str, refuse_le: bool) -> Option<String> {
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

/// Whether `name` is in the legacy character set of metric names, `[a-zA-Z_:][a-zA-Z0-9_:]*`
/// (the runtime's `encode::is_legacy_name`): written as it is in every format and escaping.
pub(crate) fn is_legacy_name(name: &str) -> bool {
    !name.is_empty()
        && name.char_indices().all(|(index, c)| {
            c.is_ascii_alphabetic() || c == '_' || c == ':' || (index > 0 && c.is_ascii_digit())
        })
}

/// `name` escaped by Prometheus' `underscores` scheme (each character outside the legacy set
/// becomes `_`), the form a scrape that does not negotiate UTF-8 names sees.
pub(crate) fn underscore_escaped(name: &str) -> String {
    if is_legacy_name(name) {
        return name.to_owned();
    }
    name.char_indices()
        .map(|(index, c)| {
            if c.is_ascii_alphabetic() || c == '_' || c == ':' || (index > 0 && c.is_ascii_digit())
            {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Why `name` cannot be a metric or label name declared `utf8`, or `None`: the runtime's
/// rules for such names (`names::check_utf8_name`: not empty, no leading `__`, no control
/// character, none of `"` `\` `=` `,` `{` `}`), and, as for legacy names, no `:` and no
/// capital ASCII letter.
pub(crate) fn utf8_name_problem(name: &str, what: &str) -> Option<String> {
    if name.is_empty() {
        return Some(format!("a {what} cannot be empty"));
    }
    if name.starts_with("__") {
        return Some(format!(
            "`{name}` starts with `__`, which is reserved for Prometheus' internal use"
        ));
    }
    if let Some(bad) = name.chars().find(|c| c.is_control()) {
        return Some(format!(
            "`{}` holds the control character {bad:?}: a name may not hold one",
            name.escape_debug()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| matches!(c, '"' | '\\' | '=' | ',' | '{' | '}'))
    {
        return Some(format!(
            "`{}` holds `{bad}`: a name may not hold `\"`, `\\`, `=`, `,`, `{{` or `}}`, which delimit names and labels in the text formats",
            name.escape_debug()
        ));
    }
    if name.contains(':') {
        return Some("`:` is reserved for recording rules".to_owned());
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "{what}s are lowercase (promtool flags capitals): use `{}`",
            name.to_ascii_lowercase()
        ));
    }
    None
}

/// The hint added to a legacy-name error when the name would be a valid `utf8` name.
pub(crate) fn utf8_hint(name: &str, what: &str, option: &str) -> String {
    // Only for characters a legacy name cannot hold anywhere: a leading digit alone is a
    // typo more often than a name from another system.
    let foreign = name
        .chars()
        .any(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'));
    if foreign && utf8_name_problem(name, what).is_none() {
        format!("; a name outside this set (an OpenTelemetry name such as `http.server.duration`) is declared with `{option}`")
    } else {
        String::new()
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

/// Units that are not base units (whole words), with the base unit to use instead.
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
    ("bits", "bytes"),
    ("byte", "bytes"),
    ("kilobytes", "bytes"),
    ("megabytes", "bytes"),
    ("gigabytes", "bytes"),
    ("terabytes", "bytes"),
    ("kibibytes", "bytes"),
    ("mebibytes", "bytes"),
    ("gibibytes", "bytes"),
    ("percent", "ratio"),
    ("percentage", "ratio"),
    ("meter", "meters"),
    ("millimeters", "meters"),
    ("centimeters", "meters"),
    ("kilometers", "meters"),
    ("gram", "grams"),
    ("milligrams", "grams"),
    ("kilograms", "grams"),
    ("fahrenheit", "celsius"),
    ("millivolts", "volts"),
    ("milliamperes", "amperes"),
    ("kilowatts", "watts"),
    ("kilojoules", "joules"),
    ("calories", "joules"),
];

/// Abbreviated units, with the base unit to use instead.
const ABBREVIATED_UNITS: &[(&str, &str)] = &[
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
    ("kb", "bytes"),
    ("mb", "bytes"),
    ("gb", "bytes"),
    ("tb", "bytes"),
    ("kib", "bytes"),
    ("mib", "bytes"),
    ("gib", "bytes"),
    ("pct", "ratio"),
    ("km", "meters"),
    ("kg", "grams"),
    ("amps", "amperes"),
];

/// What kind of non-base unit a word is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NonBase {
    /// A whole word (`milliseconds`, `kilobytes`).
    Word,
    /// An abbreviation (`ms`, `kb`).
    Abbreviation,
}

/// The base unit to use instead of `unit`, if `unit` is a known non-base unit or
/// abbreviation, and which of the two it is.
pub(crate) fn non_base_unit(unit: &str) -> Option<(&'static str, NonBase)> {
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(non_base, _)| *non_base == unit)
            .map(|(_, base)| *base)
    };
    find(NON_BASE_UNITS)
        .map(|base| (base, NonBase::Word))
        .or_else(|| find(ABBREVIATED_UNITS).map(|base| (base, NonBase::Abbreviation)))
}

/// Words that are units or abbreviations but too common in names to refuse as a segment
/// (`us` is a region, `s` a plural mark, `minute` a calendar field).
const SEGMENTS_ALLOWED: &[&str] = &[
    "s", "us", "second", "minute", "hour", "byte", "meter", "gram",
];

/// A naming convention that `#[metric(allow(...))]` can waive for one metric. Validity
/// rules (the character set, `__`, reserved labels, collisions) have no such opt-out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Convention {
    /// A metric type word (`counter`, `gauge`, `histogram`, `summary`) as a name segment.
    TypeWord,
    /// A unit that is not a base unit, as a whole word (`milliseconds`, `kilobytes`).
    NonBaseUnit,
    /// An abbreviated unit (`ms`, `sec`, `kb`).
    AbbreviatedUnit,
}

impl Convention {
    /// The word naming the opt-out in `allow(...)`.
    pub(crate) fn allow_name(self) -> &'static str {
        match self {
            Convention::TypeWord => "type_word",
            Convention::NonBaseUnit => "non_base_unit",
            Convention::AbbreviatedUnit => "abbreviated_unit",
        }
    }
}

/// Why one `_`-separated segment of a metric name breaks a convention, or `None`.
pub(crate) fn segment_problem(segment: &str) -> Option<(Convention, String)> {
    if let Some(word) = ["counter", "gauge", "histogram", "summary"]
        .into_iter()
        .find(|word| *word == segment)
    {
        return Some((
            Convention::TypeWord,
            format!(
                "`{word}` names a metric type: remove it from the name, the `# TYPE` line states the type"
            ),
        ));
    }
    if SEGMENTS_ALLOWED.contains(&segment) {
        return None;
    }
    non_base_unit(segment).map(|(base, kind)| {
        let convention = match kind {
            NonBase::Word => Convention::NonBaseUnit,
            NonBase::Abbreviation => Convention::AbbreviatedUnit,
        };
        (
            convention,
            format!("`{segment}` is not a base unit: use `{base}`, the base unit (declare it with `unit = \"{base}\"`)"),
        )
    })
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely
/// typo (at most a third of the word's length, and at least one edit allowed), or one that
/// differs only in case.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if let Some(same) = candidates
        .iter()
        .find(|candidate| candidate.eq_ignore_ascii_case(word))
    {
        return Some(same);
    }
    let limit = (word.chars().count().max(3)) / 3;
    let by_distance = candidates
        .iter()
        .map(|candidate| (edit_distance(word, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate);
    // A shortened option (`no_total` for `no_total_suffix`) is far by edit distance but
    // plainly meant.
    by_distance.or_else(|| {
        let mut prefixed = candidates
            .iter()
            .filter(|candidate| word.len() >= 4 && candidate.starts_with(word));
        match (prefixed.next(), prefixed.next()) {
            (Some(only), None) => Some(*only),
            _ => None,
        }
    })
}

/// Levenshtein distance, counting a swap of two neighbouring letters as one edit.
fn edit_distance(left: &str, right: &str) -> usize {
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    let width = right.len() + 1;
    let mut table = vec![0usize; (left.len() + 1) * width];
    for (i, row) in table.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in table.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=left.len() {
        for j in 1..=right.len() {
            let cost = usize::from(left[i - 1] != right[j - 1]);
            let mut best = (table[(i - 1) * width + j] + 1)
                .min(table[i * width + j - 1] + 1)
                .min(table[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1] {
                best = best.min(table[(i - 2) * width + j - 2] + 1);
            }
            table[i * width + j] = best;
        }
    }
    table[left.len() * width + right.len()]
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
        assert_eq!(
            segment_problem("ms").map(|(convention, _)| convention),
            Some(Convention::AbbreviatedUnit)
        );
        assert_eq!(
            segment_problem("milliseconds").map(|(convention, _)| convention),
            Some(Convention::NonBaseUnit)
        );
        assert_eq!(
            segment_problem("counter").map(|(convention, _)| convention),
            Some(Convention::TypeWord)
        );
        assert!(segment_problem("us").is_none());
        assert!(label_name_problem("peerId", true).is_some());
        assert!(label_name_problem("peer_id", true).is_none());
        assert_eq!(
            non_base_unit("milliseconds"),
            Some(("seconds", NonBase::Word))
        );
        assert_eq!(non_base_unit("kb"), Some(("bytes", NonBase::Abbreviation)));
        assert_eq!(escape_help("a\\b\n\"", false), "a\\\\b\\n\"");
        assert_eq!(escape_help("\"", true), "\\\"");
    }

    #[test]
    fn utf8_names() {
        assert!(is_legacy_name("http_requests"));
        assert!(is_legacy_name("job:rate5m"));
        assert!(!is_legacy_name("http.requests"));
        assert!(!is_legacy_name("5xx"));
        assert!(!is_legacy_name(""));
        assert_eq!(
            underscore_escaped("http.server.duration"),
            "http_server_duration"
        );
        assert_eq!(underscore_escaped("größe"), "gr__e");
        assert_eq!(underscore_escaped("1st"), "_st");
        assert_eq!(underscore_escaped("plain_name"), "plain_name");
        assert!(utf8_name_problem("http.server.request.duration", "metric name").is_none());
        assert!(utf8_name_problem("ünï 花火", "metric name").is_none());
        // The runtime's `check_utf8_name` refusals, and `:` and capitals besides.
        for refused in [
            "",
            "__x",
            "a\nb",
            "a\"b",
            "a\\b",
            "a=b",
            "a,b",
            "a{b",
            "a}b",
            "\u{7}",
            "a:b",
            "Http.Server",
        ] {
            assert!(
                utf8_name_problem(refused, "metric name").is_some(),
                "{refused:?}"
            );
        }
        assert!(utf8_hint("http.route", "label name", "utf8").contains("utf8"));
        assert_eq!(utf8_hint("5xx", "label name", "utf8"), "");
        assert_eq!(utf8_hint("a=b", "label name", "utf8"), "");
        assert_eq!(
            reserved_label_problem("quantile", true).is_some(),
            label_name_problem("quantile", true).is_some()
        );
    }

    #[test]
    fn closest_option() {
        let options = ["rename", "help", "unit", "buckets", "max_series"];
        assert_eq!(closest("max_serie", &options), Some("max_series"));
        assert_eq!(closest("maxseries", &options), Some("max_series"));
        assert_eq!(closest("bucket", &options), Some("buckets"));
        assert_eq!(closest("hlep", &options), Some("help"));
        assert_eq!(closest("Unit", &options), Some("unit"));
        assert_eq!(closest("colour", &options), None);
        assert_eq!(
            closest("no_total", &["no_total_suffix", "type_word"]),
            Some("no_total_suffix")
        );
        assert_eq!(closest("max", &options), None);
        assert_eq!(closest("x", &options), None);
    }
}
