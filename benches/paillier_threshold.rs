//! Threshold Paillier (issue 12): `decrypt_share` (with its proof), `verify_share` and
//! `combine` for t = 3 (n = 5) and t = 5 (n = 9) at 2048 and 3072 bits, next to the same
//! exponentiations done with OpenSSL's `BN_mod_exp` in the same run.
//!
//! Keys: the fixed safe primes of `vectors/paillier/threshold_primes.txt`, dealt with a
//! seeded ChaCha8. Rows (group `threshold-<bits>-t<t>`):
//! - `share/tsubaki`: `KeyShare::decrypt_share` = c^(2Δsᵢ), c^(4r), v^r mod N² with secret
//!   exponents (constant-time fixed windows), the hash and z = r + e·Δ·sᵢ;
//!   `share/openssl-ct`: the same three exponentiations with `BN_FLG_CONSTTIME` on the
//!   exponent (`BN_mod_exp_mont_consttime`).
//! - `verify/tsubaki`: `ThresholdPublicKey::verify_share` (cᵢ⁻¹, vᵢ⁻¹, c^(4z)·cᵢ^(−2e),
//!   v^z·vᵢ^(−e), the hash; public exponents, variable-time); `verify/openssl-ct` and
//!   `verify/openssl`: the same two inversions, four exponentiations and two products,
//!   with and without `BN_FLG_CONSTTIME`.
//! - `combine/tsubaki`: `ThresholdPublicKey::combine` of t shares, **including** the
//!   verification of each; `combine/openssl-ct`, `combine/openssl`: t verifications as above
//!   plus the t exponentiations cᵢ^(2λᵢ) (inverting for negative λᵢ) and the products.
//!
//! The Python `damgard-jurik` package (gmpy2) is measured by `tools/bench_threshold_py.py`,
//! which pip-installs it into `target/tmp`; see BENCHMARKS.md.
//!
//! Run: `cargo bench --bench paillier_threshold -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use num_bigint::{BigInt, BigUint, Sign};
use openssl::bn::{BigNum, BigNumContext};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use tsubaki::paillier::Ciphertext;
use tsubaki::paillier::threshold::{self, DecryptionShare, KeyShare, ThresholdPublicKey};

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn primes(name: &str) -> (Vec<u8>, Vec<u8>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/vectors/paillier/threshold_primes.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text
        .lines()
        .skip_while(|l| *l != format!("key = {name}"))
        .skip(1);
    let p = unhex(lines.next().unwrap().strip_prefix("p = ").unwrap());
    let q = unhex(lines.next().unwrap().strip_prefix("q = ").unwrap());
    (p, q)
}

fn bn(x: &[u8]) -> BigNum {
    BigNum::from_slice(x).unwrap()
}

fn bn_big(x: &BigUint) -> BigNum {
    bn(&x.to_bytes_be())
}

fn exp(ct: bool, x: &BigUint) -> BigNum {
    let mut e = bn_big(x);
    if ct {
        e.set_const_time();
    }
    e
}

/// What OpenSSL needs for the same work: values as BigNums.
struct Ossl {
    nn: BigNum,
    c: BigNum,
    v: BigNum,
    /// Per party: cᵢ, vᵢ, 4z, 2e, z, e (from the tsubaki shares).
    parties: Vec<[BigNum; 4]>,
    exps: Vec<[BigUint; 4]>,
    two_delta_s: BigUint,
    r4: BigUint,
    r: BigUint,
    lambdas: Vec<BigInt>,
}

fn verify_ossl(o: &Ossl, i: usize, ct: bool, ctx: &mut BigNumContext) -> BigNum {
    let [ci, vi, _, _] = &o.parties[i];
    let [z4, e2, z, e] = &o.exps[i];
    let mut ci_inv = BigNum::new().unwrap();
    ci_inv.mod_inverse(ci, &o.nn, ctx).unwrap();
    let mut vi_inv = BigNum::new().unwrap();
    vi_inv.mod_inverse(vi, &o.nn, ctx).unwrap();
    let mut a1 = BigNum::new().unwrap();
    a1.mod_exp(&o.c, &exp(ct, z4), &o.nn, ctx).unwrap();
    let mut a2 = BigNum::new().unwrap();
    a2.mod_exp(&ci_inv, &exp(ct, e2), &o.nn, ctx).unwrap();
    let mut a = BigNum::new().unwrap();
    a.mod_mul(&a1, &a2, &o.nn, ctx).unwrap();
    let mut b1 = BigNum::new().unwrap();
    b1.mod_exp(&o.v, &exp(ct, z), &o.nn, ctx).unwrap();
    let mut b2 = BigNum::new().unwrap();
    b2.mod_exp(&vi_inv, &exp(ct, e), &o.nn, ctx).unwrap();
    let mut b = BigNum::new().unwrap();
    b.mod_mul(&b1, &b2, &o.nn, ctx).unwrap();
    a
}

fn combine_ossl(o: &Ossl, t: usize, ct: bool, ctx: &mut BigNumContext) -> BigNum {
    let mut acc = BigNum::from_u32(1).unwrap();
    for i in 0..t {
        let _ = black_box(verify_ossl(o, i, ct, ctx));
        let (sign, mag) = o.lambdas[i].clone().into_parts();
        let base = if sign == Sign::Minus {
            let mut inv = BigNum::new().unwrap();
            inv.mod_inverse(&o.parties[i][0], &o.nn, ctx).unwrap();
            inv
        } else {
            o.parties[i][0].to_owned().unwrap()
        };
        let mut p = BigNum::new().unwrap();
        p.mod_exp(&base, &exp(ct, &(mag * 2u32)), &o.nn, ctx)
            .unwrap();
        let mut next = BigNum::new().unwrap();
        next.mod_mul(&acc, &p, &o.nn, ctx).unwrap();
        acc = next;
    }
    acc
}

fn factorial(n: usize) -> BigUint {
    (1..=n as u32).fold(BigUint::from(1u32), |a, i| a * i)
}

fn lambda(delta: &BigUint, set: &[usize], i: usize) -> BigInt {
    let mut num = BigInt::from(delta.clone());
    let mut den = BigInt::from(1);
    for &j in set.iter().filter(|&&j| j != i) {
        num *= j as i64;
        den *= j as i64 - i as i64;
    }
    num / den
}

fn setup(
    key: &str,
    t: usize,
    n: usize,
) -> (
    ThresholdPublicKey,
    Vec<KeyShare>,
    Ciphertext,
    Vec<DecryptionShare>,
    Ossl,
) {
    let (p, q) = primes(key);
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let (tpk, shares) = threshold::deal(&mut rng, &p, &q, t, n).unwrap();
    let c = tpk.public_key().encrypt_i64(&mut rng, 0x0123_4567);
    let ds: Vec<_> = shares
        .iter()
        .map(|s| s.decrypt_share(&mut rng, &c).unwrap())
        .collect();
    assert_eq!(tpk.combine_i64(&c, &ds[..t]).unwrap(), 0x0123_4567);
    let len = tpk.public_key().ciphertext_len();
    let n_big = BigUint::from_bytes_be(&tpk.public_key().modulus_be());
    let kb = shares[0].to_bytes();
    let s1 = BigUint::from_bytes_be(&kb[kb.len() - len..]);
    let delta = factorial(n);
    let r_bits = 2 * tpk.public_key().bits() as u64 + delta.bits() + 384;
    let r = BigUint::from_bytes_be(&vec![0xa5; r_bits.div_ceil(64) as usize * 8]);
    let set: Vec<usize> = (1..=t).collect();
    let parties = ds
        .iter()
        .map(|d| {
            let i = d.index();
            [
                bn(d.share_be()),
                bn(&tpk.verification_key_be(i).unwrap()),
                BigNum::new().unwrap(),
                BigNum::new().unwrap(),
            ]
        })
        .collect();
    let exps = ds
        .iter()
        .map(|d| {
            let z = BigUint::from_bytes_be(d.proof_z_be());
            let e = BigUint::from_bytes_be(&d.proof_e());
            [&z * 4u32, &e * 2u32, z, e]
        })
        .collect();
    let o = Ossl {
        nn: bn_big(&(&n_big * &n_big)),
        c: bn(&c.to_bytes()),
        v: bn(&tpk.v_be()),
        parties,
        exps,
        two_delta_s: &delta * &s1 * 2u32,
        r4: &r * 4u32,
        r,
        lambdas: set.iter().map(|&i| lambda(&delta, &set, i)).collect(),
    };
    (tpk, shares, c, ds, o)
}

fn all(cr: &mut Criterion) {
    for (key, bits) in [("2048-a", 2048), ("3072-a", 3072)] {
        for (t, n) in [(3usize, 5usize), (5, 9)] {
            let (tpk, shares, c, ds, o) = setup(key, t, n);
            let mut g = cr.benchmark_group(format!("threshold-{bits}-t{t}"));
            let _ = g.sample_size(10);
            let mut rng = ChaCha8Rng::seed_from_u64(13);
            let _ = g.bench_function("share/tsubaki", |b| {
                b.iter(|| shares[0].decrypt_share(&mut rng, black_box(&c)).unwrap())
            });
            let mut ctx = BigNumContext::new().unwrap();
            let _ = g.bench_function("share/openssl-ct", |b| {
                b.iter(|| {
                    let mut out = BigNum::new().unwrap();
                    for (base, e) in [(&o.c, &o.two_delta_s), (&o.c, &o.r4), (&o.v, &o.r)] {
                        out.mod_exp(base, &exp(true, e), &o.nn, &mut ctx).unwrap();
                    }
                    out
                })
            });
            let _ = g.bench_function("verify/tsubaki", |b| {
                b.iter(|| tpk.verify_share(black_box(&c), &ds[0]).unwrap())
            });
            for (name, ct) in [("verify/openssl-ct", true), ("verify/openssl", false)] {
                let _ = g.bench_function(name, |b| b.iter(|| verify_ossl(&o, 0, ct, &mut ctx)));
            }
            let _ = g.bench_function("combine/tsubaki", |b| {
                b.iter(|| tpk.combine(black_box(&c), &ds[..t]).unwrap())
            });
            for (name, ct) in [("combine/openssl-ct", true), ("combine/openssl", false)] {
                let _ = g.bench_function(name, |b| b.iter(|| combine_ossl(&o, t, ct, &mut ctx)));
            }
            g.finish();
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10)
}

criterion_group! {
    name = benches;
    config = config();
    targets = all
}
criterion_main!(benches);
