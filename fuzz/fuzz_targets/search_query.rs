//! `cargo +nightly fuzz run search_query`: the property is `portal::fuzzing::search_query`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portal::fuzzing::search_query(data));
