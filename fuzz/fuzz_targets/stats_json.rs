#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tsubaki_fuzz::bodies::stats_json(data));
