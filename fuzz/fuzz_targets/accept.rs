//! `Format::from_accept` on arbitrary header values: never panics, the choice is stable (the
//! same header always gives the same exposition), and the chosen content type negotiates back
//! to the same exposition.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxios_metrics::Format;

fuzz_target!(|header: &[u8]| {
    let header = String::from_utf8_lossy(header);
    let exposition = Format::from_accept(&header);
    assert_eq!(exposition, Format::from_accept(&header));
    assert_eq!(Format::from_accept(exposition.content_type()), exposition);
});
