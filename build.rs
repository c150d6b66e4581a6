//! Builds the valgrind client-request shim when the `ct-valgrind` feature is on.

fn main() {
    println!("cargo:rerun-if-changed=csrc/ct_valgrind.c");
    if std::env::var_os("CARGO_FEATURE_CT_VALGRIND").is_some() {
        cc::Build::new()
            .file("csrc/ct_valgrind.c")
            .warnings(true)
            .compile("tsubaki_ct_valgrind");
    }
}
