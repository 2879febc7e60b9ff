//! Floats written exactly as Prometheus' Go code writes them.
//!
//! Prometheus formats sample values with Go's `strconv.FormatFloat(f, 'g', -1, 64)`, after
//! special-casing `1`, `0`, `-1`, `NaN`, `+Inf` and `-Inf`. Go's shortest `%g` takes the
//! shortest digit string that round-trips (the same digits `ryu` finds) and lays it out:
//!
//! * scientific (`d.ddde±XX`, at least two exponent digits) when the decimal exponent is
//!   below -4 or at least 6 (Go fixes the precision at 6 for that decision in shortest mode);
//! * plain decimal otherwise, with no trailing zeros and no trailing point.
//!
//! OpenMetrics writes the same text but needs a float to look like one, so a value with neither
//! `.` nor `e` gains `.0` (`le="1.0"`, while 0.0.4 writes `le="1"`).
//!
//! `ryu` only supplies the digits; its own layout (`1e16`, `100.0`) is re-laid here. The
//! conformance test walks every row of the vectors generated from Go's formatter.

/// Longest text this module writes: `-` + 17 digits + `.` + `e-324` fits easily.
pub(crate) const MAX_FLOAT_LEN: usize = 32;

/// A stack buffer holding one formatted float.
pub(crate) struct FloatText {
    bytes: [u8; MAX_FLOAT_LEN],
    len: usize,
}

impl FloatText {
    fn new() -> Self {
        FloatText {
            bytes: [0; MAX_FLOAT_LEN],
            len: 0,
        }
    }

    fn push(&mut self, b: u8) {
        self.bytes[self.len] = b;
        self.len += 1;
    }

    fn push_str(&mut self, s: &[u8]) {
        self.bytes[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    /// The formatted bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The formatted text (always ASCII).
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

/// Formats `value` as the Prometheus text format 0.0.4 writes it.
pub(crate) fn prometheus(value: f64) -> FloatText {
    let mut text = FloatText::new();
    if value == 1.0 {
        text.push(b'1');
    } else if value == 0.0 {
        // Go's formatter special-cases 0, so negative zero is written as `0` too.
        text.push(b'0');
    } else if value == -1.0 {
        text.push_str(b"-1");
    } else {
        go_shortest_g(value, &mut text);
    }
    text
}

/// Formats `value` as OpenMetrics 1.0 writes floats (`le`, `quantile`, float samples).
pub(crate) fn openmetrics(value: f64) -> FloatText {
    let mut text = prometheus(value);
    if value.is_finite() && !text.as_bytes().iter().any(|&b| b == b'.' || b == b'e') {
        text.push_str(b".0");
    }
    text
}

/// Go's `strconv.FormatFloat(value, 'g', -1, 64)`, with Prometheus' spelling of the
/// non-finite values.
fn go_shortest_g(value: f64, text: &mut FloatText) {
    if value.is_nan() {
        text.push_str(b"NaN");
        return;
    }
    if value.is_infinite() {
        text.push_str(if value > 0.0 { b"+Inf" } else { b"-Inf" });
        return;
    }
    let mut ryu_buffer = ryu::Buffer::new();
    let shortest = ryu_buffer.format_finite(value).as_bytes();
    let decimal = Decimal::parse(shortest);
    if decimal.negative {
        text.push(b'-');
    }
    let digits = decimal.digits();
    if digits.is_empty() {
        text.push(b'0');
        return;
    }
    // `point` is where the decimal point sits relative to the digit string:
    // value = 0.d1d2d3... × 10^point, so the scientific exponent is point - 1.
    let exponent = decimal.point - 1;
    if !(-4..6).contains(&exponent) {
        text.push(digits[0]);
        if digits.len() > 1 {
            text.push(b'.');
            text.push_str(&digits[1..]);
        }
        text.push(b'e');
        text.push(if exponent < 0 { b'-' } else { b'+' });
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            text.push(b'0');
        }
        let mut itoa_buffer = itoa::Buffer::new();
        text.push_str(itoa_buffer.format(magnitude).as_bytes());
    } else if decimal.point <= 0 {
        text.push_str(b"0.");
        for _ in 0..-decimal.point {
            text.push(b'0');
        }
        text.push_str(digits);
    } else {
        let point = decimal.point as usize;
        if digits.len() <= point {
            text.push_str(digits);
            for _ in digits.len()..point {
                text.push(b'0');
            }
        } else {
            text.push_str(&digits[..point]);
            text.push(b'.');
            text.push_str(&digits[point..]);
        }
    }
}

/// The significant digits of a shortest representation and the position of its decimal point.
struct Decimal {
    negative: bool,
    /// Significant digits, without leading or trailing zeros.
    buffer: [u8; MAX_FLOAT_LEN],
    len: usize,
    /// value = 0.(digits) × 10^point
    point: i32,
}

impl Decimal {
    /// Reads any layout `ryu` produces: `123.45`, `0.001`, `1e16`, `1.5e-7`, with a sign.
    fn parse(text: &[u8]) -> Decimal {
        let mut decimal = Decimal {
            negative: false,
            buffer: [0; MAX_FLOAT_LEN],
            len: 0,
            point: 0,
        };
        let mut rest = text;
        if let Some((&b'-', tail)) = rest.split_first() {
            decimal.negative = true;
            rest = tail;
        }
        let (mantissa, exponent) = match rest.iter().position(|&b| b == b'e' || b == b'E') {
            Some(at) => (&rest[..at], parse_exponent(&rest[at + 1..])),
            None => (rest, 0),
        };
        // Digits before the point, counted while leading zeros are skipped.
        let mut integer_digits: i32 = 0;
        let mut seen_point = false;
        let mut leading_zeros_after_point: i32 = 0;
        for &b in mantissa {
            if b == b'.' {
                seen_point = true;
                continue;
            }
            if decimal.len == 0 && b == b'0' {
                if seen_point {
                    leading_zeros_after_point += 1;
                }
                continue;
            }
            if !seen_point {
                integer_digits += 1;
            }
            decimal.buffer[decimal.len] = b;
            decimal.len += 1;
        }
        while decimal.len > 0 && decimal.buffer[decimal.len - 1] == b'0' {
            decimal.len -= 1;
        }
        decimal.point = if integer_digits > 0 {
            integer_digits + exponent
        } else {
            exponent - leading_zeros_after_point
        };
        decimal
    }

    fn digits(&self) -> &[u8] {
        &self.buffer[..self.len]
    }
}

fn parse_exponent(text: &[u8]) -> i32 {
    let (negative, digits) = match text.split_first() {
        Some((&b'-', tail)) => (true, tail),
        Some((&b'+', tail)) => (false, tail),
        _ => (false, text),
    };
    let magnitude = digits
        .iter()
        .fold(0i32, |acc, &d| acc * 10 + i32::from(d - b'0'));
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_layout_examples() {
        let cases: &[(f64, &str, &str)] = &[
            (1.0, "1", "1.0"),
            (0.0, "0", "0.0"),
            (-0.0, "0", "0.0"),
            (-1.0, "-1", "-1.0"),
            (1e6, "1e+06", "1e+06"),
            (1234567.0, "1.234567e+06", "1.234567e+06"),
            (123456.0, "123456", "123456.0"),
            (1e-5, "1e-05", "1e-05"),
            (0.0001, "0.0001", "0.0001"),
            (0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"),
            (5e-324, "5e-324", "5e-324"),
            (f64::NAN, "NaN", "NaN"),
            (f64::INFINITY, "+Inf", "+Inf"),
            (f64::NEG_INFINITY, "-Inf", "-Inf"),
            (2.505, "2.505", "2.505"),
            (1e21, "1e+21", "1e+21"),
            (-123.25, "-123.25", "-123.25"),
            (
                f64::MAX,
                "1.7976931348623157e+308",
                "1.7976931348623157e+308",
            ),
        ];
        for &(value, prom, om) in cases {
            assert_eq!(prometheus(value).as_str(), prom, "0.0.4 of {value:e}");
            assert_eq!(openmetrics(value).as_str(), om, "OpenMetrics of {value:e}");
        }
    }
}
