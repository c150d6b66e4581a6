//! Builds the valgrind client-request shim when the `ct-valgrind` feature is on, and turns
//! `TSUBAKI_FORCE_PORTABLE=1` into the three backend cfgs (what `.ci/run` uses for its
//! forced-portable run: only this crate and its dependents rebuild, where `RUSTFLAGS`
//! would rebuild every dependency).

fn main() {
    println!("cargo:rerun-if-env-changed=TSUBAKI_FORCE_PORTABLE");
    if std::env::var_os("TSUBAKI_FORCE_PORTABLE").is_some_and(|v| v == "1") {
        // Camellia bitsliced, big integers without IFMA/ADX, curves without BMI2/ADX/AVX2.
        println!("cargo:rustc-cfg=tsubaki_backend=\"bitsliced\"");
        println!("cargo:rustc-cfg=tsubaki_bigint_backend=\"portable\"");
        println!("cargo:rustc-cfg=tsubaki_ec_backend=\"portable\"");
    }
    println!("cargo:rerun-if-changed=csrc/ct_valgrind.c");
    if std::env::var_os("CARGO_FEATURE_CT_VALGRIND").is_some() {
        cc::Build::new()
            .file("csrc/ct_valgrind.c")
            .warnings(true)
            .compile("tsubaki_ct_valgrind");
    }
}
