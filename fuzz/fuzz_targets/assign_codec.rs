//! `cargo +nightly fuzz run assign_codec`: the property is `portal::fuzzing::assign_codec`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portal::fuzzing::assign_codec(data));
