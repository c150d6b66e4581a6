//! Statistical constant-time test (dudect, as `examples/dudect_camellia.rs`) of P-256
//! signing and fixed-base multiplication on the path the CPU selects — on x86-64 with
//! BMI2/ADX and AVX2, the `mulx`/`adcx`/`adox` field multiplication and the AVX2 table
//! scan.
//!
//! Valgrind's secret-taint check runs that code too (`ct_ecdsa p256-adx`, which forces the
//! ADX path that valgrind's CPUID hides), but it checks instructions, not timing: this test
//! times the real CPU. Each line times one operation on two classes of secret inputs
//! interleaved at random, *fixed* (the private scalar d = 1: every comb window but the
//! first has digit 0, the case a masked lookup or a skipped addition would betray) and
//! *random* (a uniformly random d), and Welch's t-test compares the two distributions
//! after dudect's percentile cropping. |t| above 4.5 is evidence of secret-dependent
//! timing. The early-exit comparison control shows the method detects a leak here.
//!
//! ```text
//! cargo run --release --example dudect_ecdsa            # every line
//! cargo run --release --example dudect_ecdsa -- sign    # names containing "sign"
//! ```
//! Two more lines separate what the d = 1 line mixes: `sign` with a fixed random-looking key
//! (value dependence without d = 1's zero bytes), and `sign-nonce` (`hazmat`, one key, the
//! nonce k fixed vs random: k·G and both inversions without the HMAC-DRBG).
//!
//! Two lines time the variable-base multiplication of ECDH: `mul` (`hazmat::mul`, k = 1 vs
//! random) and `ecdh` (`ecdh::SecretKey::diffie_hellman`, d fixed random-looking vs random).
//!
//! Results are recorded in SIDE-CHANNELS.md.

use std::hint::black_box;

use dudect_bencher::ctbench::{BenchMetadata, BenchName, BenchOpts, run_benches_console};
use dudect_bencher::{BenchRng, Class, CtRunner};
use tsubaki::ec::hazmat;
use tsubaki::ec::p256::SigningKey;
use tsubaki::rand_core::Rng;

/// Measurements per line (both classes together).
const SAMPLES: usize = 100_000;

/// Inputs are prepared a chunk at a time before any of them is timed (as in
/// `dudect_camellia.rs`), so preparing a random input cannot disturb caches or predictors
/// just before a measurement of one class only.
const CHUNK: usize = 2_000;

const MESSAGE: &[u8] = b"incident counts, week 47";

fn class_of(rng: &mut BenchRng) -> Class {
    if rng.next_u32() & 1 == 0 {
        Class::Left
    } else {
        Class::Right
    }
}

/// Left: d = 1. Right: a random d (the top byte cleared keeps it below n and nonzero with
/// overwhelming probability; a zero draw is redrawn).
fn scalar(class: Class, rng: &mut BenchRng) -> [u8; 32] {
    let mut d = [0u8; 32];
    match class {
        Class::Left => d[31] = 1,
        Class::Right => loop {
            rng.fill_bytes(&mut d);
            d[0] &= 0x7f;
            if d != [0; 32] {
                break;
            }
        },
    }
    d
}

/// `SigningKey::sign` (RFC 6979): the key decides the nonce, so both d and k differ
/// between the classes; k·G, both inversions and the HMAC-DRBG are timed.
fn sign(runner: &mut CtRunner, rng: &mut BenchRng) {
    for _ in 0..SAMPLES / CHUNK {
        let inputs: Vec<(Class, SigningKey)> = (0..CHUNK)
            .map(|_| {
                let class = class_of(rng);
                let key = SigningKey::from_bytes(&scalar(class, rng)).expect("valid scalar");
                (class, key)
            })
            .collect();
        for (class, key) in inputs {
            runner.run_one(class, || black_box(&key).sign(black_box(MESSAGE)));
        }
    }
}

/// A fixed, random-looking scalar below n (the "fixed" class of the nonce lines: unlike
/// d = 1 it has no run of zero digits, so these lines test value dependence in general).
const FIXED: [u8; 32] = [
    0x5f, 0x13, 0x9e, 0x77, 0x21, 0xc4, 0x08, 0xbd, 0x6a, 0x93, 0x3e, 0xf1, 0x52, 0x0c, 0xa8, 0x47,
    0xd9, 0x65, 0x1b, 0xe2, 0x7f, 0x34, 0x90, 0xcb, 0x16, 0x5d, 0xa3, 0x48, 0xee, 0x02, 0x79, 0xb1,
];

fn random_scalar(rng: &mut BenchRng) -> [u8; 32] {
    let mut d = [0u8; 32];
    rng.fill_bytes(&mut d);
    d[0] &= 0x7f;
    d[31] |= 1;
    d
}

/// `hazmat::sign_prehash_with_nonce` with one random key: the nonce k fixed vs random
/// (k·G, the inversions of Z and k, s = k⁻¹(e + r·d); no HMAC).
fn sign_nonce(runner: &mut CtRunner, rng: &mut BenchRng) {
    let key = SigningKey::from_bytes(&random_scalar(rng)).expect("valid scalar");
    let digest = [0x42u8; 32];
    for _ in 0..SAMPLES / CHUNK {
        let inputs: Vec<(Class, [u8; 32])> = (0..CHUNK)
            .map(|_| {
                let class = class_of(rng);
                let k = match class {
                    Class::Left => FIXED,
                    Class::Right => random_scalar(rng),
                };
                (class, k)
            })
            .collect();
        for (class, k) in inputs {
            runner.run_one(class, || {
                hazmat::sign_prehash_with_nonce(black_box(&key), &digest, black_box(&k)).is_ok()
            });
        }
    }
}

/// `SigningKey::sign` as [`sign`], but the fixed class is the random-looking [`FIXED`] key
/// instead of d = 1: separates value dependence from the Hamming weight of d = 1.
fn sign_fixed_key(runner: &mut CtRunner, rng: &mut BenchRng) {
    for _ in 0..SAMPLES / CHUNK {
        let inputs: Vec<(Class, SigningKey)> = (0..CHUNK)
            .map(|_| {
                let class = class_of(rng);
                let d = match class {
                    Class::Left => FIXED,
                    Class::Right => random_scalar(rng),
                };
                (class, SigningKey::from_bytes(&d).expect("valid scalar"))
            })
            .collect();
        for (class, key) in inputs {
            runner.run_one(class, || black_box(&key).sign(black_box(MESSAGE)));
        }
    }
}

/// `SigningKey::from_bytes`: the range check and d·G (comb, lookups, inversion).
fn mul_base(runner: &mut CtRunner, rng: &mut BenchRng) {
    for _ in 0..SAMPLES / CHUNK {
        let inputs: Vec<(Class, [u8; 32])> = (0..CHUNK)
            .map(|_| {
                let class = class_of(rng);
                (class, scalar(class, rng))
            })
            .collect();
        for (class, d) in inputs {
            runner.run_one(class, || SigningKey::from_bytes(black_box(&d)).is_ok());
        }
    }
}

/// A public point for the variable-base lines: the public key of [`FIXED`].
fn peer() -> tsubaki::ec::p256::VerifyingKey {
    SigningKey::from_bytes(&FIXED)
        .expect("valid scalar")
        .verifying_key()
}

/// `hazmat::mul`: the variable-base k·P (range check, table of P, windows, inversion),
/// k = 1 (every window but the last has digit 0: the identity masks) vs random.
fn mul_var(runner: &mut CtRunner, rng: &mut BenchRng) {
    let p = peer();
    for _ in 0..SAMPLES / CHUNK {
        let inputs: Vec<(Class, [u8; 32])> = (0..CHUNK)
            .map(|_| {
                let class = class_of(rng);
                (class, scalar(class, rng))
            })
            .collect();
        for (class, k) in inputs {
            runner.run_one(class, || hazmat::mul(black_box(&k), black_box(&p)).is_ok());
        }
    }
}

/// ECDH `SecretKey::diffie_hellman` (peer parsing, d·Q, x), the key fixed random-looking
/// ([`FIXED`]) vs random; keys built outside the timed part.
fn ecdh(runner: &mut CtRunner, rng: &mut BenchRng) {
    use tsubaki::ec::p256::ecdh::SecretKey;
    let peer = peer().to_sec1_bytes(false);
    for _ in 0..SAMPLES / CHUNK {
        let inputs: Vec<(Class, SecretKey)> = (0..CHUNK)
            .map(|_| {
                let class = class_of(rng);
                let d = match class {
                    Class::Left => FIXED,
                    Class::Right => random_scalar(rng),
                };
                (class, SecretKey::from_bytes(&d).expect("valid scalar"))
            })
            .collect();
        for (class, key) in inputs {
            runner.run_one(class, || {
                black_box(&key).diffie_hellman(black_box(&peer)).is_ok()
            });
        }
    }
}

/// The negative control: an early-exit comparison, which dudect must flag.
fn control_early_exit(runner: &mut CtRunner, rng: &mut BenchRng) {
    let reference = [0u8; 512];
    for _ in 0..SAMPLES {
        let class = class_of(rng);
        let input = match class {
            Class::Left => [0u8; 512],
            Class::Right => {
                let mut b = [0u8; 512];
                rng.fill_bytes(&mut b[..8]);
                b
            }
        };
        runner.run_one(class, || black_box(&input[..]) == black_box(&reference[..]));
    }
}

fn main() -> std::io::Result<()> {
    #[cfg(target_arch = "x86_64")]
    println!(
        "CPU: BMI2+ADX {}, AVX2 {} (the path tsubaki selects; build with --cfg \
         tsubaki_ec_backend=\"portable\" for the portable one)",
        std::is_x86_feature_detected!("bmi2") && std::is_x86_feature_detected!("adx"),
        std::is_x86_feature_detected!("avx2"),
    );
    println!(
        "{SAMPLES} measurements per line; |max t| > 4.5 is evidence of secret-dependent timing"
    );
    run_benches_console(
        BenchOpts {
            continuous: false,
            filter: std::env::args().nth(1),
            file_out: None,
        },
        vec![
            BenchMetadata {
                name: BenchName("control-early-exit-compare (must be flagged)"),
                seed: Some(1),
                benchfn: control_early_exit,
            },
            BenchMetadata {
                name: BenchName("p256/mul-base (from_bytes: d·G), d = 1 vs random"),
                seed: Some(1),
                benchfn: mul_base,
            },
            BenchMetadata {
                name: BenchName("p256/sign (RFC 6979), d = 1 vs random"),
                seed: Some(1),
                benchfn: sign,
            },
            BenchMetadata {
                name: BenchName("p256/sign (RFC 6979), d fixed random-looking vs random"),
                seed: Some(1),
                benchfn: sign_fixed_key,
            },
            BenchMetadata {
                name: BenchName("p256/sign-nonce (hazmat, fixed key), k fixed vs random"),
                seed: Some(1),
                benchfn: sign_nonce,
            },
            BenchMetadata {
                name: BenchName("p256/mul (hazmat k·P), k = 1 vs random"),
                seed: Some(1),
                benchfn: mul_var,
            },
            BenchMetadata {
                name: BenchName("p256/ecdh (diffie_hellman), d fixed random-looking vs random"),
                seed: Some(1),
                benchfn: ecdh,
            },
        ],
    )
}
