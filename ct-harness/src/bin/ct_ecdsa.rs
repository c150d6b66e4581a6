//! The valgrind secret-taint check of tsubaki's ECDSA (DESIGN §9, issue 4).
//!
//! Same technique as `ct-harness/src/bin/ct_harness.rs` (read its documentation first): inputs are
//! marked secret with [`tsubaki::ct::secret`], the operation runs, its public output is
//! marked public with [`tsubaki::ct::declassify`], and valgrind's memcheck reports every
//! branch or memory address that depended on a marked byte. `tests/ct_valgrind.rs` runs it.
//!
//! What is secret, per operation (both curves):
//! - `keygen`: every byte the RNG hands out (`SigningKey::random`, which computes d·G too);
//! - `from-bytes`: the private scalar d (`SigningKey::from_bytes`: range check and d·G);
//! - `sign`: d and the message (`from_bytes` + `sign`: SHA-2, RFC 6979 HMAC nonce, k·G,
//!   the inversions of k and of Z, s = k⁻¹(e + r·d));
//! - `sign-with-rng`: d, the message and the RNG's bytes (hedged nonce);
//! - `sign-prehash`: d and the digest;
//! - `mul`: the scalar of `hazmat::mul` (variable-base k·P on a public point);
//! - `ecdh`: the private scalar of an ECDH static key (`ecdh::SecretKey::from_slice`:
//!   range check and d·G; `diffie_hellman` with a public peer key given as SEC 1 bytes:
//!   parsing, d·Q, the x-coordinate); the shared secret is made public before it is
//!   compared;
//! - `ecdh-ephemeral`: every byte the RNG hands out (`ecdh::EphemeralSecret::random`,
//!   `public_key_sec1`, `diffie_hellman`);
//! - `from-pkcs8`: the 32/48 bytes of d inside a PKCS#8 DER file (`from_pkcs8_der`: the
//!   DER walk, the range check, d·G and the constant-time comparison with the public key
//!   the file carries; the file's structure — tags, lengths — is public layout).
//!
//! Outputs made public before they are compared: the public key (`to_sec1_bytes`) and the
//! signature (`to_bytes`). Inside `sign`, the library itself declassifies r and s — and
//! nothing else — before its checks r ≠ 0, s ≠ 0.
//!
//! The negative control `control-verify` runs *verification* (variable-time by design)
//! with a secret signature: memcheck must report it, which shows the check sees EC code.
//!
//! ```text
//! cargo build --release --features ct-valgrind --manifest-path ct-harness/Cargo.toml
//! valgrind -q --error-exitcode=1 target/release/ct_ecdsa all
//! ct_ecdsa p256|p256-adx|p384|all [--op keygen|from-bytes|sign|sign-with-rng|sign-prehash|mul|from-pkcs8|ecdh|ecdh-ephemeral|all]
//! ct_ecdsa control-verify
//! ```
//! `p256-adx` runs the P-256 cases on the x86-64 BMI2/ADX field multiplication
//! ([`ct::force_p256_adx`]): valgrind executes `mulx`/`adcx`/`adox` but hides ADX from
//! CPUID, so `p256` alone would check only the portable code under valgrind.
//!
//! Exit status: 0 when every case ran and the marked run agreed with an unmarked one, 2 on a
//! usage error or disagreement; valgrind turns any report into 1.

use core::hint::black_box;
use std::process::ExitCode;

use tsubaki::ct;
use tsubaki::ec::ecdsa::{EcdsaCurve, Signature, SigningKey, VerifyingKey};
use tsubaki::ec::{NistP256, NistP384, ecdh, hazmat};
use tsubaki_ct_harness::{TaintedRng, make_public, mark_secret};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Keygen,
    FromBytes,
    Sign,
    SignWithRng,
    SignPrehash,
    Mul,
    FromPkcs8,
    Ecdh,
    EcdhEphemeral,
}

impl Op {
    const ALL: [Op; 9] = [
        Op::Keygen,
        Op::FromBytes,
        Op::Sign,
        Op::SignWithRng,
        Op::SignPrehash,
        Op::Mul,
        Op::FromPkcs8,
        Op::Ecdh,
        Op::EcdhEphemeral,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::Keygen => "keygen",
            Op::FromBytes => "from-bytes",
            Op::Sign => "sign",
            Op::SignWithRng => "sign-with-rng",
            Op::SignPrehash => "sign-prehash",
            Op::Mul => "mul",
            Op::FromPkcs8 => "from-pkcs8",
            Op::Ecdh => "ecdh",
            Op::EcdhEphemeral => "ecdh-ephemeral",
        }
    }
}

/// A fixed private scalar (any value in 1..n−1; the top byte keeps it below n).
fn scalar_bytes(len: usize, salt: u8) -> Vec<u8> {
    let mut d: Vec<u8> = (0..len)
        .map(|i| (i as u8).wrapping_mul(0x3b) ^ salt)
        .collect();
    d[0] = 0x5a;
    d
}

fn message() -> Vec<u8> {
    (0..173u32)
        .map(|i| (i as u8).wrapping_mul(0x1d) ^ 0x6c)
        .collect()
}

fn public_bytes<C: EcdsaCurve>(key: &VerifyingKey<C>) -> Vec<u8> {
    let mut out = key.to_sec1_bytes(false);
    make_public(out.as_mut_slice());
    out
}

fn signature_bytes<C: EcdsaCurve>(sig: &Signature<C>) -> Vec<u8> {
    let mut out = sig.to_bytes().as_ref().to_vec();
    make_public(out.as_mut_slice());
    out
}

/// Runs `op` on curve `C` with its inputs marked secret (if `mark`) and returns the public
/// output bytes.
fn run<C: EcdsaCurve>(op: Op, mark: bool) -> Result<Vec<u8>, String> {
    let bytes = C::BYTES;
    let mut d = scalar_bytes(bytes, 0xa7);
    let mut msg = message();
    if mark {
        mark_secret(d.as_mut_slice());
        mark_secret(msg.as_mut_slice());
    } else {
        let _ = black_box(&mut d);
        let _ = black_box(&mut msg);
    }
    let mut rng = TaintedRng::new(mark);
    let fail = |e: tsubaki::Error| format!("{} failed: {e}", op.name());
    Ok(match op {
        Op::Keygen => public_bytes(&SigningKey::<C>::random(&mut rng).verifying_key()),
        Op::FromBytes => public_bytes(
            &SigningKey::<C>::from_slice(&d)
                .map_err(fail)?
                .verifying_key(),
        ),
        Op::Sign => {
            let key = SigningKey::<C>::from_slice(&d).map_err(fail)?;
            signature_bytes(&key.sign(&msg))
        }
        Op::SignWithRng => {
            let key = SigningKey::<C>::from_slice(&d).map_err(fail)?;
            signature_bytes(&key.sign_with_rng(&mut rng, &msg))
        }
        Op::SignPrehash => {
            let key = SigningKey::<C>::from_slice(&d).map_err(fail)?;
            // The message bytes serve as the digest (any 16+ bytes are one); 64 bytes
            // exercise the truncation to the order's length.
            signature_bytes(&key.sign_prehash(&msg[..64]).map_err(fail)?)
        }
        Op::Mul => {
            // A public point: the key of a public scalar, made without marking.
            let point = SigningKey::<C>::from_slice(&scalar_bytes(bytes, 0x33))
                .map_err(fail)?
                .verifying_key();
            public_bytes(&hazmat::mul(&d, &point).map_err(fail)?)
        }
        Op::Ecdh => {
            let peer = SigningKey::<C>::from_slice(&scalar_bytes(bytes, 0x33))
                .map_err(fail)?
                .verifying_key()
                .to_sec1_bytes(false);
            let key = ecdh::SecretKey::<C>::from_slice(&d).map_err(fail)?;
            let mut out = key
                .diffie_hellman(&peer)
                .map_err(fail)?
                .as_bytes()
                .as_ref()
                .to_vec();
            make_public(out.as_mut_slice());
            out
        }
        Op::EcdhEphemeral => {
            let peer = SigningKey::<C>::from_slice(&scalar_bytes(bytes, 0x33))
                .map_err(fail)?
                .verifying_key()
                .to_sec1_bytes(true);
            let key = ecdh::EphemeralSecret::<C>::random(&mut rng);
            let mut out = key.public_key_sec1(false);
            out.extend_from_slice(key.diffie_hellman(&peer).map_err(fail)?.as_bytes().as_ref());
            make_public(out.as_mut_slice());
            out
        }
        Op::FromPkcs8 => {
            // The file is written from an unmarked key; then only d inside it is marked.
            let plain = scalar_bytes(bytes, 0xa7);
            let mut der = SigningKey::<C>::from_slice(&plain)
                .map_err(fail)?
                .to_pkcs8_der();
            let at = der
                .windows(bytes)
                .position(|w| w == plain.as_slice())
                .ok_or("d not found in the PKCS#8 file")?;
            if mark {
                mark_secret(&mut der[at..at + bytes]);
            }
            public_bytes(
                &SigningKey::<C>::from_pkcs8_der(&der)
                    .map_err(fail)?
                    .verifying_key(),
            )
        }
    })
}

fn check<C: EcdsaCurve>(op: Op) -> Result<(), String> {
    let marked = run::<C>(op, true)?;
    let reference = run::<C>(op, false)?;
    if marked == reference {
        Ok(())
    } else {
        Err("the run on marked inputs disagrees with the unmarked run".into())
    }
}

/// Verification is variable-time on purpose; with a secret signature memcheck must
/// report it.
fn control_verify() -> Result<(), String> {
    let key =
        SigningKey::<NistP256>::from_slice(&scalar_bytes(32, 0xa7)).map_err(|e| e.to_string())?;
    let msg = message();
    let mut sig = key.sign(&msg).to_bytes();
    mark_secret(&mut sig);
    let sig = Signature::<NistP256>::from_slice(&sig).map_err(|e| e.to_string())?;
    let mut ok = [u8::from(key.verifying_key().verify(&msg, &sig).is_ok())];
    make_public(&mut ok);
    if ok[0] == 1 {
        Ok(())
    } else {
        Err("a valid signature did not verify".into())
    }
}

const USAGE: &str = "usage: ct_ecdsa p256|p256-adx|p384|all [--op OP|all]
       ct_ecdsa control-verify
  OP: keygen, from-bytes, sign, sign-with-rng, sign-prehash, mul, from-pkcs8, ecdh,
      ecdh-ephemeral";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let curves: &[&str] = match args.first().map(String::as_str) {
        Some("control-verify") => {
            eprintln!("ct_ecdsa: begin control-verify");
            return match control_verify() {
                Ok(()) => {
                    println!("ran control-verify");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("ct_ecdsa: FAILED control-verify: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Some("p256") => &["p256"],
        Some("p256-adx") => {
            // The BMI2/ADX field multiplication, which CPUID under valgrind hides.
            ct::force_p256_adx(true);
            &["p256-adx"]
        }
        Some("p384") => &["p384"],
        Some("all") => &["p256", "p384"],
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
                eprintln!("ct_ecdsa: unknown operation `{name}`\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for &curve in curves {
        for &op in &ops {
            let case = format!("{curve} {}", op.name());
            eprintln!("ct_ecdsa: begin {case}");
            let result = match curve {
                "p256" | "p256-adx" => check::<NistP256>(op),
                _ => check::<NistP384>(op),
            };
            match result {
                Ok(()) => println!("ran {case}"),
                Err(e) => {
                    eprintln!("ct_ecdsa: FAILED {case}: {e}");
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
