//! Statistical constant-time test (dudect, Reparaz–Balasch–Verbauwhede 2017, through the
//! `dudect-bencher` crate) for the big-integer backend valgrind cannot run: AVX-512 IFMA
//! (`tsubaki::bigint`). Valgrind's virtual CPU has no AVX-512, so under it the portable code
//! is chosen and checked by `tests/ct_valgrind.rs`; this program times the IFMA path.
//!
//! Each line times one operation on two classes of secret input, *fixed* (zero) and
//! *random*, interleaved at random; Welch's t-test compares the timings after dudect's
//! percentile cropping. |t| > 4.5 is evidence of secret-dependent timing. The control — the
//! public-exponent (sliding-window, variable-time) exponentiation given a secret exponent —
//! must be flagged.
//!
//! ```text
//! cargo run --release --example dudect_bigint
//! ```
//! Results are recorded in SIDE-CHANNELS.md.

use std::hint::black_box;

use dudect_bencher::ctbench::{BenchMetadata, BenchName, BenchOpts, run_benches_console};
use dudect_bencher::{BenchRng, Class, CtRunner};
use tsubaki::bigint::Modulus;
use tsubaki::rand_core::Rng;

const SAMPLES: usize = 20_000;

fn class_of(rng: &mut BenchRng) -> Class {
    if rng.next_u32() & 1 == 0 {
        Class::Left
    } else {
        Class::Right
    }
}

fn modulus(len: usize) -> Modulus {
    let mut m: Vec<u8> = (0..len)
        .map(|i| (i as u8).wrapping_mul(0x3b) ^ 0xa5)
        .collect();
    m[0] |= 0x80;
    m[len - 1] |= 1;
    Modulus::new(&m).expect("odd modulus")
}

/// Left = zero, Right = random, of `len` bytes with the top byte cleared (below m).
fn secret(class: Class, rng: &mut BenchRng, len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len];
    if let Class::Right = class {
        rng.fill_bytes(&mut b);
        b[0] = 0;
    }
    b
}

fn inputs(rng: &mut BenchRng, len: usize) -> Vec<(Class, Vec<u8>)> {
    (0..SAMPLES)
        .map(|_| {
            let c = class_of(rng);
            let s = secret(c, rng, len);
            (c, s)
        })
        .collect()
}

/// One 4096-bit Montgomery multiplication (the homomorphic addition), secret operand.
fn montmul_4096(runner: &mut CtRunner, rng: &mut BenchRng) {
    let m = modulus(512);
    let b = {
        let mut b = vec![0x5au8; 512];
        b[0] = 0x11;
        b
    };
    for (class, a) in inputs(rng, 512) {
        runner.run_one(class, || m.mont_mul_be(black_box(&a), black_box(&b)));
    }
}

/// Secret-exponent exponentiation mod a 2048-bit modulus, 64-bit secret exponent.
fn pow_secret_exponent(runner: &mut CtRunner, rng: &mut BenchRng) {
    let m = modulus(256);
    let base = vec![7u8];
    for (class, e) in inputs(rng, 8) {
        runner.run_one(class, || m.pow_secret_be(black_box(&base), black_box(&e)));
    }
}

/// The same with a secret base (fixed exponent).
fn pow_secret_base(runner: &mut CtRunner, rng: &mut BenchRng) {
    let m = modulus(256);
    let e = vec![0xc3u8; 8];
    for (class, b) in inputs(rng, 256) {
        runner.run_one(class, || m.pow_secret_be(black_box(&b), black_box(&e)));
    }
}

/// The control: variable-time exponentiation with a secret exponent. Must be flagged.
fn control_vartime(runner: &mut CtRunner, rng: &mut BenchRng) {
    let m = modulus(256);
    let base = vec![7u8];
    for (class, e) in inputs(rng, 8) {
        runner.run_one(class, || {
            m.pow_public_vartime_be(black_box(&base), black_box(&e))
        });
    }
}

fn main() -> std::io::Result<()> {
    let backend = modulus(512).backend();
    println!("backend for 2048/4096-bit moduli: {backend} ({SAMPLES} measurements per line)");
    if backend != "avx512ifma" {
        println!("this CPU does not run the IFMA path; the lines below time the portable code");
    }
    let benches = vec![
        BenchMetadata {
            name: BenchName("control-vartime-exponent (must be flagged)"),
            seed: Some(1),
            benchfn: control_vartime,
        },
        BenchMetadata {
            name: BenchName("montmul-4096/secret-operand"),
            seed: Some(1),
            benchfn: montmul_4096,
        },
        BenchMetadata {
            name: BenchName("pow-2048/secret-exponent"),
            seed: Some(1),
            benchfn: pow_secret_exponent,
        },
        BenchMetadata {
            name: BenchName("pow-2048/secret-base"),
            seed: Some(1),
            benchfn: pow_secret_base,
        },
    ];
    run_benches_console(
        BenchOpts {
            continuous: false,
            filter: std::env::args().nth(1),
            file_out: None,
        },
        benches,
    )
}
