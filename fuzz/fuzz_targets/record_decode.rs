//! `cargo +nightly fuzz run record_decode`: the property is `portal::fuzzing::record_decode`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portal::fuzzing::record_decode(data));
