//! The valgrind secret-taint check of tsubaki's Shamir sharing (DESIGN §9, issue 6).
//!
//! Same technique as `ct_harness.rs` and `ct_ecdsa.rs`: inputs are marked
//! secret with [`tsubaki::ct::secret`], the operation runs, its output is marked public
//! with [`tsubaki::ct::declassify`] before it is compared, and valgrind's memcheck reports
//! every branch or memory address that depended on a marked byte. `tests/ct_valgrind.rs`
//! runs it.
//!
//! What is secret, per case:
//! - `split` (GF(2⁸), Goldilocks, P-256 scalars): the secret (a 32-byte string, or a
//!   vector of 40 elements) and every byte the RNG hands out — the coefficients. The
//!   library declassifies the 16-byte set identifier it draws first (public metadata) and
//!   the accept/reject verdict of each prime-field draw, nothing else;
//! - `combine`: the share values (the payload bytes of each encoding, marked before
//!   `Share::from_bytes`; the header — version, field, set, threshold, index, length —
//!   is public), through parsing, the canonical-range check (verdict public) and the
//!   Lagrange interpolation;
//! - `add` (prime fields): share values of two splits, added share-wise;
//! - `feldman`: dealing (`feldman::split`: secret and coefficients secret; the commitments
//!   aⱼ·G are public by design and declassified by the library) and `verify_share` with
//!   the share value secret (its f(i)·G is constant-time; the verdict alone is public).
//! - `engine` (the statistics rounds' Shamir engine, `stats::engine::shamir`, issue 16):
//!   two organizations each seal a contribution of 8 slots 2-of-3 (`ShamirEngine::seal`:
//!   the Goldilocks split, then one HPKE auth-mode seal per server) with the slot values,
//!   the organization's private key and every RNG byte (coefficients, ephemeral keys)
//!   secret; then two servers each open their shares and add them
//!   (`ShamirEngine::open_and_add_threads`, one thread: HPKE auth open, the field range
//!   check whose verdict alone the library declassifies, the running sum) with the
//!   server's private key secret. Made public only what a round publishes: the sealed
//!   shares (`enc`, ciphertext and tag) and each server's sum share; the two sums then
//!   rebuild the totals, which must equal the plain sums.
//!
//! The negative control `control-table` multiplies secret bytes in GF(2⁸) through a
//! log/exp table in this file (the classic fast implementation, as in sharks): memcheck
//! must report it, which shows the check sees secret-indexed loads in this code path.
//! `control-share-branch` branches on a byte of a share split from a secret: reported too,
//! which shows that the marks flow through `gf256::split` into the shares.
//! `control-engine-sum` runs the engine's server step with its key secret and branches on
//! its running sum before it is published: reported, which shows that the marks reach
//! the opened shares and the sum through HPKE.
//!
//! ```text
//! cargo build --release --features ct-valgrind --manifest-path ct-harness/Cargo.toml
//! valgrind -q --error-exitcode=1 target/release/ct_shamir all
//! ct_shamir gf256|goldilocks|p256|feldman|engine|all
//! ct_shamir control-table|control-share-branch|control-engine-sum
//! ```
//! Exit status: 0 when every case ran and the marked run agreed with an unmarked one, 2 on a
//! usage error or disagreement; valgrind turns any report into 1.

use core::hint::black_box;
use std::process::ExitCode;

use tsubaki::ec::p256::{SigningKey, VerifyingKey};
use tsubaki::shamir::{Goldilocks, P256Scalar, PrimeField, Share, feldman, gf256, prime};
use tsubaki::stats::engine::shamir::{SealedShare, ShamirEngine, ShareContext, SumShare};
use tsubaki_ct_harness::{TaintedRng, make_public, mark_secret};

const USAGE: &str = "usage: ct_shamir gf256|goldilocks|p256|feldman|engine|all | control-table | \
                     control-share-branch | control-engine-sum";

/// Re-parses shares with their payloads (not their public headers) marked secret.
fn reparse(shares: &[Share], mark: bool) -> Result<Vec<Share>, String> {
    shares
        .iter()
        .map(|s| {
            let mut b = s.to_bytes();
            if mark {
                mark_secret(&mut b[24..]);
            }
            Share::from_bytes(&b).map_err(|e| format!("from_bytes failed: {e}"))
        })
        .collect()
}

/// The encodings of `shares`, declassified (for comparing a marked and an unmarked run).
fn public_encodings(shares: &[Share]) -> Vec<u8> {
    let mut out: Vec<u8> = shares.iter().flat_map(|s| s.to_bytes()).collect();
    make_public(out.as_mut_slice());
    out
}

fn e(what: &str) -> impl Fn(tsubaki::Error) -> String + '_ {
    move |err| format!("{what} failed: {err}")
}

/// GF(2⁸): split a secret 32-byte key 3-of-5 and 10-of-20, combine from secret shares.
fn run_gf256(mark: bool) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for (t, n) in [(3u8, 5u8), (10, 20)] {
        let mut secret: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(0x3b) ^ 0xa7).collect();
        if mark {
            mark_secret(secret.as_mut_slice());
        }
        let mut rng = TaintedRng::new(mark);
        let shares = gf256::split(&mut rng, &secret, t, n).map_err(e("gf256::split"))?;
        out.extend(public_encodings(&shares));
        let shares = reparse(&shares, mark)?;
        let from = usize::from(n - t);
        let mut got = gf256::combine(&shares[from..]).map_err(e("gf256::combine"))?;
        make_public(got.as_mut_slice());
        // Compare with a declassified copy: comparing with the secret itself would be a
        // branch on it.
        let mut want = secret.clone();
        make_public(want.as_mut_slice());
        if *got != want {
            return Err("gf256 combine gave another secret".into());
        }
        out.extend_from_slice(&got);
    }
    Ok(out)
}

fn field_bytes<F: PrimeField>(v: &[F]) -> Vec<u8> {
    let mut out = vec![0u8; v.len() * F::BYTES];
    for (x, chunk) in v.iter().zip(out.chunks_exact_mut(F::BYTES)) {
        x.write_bytes(chunk);
    }
    out
}

/// A prime field: split a secret vector of 40 elements 3-of-5, combine from secret shares,
/// add the shares of two splits and combine the sum.
fn run_prime<F: PrimeField>(mark: bool) -> Result<Vec<u8>, String> {
    let mut raw: Vec<u8> = (0..40 * F::BYTES)
        .map(|i| (i as u8).wrapping_mul(0x1d) ^ 0x6c)
        .collect();
    for chunk in raw.chunks_mut(F::BYTES) {
        chunk[0] &= 0x7f; // below p for both fields
    }
    if mark {
        mark_secret(raw.as_mut_slice());
    }
    let secrets: Vec<F> = raw
        .chunks(F::BYTES)
        .map(|c| F::read_bytes(c).unwrap_or(F::ZERO))
        .collect();
    let mut rng = TaintedRng::new(mark);
    let a = prime::split_vec(&mut rng, &secrets, 3, 5).map_err(e("prime::split_vec"))?;
    let b = prime::split_vec(&mut rng, &secrets, 3, 5).map_err(e("prime::split_vec"))?;
    let mut out = public_encodings(&a);
    let a = reparse(&a, mark)?;
    let b = reparse(&b, mark)?;
    let got = prime::combine_vec::<F, _>(&a[1..4]).map_err(e("prime::combine_vec"))?;
    let mut got = field_bytes(&got);
    make_public(got.as_mut_slice());
    out.extend(got);
    let sums = a
        .iter()
        .zip(&b)
        .map(|(x, y)| prime::add(x, y))
        .collect::<Result<Vec<_>, _>>()
        .map_err(e("prime::add"))?;
    let got = prime::combine_vec::<F, _>(&sums[2..]).map_err(e("prime::combine_vec (sum)"))?;
    let mut got = field_bytes(&got);
    make_public(got.as_mut_slice());
    out.extend(got);
    Ok(out)
}

/// Feldman: dealing with a secret scalar and secret coefficients; every holder verifies its
/// secret share.
fn run_feldman(mark: bool) -> Result<Vec<u8>, String> {
    let mut raw: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(0x3b) ^ 0x5c).collect();
    raw[0] = 0x5a;
    if mark {
        mark_secret(raw.as_mut_slice());
    }
    let secret = P256Scalar::read_bytes(&raw).unwrap_or(P256Scalar::ZERO);
    let mut rng = TaintedRng::new(mark);
    let (shares, com) = feldman::split(&mut rng, &secret, 3, 5).map_err(e("feldman::split"))?;
    let mut out = com.to_bytes();
    out.extend(public_encodings(&shares));
    for s in &reparse(&shares, mark)? {
        feldman::verify_share(&com, s).map_err(e("feldman::verify_share"))?;
    }
    Ok(out)
}

/// The engine's parameters: 2-of-3 servers, 8 slots, 2 organizations.
const ENGINE_SERVERS: u8 = 3;
const ENGINE_SLOTS: usize = 8;
const ENGINE_ORGS: [&str; 2] = ["org-a", "org-b"];
const ENGINE_ROUND: [u8; 16] = [0x21; 16];
const ENGINE_DIGEST: [u8; 32] = [0x5e; 32];

/// The private key bytes of party `i` (fixed, valid scalars).
fn party_key_bytes(i: u8) -> [u8; 32] {
    core::array::from_fn(|j| (j as u8).wrapping_mul(0x3b) ^ i ^ if j == 0 { 0x40 } else { 0 })
}

/// Party `i`'s key from its private bytes, marked secret first when `mark`.
fn party_key(i: u8, mark: bool) -> Result<SigningKey, String> {
    let mut b = party_key_bytes(i);
    if mark {
        mark_secret(&mut b[..]);
    } else {
        let _ = black_box(&mut b);
    }
    SigningKey::from_bytes(&b).map_err(|err| format!("SigningKey::from_bytes failed: {err}"))
}

/// Party `i`'s public key, from unmarked bytes (public keys are public).
fn party_public(i: u8) -> Result<VerifyingKey, String> {
    Ok(party_key(i, false)?.verifying_key())
}

fn engine() -> Result<ShamirEngine, String> {
    let servers = (1..=ENGINE_SERVERS)
        .map(party_public)
        .collect::<Result<Vec<_>, _>>()?;
    ShamirEngine::new(2, &servers, ENGINE_SLOTS, 1 << 20, 2).map_err(e("ShamirEngine::new"))
}

fn engine_ctx(org: &str) -> ShareContext<'_> {
    ShareContext {
        round: &ENGINE_ROUND,
        digest: &ENGINE_DIGEST,
        org,
    }
}

/// The slot values of organization `o`.
fn engine_slots(o: usize) -> Vec<u64> {
    (0..ENGINE_SLOTS as u64)
        .map(|i| (i * 0x1d + o as u64 * 0x3f5 + 7) & 0xf_ffff)
        .collect()
}

/// Each organization seals its contribution (slots, its key and the RNG secret when
/// `mark`); the sealed shares are made public, as a contribution publishes them.
fn engine_contributions(eng: &ShamirEngine, mark: bool) -> Result<Vec<Vec<SealedShare>>, String> {
    let mut rng = TaintedRng::new(mark);
    ENGINE_ORGS
        .iter()
        .enumerate()
        .map(|(o, org)| {
            let mut slots = engine_slots(o);
            if mark {
                mark_secret(slots.as_mut_slice());
            } else {
                let _ = black_box(&mut slots);
            }
            let sender = party_key(10 + o as u8, mark)?;
            let mut sealed = eng
                .seal(&mut rng, &engine_ctx(org), &sender, &slots)
                .map_err(e("ShamirEngine::seal"))?;
            for s in &mut sealed {
                make_public(s.enc.as_mut_slice());
                make_public(s.ct.as_mut_slice());
            }
            Ok(sealed)
        })
        .collect()
}

/// Server `index` opens its share of each contribution and adds them, its key secret
/// when `mark`; the sum share comes back unpublished (still secret).
fn engine_server_sum(
    eng: &ShamirEngine,
    index: u8,
    payloads: &[Vec<SealedShare>],
    mark: bool,
) -> Result<SumShare, String> {
    let key = party_key(index, mark)?;
    let senders = (0..ENGINE_ORGS.len())
        .map(|o| party_public(10 + o as u8))
        .collect::<Result<Vec<_>, _>>()?;
    let items: Vec<(ShareContext<'_>, &VerifyingKey, &[SealedShare])> = ENGINE_ORGS
        .iter()
        .zip(&senders)
        .zip(payloads)
        .map(|((org, k), p)| (engine_ctx(org), k, p.as_slice()))
        .collect();
    eng.open_and_add_threads(index, &key, &items, 1)
        .map_err(|(at, err)| format!("open_and_add failed at {at}: {err}"))
}

/// The engine end to end: seal (contributors), open and add (servers 1 and 2), publish
/// the sums, combine, compare with the plain totals.
fn run_engine(mark: bool) -> Result<Vec<u8>, String> {
    let eng = engine()?;
    let payloads = engine_contributions(&eng, mark)?;
    let mut out: Vec<u8> = payloads
        .iter()
        .flatten()
        .flat_map(|s| [s.enc.as_slice(), s.ct.as_slice()].concat())
        .collect();
    let mut parts = Vec::new();
    for index in 1..=2u8 {
        let sum = engine_server_sum(&eng, index, &payloads, mark)?;
        // The server publishes its sum share: declassify exactly that.
        let mut bytes = eng.part_values_bytes(&sum);
        make_public(bytes.as_mut_slice());
        out.extend_from_slice(&bytes);
        parts.push(
            eng.part_from_bytes(index, &bytes)
                .map_err(e("part_from_bytes"))?,
        );
    }
    let totals = eng
        .open(&parts.iter().collect::<Vec<_>>())
        .map_err(e("ShamirEngine::open"))?;
    let want: Vec<u64> = (0..ENGINE_SLOTS)
        .map(|i| (0..ENGINE_ORGS.len()).map(|o| engine_slots(o)[i]).sum())
        .collect();
    if totals != want {
        return Err("the servers' sums rebuild other totals".into());
    }
    Ok(out)
}

/// Runs a case marked and unmarked and compares the public outputs.
fn check(case: &str) -> Result<(), String> {
    let run = |mark: bool| match case {
        "gf256" => run_gf256(mark),
        "goldilocks" => run_prime::<Goldilocks>(mark),
        "p256" => run_prime::<P256Scalar>(mark),
        "engine" => run_engine(mark),
        _ => run_feldman(mark),
    };
    let marked = run(true)?;
    let plain = run(false)?;
    if marked != plain {
        return Err("the marked run's output differs from the unmarked run's".into());
    }
    Ok(())
}

/// The negative control: GF(2⁸) multiplication through log/exp tables, on secret bytes.
fn control_table() -> Result<(), String> {
    // Tables over the generator 3 of GF(2⁸)* (AES polynomial).
    let mut exp = [0u8; 510];
    let mut log = [0u8; 256];
    let mut x = 1u8;
    for i in 0..255 {
        exp[i] = x;
        exp[i + 255] = x;
        log[usize::from(x)] = i as u8;
        x = gf256::mul(x, 3);
    }
    let mut secret: Vec<u8> = (1..=32u8).collect();
    mark_secret(secret.as_mut_slice());
    let mut prod: Vec<u8> = secret
        .iter()
        .map(|&s| exp[usize::from(log[usize::from(s)]) + usize::from(log[7])])
        .collect();
    make_public(prod.as_mut_slice());
    let want: Vec<u8> = (1..=32u8).map(|s| gf256::mul(s, 7)).collect();
    if prod != want {
        return Err("the table multiplication is wrong".into());
    }
    Ok(())
}

/// The second control: a branch on one byte of a share made from a secret must be
/// reported, which shows that the taint flows through `gf256::split` into the shares (a
/// clean run of the other cases is not a run on unmarked data).
fn control_share_branch() -> Result<(), String> {
    let mut secret = [0x42u8; 16];
    mark_secret(&mut secret[..]);
    let mut rng = TaintedRng::new(true);
    let shares = gf256::split(&mut rng, &secret, 2, 3).map_err(e("gf256::split"))?;
    let bytes = shares[0].to_bytes();
    if black_box(bytes[24]) == 0 {
        println!("share byte is zero");
    }
    Ok(())
}

/// The engine's control: server 1 opens and adds with its key secret, then branches on
/// its sum share before publishing it (reported: the marks reach the running sum).
fn control_engine_sum() -> Result<(), String> {
    let eng = engine()?;
    let payloads = engine_contributions(&eng, false)?;
    let sum = engine_server_sum(&eng, 1, &payloads, true)?;
    if black_box(sum.values()[0]) & 1 == 0 {
        println!("sum share value is even");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cases: &[&str] = match args.first().map(String::as_str) {
        Some(control @ ("control-table" | "control-share-branch" | "control-engine-sum")) => {
            eprintln!("ct_shamir: begin {control}");
            let result = match control {
                "control-table" => control_table(),
                "control-share-branch" => control_share_branch(),
                _ => control_engine_sum(),
            };
            return match result {
                Ok(()) => {
                    println!("ran {control}");
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("ct_shamir: FAILED {control}: {err}");
                    ExitCode::from(2)
                }
            };
        }
        Some("gf256") => &["gf256"],
        Some("goldilocks") => &["goldilocks"],
        Some("p256") => &["p256"],
        Some("feldman") => &["feldman"],
        Some("engine") => &["engine"],
        Some("all") => &["gf256", "goldilocks", "p256", "feldman", "engine"],
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for &case in cases {
        eprintln!("ct_shamir: begin {case}");
        match check(case) {
            Ok(()) => println!("ran {case}"),
            Err(err) => {
                eprintln!("ct_shamir: FAILED {case}: {err}");
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
