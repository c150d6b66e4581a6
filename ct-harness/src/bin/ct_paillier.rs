//! The valgrind secret-taint check of tsubaki's Paillier code and its big-integer core
//! (DESIGN §9, issue 5).
//!
//! Same technique as `ct_harness.rs` and `ct_ecdsa.rs`: inputs are
//! marked secret with [`tsubaki::ct::secret`], the operation runs, its public output is
//! marked public with [`tsubaki::ct::declassify`], and memcheck reports every branch or
//! memory address that depended on a marked byte. `tests/ct_valgrind.rs` runs it.
//!
//! What is secret, per operation (the fixed 2048-bit key of `vectors/paillier/kat.txt`):
//! - `from-primes`: p and q (`SecretKey::from_primes`: validation, Miller–Rabin to fixed
//!   bases, n = pq, the Montgomery contexts of p, q, p², q², every CRT constant);
//! - `keygen`: every byte the RNG hands out (`SecretKey::generate`, 2048 bits: the seeds
//!   of the two threads' HMAC_DRBGs, candidates built by CRT, sieve, Fermat and
//!   Miller–Rabin, the key built from the kept primes);
//! - `safe-prime`: every byte the RNG hands out (`paillier::generate_prime`, a 256-bit safe
//!   prime: the safe-prime construction and sieve, Fermat on q and 2q + 1, 64 rounds on q);
//! - `decrypt`: p and q (the key is built from marked primes — every constant of the
//!   import but the primality tests, which `from-primes` covers), then `decrypt_i64` and
//!   `decrypt_be` of public ciphertexts;
//! - `encrypt`: the plaintext and the RNG's bytes (r) in `PublicKey::encrypt_i64` and
//!   `encrypt_be`;
//! - `encrypt-crt`: p, q, the plaintext and the RNG's bytes (`SecretKey::encrypt_i64`);
//! - `pool`: p, q and the RNG's bytes in `SecretKey::precompute`, and the plaintext in
//!   `RandomnessPool::encrypt_i64`; also `PublicKey::precompute`;
//! - `short-exponent`: the RNG's bytes (x of the base, the exponent k) and the plaintext;
//! - `ops`: the plaintext of `add_plain_i64`, the scalar's magnitude in `mul_plain` (its
//!   top byte, which holds the sign, is public: `mul_plain` documents the sign as public), the
//!   RNG's bytes in `rerandomize` and in the rerandomization of every operation with a
//!   plaintext operand (also run in their `_raw` forms);
//! - `threshold-deal`: the safe primes p, q of `vectors/paillier/threshold_primes.txt` (key
//!   2048-a) and every byte the RNG hands out (the coefficients, the root of v), in
//!   `threshold::deal` for (2, 3): the safe-prime checks, m, m⁻¹ mod N, d, N·m, the
//!   coefficients, the shares sᵢ and the exponentiations vᵢ = v^(Δ·sᵢ);
//! - `threshold-share`: the key share sᵢ (its bytes in the key share's binary form, marked
//!   before `KeyShare::from_bytes`, which checks v^(Δ·sᵢ) = vᵢ) and the RNG's bytes (the
//!   proof's r), in `KeyShare::decrypt_share`: c^(2Δsᵢ), c^(4r), v^r, z = r + e·Δ·sᵢ.
//!
//! Made public on purpose, inside the library: the verdicts of rejection sampling (r < n,
//! the multiple t < D of a prime candidate, prime candidates rejected by a block of the
//! sieve, by the Fermat test or by a Miller–Rabin round, a candidate equal to the previous
//! one, two equal thread seeds), the validation verdicts of `from_primes` (including the
//! distance rule, Baillie–PSW and the random-base rounds), n = pq, and "the plaintext fits
//! an i64" in `decrypt_i64`.
//! The harness itself makes public the outputs (ciphertext bytes, n, decrypted values).
//!
//! The negative control `control-vartime` runs the public-exponent (sliding-window,
//! variable-time) exponentiation with a *secret exponent*: memcheck must report it.
//! `control-threshold-share` does the same with the marked bytes of a threshold key share
//! as the exponent (what a variable-time c^(2Δsᵢ) would do): reported too.
//!
//! Made public on purpose in the threshold code: the verdicts of the safe-prime checks and
//! of `KeyShare::from_bytes`'s v^(Δ·sᵢ) = vᵢ check, and the outputs v, vᵢ, cᵢ, the proof's
//! a and b (hashed into e) and z.
//!
//! ```text
//! cargo build --release --features ct-valgrind --manifest-path ct-harness/Cargo.toml
//! valgrind -q --error-exitcode=1 target/release/ct_paillier all
//! ct_paillier OP|all      OP: from-primes, keygen, safe-prime, decrypt, encrypt,
//!                             encrypt-crt, pool, short-exponent, ops
//! ct_paillier control-vartime
//! ```
//! Exit status: 0 when every case ran and the marked run agreed with an unmarked one, 2 on
//! a usage error or disagreement; valgrind turns any report into 1.

use core::hint::black_box;
use std::process::ExitCode;
use std::sync::OnceLock;

use tsubaki::bigint::Modulus;
use tsubaki::paillier::threshold::{self, KeyShare};
use tsubaki::paillier::{Ciphertext, SecretKey, ShortExponentEncryptor};
use tsubaki_ct_harness::{TaintedRng, make_public, mark_secret};

const OPS: [&str; 11] = [
    "from-primes",
    "keygen",
    "safe-prime",
    "decrypt",
    "encrypt",
    "encrypt-crt",
    "pool",
    "short-exponent",
    "ops",
    "threshold-deal",
    "threshold-share",
];

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or(0))
        .collect()
}

/// The 2048-bit test primes of `vectors/paillier/kat.txt`.
fn primes() -> Result<(Vec<u8>, Vec<u8>), String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/paillier/kat.txt");
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = text.lines().skip_while(|l| *l != "key = 2048").skip(1);
    let p = lines.next().and_then(|l| l.strip_prefix("p = "));
    let q = lines.next().and_then(|l| l.strip_prefix("q = "));
    match (p, q) {
        (Some(p), Some(q)) => Ok((unhex(p), unhex(q))),
        _ => Err("no 2048-bit key in the vector file".into()),
    }
}

/// The safe primes of key 2048-a in `vectors/paillier/threshold_primes.txt`.
fn safe_primes() -> Result<(Vec<u8>, Vec<u8>), String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/paillier/threshold_primes.txt"
    );
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = text.lines().skip_while(|l| *l != "key = 2048-a").skip(1);
    let p = lines.next().and_then(|l| l.strip_prefix("p = "));
    let q = lines.next().and_then(|l| l.strip_prefix("q = "));
    match (p, q) {
        (Some(p), Some(q)) => Ok((unhex(p), unhex(q))),
        _ => Err("no key 2048-a in the threshold primes file".into()),
    }
}

/// A (2, 3) threshold key dealt from unmarked primes and an unmarked RNG (public setup),
/// the binary form of key share 1 and a public ciphertext under it. Dealt once per process
/// (the marked run and the reference run share it): dealing re-proves the safe primes,
/// which is most of a minute under valgrind.
fn threshold_setup() -> Result<(Vec<u8>, Ciphertext), String> {
    static SETUP: OnceLock<Result<(Vec<u8>, Ciphertext), String>> = OnceLock::new();
    SETUP
        .get_or_init(|| {
            let (p, q) = safe_primes()?;
            let mut rng = TaintedRng::with_seed(11, false);
            let (tpk, shares) =
                threshold::deal(&mut rng, &p, &q, 2, 3).map_err(|e| format!("deal: {e}"))?;
            let c = tpk.public_key().encrypt_i64(&mut rng, 1234);
            Ok((shares[0].to_bytes().to_vec(), c))
        })
        .clone()
}

fn public(mut v: Vec<u8>) -> Vec<u8> {
    make_public(v.as_mut_slice());
    v
}

fn ct_bytes(c: &Ciphertext) -> Vec<u8> {
    public(c.to_bytes())
}

/// Runs `op` with its secrets marked (if `mark`) and returns its public outputs.
fn run(op: &str, mark: bool) -> Result<Vec<u8>, String> {
    let (mut p, mut q) = primes()?;
    let mut m_bytes = vec![0u8; 200];
    m_bytes
        .iter_mut()
        .enumerate()
        .for_each(|(i, b)| *b = (i as u8).wrapping_mul(0x3b) ^ 0x5c);
    let mut m = [-987_654_321_012i64];
    let mut k = [0x1234_5678i64];
    let mark_all = |p: &mut Vec<u8>,
                    q: &mut Vec<u8>,
                    m_bytes: &mut Vec<u8>,
                    m: &mut [i64; 1],
                    k: &mut [i64; 1]| {
        if mark {
            mark_secret(p.as_mut_slice());
            mark_secret(q.as_mut_slice());
            mark_secret(m_bytes.as_mut_slice());
            mark_secret(m.as_mut_slice());
            mark_secret(k.as_mut_slice());
        } else {
            let _ = black_box((p, q, m_bytes, m, k));
        }
    };
    // Public inputs: a key built from unmarked primes, ciphertexts made with it. (The
    // known test primes are not proven prime again here, nor in the operations below that
    // need a secret key: the `from-primes` operation covers the primality tests.)
    let plain_key =
        SecretKey::from_test_primes_for_ct_harness(&p, &q).map_err(|e| e.to_string())?;
    let pk = plain_key.public_key();
    let mut plain_rng = TaintedRng::with_seed(7, false);
    let c_pub = pk.encrypt_i64(&mut plain_rng, -5);
    mark_all(&mut p, &mut q, &mut m_bytes, &mut m, &mut k);
    let mut rng = TaintedRng::new(mark);
    let fail = |e: tsubaki::Error| format!("{op} failed: {e}");
    let mut out = Vec::new();
    match op {
        "from-primes" => {
            let sk = SecretKey::from_primes(&p, &q).map_err(fail)?;
            out.extend(public(sk.public_key().modulus_be()));
        }
        "keygen" => {
            let sk = SecretKey::generate(&mut rng, 2048).map_err(fail)?;
            out.extend(public(sk.public_key().modulus_be()));
        }
        "safe-prime" => {
            // A 256-bit safe prime: the same code as 1024-bit ones (CRT construction with
            // the safe-prime residues, sieve, Fermat on q and 2q + 1, random-base rounds),
            // at a size valgrind gets through in seconds.
            let p = tsubaki::paillier::generate_prime(&mut rng, 256, true, &mut |_| {})
                .map_err(fail)?;
            out.extend(public(p.to_vec()));
        }
        "decrypt" => {
            let sk = SecretKey::from_test_primes_for_ct_harness(&p, &q).map_err(fail)?;
            let mut v = [sk.decrypt_i64(&c_pub).map_err(fail)?];
            make_public(&mut v);
            out.extend(v[0].to_be_bytes());
            out.extend(public(sk.decrypt_be(&c_pub).map_err(fail)?.to_vec()));
        }
        "encrypt" => {
            out.extend(ct_bytes(&pk.encrypt_i64(&mut rng, m[0])));
            out.extend(ct_bytes(&pk.encrypt_be(&mut rng, &m_bytes).map_err(fail)?));
        }
        "encrypt-crt" => {
            let sk = SecretKey::from_test_primes_for_ct_harness(&p, &q).map_err(fail)?;
            out.extend(ct_bytes(&sk.encrypt_i64(&mut rng, m[0])));
            out.extend(ct_bytes(&sk.encrypt_be(&mut rng, &m_bytes).map_err(fail)?));
        }
        "pool" => {
            let sk = SecretKey::from_test_primes_for_ct_harness(&p, &q).map_err(fail)?;
            let mut pool = sk.precompute(&mut rng, 1);
            pool.refill(&mut rng, 1).map_err(fail)?;
            let a = pool.encrypt_i64(m[0]).ok_or("empty pool")?;
            let b = pool
                .encrypt_be(&m_bytes)
                .map_err(fail)?
                .ok_or("empty pool")?;
            out.extend(ct_bytes(&a));
            out.extend(ct_bytes(&b));
        }
        "short-exponent" => {
            let enc = ShortExponentEncryptor::new(&pk, &mut rng).map_err(fail)?;
            out.extend(public(enc.base_be()));
            out.extend(ct_bytes(&enc.encrypt_i64(&mut rng, m[0])));
            out.extend(ct_bytes(&enc.encrypt_be(&mut rng, &m_bytes).map_err(fail)?));
        }
        "ops" => {
            // `mul_plain` treats the scalar's sign as public (documented): make public the
            // byte that holds it; the other 56 bits of the magnitude stay secret.
            let mut k_bytes = k[0].to_le_bytes();
            make_public(&mut k_bytes[7]);
            let k_mixed = i64::from_le_bytes(k_bytes);
            out.extend(ct_bytes(&pk.add_plain_i64(&mut rng, &c_pub, m[0])));
            out.extend(ct_bytes(&pk.mul_plain(&mut rng, &c_pub, k_mixed)));
            out.extend(ct_bytes(&pk.rerandomize(&mut rng, &c_pub)));
            out.extend(ct_bytes(
                &pk.add_plain_be(&mut rng, &c_pub, &m_bytes).map_err(fail)?,
            ));
            out.extend(ct_bytes(
                &pk.mul_plain_be(&mut rng, &c_pub, &m_bytes).map_err(fail)?,
            ));
            out.extend(ct_bytes(&pk.add_plain_i64_raw(&c_pub, m[0])));
            out.extend(ct_bytes(&pk.mul_plain_raw(&c_pub, k_mixed)));
        }
        "threshold-deal" => {
            let (mut sp, mut sq) = safe_primes()?;
            if mark {
                mark_secret(sp.as_mut_slice());
                mark_secret(sq.as_mut_slice());
            }
            let (tpk, shares) = threshold::deal(&mut rng, &sp, &sq, 2, 3).map_err(fail)?;
            out.extend(public(tpk.to_bytes()));
            out.push(shares.len() as u8);
        }
        "threshold-share" => {
            let (mut kb, c) = threshold_setup()?;
            // sᵢ: the last 2·n_len bytes of the key share's binary form.
            let len = kb.len();
            if mark {
                mark_secret(&mut kb[len - 512..]);
            }
            let share = KeyShare::from_bytes(&kb).map_err(fail)?;
            let ds = share.decrypt_share(&mut rng, &c).map_err(fail)?;
            out.extend(public(ds.to_bytes()));
        }
        _ => return Err(format!("unknown operation `{op}`")),
    }
    Ok(out)
}

fn check(op: &str) -> Result<(), String> {
    let marked = run(op, true)?;
    let reference = run(op, false)?;
    if marked == reference {
        Ok(())
    } else {
        Err("the run on marked inputs disagrees with the unmarked run".into())
    }
}

/// The public-exponent exponentiation is variable-time in its exponent by design: with a
/// secret exponent memcheck must report it.
fn control_vartime() -> Result<(), String> {
    let (p, _) = primes()?;
    let m = Modulus::new(&p).map_err(|_| "modulus")?;
    let mut e = vec![0x5au8; 32];
    mark_secret(e.as_mut_slice());
    let r = m.pow_public_vartime_be(&[3], &e).ok_or("pow")?;
    let _ = public(r);
    Ok(())
}

/// The marked bytes of a threshold key share as the exponent of the variable-time
/// exponentiation (a variable-time c^(2Δsᵢ)): memcheck must report it.
fn control_threshold_share() -> Result<(), String> {
    let (mut kb, c) = threshold_setup()?;
    let len = kb.len();
    mark_secret(&mut kb[len - 512..]);
    let mut n2 = c.to_bytes();
    n2.fill(0xff); // any odd modulus above c will do: 2^4096 − 1
    let m = Modulus::new(&n2).map_err(|_| "modulus")?;
    let r = m
        .pow_public_vartime_be(&c.to_bytes(), &kb[len - 512..])
        .ok_or("pow")?;
    let _ = public(r);
    Ok(())
}

const USAGE: &str = "usage: ct_paillier OP|all [adx]
       ct_paillier control-vartime|control-threshold-share [adx]
  adx: force the x86-64 BMI2/ADX Montgomery kernels (valgrind hides ADX from CPUID)
  OP: from-primes, keygen, safe-prime, decrypt, encrypt, encrypt-crt, pool, short-exponent, ops,
      threshold-deal, threshold-share";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.get(1).map(String::as_str) == Some("adx") {
        eprintln!("ct_paillier: big integers forced to the BMI2/ADX kernels");
        tsubaki::ct::force_bigint_adx(true);
        let backend = tsubaki::bigint::Modulus::new(&[0xff; 256]).map(|m| m.backend());
        eprintln!("ct_paillier: backend {}", backend.unwrap_or("none"));
    }
    let ops: Vec<&str> = match args.first().map(String::as_str) {
        Some("control-vartime") => {
            eprintln!("ct_paillier: begin control-vartime");
            return match control_vartime() {
                Ok(()) => {
                    println!("ran control-vartime");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("ct_paillier: FAILED control-vartime: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Some("control-threshold-share") => {
            eprintln!("ct_paillier: begin control-threshold-share");
            return match control_threshold_share() {
                Ok(()) => {
                    println!("ran control-threshold-share");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("ct_paillier: FAILED control-threshold-share: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Some("all") => OPS.to_vec(),
        Some(op) if OPS.contains(&op) => vec![OPS[OPS.iter().position(|o| *o == op).unwrap_or(0)]],
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for op in ops {
        eprintln!("ct_paillier: begin {op}");
        match check(op) {
            Ok(()) => println!("ran {op}"),
            Err(e) => {
                eprintln!("ct_paillier: FAILED {op}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
