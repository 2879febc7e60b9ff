//! The options of a summary: `quantiles = [0.5, 0.9, 0.99]`, `max_age = "10m"` (or a number
//! of seconds) and `age_buckets = 5`, parsed and checked here against what `SummaryConfig`
//! accepts, so the const builders the expansion calls never panic.

use std::time::Duration;

use proc_macro2::TokenStream;
use quote::ToTokens;

use super::buckets;
use crate::ctxt::Ctxt;

/// The most quantiles a summary reports (`oxios_metrics::MAX_QUANTILES`).
const MAX_QUANTILES: usize = 16;
/// The most age buckets (`oxios_metrics::MAX_AGE_BUCKETS`).
const MAX_AGE_BUCKETS: u64 = 8;

/// Declared quantiles.
#[derive(Clone, Debug)]
pub(super) enum Quantiles {
    /// Literals, checked here.
    List(Vec<f64>),
    /// `QUANTILES`: a path to a const `[f64; N]` or `&[f64]`, checked where it is evaluated.
    Const(syn::Path),
}

/// Parses and checks `quantiles = ...`; `None` when it was refused (already reported).
pub(super) fn parse_quantiles(cx: &mut Ctxt, expr: &syn::Expr) -> Option<Quantiles> {
    match expr {
        syn::Expr::Array(array) => {
            let mut values: Vec<(f64, TokenStream)> = Vec::new();
            let mut ok = true;
            for element in &array.elems {
                match buckets::number(element) {
                    Some(value) => values.push((value, element.to_token_stream())),
                    None => {
                        cx.error_spanned_by(
                            element,
                            "a quantile is a number literal in [0, 1] such as `0.99`",
                        );
                        ok = false;
                    }
                }
            }
            if array.elems.is_empty() {
                cx.error_spanned_by(
                    array,
                    "a summary needs at least one quantile; leave `quantiles` out for the defaults (0.5, 0.9, 0.99)",
                );
                return None;
            }
            if values.len() > MAX_QUANTILES {
                cx.error_spanned_by(
                    array,
                    format!(
                        "too many quantiles: a summary reports at most {MAX_QUANTILES} (`oxios_metrics::MAX_QUANTILES`)"
                    ),
                );
                return None;
            }
            for (index, (value, tokens)) in values.iter().enumerate() {
                if !(0.0..=1.0).contains(value) {
                    cx.error_spanned_by(
                        tokens,
                        format!("quantile `{value}` is not in [0, 1]: a quantile is a rank, 0.5 the median and 0.99 the 99th percentile"),
                    );
                    ok = false;
                    continue;
                }
                let Some((previous, _)) = index.checked_sub(1).map(|before| &values[before]) else {
                    continue;
                };
                if !(0.0..=1.0).contains(previous) {
                    continue;
                }
                if value == previous {
                    cx.error_spanned_by(
                        tokens,
                        format!("quantile `{value}` is repeated: quantiles must be distinct"),
                    );
                    ok = false;
                } else if value < previous {
                    cx.error_spanned_by(
                        tokens,
                        format!("quantile `{value}` is smaller than `{previous}` before it: sort the quantiles in increasing order"),
                    );
                    ok = false;
                }
            }
            ok.then(|| Quantiles::List(values.into_iter().map(|(value, _)| value).collect()))
        }
        syn::Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => {
            Some(Quantiles::Const(path.path.clone()))
        }
        _ => {
            cx.error_spanned_by(
                expr,
                "expected a list of quantiles `[0.5, 0.9, 0.99]` or the path of a const (`quantiles = LATENCY_QUANTILES`)",
            );
            None
        }
    }
}

/// Parses and checks `max_age = "10m"` or `max_age = 600`; `None` when it was refused.
pub(super) fn parse_max_age(cx: &mut Ctxt, expr: &syn::Expr) -> Option<Duration> {
    const SHAPE: &str = "`max_age` is a duration such as `\"10m\"`, `\"90s\"` or `\"1h30m\"` (units `ms`, `s`, `m`, `h`, `d`), or a number of seconds such as `600`";
    let literal = match expr {
        syn::Expr::Lit(syn::ExprLit { lit, .. }) => lit,
        _ => {
            cx.error_spanned_by(expr, SHAPE);
            return None;
        }
    };
    let parsed = match literal {
        syn::Lit::Str(text) => match parse_duration(&text.value()) {
            Ok(duration) => duration,
            Err(problem) => {
                cx.error_spanned_by(text, format!("{problem}; {SHAPE}"));
                return None;
            }
        },
        syn::Lit::Int(int) => match int.base10_parse::<u64>() {
            Ok(seconds) => Duration::from_secs(seconds),
            Err(_) => {
                cx.error_spanned_by(int, SHAPE);
                return None;
            }
        },
        syn::Lit::Float(float) => match float.base10_parse::<f64>() {
            Ok(seconds) if seconds.is_finite() && seconds >= 0.0 => {
                match Duration::try_from_secs_f64(seconds) {
                    Ok(duration) => duration,
                    Err(_) => {
                        cx.error_spanned_by(float, SHAPE);
                        return None;
                    }
                }
            }
            _ => {
                cx.error_spanned_by(float, SHAPE);
                return None;
            }
        },
        _ => {
            cx.error_spanned_by(literal, SHAPE);
            return None;
        }
    };
    if parsed.is_zero() {
        cx.error_spanned_by(
            literal,
            "`max_age` must be longer than 0: the quantiles are computed over the observations of the last `max_age`",
        );
        return None;
    }
    Some(parsed)
}

/// `"1h30m"` → 5,400 s: one or more `<digits><unit>` runs.
fn parse_duration(text: &str) -> Result<Duration, String> {
    if text.is_empty() {
        return Err("`max_age` is empty".to_owned());
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("`{text}` has no number before `{rest}`"));
        }
        let (number, after) = rest.split_at(digits);
        let letters = after.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (unit, after) = after.split_at(letters);
        let count: u64 = number
            .parse()
            .map_err(|_| format!("`{number}` in `{text}` is too large"))?;
        let one = match unit {
            "ms" => Duration::from_millis(1),
            "s" => Duration::from_secs(1),
            "m" => Duration::from_secs(60),
            "h" => Duration::from_secs(3_600),
            "d" => Duration::from_secs(86_400),
            "" if number == text => return Err(format!("`{text}` has no unit")),
            "" => return Err(format!("`{number}` in `{text}` has no unit")),
            other => return Err(format!("unknown unit `{other}` in `{text}`")),
        };
        let part = u32::try_from(count)
            .ok()
            .and_then(|count| one.checked_mul(count))
            .ok_or_else(|| format!("`{text}` is too long"))?;
        total = total
            .checked_add(part)
            .ok_or_else(|| format!("`{text}` is too long"))?;
        rest = after;
    }
    Ok(total)
}

/// Checks `age_buckets = N`; `None` when it was refused.
pub(super) fn parse_age_buckets(cx: &mut Ctxt, expr: &syn::Expr) -> Option<usize> {
    let Some(count) = buckets::integer(expr) else {
        cx.error_spanned_by(expr, "`age_buckets` is an integer literal from 1 to 8");
        return None;
    };
    if !(1..=MAX_AGE_BUCKETS as i64).contains(&count) {
        cx.error_spanned_by(
            expr,
            format!(
                "`age_buckets` must be in 1..={MAX_AGE_BUCKETS} (`oxios_metrics::MAX_AGE_BUCKETS`), not {count}: the window rotates through that many slices of 128 samples each"
            ),
        );
        return None;
    }
    usize::try_from(count).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5_400)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        for bad in [
            "",
            "10",
            "m",
            "10x",
            "1h 30m",
            "-5s",
            "99999999999999999999s",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }
}
