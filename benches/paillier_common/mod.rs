//! The tsubaki side of the Paillier benchmarks, shared by `benches/paillier.rs` (tsubaki
//! alone, built by CI) and `benches/peers/benches/paillier_peers.rs` (tsubaki next to
//! kzen-paillier, libpaillier and python-paillier in the same run; not built by CI).
//!
//! Keys: the fixed test keys `vectors/paillier/phe_{2048,3072}_private.json` (python-paillier's
//! format), so that every implementation, Python's included, works with the same n.
//! Benchmark ids are `<implementation>/<bits>` in groups `paillier-keygen`,
//! `paillier-encrypt`, `paillier-decrypt`, `paillier-add` and `paillier-packed`.
//!
//! What each tsubaki row is:
//! - `paillier-keygen` `tsubaki`: `SecretKey::generate(OsRng, 2048)` (two random primes of
//!   1024 bits, CRT constants);
//! - `paillier-encrypt`: `tsubaki` = `PublicKey::encrypt_i64` (full strength: a fresh r,
//!   rⁿ mod n² constant time); `tsubaki-crt` = `SecretKey::encrypt_i64` (the same by CRT,
//!   for the key owner); `tsubaki-pool` = `RandomnessPool::encrypt_i64`, the online part
//!   only (rⁿ precomputed; refilled outside the timed part); `tsubaki-short` =
//!   `ShortExponentEncryptor::encrypt_i64` (opt-in, 256-bit exponent on a fixed base, extra
//!   assumption);
//! - `paillier-decrypt` `tsubaki`: `SecretKey::decrypt_i64` (CRT, constant time);
//! - `paillier-add` `tsubaki`: `PublicKey::add`;
//! - `paillier-packed`: a layout of the largest number of 16-bit counters with headroom for
//!   1,000 contributors (78 slots at 2048 bits, 118 at 3072): `encode` = `PackedLayout::encode`
//!   of one contribution, `encrypt` = `PackedLayout::encrypt` (encode + full-strength
//!   encryption), `add` = `PackedLayout::add` (count check + one ciphertext multiplication),
//!   `decrypt` = `PackedLayout::decrypt` (decryption + unpacking).

#![allow(dead_code)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, BenchmarkId};
use serde_json::Value;
use tsubaki::OsRng;
use tsubaki::paillier::encoding::{PackedLayout, packed_capacity};
use tsubaki::paillier::phe::{PhePrivateJwk, PhePublicJwk};
use tsubaki::paillier::{PublicKey, SecretKey, ShortExponentEncryptor};

pub type Group<'a> = BenchmarkGroup<'a, WallTime>;

/// Modulus sizes measured.
pub const BITS: [usize; 2] = [2048, 3072];
/// The plaintext every implementation encrypts.
pub const MESSAGE: i64 = 0x0123_4567_89ab_cdef;
/// Packed-vector parameters: 16-bit counters, 1,000 contributors.
pub const COUNTER_MAX: u64 = 65_535;
pub const CONTRIBUTORS: u64 = 1_000;

pub fn key_path(root: &std::path::Path, bits: usize) -> PathBuf {
    root.join(format!("vectors/paillier/phe_{bits}_private.json"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// A test key from its python-paillier JSON file.
pub fn load_key(root: &std::path::Path, bits: usize) -> SecretKey {
    let path = key_path(root, bits);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let v: Value = serde_json::from_str(&text).unwrap();
    let public = &v["pub"];
    let jwk = PhePrivateJwk {
        kty: v["kty"].as_str().unwrap().into(),
        key_ops: strings(&v["key_ops"]),
        p: v["p"].as_str().unwrap().into(),
        q: v["q"].as_str().unwrap().into(),
        public: PhePublicJwk {
            kty: public["kty"].as_str().unwrap().into(),
            alg: public["alg"].as_str().unwrap().into(),
            key_ops: strings(&public["key_ops"]),
            n: public["n"].as_str().unwrap().into(),
            kid: None,
        },
        kid: None,
    };
    let sk = jwk.to_secret_key().unwrap();
    assert_eq!(sk.public_key().bits(), bits);
    sk
}

pub struct Fixture {
    pub bits: usize,
    pub sk: SecretKey,
    pub pk: PublicKey,
}

pub fn fixtures(root: &std::path::Path) -> Vec<Fixture> {
    BITS.iter()
        .map(|&bits| {
            let sk = load_key(root, bits);
            let pk = sk.public_key();
            Fixture { bits, sk, pk }
        })
        .collect()
}

fn id(name: &str, bits: usize) -> BenchmarkId {
    BenchmarkId::new(name, bits)
}

pub fn keygen(g: &mut Group) {
    let _ = g.bench_function(id("tsubaki", 2048), |b| {
        b.iter(|| SecretKey::generate(&mut OsRng, black_box(2048)).unwrap())
    });
}

pub fn encrypt(g: &mut Group, f: &Fixture) {
    let (pk, sk) = (&f.pk, &f.sk);
    let _ = g.bench_function(id("tsubaki", f.bits), |b| {
        b.iter(|| pk.encrypt_i64(&mut OsRng, black_box(MESSAGE)))
    });
    let _ = g.bench_function(id("tsubaki-crt", f.bits), |b| {
        b.iter(|| sk.encrypt_i64(&mut OsRng, black_box(MESSAGE)))
    });
    // The pool's online cost: each batch gets a pool of one precomputed rⁿ (made by CRT,
    // outside the timed part) and spends it.
    let _ = g.bench_function(id("tsubaki-pool", f.bits), |b| {
        b.iter_batched(
            || sk.precompute(&mut OsRng, 1),
            |mut pool| pool.encrypt_i64(black_box(MESSAGE)).unwrap(),
            BatchSize::SmallInput,
        )
    });
    let short = ShortExponentEncryptor::new(pk, &mut OsRng).unwrap();
    let _ = g.bench_function(id("tsubaki-short", f.bits), |b| {
        b.iter(|| short.encrypt_i64(&mut OsRng, black_box(MESSAGE)))
    });
}

pub fn decrypt(g: &mut Group, f: &Fixture) {
    let c = f.pk.encrypt_i64(&mut OsRng, MESSAGE);
    assert_eq!(f.sk.decrypt_i64(&c).unwrap(), MESSAGE);
    let _ = g.bench_function(id("tsubaki", f.bits), |b| {
        b.iter(|| f.sk.decrypt_i64(black_box(&c)).unwrap())
    });
}

pub fn add(g: &mut Group, f: &Fixture) {
    let c1 = f.pk.encrypt_i64(&mut OsRng, MESSAGE);
    let c2 = f.pk.encrypt_i64(&mut OsRng, 7);
    assert_eq!(f.sk.decrypt_i64(&f.pk.add(&c1, &c2)).unwrap(), MESSAGE + 7);
    let _ = g.bench_function(id("tsubaki", f.bits), |b| {
        b.iter(|| f.pk.add(black_box(&c1), black_box(&c2)))
    });
}

/// The packed layout measured: as many 16-bit counters as fit with headroom for 1,000
/// contributors.
pub fn layout(pk: &PublicKey) -> PackedLayout {
    let slots = packed_capacity(pk.bits(), COUNTER_MAX, CONTRIBUTORS).unwrap();
    PackedLayout::new(pk, slots, COUNTER_MAX, CONTRIBUTORS).unwrap()
}

pub fn counters(slots: usize, salt: u64) -> Vec<u64> {
    (0..slots as u64)
        .map(|i| (i.wrapping_mul(0x9e37_79b9).wrapping_add(salt) >> 3) % (COUNTER_MAX + 1))
        .collect()
}

pub fn packed(g: &mut Group, f: &Fixture) {
    let l = layout(&f.pk);
    let (a, b) = (counters(l.slots(), 1), counters(l.slots(), 2));
    let ca = l.encrypt(&f.pk, &mut OsRng, &a).unwrap();
    let cb = l.encrypt(&f.pk, &mut OsRng, &b).unwrap();
    let sum = l.add(&f.pk, &ca, &cb).unwrap();
    let want: Vec<u64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
    assert_eq!(l.decrypt(&f.sk, &sum).unwrap(), want);
    let _ = g.bench_function(id("encode", f.bits), |bch| {
        bch.iter(|| l.encode(black_box(&a)).unwrap())
    });
    let _ = g.bench_function(id("encrypt", f.bits), |bch| {
        bch.iter(|| l.encrypt(&f.pk, &mut OsRng, black_box(&a)).unwrap())
    });
    let _ = g.bench_function(id("add", f.bits), |bch| {
        bch.iter(|| l.add(&f.pk, black_box(&ca), black_box(&cb)).unwrap())
    });
    let _ = g.bench_function(id("decrypt", f.bits), |bch| {
        bch.iter(|| l.decrypt(&f.sk, black_box(&sum)).unwrap())
    });
}
