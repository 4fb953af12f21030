//! `cargo +nightly fuzz run receipt_paste`: the property is `portal::fuzzing::receipt_paste`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portal::fuzzing::receipt_paste(data));
