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

/// The label names in rendered label text `a="x",b="y \"q\""`, or why the text is not a
/// well-formed rendering (a missing quote, an escape other than `\\`, `\"`, `\n`, a raw
/// newline, text after a value).
pub(crate) fn rendered_label_names(rendered: &str) -> Result<Vec<&str>, &'static str> {
    let mut names = Vec::new();
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
        names.push(name);
        rest = &after[end + 1..];
        if !rest.is_empty() {
            rest = rest
                .strip_prefix(',')
                .filter(|next| !next.is_empty())
                .ok_or("rendered labels must be separated by single commas")?;
        }
    }
    Ok(names)
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
    }

    #[test]
    fn names_of_rendered_labels() {
        let names = rendered_label_names(r#"a="x",b="y \"q\", c=\"z",c="""#).unwrap();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(rendered_label_names(""), Ok(vec![]));
        for malformed in [
            r#"a="x"#,
            r#"a="x"b="y""#,
            r#"a="x","#,
            r#"a="\t""#,
            "a=\"\n\"",
            r#"lllll="*="v""#,
            "a",
        ] {
            assert!(rendered_label_names(malformed).is_err(), "{malformed:?}");
        }
    }
}
