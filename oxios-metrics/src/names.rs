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

/// The label names in rendered label text `a="x",b="y \"q\""`.
pub(crate) fn rendered_label_names(rendered: &str) -> impl Iterator<Item = &str> {
    let mut rest = rendered;
    std::iter::from_fn(move || {
        let (name, after) = rest.split_once("=\"")?;
        // Skip the value, honouring backslash escapes.
        let mut escaped = false;
        let mut end = after.len();
        for (index, byte) in after.bytes().enumerate() {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    end = index;
                    break;
                }
                _ => {}
            }
        }
        rest = after.get(end + 1..).unwrap_or("");
        rest = rest.strip_prefix(',').unwrap_or(rest);
        Some(name)
    })
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
        let names: Vec<_> = rendered_label_names(r#"a="x",b="y \"q\", c=\"z",c="""#).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(rendered_label_names("").count(), 0);
    }
}
