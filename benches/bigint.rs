//! Modular exponentiation and Paillier: tsubaki's Montgomery code next to OpenSSL's
//! `BN_mod_exp` (through the `openssl` crate) in the same run.
//!
//! Groups:
//! - `modexp-4096-pub2048`: base^e mod m, m of 4096 bits, e a public 2048-bit exponent —
//!   the rⁿ mod n² of Paillier encryption. tsubaki: `Modulus::pow_public_vartime_be`
//!   (sliding window; constant-time in the base); openssl: `BigNum::mod_exp`.
//! - `modexp-2048-sec1024`: m of 2048 bits, a secret 1024-bit exponent — one CRT half of
//!   Paillier decryption (c^(p−1) mod p²). tsubaki: `Modulus::pow_secret_be` (fixed window,
//!   masked table reads); openssl: `BigNum::mod_exp`.
//! - `modexp-1024-sec1024`: m of 1024 bits, a secret 1024-bit exponent — the size of a
//!   safe-prime search's tests (a 1023-bit q, then p = 2q + 1).
//! - `montmul`: one Montgomery multiplication at 2048 and 4096 bits (tsubaki only; the
//!   homomorphic addition is one such multiplication mod n²).
//! - `paillier-<bits>`: encrypt (public key; CRT with the secret key; from a pool;
//!   short exponent), decrypt (`decrypt_be`, CRT) and add, for the fixed 2048- and 3072-bit
//!   keys of `vectors/paillier/kat.txt`.
//!
//! Run with `cargo bench --bench bigint` (about two minutes); the peers of
//! python-paillier, kzen-paillier and libpaillier are in `benches/paillier.rs`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use openssl::bn::{BigNum, BigNumContext};
use tsubaki::bigint::Modulus;
use tsubaki::paillier::{SecretKey, ShortExponentEncryptor};

fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            (z ^ (z >> 27)) as u8
        })
        .collect()
}

fn odd_modulus(seed: u64, len: usize) -> Vec<u8> {
    let mut m = bytes(seed, len);
    m[0] |= 0x80;
    m[len - 1] |= 1;
    m
}

fn modexp(c: &mut Criterion, name: &str, m_len: usize, e_len: usize, secret: bool) {
    let m = odd_modulus(1, m_len);
    let mut base = bytes(2, m_len);
    base[0] &= 0x7f;
    let e = bytes(3, e_len);
    let ctx = Modulus::new(&m).unwrap();
    let (bm, bb, be) = (
        BigNum::from_slice(&m).unwrap(),
        BigNum::from_slice(&base).unwrap(),
        BigNum::from_slice(&e).unwrap(),
    );
    let mut bctx = BigNumContext::new().unwrap();
    let mut out = BigNum::new().unwrap();
    out.mod_exp(&bb, &be, &bm, &mut bctx).unwrap();
    let ours = if secret {
        ctx.pow_secret_be(&base, &e).unwrap()
    } else {
        ctx.pow_public_vartime_be(&base, &e).unwrap()
    };
    assert_eq!(ours, out.to_vec_padded(m_len as i32).unwrap());
    let mut g = c.benchmark_group(name);
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    g.bench_function("tsubaki", |b| {
        b.iter(|| {
            if secret {
                ctx.pow_secret_be(black_box(&base), black_box(&e))
            } else {
                ctx.pow_public_vartime_be(black_box(&base), black_box(&e))
            }
        })
    });
    g.bench_function("openssl", |b| {
        b.iter(|| {
            out.mod_exp(black_box(&bb), black_box(&be), &bm, &mut bctx)
                .unwrap()
        })
    });
    g.finish();
}

fn bench_modexp(c: &mut Criterion) {
    modexp(c, "modexp-4096-pub2048", 512, 256, false);
    modexp(c, "modexp-2048-sec1024", 256, 128, true);
    modexp(c, "modexp-1024-sec1024", 128, 128, true);
    let mut g = c.benchmark_group("montmul");
    for len in [256usize, 512] {
        let m = odd_modulus(4, len);
        let ctx = Modulus::new(&m).unwrap();
        let mut a = bytes(5, len);
        a[0] &= 0x7f;
        g.bench_function(format!("tsubaki/{}", 8 * len), |b| {
            b.iter(|| ctx.mont_mul_be(black_box(&a), black_box(&a)))
        });
    }
    g.finish();
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The fixed keys of `vectors/paillier/kat.txt`.
fn keys() -> Vec<(usize, SecretKey)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/vectors/paillier/kat.txt"
    ))
    .unwrap();
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if let Some(bits) = l.strip_prefix("key = ") {
            let p = unhex(lines.next().unwrap().strip_prefix("p = ").unwrap());
            let q = unhex(lines.next().unwrap().strip_prefix("q = ").unwrap());
            out.push((
                bits.parse().unwrap(),
                SecretKey::from_primes(&p, &q).unwrap(),
            ));
        }
    }
    out
}

fn bench_paillier(c: &mut Criterion) {
    let mut rng = tsubaki::OsRng;
    for (bits, sk) in keys() {
        let pk = sk.public_key();
        let mut g = c.benchmark_group(format!("paillier-{bits}"));
        g.sample_size(10).measurement_time(Duration::from_secs(4));
        g.bench_function("encrypt-public", |b| {
            b.iter(|| pk.encrypt_i64(&mut rng, black_box(1234)))
        });
        g.bench_function("encrypt-crt", |b| {
            b.iter(|| sk.encrypt_i64(&mut rng, black_box(1234)))
        });
        let short = ShortExponentEncryptor::new(&pk, &mut rng).unwrap();
        g.bench_function("encrypt-short-exponent", |b| {
            b.iter(|| short.encrypt_i64(&mut rng, black_box(1234)))
        });
        g.bench_function("encrypt-pool", |b| {
            b.iter_batched(
                || sk.precompute(&mut rng, 1),
                |mut pool| pool.encrypt_i64(black_box(1234)),
                criterion::BatchSize::SmallInput,
            )
        });
        let c1 = pk.encrypt_i64(&mut rng, 5);
        let c2 = pk.encrypt_i64(&mut rng, 7);
        assert_eq!(sk.decrypt_i64(&pk.add(&c1, &c2)), Ok(12));
        g.bench_function("decrypt", |b| b.iter(|| sk.decrypt_be(black_box(&c1))));
        g.bench_function("add", |b| b.iter(|| pk.add(black_box(&c1), black_box(&c2))));
        g.finish();
    }
}

criterion_group!(benches, bench_modexp, bench_paillier);
criterion_main!(benches);
