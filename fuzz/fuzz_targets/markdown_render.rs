//! `cargo +nightly fuzz run markdown_render`: the property is `portal::fuzzing::markdown_render`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portal::fuzzing::markdown_render(data));
