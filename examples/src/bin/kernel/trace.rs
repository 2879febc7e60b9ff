//! Trace and span ids of the simulated requests, in W3C trace-context form (16 and 8 random
//! bytes as lower-case hex): what the exemplars carry, so a dashboard could jump from a
//! latency bucket to the trace of a call in it.

use crate::rng::Rng;

/// A trace id: 32 hex digits.
pub struct TraceId([u8; 32]);

/// A span id: 16 hex digits.
pub struct SpanId([u8; 16]);

fn hex(rng: &mut Rng, digits: &mut [u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for chunk in digits.chunks_mut(16) {
        let mut bits = rng.next_u64();
        for digit in chunk {
            *digit = HEX[(bits & 0xf) as usize];
            bits >>= 4;
        }
    }
}

impl TraceId {
    /// A fresh random trace id.
    pub fn new(rng: &mut Rng) -> TraceId {
        let mut digits = [0; 32];
        hex(rng, &mut digits);
        TraceId(digits)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits were written.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl SpanId {
    /// A fresh random span id.
    pub fn new(rng: &mut Rng) -> SpanId {
        let mut digits = [0; 16];
        hex(rng, &mut digits);
        SpanId(digits)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lower_case_hex_of_their_length() {
        let mut rng = Rng::fresh();
        let trace = TraceId::new(&mut rng);
        let span = SpanId::new(&mut rng);
        for (id, len) in [(trace.as_str(), 32), (span.as_str(), 16)] {
            assert_eq!(id.len(), len);
            assert!(id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        }
        assert_ne!(TraceId::new(&mut rng).as_str(), trace.as_str());
    }
}
