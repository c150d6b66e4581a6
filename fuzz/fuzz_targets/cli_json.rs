#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tsubaki_fuzz::bodies::cli_json(data));
