//! The C ABI tested from C: `tests/c/camellia_test.c` is compiled three times — against
//! `libtsubaki.a`, against `libtsubaki.so`, and against the system OpenSSL (`-lcrypto`,
//! `<openssl/camellia.h>`) — and
//! - its `vectors` mode (RFC 3713, all 87 stanzas of OpenSSL's `evpciph_camellia.txt`,
//!   error codes, and libtsubaki's defined behaviour where OpenSSL's is undefined) must
//!   pass in every build, under valgrind for the static libtsubaki build when valgrind is
//!   installed;
//! - its `diff` mode (random keys, IVs, lengths, `num` offsets, `enc` values, in-place and
//!   chained calls through every function) must print byte-identical transcripts for
//!   libtsubaki and OpenSSL.
//!
//! libtsubaki is built by a nested `cargo build --release` into its own target directory
//! under `CARGO_TARGET_TMPDIR`, so it never waits on the lock of the cargo running this
//! test.
#![cfg(any(
    target_pointer_width = "64",
    target_arch = "arm",
    target_arch = "riscv32",
    target_arch = "wasm32"
))]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The three builds of the C test program.
struct Programs {
    tsubaki_static: PathBuf,
    tsubaki_shared: PathBuf,
    openssl: PathBuf,
    shared_lib: PathBuf,
}

fn ffi_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vectors_file() -> PathBuf {
    ffi_dir().join("../vectors/evpciph_camellia.txt")
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn compile(out: &Path, extra: &[&str]) {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let source = ffi_dir().join("tests/c/camellia_test.c");
    let mut cmd = Command::new(cc);
    let _ = cmd
        .args(["-std=c11", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(out)
        .arg(source)
        .args(extra);
    let _ = run(&mut cmd);
}

/// Builds libtsubaki (release) and the three programs, once for all tests.
fn programs() -> &'static Programs {
    static PROGRAMS: OnceLock<Programs> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ffi-c");
        let target = tmp.join("target");
        let _ = run(Command::new(env!("CARGO"))
            .args(["build", "-p", "tsubaki-ffi", "--release", "--target-dir"])
            .arg(&target)
            .current_dir(ffi_dir()));
        let lib_dir = target.join("release");
        let static_lib = lib_dir.join("libtsubaki.a");
        let shared_lib = lib_dir.join("libtsubaki.so");
        let include = format!("-I{}", ffi_dir().join("include").display());

        let p = Programs {
            tsubaki_static: tmp.join("camellia_test_tsubaki"),
            tsubaki_shared: tmp.join("camellia_test_tsubaki_so"),
            openssl: tmp.join("camellia_test_openssl"),
            shared_lib: shared_lib.clone(),
        };
        compile(
            &p.tsubaki_static,
            &[
                &include,
                static_lib.to_str().unwrap(),
                "-lpthread",
                "-ldl",
                "-lm",
            ],
        );
        compile(
            &p.tsubaki_shared,
            &[
                &include,
                shared_lib.to_str().unwrap(),
                &format!("-Wl,-rpath,{}", lib_dir.display()),
            ],
        );
        compile(
            &p.openssl,
            &["-DUSE_OPENSSL", "-Wno-deprecated-declarations", "-lcrypto"],
        );
        p
    })
}

fn vectors(program: &Path) -> String {
    let out = run(Command::new(program).arg("vectors").arg(vectors_file()));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn vectors_pass_in_every_build() {
    let p = programs();
    for (name, program) in [
        ("tsubaki (static)", &p.tsubaki_static),
        ("tsubaki (shared)", &p.tsubaki_shared),
        ("openssl", &p.openssl),
    ] {
        let summary = vectors(program);
        eprintln!("{name}: {}", summary.trim());
        assert!(
            summary.contains("87 stanzas (ECB 18, CBC 12, CFB128 24, OFB 24, CTR 9)")
                && summary.contains(" 0 failures"),
            "{name}: {summary}"
        );
    }
}

#[test]
fn transcripts_match_openssl() {
    let p = programs();
    for seed in ["1", "0x7473756261b1", "20261122"] {
        let ours = run(Command::new(&p.tsubaki_static).args(["diff", seed, "300"])).stdout;
        let theirs = run(Command::new(&p.openssl).args(["diff", seed, "300"])).stdout;
        let (ours, theirs) = (
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap(),
        );
        if let Some((i, (a, b))) = ours
            .lines()
            .zip(theirs.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            panic!(
                "seed {seed}: first difference on line {}:\ntsubaki: {a}\nopenssl: {b}",
                i + 1
            );
        }
        assert_eq!(ours.len(), theirs.len(), "seed {seed}: transcript lengths");
        // Non-trivial: megabytes of output, every function, the edge cases drawn.
        assert!(ours.len() > 1_000_000, "seed {seed}: {} bytes", ours.len());
        for needle in [
            " E=",
            " D=",
            " ecb enc=",
            "cbc len=",
            "cfb128 len=",
            "ofb len=",
            "cfb8 len=",
            "cfb1 bits=",
            "ctr len=",
            "inplace=1",
            "num=-1",
        ] {
            assert!(
                ours.contains(needle),
                "seed {seed}: no {needle:?} in the transcript"
            );
        }
        let partial_cbc = ours
            .lines()
            .filter_map(|l| l.strip_prefix("cbc len="))
            .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
            .filter(|len| len % 16 != 0)
            .count();
        assert!(
            partial_cbc > 100,
            "seed {seed}: {partial_cbc} partial CBC blocks"
        );
        eprintln!(
            "seed {seed}: {} transcript lines, {} bytes, identical",
            ours.lines().count(),
            ours.len()
        );
    }
}

#[test]
fn the_shared_library_exports_exactly_the_openssl_functions() {
    let p = programs();
    let Ok(out) = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&p.shared_lib)
        .output()
    else {
        eprintln!("nm not found: export list not checked");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut exported: Vec<&str> = text
        .lines()
        .filter_map(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
            [_, "T", name] => Some(name),
            _ => None,
        })
        .collect();
    exported.sort_unstable();
    // The OpenSSL-compatible functions and the `tsubaki_*` functions that the checked-in
    // `include/tsubaki.h` declares, nothing else (a new export must reach the header).
    let header = std::fs::read_to_string(ffi_dir().join("include/tsubaki.h")).unwrap();
    let mut expected: Vec<String> = [
        "Camellia_cbc_encrypt",
        "Camellia_cfb128_encrypt",
        "Camellia_cfb1_encrypt",
        "Camellia_cfb8_encrypt",
        "Camellia_ctr128_encrypt",
        "Camellia_decrypt",
        "Camellia_ecb_encrypt",
        "Camellia_encrypt",
        "Camellia_ofb128_encrypt",
        "Camellia_set_key",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for piece in header.split("tsubaki_").skip(1) {
        let name: String = piece
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if piece[name.len()..].starts_with('(') {
            expected.push(format!("tsubaki_{name}"));
        }
    }
    expected.sort_unstable();
    expected.dedup();
    assert!(expected.len() > 20, "the header declares the tsubaki_* API");
    assert_eq!(exported, expected);
}

/// `tests/c/aead_test.c` (the `tsubaki_*` API of `include/tsubaki.h`: GCM, CCM and CMAC
/// against libgcrypt on random inputs, key wrap, and the conventions: size queries,
/// NULL checks, in place, tampering, error strings), linked to the static libtsubaki and
/// libgcrypt; under valgrind too when it is installed.
#[test]
fn aead_c_api_agrees_with_libgcrypt_and_keeps_its_conventions() {
    let p = programs();
    let lib_dir = p.shared_lib.parent().unwrap();
    let exe = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ffi-c/aead_test");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let _ = run(Command::new(cc)
        .args(["-std=c11", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&exe)
        .arg(ffi_dir().join("tests/c/aead_test.c"))
        .arg(format!("-I{}", ffi_dir().join("include").display()))
        .arg(lib_dir.join("libtsubaki.a"))
        .args(["-lgcrypt", "-lpthread", "-ldl", "-lm"]));
    let out = String::from_utf8(run(&mut Command::new(&exe)).stdout).unwrap();
    eprintln!("aead_test: {}", out.trim());
    assert!(out.contains(" 0 failures"), "{out}");
    let checks: usize = out.split(' ').next().unwrap().parse().unwrap();
    assert!(checks > 400, "{out}");
    if let Some(out) = memcheck(&exe, &[]) {
        assert!(out.contains(" 0 failures"), "under valgrind: {out}");
    }
}

#[test]
fn no_memory_errors_under_valgrind() {
    let p = programs();
    if Command::new("valgrind").arg("--version").output().is_err() {
        // Written to the process's stderr directly, past libtest's output capture, so
        // that a skipped check is seen.
        let _ = writeln!(
            std::io::stderr(),
            "!!! valgrind not found: the memory check of the C ABI was SKIPPED !!!"
        );
        return;
    }
    let valgrind = |args: &[&std::ffi::OsStr]| {
        let mut cmd = Command::new("valgrind");
        let _ = cmd
            .args(["-q", "--error-exitcode=1", "--leak-check=no"])
            .arg(&p.tsubaki_static)
            .args(args);
        run(&mut cmd)
    };
    let out = valgrind(&["vectors".as_ref(), vectors_file().as_os_str()]);
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.contains(" 0 failures"), "{summary}");
    // Random lengths through every function, with exact-size heap buffers.
    let out = valgrind(&["diff".as_ref(), "99".as_ref(), "40".as_ref()]);
    let theirs = run(Command::new(&p.openssl).args(["diff", "99", "40"])).stdout;
    assert!(
        out.stdout == theirs,
        "under valgrind the transcript changed"
    );
}

/// Valgrind's memcheck with the leak check: zero errors and zero definite, indirect or
/// possible leaks, or the test fails (`None` when valgrind is not installed).
fn memcheck(exe: &Path, args: &[&std::ffi::OsStr]) -> Option<String> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        let _ = writeln!(
            std::io::stderr(),
            "!!! valgrind not found: the memory check of {} was SKIPPED !!!",
            exe.display()
        );
        return None;
    }
    let out = run(Command::new("valgrind")
        .args([
            "-q",
            "--error-exitcode=1",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect,possible",
        ])
        // Rust std's per-thread handle (see the file): not a per-call leak.
        .arg(format!(
            "--suppressions={}",
            ffi_dir().join("tests/valgrind.supp").display()
        ))
        .arg(exe)
        .args(args));
    Some(String::from_utf8(out.stdout).unwrap())
}

/// `tests/c/api_test.c` (ECDSA through handles: every encoding, sign/verify both forms,
/// interop with libcrypto both ways, bad input; Shamir over GF(2⁸) and Goldilocks;
/// Paillier keys, encryption, addition, decryption, one key generation with progress), linked to the static libtsubaki and
/// libcrypto; the keys it writes must load in `openssl pkey`; then again under valgrind
/// (no errors, no leaks) and built with AddressSanitizer + UBSan (the C side
/// instrumented).
#[test]
fn c_api_ecdsa_interop_bad_input_memcheck_and_asan() {
    let p = programs();
    let lib = p.shared_lib.parent().unwrap().join("libtsubaki.a");
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ffi-c");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let build = |exe: &Path, extra: &[&str]| {
        let _ = run(Command::new(&cc)
            .args(["-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror"])
            .args(extra)
            .arg("-o")
            .arg(exe)
            .arg(ffi_dir().join("tests/c/api_test.c"))
            .arg(format!("-I{}", ffi_dir().join("include").display()))
            .arg(&lib)
            .args(["-lcrypto", "-lpthread", "-ldl", "-lm"]));
    };
    let exe = tmp.join("api_test");
    build(&exe, &[]);
    let keys = tmp.join("api_keys");
    let _ = std::fs::remove_dir_all(&keys);
    std::fs::create_dir_all(&keys).unwrap();
    let out = String::from_utf8(run(Command::new(&exe).arg(&keys)).stdout).unwrap();
    eprintln!("api_test: {}", out.trim());
    assert!(out.contains(" 0 failures"), "{out}");
    let checks: usize = out.split(' ').next().unwrap().parse().unwrap();
    assert!(checks > 300, "{out}");
    // Keys written from C load in `openssl pkey` (private keys pass its -check).
    let mut loaded = 0;
    for entry in std::fs::read_dir(&keys).unwrap() {
        let path = entry.unwrap().path();
        let mut cmd = Command::new("openssl");
        let _ = cmd.arg("pkey").arg("-in").arg(&path).arg("-noout");
        if path.to_string_lossy().contains("_pub") {
            let _ = cmd.arg("-pubin");
        } else {
            let _ = cmd.arg("-check");
        }
        let _ = run(&mut cmd);
        loaded += 1;
    }
    assert_eq!(loaded, 6, "PKCS#8, SEC 1 and SPKI PEM files of both curves");
    // Under valgrind and ASan without the one key generation (--quick).
    if let Some(out) = memcheck(&exe, &["--quick".as_ref()]) {
        assert!(out.contains(" 0 failures"), "under valgrind: {out}");
    }
    let asan = tmp.join("api_test_asan");
    build(
        &asan,
        &[
            "-fsanitize=address,undefined",
            "-fno-omit-frame-pointer",
            "-fno-sanitize-recover=all",
        ],
    );
    let out = String::from_utf8(run(Command::new(&asan).arg("--quick")).stdout).unwrap();
    assert!(out.contains(" 0 failures"), "under ASan: {out}");
}

/// Packaging: `scripts/install.sh` into a temporary prefix (reusing this test's release
/// build), then every C example in `examples/` built with `pkg-config --cflags --libs
/// tsubaki` against the installed shared library (soname `libtsubaki.so.0`) and run
/// (`stats_round` over the files of [`stats_fixture`]), and one built with `pkg-config --static` against the installed static library.
#[test]
fn install_script_pkg_config_and_the_examples() {
    let p = programs();
    let target = p.shared_lib.parent().unwrap().parent().unwrap();
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ffi-c");
    let prefix = tmp.join("prefix");
    let _ = std::fs::remove_dir_all(&prefix);
    let _ = run(Command::new("bash")
        .arg(ffi_dir().join("scripts/install.sh"))
        .arg(&prefix)
        .env("CARGO_TARGET_DIR", target));
    let lib = prefix.join("lib");
    for f in [
        "libtsubaki.a",
        "libtsubaki.so",
        "libtsubaki.so.0",
        "pkgconfig/tsubaki.pc",
    ] {
        assert!(lib.join(f).exists(), "{f} installed");
    }
    assert!(prefix.join("include/tsubaki/camellia.h").exists());
    if let Ok(out) = Command::new("readelf")
        .args(["-d"])
        .arg(lib.join("libtsubaki.so"))
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("[libtsubaki.so.0]"), "soname:\n{text}");
    }
    let pkg = |args: &[&str]| -> Vec<String> {
        let out = run(Command::new("pkg-config")
            .args(args)
            .arg("tsubaki")
            .env("PKG_CONFIG_PATH", lib.join("pkgconfig")));
        String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    let shared_flags = pkg(&["--cflags", "--libs"]);
    let static_flags = pkg(&["--static", "--cflags", "--libs"]);
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let mut built = 0;
    for entry in std::fs::read_dir(ffi_dir().join("examples")).unwrap() {
        let src = entry.unwrap().path();
        if src.extension().is_none_or(|e| e != "c") {
            continue;
        }
        let stem = src.file_stem().unwrap().to_string_lossy().to_string();
        let exe = tmp.join(format!("example_{stem}"));
        let _ = run(Command::new(&cc)
            .args(["-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", "-o"])
            .arg(&exe)
            .arg(&src)
            .args(&shared_flags));
        let mut cmd = Command::new(&exe);
        let _ = cmd.env("LD_LIBRARY_PATH", &lib);
        if stem == "stats_round" {
            // The files of a round (`stats_fixture`) and a fresh journal directory.
            let journals = tmp.join("example-journals");
            let _ = std::fs::remove_dir_all(&journals);
            std::fs::create_dir_all(&journals).unwrap();
            let _ = cmd.arg(stats_fixture()).arg(&journals);
        }
        let out = run(&mut cmd);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(&format!("{stem}: ok")), "{stem}: {text}");
        built += 1;
        if stem == "ecdsa_sign" {
            // Static: `-ltsubaki` must find libtsubaki.a only, so link it by -static-ish
            // flags: the .a next to the .so is chosen with -Wl,-Bstatic.
            let exe = tmp.join("example_static");
            let flags: Vec<String> = static_flags
                .iter()
                .map(|f| {
                    if f == "-ltsubaki" {
                        "-l:libtsubaki.a".into()
                    } else {
                        f.clone()
                    }
                })
                .collect();
            let _ = run(Command::new(&cc)
                .args(["-std=c11", "-O1", "-o"])
                .arg(&exe)
                .arg(&src)
                .args(&flags));
            let _ = run(&mut Command::new(&exe));
        }
    }
    assert!(built >= 7, "{built} examples");
}

// --- issue 17 (capi2): statistics rounds, threshold Paillier and packed vectors from C ---

/// The files `tsubaki stats setup` and `tsubaki keygen` would leave for a round, made here
/// with the library (threshold key dealt from the fixed safe primes of `vectors/stats/`:
/// no test waits for key generation), once for all tests, in `dir`:
/// `round.json` (Paillier engine; three organizations org-a, org-b, org-c; committee m1,
/// m2, m3 with t = 2; quorum 2), `keyshare-m<i>.sealed`, `keys/<id>.pem` (PKCS#8 PEM),
/// `values-<org>.json`, `shamir/round.json` (the Shamir engine over servers m1, m2, m3,
/// t = 2, same organizations), and `p.bin`, `q.bin` (the primes, big-endian) for the
/// threshold tests.
fn stats_fixture() -> &'static Path {
    use tsubaki_core::ec::p256::SigningKey;
    use tsubaki_core::paillier::threshold;
    use tsubaki_core::stats::{EngineParams, Metric, MetricKind, Party, Round, Schema};
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ffi-c/stats-fixture");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("keys")).unwrap();
        std::fs::create_dir_all(dir.join("shamir")).unwrap();
        let text = std::fs::read_to_string(ffi_dir().join("../vectors/stats/safe_primes_2048.txt"))
            .unwrap();
        let hex = |s: &str| -> Vec<u8> {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
                .collect()
        };
        let mut lines = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        let (p, q) = (
            hex(lines.next().unwrap().trim()),
            hex(lines.next().unwrap().trim()),
        );
        std::fs::write(dir.join("p.bin"), &p).unwrap();
        std::fs::write(dir.join("q.bin"), &q).unwrap();
        let rng = &mut tsubaki_core::OsRng;
        let mut party = |id: &str| {
            let key = SigningKey::random(rng);
            std::fs::write(
                dir.join(format!("keys/{id}.pem")),
                key.to_pkcs8_pem().as_bytes(),
            )
            .unwrap();
            (
                Party {
                    id: id.into(),
                    public_key: key.verifying_key(),
                },
                key,
            )
        };
        let orgs: Vec<_> = ["org-a", "org-b", "org-c"].map(&mut party).into();
        let members: Vec<_> = ["m1", "m2", "m3"].map(&mut party).into();
        let (_, coordinator) = party("coordinator");
        let schema = Schema::new(vec![
            Metric {
                name: "incidents".into(),
                kind: MetricKind::Sum { max: 1000 },
            },
            Metric {
                name: "phished".into(),
                kind: MetricKind::Count,
            },
        ])
        .unwrap();
        for (i, (o, _)) in orgs.iter().enumerate() {
            std::fs::write(
                dir.join(format!("values-{}.json", o.id)),
                format!(
                    "{{\"incidents\": {}, \"phished\": {}}}\n",
                    100 * (i + 1),
                    i != 1
                ),
            )
            .unwrap();
        }
        let (tpk, shares) = threshold::deal(rng, &p, &q, 2, 3).unwrap();
        let parties = |v: &[(Party, SigningKey)]| v.iter().map(|(p, _)| p.clone()).collect();
        let json = |r: &Round| {
            let mut v = serde_json::to_vec_pretty(r).unwrap();
            v.push(b'\n');
            v
        };
        let round = Round::create(
            &mut tsubaki_core::OsRng,
            "from C",
            schema.clone(),
            EngineParams::Paillier(tpk),
            parties(&orgs),
            parties(&members),
            2,
            &coordinator,
        )
        .unwrap();
        std::fs::write(dir.join("round.json"), json(&round)).unwrap();
        for ((m, _), share) in members.iter().zip(&shares) {
            let sealed = tsubaki_core::stats::seal_key_share(
                &mut tsubaki_core::OsRng,
                &coordinator,
                &m.public_key,
                round.id(),
                &m.id,
                &share.to_bytes(),
            )
            .unwrap();
            std::fs::write(dir.join(format!("keyshare-{}.sealed", m.id)), sealed).unwrap();
        }
        let shamir = Round::create(
            &mut tsubaki_core::OsRng,
            "from C, Shamir",
            schema,
            EngineParams::Shamir { threshold: 2 },
            parties(&orgs),
            parties(&members),
            2,
            &coordinator,
        )
        .unwrap();
        std::fs::write(dir.join("shamir/round.json"), json(&shamir)).unwrap();
        dir
    })
}

/// `tests/c/stats_test.c`: a whole statistics round from C with each engine (contribute,
/// aggregate with a tampered and a duplicate input refused by position and cause, partial
/// with the journal refusing a second one, combine to the plain sums), threshold Paillier
/// (deal from the fixed primes, key and share import/export, decryption shares, verify,
/// combine), packed vectors (encrypt, add, decrypt with the secret key and with shares),
/// and every bad input of issue 17 for these functions; natively and with AddressSanitizer
/// + UBSan in full, under valgrind (no errors, no leaks) with `--quick`.
#[test]
fn c_api_stats_threshold_packed_memcheck_and_asan() {
    let p = programs();
    let lib = p.shared_lib.parent().unwrap().join("libtsubaki.a");
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ffi-c");
    let fixture = stats_fixture();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let build = |exe: &Path, extra: &[&str]| {
        let _ = run(Command::new(&cc)
            .args(["-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror"])
            .args(extra)
            .arg("-o")
            .arg(exe)
            .arg(ffi_dir().join("tests/c/stats_test.c"))
            .arg(format!("-I{}", ffi_dir().join("include").display()))
            .arg(&lib)
            .args(["-lpthread", "-ldl", "-lm"]));
    };
    let exe = tmp.join("stats_test");
    build(&exe, &[]);
    let journals = |tag: &str| {
        let d = tmp.join(format!("stats-journals-{tag}"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let out =
        String::from_utf8(run(Command::new(&exe).arg(fixture).arg(journals("native"))).stdout)
            .unwrap();
    eprintln!("stats_test: {}", out.trim());
    assert!(out.contains(" 0 failures"), "{out}");
    let checks: usize = out.split(' ').next().unwrap().parse().unwrap();
    assert!(checks > 150, "{out}");
    // Under valgrind: --quick (the Shamir round with every bad input, the threshold and
    // packed refusals; the Paillier big-integer work would take minutes there).
    let j = journals("memcheck");
    if let Some(out) = memcheck(
        &exe,
        &[fixture.as_os_str(), j.as_os_str(), "--quick".as_ref()],
    ) {
        assert!(out.contains(" 0 failures"), "under valgrind: {out}");
    }
    let asan = tmp.join("stats_test_asan");
    build(
        &asan,
        &[
            "-fsanitize=address,undefined",
            "-fno-omit-frame-pointer",
            "-fno-sanitize-recover=all",
        ],
    );
    let out = String::from_utf8(run(Command::new(&asan).arg(fixture).arg(journals("asan"))).stdout)
        .unwrap();
    assert!(out.contains(" 0 failures"), "under ASan: {out}");
}
