//! ECDSA and scalar multiplication on P-256 and P-384: tsubaki against three peers run in
//! the same process, `ring`, RustCrypto's `p256`/`p384` and OpenSSL's libcrypto (through
//! the `openssl` crate).
//!
//! Five groups, one per operation; benchmark ids are `<implementation>/<curve>` with
//! curves `P-256` and `P-384` and implementations `tsubaki`, `ring`, `rustcrypto` and
//! `openssl`. `tools/bench_report.py` turns the results into tables of µs per operation
//! with the ratio to each peer, and checks the targets of issue 4.
//!
//! - `ecdsa-sign`: one signature over the same 64-byte message, SHA-256 (P-256) or SHA-384
//!   (P-384), hashing included for everyone. `tsubaki` is `SigningKey::sign`: RFC 6979
//!   deterministic; `tsubaki-hedged` is `sign_with_rng` with `tsubaki::OsRng`: RFC 6979
//!   with added entropy. `rustcrypto` (`Signer::sign`) is deterministic RFC 6979 as well.
//!   `ring` is randomized: its nonce mixes fresh randomness from `SystemRandom` with the key
//!   and the digest. `openssl` is randomized (`ECDSA_do_sign`, nonce from OpenSSL's DRBG)
//!   and is handed the digest, so `openssl::sha` runs inside the timed loop.
//! - `ecdsa-verify`: every implementation checks the same `(r, s)` (the deterministic
//!   signature of the fixed key) on the same message, digest included. tsubaki, RustCrypto
//!   and OpenSSL take a parsed public key and signature; ring has no parsed-key type, so
//!   its figure also decodes and validates the SEC 1 point and `r ‖ s` on every call.
//! - `ec-keygen`: a fresh key pair, private scalar and public point. tsubaki:
//!   `SigningKey::random` + `verifying_key()`; RustCrypto: `Generate::generate_from_rng`
//!   (its `SigningKey` holds the public key); both draw from `tsubaki::OsRng`, that is
//!   `getrandom(2)`. ring: `EcdsaKeyPair::generate_pkcs8` (`getrandom(2)` too), which also
//!   writes the PKCS#8 document; OpenSSL: `EC_KEY_generate_key` (`EcKey::generate`), from
//!   its user-space DRBG.
//! - `ec-mul-base`: fixed-base multiplication k·G for a fixed k, ending in affine
//!   coordinates. tsubaki has no public fixed-base multiplication, so its row is
//!   `SigningKey::from_bytes(k)` + `verifying_key()`: the constant-time range check of k
//!   and k·G (the key computes its public point when it is built). ring:
//!   `agreement::EphemeralPrivateKey::compute_public_key`, on a key generated outside the
//!   timed part (`iter_batched`); RustCrypto: `ProjectivePoint::mul_by_generator` (its
//!   precomputed table) + `to_affine`; OpenSSL: `EC_POINT_mul` +
//!   `EC_POINT_get_affine_coordinates`.
//! - `ec-mul`: variable-base multiplication k·Q, Q the fixed public key, ending in affine
//!   coordinates. tsubaki: `ec::hazmat::mul` (constant-time; parses and range-checks k);
//!   ring: `agreement::agree_ephemeral` (ECDH, which also decodes and validates Q) on a key
//!   generated outside the timed part; RustCrypto: `ProjectivePoint * Scalar` +
//!   `to_affine`; OpenSSL: `EC_POINT_mul` + affine coordinates.
//!
//! Before anything is timed, `assert_peers_agree` checks that all implementations derive
//! the same public key and the same k·Q, that tsubaki and RustCrypto produce the same
//! deterministic signature, and that every implementation accepts every signature made
//! here, deterministic, hedged or randomized.
//!
//! Run with `cargo bench --bench ecdsa` (about three minutes on a quiet machine); pass a
//! filter to run part of it, e.g. `cargo bench --bench ecdsa -- P-384`.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main,
};
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey, EcPoint, PointConversionForm};
use openssl::ecdsa::EcdsaSig;
use openssl::nid::Nid;
use openssl::pkey::{Private, Public};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, UnparsedPublicKey};
use ring::{agreement, signature};
use tsubaki::OsRng;

type Group<'a> = BenchmarkGroup<'a, WallTime>;

fn message() -> [u8; 64] {
    core::array::from_fn(|i| (i as u8).wrapping_mul(0x1d) ^ 0x6c)
}

/// A fixed scalar of `N` bytes; its first byte is below 0xff, so it is below either group
/// order, and it is not zero.
fn scalar<const N: usize>(salt: u8) -> [u8; N] {
    core::array::from_fn(|i| (i as u8).wrapping_mul(0x3b) ^ salt)
}

/// What the ring and OpenSSL benchmarks need to know about a curve.
struct Curve {
    name: &'static str,
    ring_sign: &'static signature::EcdsaSigningAlgorithm,
    ring_verify: &'static signature::EcdsaVerificationAlgorithm,
    ring_ecdh: &'static agreement::Algorithm,
    nid: Nid,
    digest: fn(&[u8]) -> Vec<u8>,
}

const P256: Curve = Curve {
    name: "P-256",
    ring_sign: &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
    ring_verify: &signature::ECDSA_P256_SHA256_FIXED,
    ring_ecdh: &agreement::ECDH_P256,
    nid: Nid::X9_62_PRIME256V1,
    digest: |m| openssl::sha::sha256(m).to_vec(),
};

const P384: Curve = Curve {
    name: "P-384",
    ring_sign: &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
    ring_verify: &signature::ECDSA_P384_SHA384_FIXED,
    ring_ecdh: &agreement::ECDH_P384,
    nid: Nid::SECP384R1,
    digest: |m| openssl::sha::sha384(m).to_vec(),
};

/// The inputs every implementation gets for one curve: private key `d`, its public key `q`
/// (SEC 1 uncompressed), a second scalar `k` for k·Q, and the RFC 6979 signature `r ‖ s`
/// of `d` on [`message`]. Computed with RustCrypto, then checked against everyone else.
struct Fixture {
    d: Vec<u8>,
    q: Vec<u8>,
    k: Vec<u8>,
    sig: Vec<u8>,
}

// --- tsubaki and RustCrypto ----------------------------------------------------------

/// The operations [`assert_peers_agree`] runs on tsubaki and RustCrypto, one set per curve
/// module. Byte strings as in [`Fixture`].
#[derive(Clone, Copy)]
struct Fns {
    /// d ↦ Q = d·G.
    public_key: fn(&[u8]) -> Vec<u8>,
    /// (d, msg) ↦ the RFC 6979 signature.
    sign: fn(&[u8], &[u8]) -> Vec<u8>,
    /// (d, msg) ↦ a signature with a randomized or hedged nonce.
    sign_randomized: fn(&[u8], &[u8]) -> Vec<u8>,
    /// (Q, msg, sig) ↦ accepted.
    verifies: fn(&[u8], &[u8], &[u8]) -> bool,
    /// (Q, k) ↦ k·Q.
    mul: fn(&[u8], &[u8]) -> Vec<u8>,
}

/// tsubaki's benchmarks for one curve module (`p256` or `p384`, scalars of `$n` bytes).
macro_rules! tsubaki {
    ($module:ident, $curve:ident, $n:literal) => {
        mod $module {
            use super::*;
            use tsubaki::ec::hazmat;
            use tsubaki::ec::$curve::{Signature, SigningKey, VerifyingKey};

            fn key(d: &[u8]) -> SigningKey {
                let d: &[u8; $n] = d.try_into().unwrap();
                SigningKey::from_bytes(d).unwrap()
            }

            fn public_key(q: &[u8]) -> VerifyingKey {
                VerifyingKey::from_sec1_bytes(q).unwrap()
            }

            pub const FNS: Fns = Fns {
                public_key: |d| key(d).verifying_key().to_sec1_bytes(false),
                sign: |d, msg| key(d).sign(msg).to_bytes()[..].to_vec(),
                sign_randomized: |d, msg| {
                    key(d).sign_with_rng(&mut OsRng, msg).to_bytes()[..].to_vec()
                },
                verifies: |q, msg, sig| {
                    let sig = Signature::from_slice(sig).unwrap();
                    public_key(q).verify(msg, &sig).is_ok()
                },
                mul: |q, k| hazmat::mul(k, &public_key(q)).unwrap().to_sec1_bytes(false),
            };

            pub fn sign(g: &mut Group<'_>, name: &str, f: &Fixture) {
                let key = key(&f.d);
                let msg = message();
                g.bench_function(BenchmarkId::new("tsubaki", name), |b| {
                    b.iter(|| key.sign(black_box(&msg)))
                });
                g.bench_function(BenchmarkId::new("tsubaki-hedged", name), |b| {
                    b.iter(|| key.sign_with_rng(&mut OsRng, black_box(&msg)))
                });
            }

            pub fn verify(g: &mut Group<'_>, name: &str, f: &Fixture) {
                let key = public_key(&f.q);
                let sig = Signature::from_slice(&f.sig).unwrap();
                let msg = message();
                g.bench_function(BenchmarkId::new("tsubaki", name), |b| {
                    b.iter(|| key.verify(black_box(&msg), black_box(&sig)).unwrap())
                });
            }

            pub fn keygen(g: &mut Group<'_>, name: &str) {
                g.bench_function(BenchmarkId::new("tsubaki", name), |b| {
                    b.iter(|| {
                        let key = SigningKey::random(&mut OsRng);
                        let public = key.verifying_key();
                        (key, public)
                    })
                });
            }

            pub fn mul_base(g: &mut Group<'_>, name: &str, f: &Fixture) {
                let d: [u8; $n] = f.d[..].try_into().unwrap();
                g.bench_function(BenchmarkId::new("tsubaki", name), |b| {
                    b.iter(|| {
                        SigningKey::from_bytes(black_box(&d))
                            .unwrap()
                            .verifying_key()
                    })
                });
            }

            pub fn mul(g: &mut Group<'_>, name: &str, f: &Fixture) {
                let q = public_key(&f.q);
                g.bench_function(BenchmarkId::new("tsubaki", name), |b| {
                    b.iter(|| hazmat::mul(black_box(&f.k), black_box(&q)).unwrap())
                });
            }
        }
    };
}

tsubaki!(tsubaki_p256, p256, 32);
tsubaki!(tsubaki_p384, p384, 48);

/// RustCrypto's benchmarks for one curve crate (`p256` or `p384`): the two crates share an
/// API, but the generic types behind it live in the `ecdsa` crate, which this bench does
/// not depend on.
macro_rules! rustcrypto {
    ($module:ident, $krate:ident) => {
        mod $module {
            use super::*;
            use $krate::ProjectivePoint;
            use $krate::ecdsa::signature::{RandomizedSigner, Signer, Verifier};
            use $krate::ecdsa::{Signature, SigningKey, VerifyingKey};
            use $krate::elliptic_curve::Generate;
            use $krate::elliptic_curve::group::Group as _;

            fn key(d: &[u8]) -> SigningKey {
                SigningKey::from_slice(d).unwrap()
            }

            fn point(q: &[u8]) -> ProjectivePoint {
                ProjectivePoint::from(*VerifyingKey::from_sec1_bytes(q).unwrap().as_affine())
            }

            fn sig_bytes(sig: Signature) -> Vec<u8> {
                sig.to_bytes().to_vec()
            }

            pub const FNS: Fns = Fns {
                public_key: |d| {
                    let q = key(d).verifying_key().to_sec1_point(false);
                    q.as_bytes().to_vec()
                },
                sign: |d, msg| sig_bytes(key(d).sign(msg)),
                sign_randomized: |d, msg| sig_bytes(key(d).sign_with_rng(&mut OsRng, msg)),
                verifies: |q, msg, sig| {
                    let key = VerifyingKey::from_sec1_bytes(q).unwrap();
                    let sig = Signature::from_slice(sig).unwrap();
                    key.verify(msg, &sig).is_ok()
                },
                mul: |q, k| {
                    let k = *key(k).as_nonzero_scalar().as_ref();
                    let p = (point(q) * k).to_affine();
                    let p = VerifyingKey::from_affine(p).unwrap().to_sec1_point(false);
                    p.as_bytes().to_vec()
                },
            };

            pub fn sign(g: &mut Group<'_>, name: &str, f: &Fixture) {
                let key = key(&f.d);
                let msg = message();
                g.bench_function(BenchmarkId::new("rustcrypto", name), |b| {
                    b.iter(|| -> Signature { key.sign(black_box(&msg)) })
                });
            }

            pub fn verify(g: &mut Group<'_>, name: &str, f: &Fixture) {
                let key = VerifyingKey::from_sec1_bytes(&f.q).unwrap();
                let sig = Signature::from_slice(&f.sig).unwrap();
                let msg = message();
                g.bench_function(BenchmarkId::new("rustcrypto", name), |b| {
                    b.iter(|| key.verify(black_box(&msg), black_box(&sig)).unwrap())
                });
            }

            pub fn keygen(g: &mut Group<'_>, name: &str) {
                g.bench_function(BenchmarkId::new("rustcrypto", name), |b| {
                    b.iter(|| SigningKey::generate_from_rng(&mut OsRng))
                });
            }

            pub fn mul_base(g: &mut Group<'_>, name: &str, f: &Fixture) {
                let d = *key(&f.d).as_nonzero_scalar().as_ref();
                g.bench_function(BenchmarkId::new("rustcrypto", name), |b| {
                    b.iter(|| ProjectivePoint::mul_by_generator(black_box(&d)).to_affine())
                });
            }

            pub fn mul(g: &mut Group<'_>, name: &str, f: &Fixture) {
                let q = point(&f.q);
                let k = *key(&f.k).as_nonzero_scalar().as_ref();
                g.bench_function(BenchmarkId::new("rustcrypto", name), |b| {
                    b.iter(|| (black_box(q) * black_box(k)).to_affine())
                });
            }
        }
    };
}

rustcrypto!(rustcrypto_p256, p256);
rustcrypto!(rustcrypto_p384, p384);

// --- ring ----------------------------------------------------------------------------

fn ring_key(c: &Curve, f: &Fixture) -> EcdsaKeyPair {
    EcdsaKeyPair::from_private_key_and_public_key(c.ring_sign, &f.d, &f.q, &SystemRandom::new())
        .unwrap()
}

fn ring_verifies(c: &Curve, f: &Fixture, msg: &[u8], sig: &[u8]) -> bool {
    UnparsedPublicKey::new(c.ring_verify, &f.q)
        .verify(msg, sig)
        .is_ok()
}

fn ring_sign(g: &mut Group<'_>, c: &Curve, f: &Fixture) {
    let key = ring_key(c, f);
    let rng = SystemRandom::new();
    let msg = message();
    g.bench_function(BenchmarkId::new("ring", c.name), |b| {
        b.iter(|| key.sign(&rng, black_box(&msg)).unwrap())
    });
}

fn ring_verify(g: &mut Group<'_>, c: &Curve, f: &Fixture) {
    let msg = message();
    g.bench_function(BenchmarkId::new("ring", c.name), |b| {
        b.iter(|| {
            UnparsedPublicKey::new(c.ring_verify, black_box(&f.q))
                .verify(black_box(&msg), black_box(&f.sig))
                .unwrap()
        })
    });
}

fn ring_keygen(g: &mut Group<'_>, c: &Curve) {
    let rng = SystemRandom::new();
    g.bench_function(BenchmarkId::new("ring", c.name), |b| {
        b.iter(|| EcdsaKeyPair::generate_pkcs8(c.ring_sign, &rng).unwrap())
    });
}

fn ring_mul_base(g: &mut Group<'_>, c: &Curve) {
    let rng = SystemRandom::new();
    g.bench_function(BenchmarkId::new("ring", c.name), |b| {
        b.iter_batched(
            || agreement::EphemeralPrivateKey::generate(c.ring_ecdh, &rng).unwrap(),
            |k| k.compute_public_key().unwrap(),
            BatchSize::SmallInput,
        )
    });
}

fn ring_mul(g: &mut Group<'_>, c: &Curve, f: &Fixture) {
    let rng = SystemRandom::new();
    let q = agreement::UnparsedPublicKey::new(c.ring_ecdh, f.q.clone());
    g.bench_function(BenchmarkId::new("ring", c.name), |b| {
        b.iter_batched(
            || agreement::EphemeralPrivateKey::generate(c.ring_ecdh, &rng).unwrap(),
            |k| agreement::agree_ephemeral(k, black_box(&q), |x| x[0]).unwrap(),
            BatchSize::SmallInput,
        )
    });
}

// --- OpenSSL -------------------------------------------------------------------------

fn openssl_group(c: &Curve) -> EcGroup {
    EcGroup::from_curve_name(c.nid).unwrap()
}

fn openssl_point(group: &EcGroup, bytes: &[u8]) -> EcPoint {
    let mut ctx = BigNumContext::new().unwrap();
    EcPoint::from_bytes(group, bytes, &mut ctx).unwrap()
}

fn openssl_key(c: &Curve, f: &Fixture) -> EcKey<Private> {
    let group = openssl_group(c);
    let q = openssl_point(&group, &f.q);
    EcKey::from_private_components(&group, &BigNum::from_slice(&f.d).unwrap(), &q).unwrap()
}

fn openssl_public_key(c: &Curve, f: &Fixture) -> EcKey<Public> {
    let group = openssl_group(c);
    EcKey::from_public_key(&group, &openssl_point(&group, &f.q)).unwrap()
}

/// `r ‖ s` as OpenSSL's signature object.
fn openssl_sig(sig: &[u8]) -> EcdsaSig {
    let (r, s) = sig.split_at(sig.len() / 2);
    let (r, s) = (
        BigNum::from_slice(r).unwrap(),
        BigNum::from_slice(s).unwrap(),
    );
    EcdsaSig::from_private_components(r, s).unwrap()
}

/// OpenSSL's signature object as `r ‖ s`, each half `n` bytes.
fn openssl_sig_bytes(sig: &EcdsaSig, n: usize) -> Vec<u8> {
    let n = i32::try_from(n).unwrap();
    [
        sig.r().to_vec_padded(n).unwrap(),
        sig.s().to_vec_padded(n).unwrap(),
    ]
    .concat()
}

fn openssl_verifies(c: &Curve, f: &Fixture, msg: &[u8], sig: &[u8]) -> bool {
    let digest = (c.digest)(msg);
    openssl_sig(sig)
        .verify(&digest, &openssl_public_key(c, f))
        .unwrap()
}

/// The affine coordinates of `p`. OpenSSL may keep a product in projective coordinates, so
/// every OpenSSL multiplication below ends with this conversion, as the Rust ones end
/// with theirs.
fn openssl_affine(group: &EcGroup, p: &EcPoint, ctx: &mut BigNumContext) -> (BigNum, BigNum) {
    let (mut x, mut y) = (BigNum::new().unwrap(), BigNum::new().unwrap());
    p.affine_coordinates(group, &mut x, &mut y, ctx).unwrap();
    (x, y)
}

/// k·G (`q` is `None`) or k·Q, SEC 1 uncompressed.
fn openssl_mul_bytes(c: &Curve, q: Option<&[u8]>, k: &[u8]) -> Vec<u8> {
    let group = openssl_group(c);
    let mut ctx = BigNumContext::new().unwrap();
    let mut p = EcPoint::new(&group).unwrap();
    let k = BigNum::from_slice(k).unwrap();
    match q {
        Some(q) => p
            .mul2(&group, &openssl_point(&group, q), &k, &mut ctx)
            .unwrap(),
        None => p.mul_generator2(&group, &k, &mut ctx).unwrap(),
    }
    p.to_bytes(&group, PointConversionForm::UNCOMPRESSED, &mut ctx)
        .unwrap()
}

fn openssl_sign(g: &mut Group<'_>, c: &Curve, f: &Fixture) {
    let key = openssl_key(c, f);
    let msg = message();
    g.bench_function(BenchmarkId::new("openssl", c.name), |b| {
        b.iter(|| EcdsaSig::sign(&(c.digest)(black_box(&msg)), &key).unwrap())
    });
}

fn openssl_verify(g: &mut Group<'_>, c: &Curve, f: &Fixture) {
    let key = openssl_public_key(c, f);
    let sig = openssl_sig(&f.sig);
    let msg = message();
    g.bench_function(BenchmarkId::new("openssl", c.name), |b| {
        b.iter(|| assert!(sig.verify(&(c.digest)(black_box(&msg)), &key).unwrap()))
    });
}

fn openssl_keygen(g: &mut Group<'_>, c: &Curve) {
    let group = openssl_group(c);
    g.bench_function(BenchmarkId::new("openssl", c.name), |b| {
        b.iter(|| EcKey::generate(&group).unwrap())
    });
}

fn openssl_mul_base(g: &mut Group<'_>, c: &Curve, f: &Fixture) {
    let group = openssl_group(c);
    let d = BigNum::from_slice(&f.d).unwrap();
    let mut ctx = BigNumContext::new().unwrap();
    let mut p = EcPoint::new(&group).unwrap();
    g.bench_function(BenchmarkId::new("openssl", c.name), |b| {
        b.iter(|| {
            p.mul_generator2(&group, black_box(&d), &mut ctx).unwrap();
            openssl_affine(&group, &p, &mut ctx)
        })
    });
}

fn openssl_mul(g: &mut Group<'_>, c: &Curve, f: &Fixture) {
    let group = openssl_group(c);
    let q = openssl_point(&group, &f.q);
    let k = BigNum::from_slice(&f.k).unwrap();
    let mut ctx = BigNumContext::new().unwrap();
    let mut p = EcPoint::new(&group).unwrap();
    g.bench_function(BenchmarkId::new("openssl", c.name), |b| {
        b.iter(|| {
            p.mul2(&group, black_box(&q), black_box(&k), &mut ctx)
                .unwrap();
            openssl_affine(&group, &p, &mut ctx)
        })
    });
}

// --- fixtures and the agreement check ------------------------------------------------

fn fixture_p256() -> Fixture {
    let (d, k) = (scalar::<32>(0x5a).to_vec(), scalar::<32>(0xc3).to_vec());
    let q = (rustcrypto_p256::FNS.public_key)(&d);
    let sig = (rustcrypto_p256::FNS.sign)(&d, &message());
    Fixture { d, q, k, sig }
}

fn fixture_p384() -> Fixture {
    let (d, k) = (scalar::<48>(0x5a).to_vec(), scalar::<48>(0xc3).to_vec());
    let q = (rustcrypto_p384::FNS.public_key)(&d);
    let sig = (rustcrypto_p384::FNS.sign)(&d, &message());
    Fixture { d, q, k, sig }
}

/// Before timing anything: every implementation must compute the same function on the
/// inputs used here, or the comparison would be between different things.
/// Before timing anything: every implementation must compute the same function on the
/// inputs used here, or the comparison would be between different things.
fn assert_peers_agree() {
    let msg = message();
    let curves = [
        (
            &P256,
            fixture_p256(),
            tsubaki_p256::FNS,
            rustcrypto_p256::FNS,
        ),
        (
            &P384,
            fixture_p384(),
            tsubaki_p384::FNS,
            rustcrypto_p384::FNS,
        ),
    ];
    for (c, f, ours, rustcrypto) in curves {
        let name = c.name;

        // One public key for d, one k·Q.
        assert_eq!(
            (ours.public_key)(&f.d),
            f.q,
            "{name}: tsubaki and RustCrypto keys"
        );
        assert_eq!(
            ring_key(c, &f).public_key().as_ref(),
            &f.q[..],
            "{name}: ring key"
        );
        assert_eq!(openssl_mul_bytes(c, None, &f.d), f.q, "{name}: OpenSSL key");
        let k_q = (rustcrypto.mul)(&f.q, &f.k);
        assert_eq!((ours.mul)(&f.q, &f.k), k_q, "{name}: tsubaki k·Q");
        assert_eq!(
            openssl_mul_bytes(c, Some(&f.q), &f.k),
            k_q,
            "{name}: OpenSSL k·Q"
        );

        // RFC 6979 fixes the signature: tsubaki and RustCrypto must agree on it.
        assert_eq!(
            (ours.sign)(&f.d, &msg),
            f.sig,
            "{name}: RFC 6979 signatures differ"
        );

        // Every signature verifies under every verifier.
        let hedged = (ours.sign_randomized)(&f.d, &msg);
        let rustcrypto_hedged = (rustcrypto.sign_randomized)(&f.d, &msg);
        let ring_sig = ring_key(c, &f).sign(&SystemRandom::new(), &msg).unwrap();
        let openssl_sig = EcdsaSig::sign(&(c.digest)(&msg), &openssl_key(c, &f)).unwrap();
        let openssl_sig = openssl_sig_bytes(&openssl_sig, f.d.len());
        for (signer, sig) in [
            ("tsubaki", &f.sig[..]),
            ("tsubaki-hedged", &hedged[..]),
            ("RustCrypto, hedged", &rustcrypto_hedged[..]),
            ("ring", ring_sig.as_ref()),
            ("openssl", &openssl_sig[..]),
        ] {
            let verdicts = [
                ("tsubaki", (ours.verifies)(&f.q, &msg, sig)),
                ("RustCrypto", (rustcrypto.verifies)(&f.q, &msg, sig)),
                ("ring", ring_verifies(c, &f, &msg, sig)),
                ("OpenSSL", openssl_verifies(c, &f, &msg, sig)),
            ];
            for (verifier, ok) in verdicts {
                assert!(ok, "{name}: {verifier} rejects the signature from {signer}");
            }
        }
    }
}

// --- groups --------------------------------------------------------------------------

fn sign(cr: &mut Criterion) {
    assert_peers_agree();
    let (f256, f384) = (fixture_p256(), fixture_p384());
    let mut g = cr.benchmark_group("ecdsa-sign");
    tsubaki_p256::sign(&mut g, P256.name, &f256);
    tsubaki_p384::sign(&mut g, P384.name, &f384);
    rustcrypto_p256::sign(&mut g, P256.name, &f256);
    rustcrypto_p384::sign(&mut g, P384.name, &f384);
    for (c, f) in [(&P256, &f256), (&P384, &f384)] {
        ring_sign(&mut g, c, f);
        openssl_sign(&mut g, c, f);
    }
    g.finish();
}

fn verify(cr: &mut Criterion) {
    let (f256, f384) = (fixture_p256(), fixture_p384());
    let mut g = cr.benchmark_group("ecdsa-verify");
    tsubaki_p256::verify(&mut g, P256.name, &f256);
    tsubaki_p384::verify(&mut g, P384.name, &f384);
    rustcrypto_p256::verify(&mut g, P256.name, &f256);
    rustcrypto_p384::verify(&mut g, P384.name, &f384);
    for (c, f) in [(&P256, &f256), (&P384, &f384)] {
        ring_verify(&mut g, c, f);
        openssl_verify(&mut g, c, f);
    }
    g.finish();
}

fn keygen(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("ec-keygen");
    tsubaki_p256::keygen(&mut g, P256.name);
    tsubaki_p384::keygen(&mut g, P384.name);
    rustcrypto_p256::keygen(&mut g, P256.name);
    rustcrypto_p384::keygen(&mut g, P384.name);
    for c in [&P256, &P384] {
        ring_keygen(&mut g, c);
        openssl_keygen(&mut g, c);
    }
    g.finish();
}

fn mul_base(cr: &mut Criterion) {
    let (f256, f384) = (fixture_p256(), fixture_p384());
    let mut g = cr.benchmark_group("ec-mul-base");
    tsubaki_p256::mul_base(&mut g, P256.name, &f256);
    tsubaki_p384::mul_base(&mut g, P384.name, &f384);
    rustcrypto_p256::mul_base(&mut g, P256.name, &f256);
    rustcrypto_p384::mul_base(&mut g, P384.name, &f384);
    for (c, f) in [(&P256, &f256), (&P384, &f384)] {
        ring_mul_base(&mut g, c);
        openssl_mul_base(&mut g, c, f);
    }
    g.finish();
}

fn mul(cr: &mut Criterion) {
    let (f256, f384) = (fixture_p256(), fixture_p384());
    let mut g = cr.benchmark_group("ec-mul");
    tsubaki_p256::mul(&mut g, P256.name, &f256);
    tsubaki_p384::mul(&mut g, P384.name, &f384);
    rustcrypto_p256::mul(&mut g, P256.name, &f256);
    rustcrypto_p384::mul(&mut g, P384.name, &f384);
    for (c, f) in [(&P256, &f256), (&P384, &f384)] {
        ring_mul(&mut g, c, f);
        openssl_mul(&mut g, c, f);
    }
    g.finish();
}

/// Short runs: about 40 benchmarks at 2.5 s each (30 samples; the slowest operations,
/// P-384 at a few ms, still fit) keep the whole bench to about three minutes.
fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = sign, verify, keygen, mul_base, mul
}
criterion_main!(benches);
