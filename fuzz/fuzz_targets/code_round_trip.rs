//! `cargo +nightly fuzz run code_round_trip`: the property is `portal::fuzzing::code_round_trip`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portal::fuzzing::code_round_trip(data));
