//! The valgrind secret-taint check of tsubaki's HPKE (DESIGN §9, issue 14).
//!
//! Same technique as `ct-harness/src/bin/ct_harness.rs` (read its documentation first):
//! inputs are marked secret with [`tsubaki::ct::secret`], the operation runs, its public
//! output is marked public with [`tsubaki::ct::declassify`], and valgrind's memcheck reports
//! every branch or memory address that depended on a marked byte. `tests/ct_valgrind.rs`
//! runs it.
//!
//! What is secret, per operation (P-256 with Camellia-128-GCM, P-384 with
//! Camellia-256-GCM):
//! - `derive`: the input keying material of `Keypair::derive` (DeriveKeyPair: labeled
//!   HKDF, the candidate's range check, d·G; the library declassifies only the verdict of
//!   the range check);
//! - `seal`: the plaintext and every byte of the RNG (the ephemeral key); the recipient's
//!   public key, `info` and `aad` are public (`hpke::seal`: k·G, the DH, ExtractAndExpand,
//!   the key schedule, Camellia-GCM);
//! - `open`: the recipient's private key (`Keypair::from_private_key_bytes`, then
//!   `hpke::open`: the DH, the key schedule, Camellia-GCM with its tag check, whose verdict
//!   alone the library declassifies); `enc` and the ciphertext are public;
//! - `export`: the recipient's private key (`setup_receiver` + `Context::export`);
//! - `file`: a sealed file (`hpke::file`), sealing with a secret plaintext and RNG, and
//!   opening with a secret recipient key.
//!
//! Outputs made public before they are compared: `enc`, the ciphertext, the opened
//! plaintext, the exported secret, the public key.
//!
//! The negative control `control-enc` opens with a *secret encapsulated key*: parsing and
//! validating a public point is variable-time by design, so memcheck must report it —
//! which shows the check sees into the HPKE path.
//!
//! ```text
//! cargo build --release --features ct-valgrind --manifest-path ct-harness/Cargo.toml
//! valgrind -q --error-exitcode=1 target/release/ct_hpke all
//! ct_hpke p256|p384|all [--op derive|seal|open|export|file|all]
//! ct_hpke control-enc
//! ```
//!
//! Exit status: 0 when every case ran and the marked run agreed with an unmarked one, 2 on
//! a usage error or disagreement; valgrind turns any report into 1.

use core::hint::black_box;
use std::process::ExitCode;

use tsubaki::hpke::{self, Keypair, Suite, file};
use tsubaki_ct_harness::{TaintedRng, make_public, mark_secret};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Derive,
    Seal,
    Open,
    Export,
    File,
}

impl Op {
    const ALL: [Op; 5] = [Op::Derive, Op::Seal, Op::Open, Op::Export, Op::File];

    fn name(self) -> &'static str {
        match self {
            Op::Derive => "derive",
            Op::Seal => "seal",
            Op::Open => "open",
            Op::Export => "export",
            Op::File => "file",
        }
    }
}

const INFO: &[u8] = b"ct harness";
const AAD: &[u8] = b"aad";

fn plaintext() -> Vec<u8> {
    (0..300u32)
        .map(|i| (i as u8).wrapping_mul(0x1d) ^ 0x6c)
        .collect()
}

/// The recipient's key, made without marking (its public half is public).
fn recipient(suite: Suite) -> Keypair {
    Keypair::derive(suite, b"ct harness recipient").expect("derive")
}

fn public(mut v: Vec<u8>) -> Vec<u8> {
    make_public(v.as_mut_slice());
    v
}

/// A message sealed to the recipient from unmarked inputs: (enc, ct).
fn sealed_message(suite: Suite) -> (Vec<u8>, Vec<u8>) {
    let mut rng = TaintedRng::with_seed(7, false);
    hpke::seal(
        suite,
        &mut rng,
        &recipient(suite).public_key_bytes(),
        INFO,
        AAD,
        &plaintext(),
    )
    .expect("seal")
}

/// The recipient's key from its private bytes, marked secret when `mark`.
fn secret_recipient(suite: Suite, mark: bool) -> Result<Keypair, String> {
    let mut sk = recipient(suite).private_key_bytes().to_vec();
    if mark {
        mark_secret(sk.as_mut_slice());
    } else {
        let _ = black_box(&mut sk);
    }
    Keypair::from_private_key_bytes(suite, &sk).map_err(|e| e.to_string())
}

/// Runs `op` with its secret inputs marked (if `mark`) and returns the public outputs.
fn run(suite: Suite, op: Op, mark: bool) -> Result<Vec<u8>, String> {
    let fail = |e: tsubaki::Error| format!("{} failed: {e}", op.name());
    let mut pt = plaintext();
    if mark {
        mark_secret(pt.as_mut_slice());
    } else {
        let _ = black_box(&mut pt);
    }
    let mut rng = TaintedRng::new(mark);
    Ok(match op {
        Op::Derive => {
            let mut ikm = plaintext()[..48].to_vec();
            if mark {
                mark_secret(ikm.as_mut_slice());
            }
            public(Keypair::derive(suite, &ikm).map_err(fail)?.public_key_bytes())
        }
        Op::Seal => {
            let pk = recipient(suite).public_key_bytes();
            let (enc, ct) = hpke::seal(suite, &mut rng, &pk, INFO, AAD, &pt).map_err(fail)?;
            [public(enc), public(ct)].concat()
        }
        Op::Open => {
            let (enc, ct) = sealed_message(suite);
            let key = secret_recipient(suite, mark)?;
            public(hpke::open(suite, &key, &enc, INFO, AAD, &ct).map_err(fail)?)
        }
        Op::Export => {
            let (enc, _) = sealed_message(suite);
            let key = secret_recipient(suite, mark)?;
            let ctx = hpke::setup_receiver(suite, &key, &enc, INFO).map_err(fail)?;
            public(ctx.export(b"exporter context", 48).map_err(fail)?)
        }
        Op::File => {
            let pk = recipient(suite).public_key_bytes();
            let sealed = public(
                file::seal_to_vec(suite, &mut rng, &pk, None, INFO, &pt).map_err(fail)?,
            );
            let key = secret_recipient(suite, mark)?;
            let opened = file::open_to_vec(&key, None, INFO, &sealed).map_err(fail)?;
            [sealed, public(opened.to_vec())].concat()
        }
    })
}

fn check(suite: Suite, op: Op) -> Result<(), String> {
    let marked = run(suite, op, true)?;
    let reference = run(suite, op, false)?;
    if marked == reference {
        Ok(())
    } else {
        Err("the run on marked inputs disagrees with the unmarked run".into())
    }
}

/// Public-key validation is variable-time on purpose; with a secret `enc`, memcheck must
/// report it.
fn control_enc() -> Result<(), String> {
    let suite = Suite::P256_SHA256_CAMELLIA128_GCM;
    let (mut enc, ct) = sealed_message(suite);
    mark_secret(enc.as_mut_slice());
    let key = recipient(suite);
    let mut pt = hpke::open(suite, &key, &enc, INFO, AAD, &ct).map_err(|e| e.to_string())?;
    make_public(pt.as_mut_slice());
    if pt == plaintext() {
        Ok(())
    } else {
        Err("the message did not open".into())
    }
}

const USAGE: &str = "usage: ct_hpke p256|p384|all [--op OP|all]
       ct_hpke control-enc
  OP: derive, seal, open, export, file";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let suites: &[(&str, Suite)] = match args.first().map(String::as_str) {
        Some("control-enc") => {
            eprintln!("ct_hpke: begin control-enc");
            return match control_enc() {
                Ok(()) => {
                    println!("ran control-enc");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("ct_hpke: FAILED control-enc: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Some("p256") => &[("p256", Suite::P256_SHA256_CAMELLIA128_GCM)],
        Some("p384") => &[("p384", Suite::P384_SHA384_CAMELLIA256_GCM)],
        Some("all") => &[
            ("p256", Suite::P256_SHA256_CAMELLIA128_GCM),
            ("p384", Suite::P384_SHA384_CAMELLIA256_GCM),
        ],
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let ops: Vec<Op> = match (
        args.get(1).map(String::as_str),
        args.get(2).map(String::as_str),
    ) {
        (None, _) | (Some("--op"), Some("all")) => Op::ALL.to_vec(),
        (Some("--op"), Some(name)) => match Op::ALL.into_iter().find(|op| op.name() == name) {
            Some(op) => vec![op],
            None => {
                eprintln!("ct_hpke: unknown operation `{name}`\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for &(name, suite) in suites {
        for &op in &ops {
            let case = format!("{name} {}", op.name());
            eprintln!("ct_hpke: begin {case}");
            match check(suite, op) {
                Ok(()) => println!("ran {case}"),
                Err(e) => {
                    eprintln!("ct_hpke: FAILED {case}: {e}");
                    failed = true;
                }
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
