//! The valgrind secret-taint check (DESIGN §9), run from `cargo test`.
//!
//! Each test runs a program of `ct-harness/src/bin/`: `ct_harness.rs` (Camellia),
//! `ct_ecdsa.rs` (ECDSA), `ct_shamir.rs` (Shamir sharing), `ct_paillier.rs` (Paillier and
//! its Montgomery arithmetic) or `ct_hpke.rs` (HPKE and sealed files) under
//! `valgrind -q --error-exitcode=1 --track-origins=yes`. The harness marks keys and data
//! secret through `tsubaki::ct::secret`, so memcheck reports every branch and memory address
//! that depends on them. The tests assert:
//! - every constant-time backend of `Backend::available()`: no report, for key setup, bulk
//!   and one-block encryption and decryption, with 128-, 192- and 256-bit keys. Backends
//!   that valgrind's virtual CPU cannot run (AVX-512, GFNI, VAES code) are named in a loud
//!   warning and left to the statistical timing test (DESIGN §9);
//! - the `Table` backend: reported, in every operation and key size (the negative control
//!   that shows the check can fail);
//! - the harness's own controls: an XOR of secrets is not reported (positive control), a
//!   secret-indexed load and a secret branch are.
//!
//! The harness programs are the binaries of the `ct-harness/` crate, which depends on
//! tsubaki alone (as any outside program running the check would). They are built once per
//! test binary with `cargo build --release --features ct-valgrind --manifest-path
//! ct-harness/Cargo.toml` into `<target dir>/ct-valgrind`, a target directory of its own so
//! that it never waits on the lock of the `cargo test` that runs these tests. The first
//! build compiles tsubaki and its few dependencies in release mode; later runs only relink.
//!
//! Without valgrind the tests fail and say how to install it. Setting
//! `TSUBAKI_SKIP_VALGRIND=1` turns that failure into a warning; it excuses only a missing
//! valgrind, never a report.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tsubaki::camellia::Backend;

const SKIP_VAR: &str = "TSUBAKI_SKIP_VALGRIND";

/// What one run of the harness under valgrind produced.
struct Run {
    args: String,
    code: Option<i32>,
    /// Valgrind's stderr, with the harness's `ct_harness: begin ...` markers in it.
    stderr: String,
    stdout: String,
    /// Where the full stderr was saved.
    log: PathBuf,
}

impl Run {
    /// memcheck's report headers about secret (undefined) data.
    fn reports(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| is_valgrind_header(l) && l.contains("uninitialised"))
            .collect()
    }

    fn valgrind_cannot_execute(&self) -> bool {
        self.stderr.contains("unhandled instruction bytes")
    }

    /// The report text for a failure message: which case each distinct report came
    /// from and where, the first report in full, and where the rest is.
    fn excerpt(&self) -> String {
        const SITES: usize = 20;
        const LINES: usize = 40;
        let mut s = format!(
            "$ valgrind {} (exit status {:?})\n--- harness stdout ---\n{}",
            self.args, self.code, self.stdout
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        let mut case = "(before the first case)";
        let mut sites: Vec<(String, usize)> = Vec::new();
        let mut reports = 0;
        let mut first = None;
        for (i, l) in lines.iter().enumerate() {
            if let Some(c) = l
                .strip_prefix("ct_harness: begin ")
                .or_else(|| l.strip_prefix("ct_ecdsa: begin "))
                .or_else(|| l.strip_prefix("ct_shamir: begin "))
                .or_else(|| l.strip_prefix("ct_paillier: begin "))
                .or_else(|| l.strip_prefix("ct_hpke: begin "))
            {
                case = c;
            } else if is_valgrind_header(l) && l.contains("uninitialised") {
                first.get_or_insert(i);
                // `==1== Use of ... size 8` then `==1==    at 0x1234: f (file.rs:43)`:
                // keep `f (file.rs:43)`, so that reports on one source line group together.
                let at = lines.get(i + 1).map_or("?", |a| {
                    let frame = a.split_once("at ").map_or(*a, |x| x.1);
                    frame.split_once(": ").map_or(frame, |x| x.1)
                });
                let header = l.split_once("== ").map_or(*l, |x| x.1);
                let site = format!("[{case}] {header}\n      at {at}");
                reports += 1;
                match sites.iter_mut().find(|(s, _)| *s == site) {
                    Some((_, n)) => *n += 1,
                    None => sites.push((site, 1)),
                }
            }
        }
        if reports > 0 {
            s.push_str(&format!(
                "--- {reports} report(s) at {} source line(s) ---\n",
                sites.len()
            ));
            for (site, n) in sites.iter().take(SITES) {
                s.push_str(&format!("  {n:>3} x {site}\n"));
            }
            if sites.len() > SITES {
                s.push_str(&format!("  [... {} more]\n", sites.len() - SITES));
            }
        }
        let start = first.unwrap_or(0);
        s.push_str("--- valgrind output ---\n");
        for l in lines.iter().skip(start).take(LINES) {
            s.push_str(l);
            s.push('\n');
        }
        if lines.len() > start + LINES {
            s.push_str(&format!(
                "[... {} more lines]\n",
                lines.len() - start - LINES
            ));
        }
        s.push_str(&format!("full valgrind output: {}\n", self.log.display()));
        s
    }
}

/// `==1234== Use of uninitialised value of size 8`: a line valgrind opens an error with.
fn is_valgrind_header(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("==") else {
        return false;
    };
    let Some((pid, text)) = rest.split_once("== ") else {
        return false;
    };
    pid.bytes().all(|b| b.is_ascii_digit()) && text.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// Prints a warning that shows even when the test passes: libtest captures `eprintln!`
/// of passing tests, but not direct writes to the stderr handle.
fn loud_warning(text: &str) {
    let bar = "*".repeat(72);
    let _ = writeln!(std::io::stderr(), "\n{bar}\nWARNING: {text}\n{bar}\n");
}

/// Whether valgrind is installed; `false` means the caller must skip (after the warning).
/// Panics if it is missing and the skip variable is not set.
fn valgrind_present() -> bool {
    static PRESENT: OnceLock<Result<(), String>> = OnceLock::new();
    let found = PRESENT.get_or_init(
        || match Command::new("valgrind").arg("--version").output() {
            Ok(out) if out.status.success() => Ok(()),
            Ok(out) => Err(format!(
                "`valgrind --version` failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )),
            Err(e) => Err(format!("cannot run `valgrind`: {e}")),
        },
    );
    match found {
        Ok(()) => true,
        Err(why) if std::env::var_os(SKIP_VAR).is_some_and(|v| v == "1") => {
            static WARNED: std::sync::Once = std::sync::Once::new();
            WARNED.call_once(|| {
                loud_warning(&format!(
                    "the constant-time (valgrind) check DID NOT RUN: {why}\n\
                 {SKIP_VAR}=1 is set, so this test passes without checking anything.\n\
                 Install valgrind (`apt-get install valgrind`) to run it. (Every test of \
                 tests/ct_valgrind.rs is skipped.)"
                ))
            });
            false
        }
        Err(why) => panic!(
            "valgrind is required for the constant-time check (DESIGN §9): {why}\n\
             Install it with `apt-get install valgrind` (Debian/Ubuntu; it also provides \
             <valgrind/memcheck.h> for the ct-valgrind feature), or set {SKIP_VAR}=1 to \
             skip this check with a warning."
        ),
    }
}

/// `<target dir>/ct-valgrind`, next to the target directory's `tmp`.
fn harness_target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("ct-valgrind")
}

/// The harness programs (`ct-harness/src/bin/`): Camellia, ECDSA, Shamir, Paillier and
/// HPKE.
const HARNESSES: [&str; 5] = [
    "ct_harness",
    "ct_ecdsa",
    "ct_shamir",
    "ct_paillier",
    "ct_hpke",
];

/// Builds the harnesses once per test binary and returns the path of `name`.
fn harness(name: &str) -> PathBuf {
    static HARNESS: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = HARNESS.get_or_init(|| {
        let target_dir = harness_target_dir();
        let out = Command::new(env!("CARGO"))
            .args(["build", "--release", "--features", "ct-valgrind"])
            .args(HARNESSES.iter().flat_map(|h| ["--bin", h]))
            .arg("--manifest-path")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("ct-harness/Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            // Line tables give reports with file:line; the generated code is unchanged.
            .env("CARGO_PROFILE_RELEASE_DEBUG", "line-tables-only")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "building the harness programs failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(target_dir.join("release"))
    });
    let exe = match built {
        Ok(dir) => dir
            .join(name)
            .with_extension(std::env::consts::EXE_EXTENSION),
        Err(e) => panic!("{e}"),
    };
    assert!(
        exe.is_file(),
        "cargo built the harnesses but {} is missing",
        exe.display()
    );
    exe
}

/// Runs the Camellia harness with `args` under memcheck.
fn memcheck(args: &[&str]) -> Run {
    memcheck_program("ct_harness", args)
}

/// Runs harness program `name` with `args` under memcheck.
fn memcheck_program(name: &str, args: &[&str]) -> Run {
    let exe = harness(name);
    let flags = [
        "-q",
        "--error-exitcode=1",
        "--track-origins=yes",
        "--num-callers=12",
    ];
    let out = Command::new("valgrind")
        .args(flags)
        .arg(&exe)
        .args(args)
        .output()
        .expect("valgrind ran for --version but cannot be started now");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let log = harness_target_dir().join(format!(
        "report-{name}-{}.txt",
        args.join("_").replace('-', "")
    ));
    // Best effort: the excerpt in the failure message does not depend on it.
    let _ = std::fs::write(&log, &stderr);
    Run {
        args: format!("{} {} {}", flags.join(" "), exe.display(), args.join(" ")),
        code: out.status.code(),
        stderr,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        log,
    }
}

/// Runs `name` once per argument list, up to as many valgrind processes at a time as the
/// machine has cores, and returns the runs in the order given. (valgrind runs a program on
/// one core; the slow Paillier cases would otherwise run one after another inside a single
/// test and make it the suite's long pole.)
fn memcheck_parallel(name: &str, cases: &[&[&str]]) -> Vec<Run> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Run>>> =
        cases.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers.min(cases.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(args) = cases.get(i) else { break };
                    let run = memcheck_program(name, args);
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(run);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every case ran")
        })
        .collect()
}

/// Fails unless the run ended normally with no valgrind error at all.
fn assert_clean(what: &str, run: &Run) {
    assert!(
        !run.valgrind_cannot_execute(),
        "{what}: valgrind met an instruction it cannot execute. The harness only runs \
         backends that valgrind's virtual CPU reports as available, so this code uses an \
         instruction set (AVX-512, GFNI, VAES, ...) without checking for it.\n{}",
        run.excerpt()
    );
    let reports = run.reports();
    assert!(
        reports.is_empty(),
        "{what}: memcheck found {} branch(es) or memory address(es) that depend on a secret \
         — this code is NOT constant-time. Each report's stack shows where, and \"created by \
         a client request\" which secret it came from.\n{}",
        reports.len(),
        run.excerpt()
    );
    assert_eq!(
        run.code,
        Some(0),
        "{what}: the harness or valgrind failed without a secret-dependence report\n{}",
        run.excerpt()
    );
}

/// Fails unless memcheck reported a secret dependence, and only that.
fn assert_reported(what: &str, run: &Run, expected: &str) {
    let reports = run.reports();
    assert!(
        !reports.is_empty() && run.code == Some(1),
        "{what}: expected memcheck to report a secret dependence, but it reported none. \
         The check is blind: is the ct-valgrind feature building the shim, and does \
         tsubaki::ct::secret still mark memory?\n{}",
        run.excerpt()
    );
    assert!(
        reports.iter().any(|r| r.contains(expected)),
        "{what}: expected a \"{expected}\" report\n{}",
        run.excerpt()
    );
    assert!(
        run.stdout.lines().count() > 0 && !run.stderr.contains(": FAILED"),
        "{what}: the harness did not run to completion\n{}",
        run.excerpt()
    );
}

#[test]
fn positive_control_xor_of_secrets_is_not_reported() {
    if !valgrind_present() {
        return;
    }
    assert_clean(
        "positive control (XOR of two secret buffers)",
        &memcheck(&["control-xor"]),
    );
}

#[test]
fn negative_control_secret_table_index_is_reported() {
    if !valgrind_present() {
        return;
    }
    assert_reported(
        "negative control (table load at a secret index)",
        &memcheck(&["control-index"]),
        "Use of uninitialised value",
    );
}

#[test]
fn negative_control_secret_branch_is_reported() {
    if !valgrind_present() {
        return;
    }
    assert_reported(
        "negative control (branch on a secret bit)",
        &memcheck(&["control-branch"]),
        "Conditional jump or move depends on uninitialised value",
    );
}

/// The backends valgrind's virtual CPU can run: `ct_harness --list` under valgrind.
/// Valgrind presents a CPU without the instruction sets it cannot execute (AVX-512, GFNI,
/// VAES), so backends that need them are not listed.
fn backends_under_valgrind() -> Vec<String> {
    let run = memcheck(&["--list"]);
    assert_clean("`ct_harness --list`", &run);
    run.stdout
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn constant_time_backends_have_no_secret_dependence() {
    if !valgrind_present() {
        return;
    }
    let runnable = backends_under_valgrind();
    let (checked, unchecked): (Vec<Backend>, Vec<Backend>) = Backend::available()
        .filter(|b| b.is_constant_time())
        .partition(|b| runnable.iter().any(|r| r == b.name()));
    assert!(
        checked.contains(&Backend::Bitsliced),
        "the portable constant-time backend must always be checked (valgrind lists: {runnable:?})"
    );
    if !unchecked.is_empty() {
        loud_warning(&format!(
            "NOT checked by valgrind: {unchecked:?}. This CPU runs them, but they need \
             instructions valgrind cannot execute (AVX-512, GFNI, VAES, ...); the statistical \
             timing test (DESIGN §9) must cover them. Also, a backend that picks its vector \
             width at run time is checked here only at the width valgrind's CPU allows."
        ));
    }
    for b in checked {
        // One process per backend: a clean run needs no attribution, and a failing one
        // shows the `ct_harness: begin <case>` marker before each report.
        assert_clean(
            &format!(
                "constant-time backend `{b}`, all operations and key sizes, key and data secret"
            ),
            &memcheck(&[b.name()]),
        );
    }
}

/// The negative control: the table backend must be caught in `op` at every key size.
/// One process per key size, because memcheck prints each leaking site only once per
/// process and the key sizes share their code.
fn table_is_caught(op: &str, secret: &str) {
    if !valgrind_present() {
        return;
    }
    assert!(!Backend::Table.is_constant_time());
    for bits in ["128", "192", "256"] {
        assert_reported(
            &format!(
                "negative control: table backend, {bits}-bit {op}, only the {secret} secret \
                 (the table backend indexes memory with key and data bytes)"
            ),
            &memcheck(&["table", "--op", op, "--bits", bits, "--secret", secret]),
            "Use of uninitialised value",
        );
    }
}

#[test]
fn table_backend_is_caught_in_key_setup() {
    table_is_caught("key-setup", "key");
}

#[test]
fn table_backend_is_caught_in_bulk_encryption() {
    table_is_caught("encrypt-blocks", "data");
}

#[test]
fn table_backend_is_caught_in_bulk_decryption() {
    table_is_caught("decrypt-blocks", "data");
}

#[test]
fn table_backend_is_caught_in_one_block_encryption() {
    table_is_caught("encrypt-block", "data");
}

#[test]
fn table_backend_is_caught_in_one_block_decryption() {
    table_is_caught("decrypt-block", "data");
}

/// ECDSA, both curves (P-256 on both field multiplications), one process per operation and curve: key generation (RNG output
/// secret), `from_bytes` (d secret), `sign` (d and message secret), hedged signing (d,
/// message and RNG secret), `sign_prehash` (d and digest secret), and variable-base k·P
/// (k secret), ECDH with a static key (d secret) and an ephemeral one (RNG output secret),
/// and PKCS#8 parsing (d inside the file secret). Nothing but r and s (declassified inside `sign`) and the outputs the
/// harness makes public may reach a branch or an address.
#[test]
fn ecdsa_signing_and_key_generation_have_no_secret_dependence() {
    if !valgrind_present() {
        return;
    }
    // `p256-adx`: P-256 again on the BMI2/ADX field multiplication, which valgrind runs
    // but hides from CPUID (the harness forces it).
    for curve in ["p256", "p256-adx", "p384"] {
        for op in [
            "keygen",
            "from-bytes",
            "sign",
            "sign-with-rng",
            "sign-prehash",
            "mul",
            "ecdh",
            "ecdh-ephemeral",
        ] {
            assert_clean(
                &format!("ECDSA {curve} {op}"),
                &memcheck_program("ct_ecdsa", &[curve, "--op", op]),
            );
        }
    }
}

/// The EC negative control: verification is variable-time by design, so verifying a
/// secret signature must be reported — the check does see into the curve arithmetic.
#[test]
fn ecdsa_negative_control_verification_of_a_secret_signature_is_reported() {
    if !valgrind_present() {
        return;
    }
    assert_reported(
        "negative control: ECDSA verification (variable-time) with a secret signature",
        &memcheck_program("ct_ecdsa", &["control-verify"]),
        "uninitialised value",
    );
}

/// Shamir sharing, one process per field: split (secret and RNG output — the coefficients
/// — secret) and combine (share values secret) over GF(2⁸), Goldilocks and the P-256
/// scalar field, share-wise addition, and Feldman dealing and verification; and the
/// statistics rounds' Shamir engine (`engine`: the contributor's Goldilocks split and HPKE
/// auth seals with the slot values, the organization's key and the RNG secret, and the
/// server's HPKE auth opens and running sum with the server's key secret). Only the set
/// identifier, the rejection-sampling verdicts, the commitments, the verification and
/// range-check verdicts, the GCM tag verdict (all declassified inside the library) and the
/// outputs the harness makes public (sealed shares, a server's published sum share) may
/// reach a branch or an address.
#[test]
fn shamir_split_and_combine_have_no_secret_dependence() {
    if !valgrind_present() {
        return;
    }
    for case in ["gf256", "goldilocks", "p256", "feldman", "engine"] {
        assert_clean(
            &format!("Shamir {case}"),
            &memcheck_program("ct_shamir", &[case]),
        );
    }
}

/// The Shamir negative control: a log/exp-table GF(2⁸) multiplication of secret bytes
/// (the classic fast implementation) must be reported.
#[test]
fn shamir_negative_control_table_multiplication_is_reported() {
    if !valgrind_present() {
        return;
    }
    assert_reported(
        "negative control: table-based GF(2^8) multiplication of secret bytes",
        &memcheck_program("ct_shamir", &["control-table"]),
        "Use of uninitialised value",
    );
}

/// The marks reach the shares: branching on a byte of a share split from a secret must be
/// reported (so the clean runs above ran on marked data).
#[test]
fn shamir_negative_control_branch_on_a_share_is_reported() {
    if !valgrind_present() {
        return;
    }
    assert_reported(
        "negative control: branch on a byte of a share of a secret",
        &memcheck_program("ct_shamir", &["control-share-branch"]),
        "Conditional jump or move depends on uninitialised value",
    );
}

/// The Shamir engine's control: a server whose key is secret branches on its running sum
/// before publishing it — reported, so the marks reach the opened shares and the sum
/// (the clean `engine` run above ran on marked data).
#[test]
fn shamir_engine_negative_control_branch_on_the_sum_is_reported() {
    if !valgrind_present() {
        return;
    }
    assert_reported(
        "negative control: branch on a server's unpublished sum share",
        &memcheck_program("ct_shamir", &["control-engine-sum"]),
        "Conditional jump or move depends on uninitialised value",
    );
}

/// Paillier and its big-integer core, one process per operation: `from_primes` (p, q
/// secret: validation, Baillie–PSW and random-base Miller–Rabin, contexts and CRT
/// constants), 2048-bit key generation and a 256-bit safe prime (RNG output secret), CRT decryption (p, q secret), public-key, CRT, pooled and
/// short-exponent encryption (plaintext and RNG output secret), and add-plain,
/// scalar multiplication and rerandomization (plaintext, scalar and RNG secret). Nothing but
/// the verdicts the library declassifies (rejection sampling, validation, "fits an i64")
/// and the outputs the harness makes public may reach a branch or an address.
#[test]
fn paillier_has_no_secret_dependence() {
    if !valgrind_present() {
        return;
    }
    let ops: [&[&str]; 9] = [
        &["ops"],
        &["decrypt"],
        &["pool"],
        &["encrypt"],
        &["from-primes"],
        &["short-exponent"],
        &["keygen"],
        &["encrypt-crt"],
        &["safe-prime"],
    ];
    for (op, run) in ops.iter().zip(memcheck_parallel("ct_paillier", &ops)) {
        assert_clean(&format!("Paillier {}", op[0]), &run);
    }
}

/// Threshold Paillier (issue 12): `threshold::deal` with the safe primes and the RNG's bytes
/// secret, and `KeyShare::decrypt_share` (share and proof) with the key share sᵢ and the
/// proof's randomness secret. Only the safe-prime verdicts, the key share's consistency
/// verdict and the outputs (v, vᵢ, cᵢ, a, b, z) are made public.
#[test]
fn paillier_threshold_has_no_secret_dependence() {
    if !valgrind_present() {
        return;
    }
    let ops: [&[&str]; 2] = [&["threshold-deal"], &["threshold-share"]];
    for (op, run) in ops.iter().zip(memcheck_parallel("ct_paillier", &ops)) {
        assert_clean(&format!("threshold Paillier {}", op[0]), &run);
    }
}

/// The threshold negative control: the marked bytes of a key share as the exponent of the
/// variable-time exponentiation are reported (the marking reaches sᵢ).
#[test]
fn paillier_threshold_negative_control_is_reported() {
    if !valgrind_present() {
        return;
    }
    assert_reported(
        "negative control: a key share as a variable-time exponent",
        &memcheck_program("ct_paillier", &["control-threshold-share"]),
        "uninitialised value",
    );
}

/// The x86-64 BMI2/ADX Montgomery kernels (`mulx`/`adcx`/`adox` in `asm!`), which valgrind
/// runs but hides from its CPUID, forced on: a threshold share with its proof (secret
/// exponents mod n², both kernels: multiplication and squaring) is clean, and the negative
/// control — a key share as a variable-time exponent — is still reported. (The kernels'
/// branches and addresses depend on the limb count only, so a secret modulus such as p² of
/// CRT decryption adds nothing new: `ct_paillier decrypt adx` runs it by hand, clean too.)
#[cfg(target_arch = "x86_64")]
#[test]
fn paillier_adx_kernels_have_no_secret_dependence() {
    if !valgrind_present() || !std::is_x86_feature_detected!("adx") {
        return;
    }
    let runs = memcheck_parallel(
        "ct_paillier",
        &[
            &["threshold-share", "adx"],
            &["control-threshold-share", "adx"],
        ],
    );
    let run = &runs[0];
    assert!(
        run.stderr.contains("backend bmi2-adx"),
        "the ADX kernels did not run under valgrind:\n{}",
        run.stderr
    );
    assert_clean("Paillier threshold-share on BMI2/ADX", run);
    assert_reported(
        "negative control on BMI2/ADX: a key share as a variable-time exponent",
        &runs[1],
        "uninitialised value",
    );
}

/// The Paillier negative control: the public-exponent (sliding-window) exponentiation
/// branches and indexes on its exponent's bits; with a secret exponent memcheck must say so.
#[test]
fn paillier_negative_control_vartime_exponent_is_reported() {
    if !valgrind_present() {
        return;
    }
    assert_reported(
        "negative control: public-exponent modexp with a secret exponent",
        &memcheck_program("ct_paillier", &["control-vartime"]),
        "uninitialised value",
    );
}

/// HPKE (issue 14), one process per suite and operation: DeriveKeyPair (ikm secret), seal
/// (plaintext and ephemeral key secret), open and export (recipient key secret), and a
/// sealed file both ways. Only the range-check verdict of DeriveKeyPair, the GCM tag
/// verdict (declassified inside the library) and the outputs the harness makes public may
/// reach a branch or an address.
#[test]
fn hpke_seal_and_open_have_no_secret_dependence() {
    if !valgrind_present() {
        return;
    }
    for suite in ["p256", "p384"] {
        for op in ["derive", "seal", "open", "export", "file"] {
            assert_clean(
                &format!("HPKE {suite} {op}"),
                &memcheck_program("ct_hpke", &[suite, "--op", op]),
            );
        }
    }
}

/// The HPKE negative control: validating a public point is variable-time by design, so
/// opening with a secret encapsulated key must be reported.
#[test]
fn hpke_negative_control_secret_enc_is_reported() {
    if !valgrind_present() {
        return;
    }
    assert_reported(
        "negative control: HPKE open with a secret enc (public-key validation is variable-time)",
        &memcheck_program("ct_hpke", &["control-enc"]),
        "uninitialised value",
    );
}
