//! `cargo +nightly fuzz run search_index`: the property is `portal::fuzzing::search_index`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portal::fuzzing::search_index(data));
