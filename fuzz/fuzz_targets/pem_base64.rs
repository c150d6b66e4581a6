#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tsubaki_fuzz::bodies::pem_base64(data));
