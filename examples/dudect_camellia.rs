//! Statistical constant-time test (dudect: Reparaz, Balasch, Verbauwhede, "Dude, is my code
//! constant time?", DATE 2017) for every Camellia backend, through the `dudect-bencher`
//! crate.
//!
//! Valgrind's secret-taint check (tests/ct_valgrind.rs) cannot execute AVX-512, GFNI or
//! VAES code, so the backends that use them are checked here instead, by timing: each
//! benchmark times one operation on two classes of secret inputs, *fixed* (all-zero key
//! or data) and *random*, interleaved at random, and Welch's t-test compares the two
//! timing distributions (after the percentile cropping dudect prescribes). |t| above
//! 4.5 is the usual threshold for evidence of a secret-dependent running time; below it,
//! this many measurements found none. A deliberately variable-time control (an
//! early-exit comparison) shows that the method detects a leak on this machine.
//!
//! ```text
//! cargo run --release --example dudect_camellia                 # every backend, once
//! cargo run --release --example dudect_camellia -- gfni         # names containing "gfni"
//! cargo run --release --example dudect_camellia -- raw          # the C ABI's per-call path
//! ```
//! Results are recorded in SIDE-CHANNELS.md.

use std::hint::black_box;

use dudect_bencher::ctbench::{BenchMetadata, BenchName, BenchOpts, run_benches_console};
use dudect_bencher::{BenchRng, Class, CtRunner};
use tsubaki::camellia::{Backend, Camellia128};
use tsubaki::rand_core::Rng;

/// Measurements per benchmark (both classes together).
const SAMPLES: usize = 200_000;
/// Blocks per bulk call: one full 64-block batch.
const BULK: usize = 64;

#[derive(Clone, Copy)]
enum Op {
    /// Key setup with a fixed vs a random key.
    KeySetup,
    /// One block, fixed key, fixed vs random plaintext.
    Block,
    /// 64 blocks, fixed key, fixed vs random plaintext.
    Bulk,
    /// 64 blocks, fixed plaintext, fixed vs random key.
    BulkKey,
}

const OPS: [(Op, &str); 4] = [
    (Op::KeySetup, "key-setup"),
    (Op::Block, "encrypt-block"),
    (Op::Bulk, "encrypt-64-blocks"),
    (Op::BulkKey, "encrypt-64-blocks-key"),
];

fn class_of(rng: &mut BenchRng) -> Class {
    if rng.next_u32() & 1 == 0 {
        Class::Left
    } else {
        Class::Right
    }
}

/// Left = fixed (zero) secret, Right = random secret.
fn secret_bytes<const N: usize>(class: Class, rng: &mut BenchRng) -> [u8; N] {
    let mut b = [0u8; N];
    if let Class::Right = class {
        rng.fill_bytes(&mut b);
    }
    b
}

/// Inputs are drawn a chunk at a time *before* any of them is timed, so that drawing a
/// random input (work the fixed class does not need) cannot disturb the caches or the
/// predictors just before a measurement of one class only.
const CHUNK: usize = 5_000;

fn run<const B: usize, const O: usize>(runner: &mut CtRunner, rng: &mut BenchRng) {
    let backend = Backend::ALL[B];
    let op = OPS[O].0;
    let cipher = Camellia128::with_backend(&[0x42u8; 16], backend).expect("listed as available");
    let samples = match op {
        Op::Bulk | Op::BulkKey => SAMPLES / 4,
        _ => SAMPLES,
    };
    for _ in 0..samples / CHUNK {
        let inputs: Vec<(Class, Vec<[u8; 16]>)> = (0..CHUNK)
            .map(|_| {
                let class = class_of(rng);
                let n = if matches!(op, Op::Bulk) { BULK } else { 1 };
                (
                    class,
                    (0..n).map(|_| secret_bytes::<16>(class, rng)).collect(),
                )
            })
            .collect();
        for (class, input) in inputs {
            match op {
                Op::KeySetup => {
                    runner.run_one(class, || {
                        Camellia128::with_backend(black_box(&input[0]), backend)
                            .map(|c| c.backend())
                    });
                }
                Op::Block => {
                    let block = input[0];
                    runner.run_one(class, || {
                        let mut b = block;
                        cipher.encrypt_block(black_box(&mut b));
                        b
                    });
                }
                Op::Bulk => {
                    let blocks: [[u8; 16]; BULK] = input.try_into().expect("BULK blocks");
                    runner.run_one(class, || {
                        let mut b = blocks;
                        cipher.encrypt_blocks(black_box(&mut b));
                        b[0]
                    });
                }
                Op::BulkKey => {
                    let keyed = Camellia128::with_backend(&input[0], backend).expect("available");
                    runner.run_one(class, || {
                        let mut b = [[0u8; 16]; BULK];
                        keyed.encrypt_blocks(black_box(&mut b));
                        b[0]
                    });
                }
            }
        }
    }
}

/// The C ABI's per-call path (`raw::ExpandedKey`, what `Camellia_set_key`,
/// `Camellia_encrypt` and `Camellia_decrypt` run, on the default backend): key setup with
/// a fixed vs a random key (`what` = 0), one-block encryption (1) and decryption (2, the
/// encryption schedule walked backwards) with a fixed key and fixed vs random data.
fn run_raw<const WHAT: usize>(runner: &mut CtRunner, rng: &mut BenchRng) {
    use tsubaki::camellia::raw::ExpandedKey;
    let key = ExpandedKey::new(&[0x42u8; 16]).expect("16-byte key");
    for _ in 0..SAMPLES / CHUNK {
        let inputs: Vec<(Class, [u8; 16])> = (0..CHUNK)
            .map(|_| {
                let class = class_of(rng);
                (class, secret_bytes::<16>(class, rng))
            })
            .collect();
        for (class, input) in inputs {
            match WHAT {
                0 => runner.run_one(class, || {
                    let mut k = ExpandedKey::zeroed();
                    k.set(black_box(&input))
                        .map(|()| k.encrypt_block(&mut [0; 16]))
                }),
                1 => runner.run_one(class, || {
                    let mut b = input;
                    key.encrypt_block(black_box(&mut b));
                    b
                }),
                _ => runner.run_one(class, || {
                    let mut b = input;
                    key.decrypt_block(black_box(&mut b));
                    b
                }),
            }
        }
    }
}

/// A benchmark function as `dudect-bencher` takes it.
type BenchFn = fn(&mut CtRunner, &mut BenchRng);

/// The negative control: an early-exit comparison, whose running time depends on where
/// the first difference is. dudect must flag it.
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

macro_rules! table {
    ($($b:literal),*) => {
        [$([run::<$b, 0> as fn(&mut CtRunner, &mut BenchRng), run::<$b, 1>, run::<$b, 2>, run::<$b, 3>]),*]
    };
}

fn main() -> std::io::Result<()> {
    let filter = std::env::args().nth(1);
    let fns = table!(0, 1, 2, 3, 4);
    let mut benches = vec![BenchMetadata {
        name: BenchName("control-early-exit-compare (must be flagged)"),
        seed: Some(1),
        benchfn: control_early_exit,
    }];
    for (b, backend) in Backend::ALL.iter().enumerate() {
        let Some(row) = fns.get(b) else {
            println!("{backend}: no entry in this program's table, skipped");
            continue;
        };
        if !backend.is_available() {
            println!("{backend}: not available on this CPU, skipped");
            continue;
        }
        for (o, (_, op)) in OPS.iter().enumerate() {
            let name = format!(
                "{backend}/{op}{}",
                if backend.is_constant_time() {
                    ""
                } else {
                    " (NOT constant-time)"
                }
            );
            benches.push(BenchMetadata {
                name: BenchName(Box::leak(name.into_boxed_str())),
                seed: Some(1),
                benchfn: row[o],
            });
        }
    }
    let raw: [(&str, BenchFn); 3] = [
        ("raw-c-abi/set-key", run_raw::<0>),
        ("raw-c-abi/encrypt-block", run_raw::<1>),
        ("raw-c-abi/decrypt-block", run_raw::<2>),
    ];
    for (name, benchfn) in raw {
        benches.push(BenchMetadata {
            name: BenchName(name),
            seed: Some(1),
            benchfn,
        });
    }
    println!(
        "{SAMPLES} measurements per line; |max t| > 4.5 is evidence of secret-dependent timing"
    );
    run_benches_console(
        BenchOpts {
            continuous: false,
            filter,
            file_out: None,
        },
        benches,
    )
}
