//! Names and units of metrics that arrive through the `metrics` facade, made to fit
//! Prometheus' rules: invalid characters replaced as Prometheus' own escaping does, the unit
//! of a metric turned into a base unit with a factor for its values.

use metrics::Unit;

use crate::desc::MetricType;
use crate::family::OVERFLOW_LABEL;
use crate::names;

/// What the facade does with a name or label name outside `[a-zA-Z_][a-zA-Z0-9_]*`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NamePolicy {
    /// Replace each character that is not allowed with `_`, as Prometheus does when it
    /// escapes a name with underscores (`http.requests` becomes `http_requests`, a leading
    /// digit becomes `_`), and count the rewrite. A `:` is replaced too: it is reserved for
    /// recording rules. Names that are still refused after that (empty, or starting with `__`)
    /// are refused and counted.
    #[default]
    Sanitize,
    /// Refuse (and count) every name that would need a rewrite: its emissions are dropped.
    Refuse,
}

/// A name as it will be used, and whether it had to be rewritten.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cleaned {
    pub(crate) name: String,
    pub(crate) rewritten: bool,
}

/// Prometheus' underscore escaping, with `:` escaped too: every character outside
/// `[a-zA-Z0-9_]` becomes `_`, and so does a leading digit.
fn escape(raw: &str) -> Cleaned {
    let mut name = String::with_capacity(raw.len());
    let mut rewritten = false;
    for (index, character) in raw.chars().enumerate() {
        let allowed = character.is_ascii_alphabetic()
            || character == '_'
            || (index > 0 && character.is_ascii_digit());
        if allowed {
            name.push(character);
        } else {
            name.push('_');
            rewritten = true;
        }
    }
    Cleaned { name, rewritten }
}

/// The metric name to use for `raw` under `policy`, or why it is refused.
pub(crate) fn metric_name(raw: &str, policy: NamePolicy) -> Result<Cleaned, &'static str> {
    let cleaned = escape(raw);
    if cleaned.rewritten && policy == NamePolicy::Refuse {
        return Err("the name has characters outside [a-zA-Z0-9_] or starts with a digit");
    }
    names::check_metric_name(&cleaned.name)?;
    Ok(cleaned)
}

/// The label name to use for `raw` under `policy`, or why it is refused.
pub(crate) fn label_name(
    raw: &str,
    policy: NamePolicy,
    metric_type: MetricType,
) -> Result<Cleaned, &'static str> {
    let cleaned = escape(raw);
    if cleaned.rewritten && policy == NamePolicy::Refuse {
        return Err("a label name has characters outside [a-zA-Z0-9_] or starts with a digit");
    }
    names::check_label_name(&cleaned.name)?;
    match cleaned.name.as_str() {
        "le" if metric_type == MetricType::Histogram => {
            Err("`le` is the bucket label of histograms")
        }
        // promtool flags `le` on any other type.
        "le" => Err("`le` is reserved for the buckets of histograms"),
        "quantile" => Err("`quantile` is reserved for summaries"),
        OVERFLOW_LABEL => Err("`series_overflow` marks the overflow series of bounded families"),
        _ => Ok(cleaned),
    }
}

/// How a facade unit is exposed: the base unit (if any), the factor that turns a value in
/// the facade's unit into the base unit, and the name suffixes that spell the facade's unit
/// (replaced by the base unit's suffix).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct UnitPlan {
    pub(crate) unit: Option<&'static str>,
    pub(crate) factor: f64,
    /// Whether the factor is a whole number, so `u64` counters can stay integers.
    pub(crate) whole: bool,
    pub(crate) spelled: &'static [&'static str],
}

impl UnitPlan {
    pub(crate) const NONE: UnitPlan = UnitPlan {
        unit: None,
        factor: 1.0,
        whole: true,
        spelled: &[],
    };

    const fn base(unit: &'static str, factor: f64, spelled: &'static [&'static str]) -> Self {
        UnitPlan {
            unit: Some(unit),
            factor,
            whole: factor >= 1.0,
            spelled,
        }
    }
}

/// The plan for `unit`, or `None` for a unit with no base unit to convert to (rates): such a
/// metric is exposed without a unit and with its values as recorded.
pub(crate) fn unit_plan(unit: Unit) -> Option<UnitPlan> {
    const KIB: f64 = 1024.0;
    Some(match unit {
        // A count has no unit in Prometheus; `_count` would even clash with histograms.
        Unit::Count => UnitPlan::NONE,
        Unit::Seconds => UnitPlan::base("seconds", 1.0, &["_seconds", "_secs", "_sec", "_s"]),
        Unit::Milliseconds => UnitPlan::base(
            "seconds",
            1e-3,
            &["_milliseconds", "_millis", "_msec", "_ms"],
        ),
        Unit::Microseconds => UnitPlan::base(
            "seconds",
            1e-6,
            &["_microseconds", "_micros", "_usec", "_us"],
        ),
        Unit::Nanoseconds => {
            UnitPlan::base("seconds", 1e-9, &["_nanoseconds", "_nanos", "_nsec", "_ns"])
        }
        Unit::Bytes => UnitPlan::base("bytes", 1.0, &["_bytes"]),
        Unit::Kibibytes => UnitPlan::base("bytes", KIB, &["_kibibytes", "_kib", "_kb"]),
        Unit::Mebibytes => UnitPlan::base("bytes", KIB * KIB, &["_mebibytes", "_mib", "_mb"]),
        Unit::Gibibytes => UnitPlan::base("bytes", KIB * KIB * KIB, &["_gibibytes", "_gib", "_gb"]),
        Unit::Tebibytes => UnitPlan::base(
            "bytes",
            KIB * KIB * KIB * KIB,
            &["_tebibytes", "_tib", "_tb"],
        ),
        Unit::Percent => UnitPlan::base("ratio", 0.01, &["_percentage", "_percent", "_pct"]),
        Unit::TerabitsPerSecond
        | Unit::GigabitsPerSecond
        | Unit::MegabitsPerSecond
        | Unit::KilobitsPerSecond
        | Unit::BitsPerSecond
        | Unit::CountPerSecond => return None,
    })
}

/// The family name for a cleaned facade name: a counter's `_total` taken off (the exposition
/// adds it), a suffix spelling the facade's unit replaced by the base unit's, and the base
/// unit's suffix appended when the name does not end in it yet.
pub(crate) fn family_name(cleaned: &str, metric_type: MetricType, plan: &UnitPlan) -> String {
    let mut name = cleaned;
    if metric_type == MetricType::Counter {
        name = strip(name, "_total");
    }
    let Some(unit) = plan.unit else {
        return name.to_owned();
    };
    for spelled in plan.spelled {
        if let Some(rest) = name.strip_suffix(spelled).filter(|rest| !rest.is_empty()) {
            name = rest;
            break;
        }
    }
    let suffix = format!("_{unit}");
    if name.ends_with(&suffix) {
        name.to_owned()
    } else {
        format!("{name}{suffix}")
    }
}

fn strip<'a>(name: &'a str, suffix: &str) -> &'a str {
    name.strip_suffix(suffix)
        .filter(|rest| !rest.is_empty())
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sanitized(raw: &str) -> String {
        metric_name(raw, NamePolicy::Sanitize).unwrap().name
    }

    #[test]
    fn names_are_escaped_with_underscores() {
        assert_eq!(sanitized("http.requests"), "http_requests");
        assert_eq!(sanitized("1st"), "_st");
        assert_eq!(sanitized("a:b"), "a_b");
        assert_eq!(sanitized("naïve-name"), "na_ve_name");
        assert_eq!(sanitized("ok_name9"), "ok_name9");
        assert!(
            !metric_name("ok_name9", NamePolicy::Sanitize)
                .unwrap()
                .rewritten
        );
        assert!(
            metric_name("http.requests", NamePolicy::Sanitize)
                .unwrap()
                .rewritten
        );
        assert!(metric_name("", NamePolicy::Sanitize).is_err());
        assert!(metric_name("__reserved", NamePolicy::Sanitize).is_err());
        assert!(metric_name("..x", NamePolicy::Sanitize).is_err());
        assert!(metric_name("http.requests", NamePolicy::Refuse).is_err());
        assert!(metric_name("http_requests", NamePolicy::Refuse).is_ok());
    }

    #[test]
    fn label_names_keep_clear_of_reserved_ones() {
        let gauge = MetricType::Gauge;
        assert_eq!(
            label_name("status.code", NamePolicy::Sanitize, gauge)
                .unwrap()
                .name,
            "status_code"
        );
        assert!(label_name("le", NamePolicy::Sanitize, gauge).is_err());
        assert!(label_name("le", NamePolicy::Sanitize, MetricType::Histogram).is_err());
        assert!(label_name("quantile", NamePolicy::Sanitize, gauge).is_err());
        assert!(label_name("series_overflow", NamePolicy::Sanitize, gauge).is_err());
        assert!(label_name("__name__", NamePolicy::Sanitize, gauge).is_err());
    }

    #[test]
    fn family_names_carry_the_base_unit_once() {
        let plan = |unit| unit_plan(unit).unwrap();
        let counter = MetricType::Counter;
        let histogram = MetricType::Histogram;
        assert_eq!(
            family_name("requests_total", counter, &UnitPlan::NONE),
            "requests"
        );
        assert_eq!(family_name("_total", counter, &UnitPlan::NONE), "_total");
        assert_eq!(
            family_name("latency_ms", histogram, &plan(Unit::Milliseconds)),
            "latency_seconds"
        );
        assert_eq!(
            family_name("latency", histogram, &plan(Unit::Seconds)),
            "latency_seconds"
        );
        assert_eq!(
            family_name("latency_seconds", histogram, &plan(Unit::Seconds)),
            "latency_seconds"
        );
        assert_eq!(
            family_name("read_kb_total", counter, &plan(Unit::Kibibytes)),
            "read_bytes"
        );
        assert_eq!(
            family_name("cpu", MetricType::Gauge, &plan(Unit::Percent)),
            "cpu_ratio"
        );
        assert_eq!(
            family_name("jobs", MetricType::Gauge, &plan(Unit::Count)),
            "jobs"
        );
        assert!(unit_plan(Unit::BitsPerSecond).is_none());
        assert!(plan(Unit::Kibibytes).whole);
        assert!(!plan(Unit::Milliseconds).whole);
    }
}
