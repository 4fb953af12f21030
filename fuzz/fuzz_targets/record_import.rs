//! `cargo +nightly fuzz run record_import`: the property is `portal::fuzzing::record_import`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portal::fuzzing::record_import(data));
