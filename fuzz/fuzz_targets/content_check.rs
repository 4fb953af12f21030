//! `cargo +nightly fuzz run content_check`: the property is `portal::fuzzing::content_check`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portal::fuzzing::content_check(data));
