//! ECDH on P-256 and P-384: tsubaki against `ring` (`ring::agreement`), RustCrypto's
//! `p256`/`p384` and OpenSSL's libcrypto (`openssl::derive::Deriver`), in the same process.
//!
//! Benchmark ids are `<implementation>/<curve>`; `tools/bench_report.py` (or criterion's
//! own report) gives the µs per operation, BENCHMARKS.md the ratios.
//!
//! - `ecdh-ephemeral`: one whole ephemeral exchange, what an HPKE sender does: a fresh key
//!   from the system RNG, its public key in SEC 1 uncompressed bytes, and the shared
//!   secret with a fixed peer public key given as SEC 1 bytes (parsed and validated on
//!   every call). tsubaki: `ecdh::EphemeralSecret::random(&mut OsRng)`,
//!   `public_key_sec1(false)`, `diffie_hellman(peer)`. ring:
//!   `EphemeralPrivateKey::generate` (`SystemRandom`), `compute_public_key`,
//!   `agree_ephemeral` with an `UnparsedPublicKey`. RustCrypto: a `NonZeroScalar` from
//!   `OsRng`, `PublicKey::from_secret_scalar` + `to_sec1_point(false)`,
//!   `PublicKey::from_sec1_bytes(peer)`, then `(Q·d).to_affine().x()` — the body of
//!   `elliptic_curve::ecdh::diffie_hellman`, called directly so that the `ecdh` feature
//!   (and its `hkdf` dependency) stays out of the lockfile. OpenSSL: `EcKey::generate`,
//!   `public_key().to_bytes`, peer `EcPoint::from_bytes` + `EcKey::from_public_key`,
//!   `Deriver::derive_to_vec` (`EVP_PKEY_derive`, which also checks the peer key).
//! - `ecdh-static`: the shared secret alone for a static private key (what a recipient
//!   does per message): peer bytes parsed and validated, d·Q, x. ring has no static
//!   agreement key, so its row is missing; the others as above without the key
//!   generation.
//!
//! The variable-base k·P alone is `ec-mul` in `benches/ecdsa.rs`.
//!
//! Before timing, `assert_peers_agree` checks that all four compute the same shared
//! secret for fixed keys. Run: `cargo bench --bench ecdh` (about a minute and a half).

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use openssl::bn::{BigNum, BigNumContext};
use openssl::derive::Deriver;
use openssl::ec::{EcGroup, EcKey, EcPoint, PointConversionForm};
use openssl::nid::Nid;
use openssl::pkey::PKey;
use ring::agreement;
use ring::rand::SystemRandom;
use tsubaki::OsRng;

type Group<'a> = BenchmarkGroup<'a, WallTime>;
/// One implementation's `ecdh-ephemeral` benchmark: (group, curve name, peer key).
type EphemeralFn = fn(&mut Group<'_>, &str, &[u8]);
/// One implementation's `ecdh-static` benchmark: (group, curve name, d, peer key).
type StaticFn = fn(&mut Group<'_>, &str, &[u8], &[u8]);

/// A fixed scalar of `n` bytes below either group order (first byte below 0xff), not 0.
fn scalar(n: usize, salt: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(0x3b) ^ salt)
        .collect()
}

struct Curve {
    name: &'static str,
    bytes: usize,
    ring: &'static agreement::Algorithm,
    nid: Nid,
}

const P256: Curve = Curve {
    name: "P-256",
    bytes: 32,
    ring: &agreement::ECDH_P256,
    nid: Nid::X9_62_PRIME256V1,
};

const P384: Curve = Curve {
    name: "P-384",
    bytes: 48,
    ring: &agreement::ECDH_P384,
    nid: Nid::SECP384R1,
};

macro_rules! tsubaki {
    ($module:ident, $curve:ident, $n:literal) => {
        mod $module {
            use super::*;
            use tsubaki::ec::$curve::ecdh::{EphemeralSecret, SecretKey};

            pub fn public(d: &[u8]) -> Vec<u8> {
                SecretKey::from_slice(d).unwrap().public_key_sec1(false)
            }

            pub fn agree(d: &[u8], peer: &[u8]) -> Vec<u8> {
                let key = SecretKey::from_slice(d).unwrap();
                key.diffie_hellman(peer).unwrap().as_bytes().to_vec()
            }

            pub fn ephemeral(g: &mut Group<'_>, name: &str, peer: &[u8]) {
                g.bench_function(BenchmarkId::new("tsubaki", name), |b| {
                    b.iter(|| {
                        let key = EphemeralSecret::random(&mut OsRng);
                        let enc = key.public_key_sec1(false);
                        let z = key.diffie_hellman(black_box(peer)).unwrap();
                        (enc, z)
                    })
                });
            }

            pub fn static_(g: &mut Group<'_>, name: &str, d: &[u8], peer: &[u8]) {
                let key = SecretKey::from_slice(d).unwrap();
                g.bench_function(BenchmarkId::new("tsubaki", name), |b| {
                    b.iter(|| key.diffie_hellman(black_box(peer)).unwrap())
                });
            }
        }
    };
}

tsubaki!(tsubaki_p256, p256, 32);
tsubaki!(tsubaki_p384, p384, 48);

macro_rules! rustcrypto {
    ($module:ident, $krate:ident) => {
        mod $module {
            use super::*;
            use $krate::elliptic_curve::Generate;
            use $krate::elliptic_curve::point::AffineCoordinates;
            use $krate::elliptic_curve::sec1::ToSec1Point;
            use $krate::{NonZeroScalar, PublicKey};

            fn dh(d: &NonZeroScalar, peer: &[u8]) -> Vec<u8> {
                let q = PublicKey::from_sec1_bytes(peer).unwrap();
                let p = (q.to_projective() * **d).to_affine();
                p.x().to_vec()
            }

            pub fn agree(d: &[u8], peer: &[u8]) -> Vec<u8> {
                dh(&NonZeroScalar::try_from(d).unwrap(), peer)
            }

            pub fn ephemeral(g: &mut Group<'_>, name: &str, peer: &[u8]) {
                g.bench_function(BenchmarkId::new("rustcrypto", name), |b| {
                    b.iter(|| {
                        let d = NonZeroScalar::generate_from_rng(&mut OsRng);
                        let enc = PublicKey::from_secret_scalar(&d).to_sec1_point(false);
                        (enc, dh(&d, black_box(peer)))
                    })
                });
            }

            pub fn static_(g: &mut Group<'_>, name: &str, d: &[u8], peer: &[u8]) {
                let d = NonZeroScalar::try_from(d).unwrap();
                g.bench_function(BenchmarkId::new("rustcrypto", name), |b| {
                    b.iter(|| dh(&d, black_box(peer)))
                });
            }
        }
    };
}

rustcrypto!(rustcrypto_p256, p256);
rustcrypto!(rustcrypto_p384, p384);

fn ring_ephemeral(g: &mut Group<'_>, c: &Curve, peer: &[u8]) {
    let rng = SystemRandom::new();
    g.bench_function(BenchmarkId::new("ring", c.name), |b| {
        b.iter(|| {
            let key = agreement::EphemeralPrivateKey::generate(c.ring, &rng).unwrap();
            let enc = key.compute_public_key().unwrap();
            let peer = agreement::UnparsedPublicKey::new(c.ring, black_box(peer));
            let z = agreement::agree_ephemeral(key, &peer, |z| z.to_vec()).unwrap();
            (enc, z)
        })
    });
}

fn ring_agree(c: &Curve, peer: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let rng = SystemRandom::new();
    let key = agreement::EphemeralPrivateKey::generate(c.ring, &rng).unwrap();
    let public = key.compute_public_key().unwrap().as_ref().to_vec();
    let peer = agreement::UnparsedPublicKey::new(c.ring, peer);
    let z = agreement::agree_ephemeral(key, &peer, |z| z.to_vec()).unwrap();
    (public, z)
}

fn openssl_dh(key: &EcKey<openssl::pkey::Private>, c: &Curve, peer: &[u8]) -> Vec<u8> {
    let group = EcGroup::from_curve_name(c.nid).unwrap();
    let mut ctx = BigNumContext::new().unwrap();
    let q = EcPoint::from_bytes(&group, peer, &mut ctx).unwrap();
    let peer = PKey::from_ec_key(EcKey::from_public_key(&group, &q).unwrap()).unwrap();
    let key = PKey::from_ec_key(key.clone()).unwrap();
    let mut deriver = Deriver::new(&key).unwrap();
    deriver.set_peer(&peer).unwrap();
    deriver.derive_to_vec().unwrap()
}

fn openssl_key(c: &Curve, d: &[u8]) -> EcKey<openssl::pkey::Private> {
    let group = EcGroup::from_curve_name(c.nid).unwrap();
    let mut ctx = BigNumContext::new().unwrap();
    let d = BigNum::from_slice(d).unwrap();
    let mut q = EcPoint::new(&group).unwrap();
    q.mul_generator2(&group, &d, &mut ctx).unwrap();
    EcKey::from_private_components(&group, &d, &q).unwrap()
}

fn openssl_ephemeral(g: &mut Group<'_>, c: &Curve, peer: &[u8]) {
    let group = EcGroup::from_curve_name(c.nid).unwrap();
    g.bench_function(BenchmarkId::new("openssl", c.name), |b| {
        b.iter(|| {
            let key = EcKey::generate(&group).unwrap();
            let mut ctx = BigNumContext::new().unwrap();
            let enc = key
                .public_key()
                .to_bytes(&group, PointConversionForm::UNCOMPRESSED, &mut ctx)
                .unwrap();
            (enc, openssl_dh(&key, c, black_box(peer)))
        })
    });
}

fn openssl_static(g: &mut Group<'_>, c: &Curve, d: &[u8], peer: &[u8]) {
    let key = openssl_key(c, d);
    g.bench_function(BenchmarkId::new("openssl", c.name), |b| {
        b.iter(|| openssl_dh(&key, c, black_box(peer)))
    });
}

/// Every implementation computes the same shared secret for the same keys, and ring's
/// random key agrees with tsubaki's static one.
fn assert_peers_agree() {
    type Fns = (
        fn(&[u8]) -> Vec<u8>,
        fn(&[u8], &[u8]) -> Vec<u8>,
        fn(&[u8], &[u8]) -> Vec<u8>,
    );
    let table: [(&Curve, Fns); 2] = [
        (
            &P256,
            (
                tsubaki_p256::public,
                tsubaki_p256::agree,
                rustcrypto_p256::agree,
            ),
        ),
        (
            &P384,
            (
                tsubaki_p384::public,
                tsubaki_p384::agree,
                rustcrypto_p384::agree,
            ),
        ),
    ];
    for (c, (public, agree, rc_agree)) in table {
        let (d1, d2) = (scalar(c.bytes, 0x5a), scalar(c.bytes, 0xc3));
        let (q1, q2) = (public(&d1), public(&d2));
        let z = agree(&d1, &q2);
        assert_eq!(z, agree(&d2, &q1), "{}", c.name);
        assert_eq!(z, rc_agree(&d1, &q2), "{} RustCrypto", c.name);
        assert_eq!(
            z,
            openssl_dh(&openssl_key(c, &d1), c, &q2),
            "{} OpenSSL",
            c.name
        );
        let (ring_public, ring_z) = ring_agree(c, &q1);
        assert_eq!(ring_z, agree(&d1, &ring_public), "{} ring", c.name);
    }
}

/// With `TSUBAKI_INTERLEAVED=<rounds>`: before criterion, tsubaki and ring P-256 run in
/// alternation, `BATCH` operations each per round, and the fastest round of each is
/// reported with their ratio. On a shared machine the minimum over many short rounds is
/// far less disturbed by other processes than a mean (a round that was preempted is
/// simply not the minimum), and alternating puts both under the same conditions.
fn interleaved() {
    const BATCH: usize = 40;
    let Some(rounds) = std::env::var("TSUBAKI_INTERLEAVED")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    else {
        return;
    };
    use std::time::Instant;
    use tsubaki::ec::p256::ecdh::{EphemeralSecret, SecretKey};
    let rng = SystemRandom::new();
    let peer = tsubaki_p256::public(&scalar(32, 0xc3));
    let key = SecretKey::from_slice(&scalar(32, 0x5a)).unwrap();
    let ring_peer = agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, peer.clone());
    let names = [
        "tsubaki k·P (static dh)",
        "ring k·P (agree_ephemeral)",
        "tsubaki ephemeral",
        "ring ephemeral",
    ];
    let mut best = [f64::INFINITY; 4];
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..BATCH {
            black_box(key.diffie_hellman(black_box(&peer)).unwrap());
        }
        best[0] = best[0].min(t.elapsed().as_secs_f64() / BATCH as f64);
        let keys: Vec<_> = (0..BATCH)
            .map(|_| agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &rng).unwrap())
            .collect();
        let t = Instant::now();
        for k in keys {
            black_box(agreement::agree_ephemeral(k, black_box(&ring_peer), |z| z[0]).unwrap());
        }
        best[1] = best[1].min(t.elapsed().as_secs_f64() / BATCH as f64);
        let t = Instant::now();
        for _ in 0..BATCH {
            let k = EphemeralSecret::random(&mut OsRng);
            let enc = k.public_key_sec1(false);
            black_box((enc, k.diffie_hellman(black_box(&peer)).unwrap()));
        }
        best[2] = best[2].min(t.elapsed().as_secs_f64() / BATCH as f64);
        let t = Instant::now();
        for _ in 0..BATCH {
            let k = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &rng).unwrap();
            let enc = k.compute_public_key().unwrap();
            black_box((
                enc,
                agreement::agree_ephemeral(k, black_box(&ring_peer), |z| z.to_vec()).unwrap(),
            ));
        }
        best[3] = best[3].min(t.elapsed().as_secs_f64() / BATCH as f64);
    }
    for (name, t) in names.iter().zip(best) {
        println!("interleaved best of {rounds}: {name}: {:.2} µs", t * 1e6);
    }
    println!(
        "interleaved: k·P tsubaki/ring speed {:.3}×, ephemeral ECDH {:.3}×",
        best[1] / best[0],
        best[3] / best[2]
    );
}

fn ecdh(c: &mut Criterion) {
    assert_peers_agree();
    interleaved();
    let curves: [(&Curve, EphemeralFn, EphemeralFn); 2] = [
        (&P256, tsubaki_p256::ephemeral, rustcrypto_p256::ephemeral),
        (&P384, tsubaki_p384::ephemeral, rustcrypto_p384::ephemeral),
    ];
    let mut g = c.benchmark_group("ecdh-ephemeral");
    for (curve, ours, rc) in curves {
        let peer = tsubaki_public(curve, &scalar(curve.bytes, 0xc3));
        ours(&mut g, curve.name, &peer);
        ring_ephemeral(&mut g, curve, &peer);
        rc(&mut g, curve.name, &peer);
        openssl_ephemeral(&mut g, curve, &peer);
    }
    g.finish();

    let statics: [(&Curve, StaticFn, StaticFn); 2] = [
        (&P256, tsubaki_p256::static_, rustcrypto_p256::static_),
        (&P384, tsubaki_p384::static_, rustcrypto_p384::static_),
    ];
    let mut g = c.benchmark_group("ecdh-static");
    for (curve, ours, rc) in statics {
        let d = scalar(curve.bytes, 0x5a);
        let peer = tsubaki_public(curve, &scalar(curve.bytes, 0xc3));
        ours(&mut g, curve.name, &d, &peer);
        rc(&mut g, curve.name, &d, &peer);
        openssl_static(&mut g, curve, &d, &peer);
    }
    g.finish();
}

fn tsubaki_public(c: &Curve, d: &[u8]) -> Vec<u8> {
    if c.bytes == 32 {
        tsubaki_p256::public(d)
    } else {
        tsubaki_p384::public(d)
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(40);
    targets = ecdh
}
criterion_main!(benches);
