//! `Format::from_accept` on arbitrary header values: never panics, and the choice is
//! stable (the same header always gives the same format).
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxios_metrics::Format;

fuzz_target!(|header: &[u8]| {
    let header = String::from_utf8_lossy(header);
    let format = Format::from_accept(&header);
    assert_eq!(format, Format::from_accept(&header));
    assert!(!format.content_type().is_empty());
});
