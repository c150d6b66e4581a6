//! ECDH (`ec::p256::ecdh`, `ec::p384::ecdh`): official vectors, OpenSSL on random keys,
//! and every kind of bad peer key.
//!
//! - Wycheproof `ecdh_secp256r1_ecpoint_test.json` / `ecdh_secp384r1_ecpoint_test.json`
//!   (`vectors/ecdh/`, C2SP/wycheproof `testvectors_v1`): every valid and acceptable case
//!   gives the listed shared secret (edge-case shared secrets, doubling edge cases inside
//!   the scalar multiplication, addition chains, compressed keys), every invalid one is
//!   refused with a typed error (invalid curve attacks, wrong curve, bad encodings).
//! - OpenSSL (`Deriver`, libcrypto's `ECDH_compute_key`) on random keys in both
//!   directions, uncompressed and compressed.
//! - Bad peer keys: off the curve, the identity, each wrong length, x ≥ p (both forms),
//!   y ≥ p, a compressed x with no point, hybrid and unknown tags, the other curve's
//!   points → `InvalidPublicKey` / `InvalidEncoding`, and nothing computed.

mod common;

use common::rng::TestRng;
use common::{hex, to_hex};
use openssl::bn::{BigNum, BigNumContext};
use openssl::derive::Deriver;
use openssl::ec::{EcGroup, EcKey, EcPoint};
use openssl::nid::Nid;
use openssl::pkey::PKey;
use tsubaki::Error;

/// Random keys per curve and direction in the OpenSSL test.
const KEYS: usize = 64;

/// One curve's ECDH behind one interface, so each test is written once.
trait Ecdh {
    const NAME: &'static str;
    const BYTES: usize;
    const NID: Nid;
    /// The field prime p, hex.
    const P: &'static str;
    /// The group order n, hex.
    const N: &'static str;
    /// The Wycheproof file in `vectors/ecdh/`.
    const WYCHEPROOF: &'static str;
    fn random(seed: u64) -> (Vec<u8>, Vec<u8>);
    /// (d, peer) ↦ z.
    fn dh(d: &[u8], peer: &[u8]) -> Result<Vec<u8>, Error>;
    /// d ↦ (uncompressed, compressed) public key.
    fn public(d: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Error>;
    /// An ephemeral exchange with `peer`: (our public key, z).
    fn ephemeral(seed: u64, peer: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Error>;
}

macro_rules! ecdh_curve {
    ($ty:ident, $m:ident, $n:literal, $nid:expr, $name:literal, $file:literal, p: $p:literal, n: $order:literal) => {
        struct $ty;
        impl Ecdh for $ty {
            const NAME: &'static str = $name;
            const BYTES: usize = $n;
            const NID: Nid = $nid;
            const P: &'static str = $p;
            const N: &'static str = $order;
            const WYCHEPROOF: &'static str = $file;

            fn random(seed: u64) -> (Vec<u8>, Vec<u8>) {
                let key = tsubaki::ec::$m::ecdh::SecretKey::random(&mut TestRng(seed));
                (key.to_bytes().to_vec(), key.public_key_sec1(false))
            }

            fn dh(d: &[u8], peer: &[u8]) -> Result<Vec<u8>, Error> {
                let d: &[u8; $n] = d.try_into().map_err(|_| Error::InvalidLength)?;
                let key = tsubaki::ec::$m::ecdh::SecretKey::from_bytes(d)?;
                let shared = key.diffie_hellman(peer)?;
                let z: &[u8; $n] = shared.as_bytes();
                Ok(z.to_vec())
            }

            fn public(d: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Error> {
                let key = tsubaki::ec::$m::ecdh::SecretKey::from_slice(d)?;
                Ok((key.public_key_sec1(false), key.public_key_sec1(true)))
            }

            fn ephemeral(seed: u64, peer: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Error> {
                let key = tsubaki::ec::$m::ecdh::EphemeralSecret::random(&mut TestRng(seed));
                let public = key.public_key_sec1(false);
                Ok((public, key.diffie_hellman(peer)?.as_bytes().to_vec()))
            }
        }
    };
}

ecdh_curve!(P256, p256, 32, Nid::X9_62_PRIME256V1, "P-256", "ecdh_secp256r1_ecpoint_test.json",
    p: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    n: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
ecdh_curve!(P384, p384, 48, Nid::SECP384R1, "P-384", "ecdh_secp384r1_ecpoint_test.json",
    p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
    n: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");

fn group<C: Ecdh>() -> EcGroup {
    EcGroup::from_curve_name(C::NID).unwrap()
}

/// An OpenSSL key pair for the scalar `d` and its SEC 1 public key.
fn openssl_key<C: Ecdh>(d: &[u8]) -> PKey<openssl::pkey::Private> {
    let g = group::<C>();
    let mut ctx = BigNumContext::new().unwrap();
    let d = BigNum::from_slice(d).unwrap();
    let mut q = EcPoint::new(&g).unwrap();
    q.mul_generator2(&g, &d, &mut ctx).unwrap();
    PKey::from_ec_key(EcKey::from_private_components(&g, &d, &q).unwrap()).unwrap()
}

fn openssl_public<C: Ecdh>(sec1: &[u8]) -> PKey<openssl::pkey::Public> {
    let g = group::<C>();
    let mut ctx = BigNumContext::new().unwrap();
    let q = EcPoint::from_bytes(&g, sec1, &mut ctx).unwrap();
    PKey::from_ec_key(EcKey::from_public_key(&g, &q).unwrap()).unwrap()
}

fn openssl_dh<C: Ecdh>(d: &[u8], peer: &[u8]) -> Vec<u8> {
    let key = openssl_key::<C>(d);
    let peer = openssl_public::<C>(peer);
    let mut deriver = Deriver::new(&key).unwrap();
    deriver.set_peer(&peer).unwrap();
    deriver.derive_to_vec().unwrap()
}

fn agrees_with_openssl<C: Ecdh>() {
    for i in 0..KEYS as u64 {
        let (d1, q1) = C::random(0x5eed_0000 + i);
        let (d2, q2) = C::random(0x5eed_1000 + i);
        let z = C::dh(&d1, &q2).unwrap();
        assert_eq!(z.len(), C::BYTES);
        assert_eq!(z, openssl_dh::<C>(&d2, &q1), "{} key {i}", C::NAME);
        assert_eq!(z, openssl_dh::<C>(&d1, &q2), "{} key {i}", C::NAME);
        assert_eq!(z, C::dh(&d2, &q1).unwrap(), "{} key {i}", C::NAME);
        // Compressed peer keys give the same secret.
        let (_, q2c) = C::public(&d2).unwrap();
        assert_eq!(
            z,
            C::dh(&d1, &q2c).unwrap(),
            "{} key {i} compressed",
            C::NAME
        );
        // Ephemeral keys, against OpenSSL's static one.
        let (e, ze) = C::ephemeral(0x5eed_2000 + i, &q2).unwrap();
        assert_eq!(ze, openssl_dh::<C>(&d2, &e), "{} ephemeral {i}", C::NAME);
    }
}

#[test]
fn p256_agrees_with_openssl() {
    agrees_with_openssl::<P256>();
}

#[test]
fn p384_agrees_with_openssl() {
    agrees_with_openssl::<P384>();
}

/// Scalars at the edges (1, 2, n − 1, n − 2, 2^k) against OpenSSL, on a random peer.
fn edge_scalars<C: Ecdh>() {
    let n = BigNum::from_hex_str(C::N).unwrap();
    let (_, peer) = C::random(77);
    let mut scalars: Vec<BigNum> = Vec::new();
    for small in [1u32, 2, 3, 15, 16, 17, 31, 32, 33] {
        scalars.push(BigNum::from_u32(small).unwrap());
        let mut v = BigNum::new().unwrap();
        v.checked_sub(&n, &BigNum::from_u32(small).unwrap())
            .unwrap();
        scalars.push(v);
    }
    for bit in [5, 100, 8 * C::BYTES as i32 - 2, 8 * C::BYTES as i32 - 1] {
        let mut v = BigNum::new().unwrap();
        v.lshift(&BigNum::from_u32(1).unwrap(), bit).unwrap();
        if v < n {
            scalars.push(v);
        }
    }
    for k in scalars {
        let d = k.to_vec_padded(C::BYTES as i32).unwrap();
        assert_eq!(
            C::dh(&d, &peer).unwrap(),
            openssl_dh::<C>(&d, &peer),
            "{} k = {}",
            C::NAME,
            to_hex(&d)
        );
    }
}

#[test]
fn p256_edge_scalars() {
    edge_scalars::<P256>();
}

#[test]
fn p384_edge_scalars() {
    edge_scalars::<P384>();
}

fn wycheproof<C: Ecdh>() {
    let path = format!(
        "{}/vectors/ecdh/{}",
        env!("CARGO_MANIFEST_DIR"),
        C::WYCHEPROOF
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut valid, mut invalid) = (0, 0);
    for group in json["testGroups"].as_array().unwrap() {
        for t in group["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            let public = hex(t["public"].as_str().unwrap());
            // The private key is a DER integer's contents: strip a leading zero, pad.
            let mut d = hex(t["private"].as_str().unwrap());
            while d.len() > C::BYTES && d[0] == 0 {
                d.remove(0);
            }
            let mut padded = vec![0; C::BYTES.saturating_sub(d.len())];
            padded.extend(d);
            let got = C::dh(&padded, &public);
            match t["result"].as_str().unwrap() {
                "valid" | "acceptable" => {
                    let want = hex(t["shared"].as_str().unwrap());
                    assert_eq!(got, Ok(want), "{} tcId {id}: {}", C::NAME, t["comment"]);
                    valid += 1;
                }
                _ => {
                    let err = got.expect_err(&format!("{} tcId {id} accepted", C::NAME));
                    assert!(
                        matches!(err, Error::InvalidPublicKey | Error::InvalidEncoding),
                        "{} tcId {id}: {err:?}",
                        C::NAME
                    );
                    invalid += 1;
                }
            }
        }
    }
    assert!(
        valid > 300 && invalid > 10,
        "{valid} valid, {invalid} invalid"
    );
    println!(
        "{}: {valid} valid and {invalid} invalid Wycheproof cases",
        C::NAME
    );
}

#[test]
fn p256_wycheproof() {
    wycheproof::<P256>();
}

#[test]
fn p384_wycheproof() {
    wycheproof::<P384>();
}

/// `bytes + 1` as a big-endian number of the same length (no overflow in the uses below).
fn plus(bytes: &[u8], v: u32) -> Vec<u8> {
    let mut n = BigNum::from_slice(bytes).unwrap();
    n.add_word(v).unwrap();
    n.to_vec_padded(bytes.len() as i32).unwrap()
}

fn bad_peer_keys<C: Ecdh>() {
    let (d, _) = C::random(1);
    let (good, good_c) = C::public(&good_scalar::<C>()).unwrap();
    let n = C::BYTES;
    let p = hex(C::P);
    let x = &good[1..1 + n];
    let y = &good[1 + n..];
    let cat = |parts: &[&[u8]]| parts.concat();
    use Error::{InvalidEncoding as Enc, InvalidPublicKey as Pk};
    let mut cases: Vec<(&str, Vec<u8>, Error)> = vec![
        ("empty", vec![], Enc),
        ("identity 00", vec![0], Pk),
        ("identity 00 with coordinates", cat(&[&[0], x, y]), Enc),
        ("off the curve (y + 1)", cat(&[&[4], x, &plus(y, 1)]), Pk),
        ("zero point", cat(&[&[4], &vec![0; 2 * n]]), Pk),
        ("x = p", cat(&[&[4], &p, y]), Pk),
        ("y = p", cat(&[&[4], x, &p]), Pk),
        ("x = 2^k − 1 ≥ p", cat(&[&[4], &vec![0xff; n], y]), Pk),
        ("compressed x = p", cat(&[&[2], &p]), Pk),
        ("compressed x ≥ p", cat(&[&[3], &vec![0xff; n]]), Pk),
        ("hybrid 06", cat(&[&[6], x, y]), Enc),
        ("hybrid 07", cat(&[&[7], x, y]), Enc),
        ("tag 05", cat(&[&[5], x, y]), Enc),
        (
            "uncompressed, one byte short",
            good[..good.len() - 1].to_vec(),
            Enc,
        ),
        ("uncompressed, one byte long", cat(&[&good, &[0]]), Enc),
        (
            "compressed, one byte short",
            good_c[..good_c.len() - 1].to_vec(),
            Enc,
        ),
        ("compressed, one byte long", cat(&[&good_c, &[0]]), Enc),
        ("raw x ‖ y without a tag", cat(&[x, y]), Enc),
        ("tag only", vec![4], Enc),
    ];
    // A compressed x with no point: x³ − 3x + b not a square. Search a few x (public).
    let mut found = false;
    for v in 1u32..200 {
        let mut xb = vec![0; n];
        xb[n - 4..].copy_from_slice(&v.to_be_bytes());
        let key = cat(&[&[2], &xb]);
        let g = group::<C>();
        let mut ctx = BigNumContext::new().unwrap();
        if EcPoint::from_bytes(&g, &key, &mut ctx).is_err() {
            cases.push(("compressed x with no point", key.clone(), Pk));
            cases.push(("compressed x with no point (03)", cat(&[&[3], &xb]), Pk));
            found = true;
            break;
        }
    }
    assert!(found);
    // The other curve's points: the right tag, the wrong length.
    let other = if n == 32 {
        P384::random(3).1
    } else {
        P256::random(3).1
    };
    cases.push(("the other curve's point", other.clone(), Enc));
    cases.push((
        "the other curve's point, compressed",
        cat(&[&[2], &other[1..1 + (other.len() - 1) / 2]]),
        Enc,
    ));
    for (what, key, want) in &cases {
        assert_eq!(C::dh(&d, key), Err(*want), "{}: {what}", C::NAME);
        // The ephemeral path refuses it the same way.
        assert_eq!(
            C::ephemeral(9, key).map(|_| ()),
            Err(*want),
            "{}: {what}",
            C::NAME
        );
    }
    // The good key itself works, in both forms.
    assert_eq!(C::dh(&d, &good).unwrap(), C::dh(&d, &good_c).unwrap());
    // Sanity of the cases: OpenSSL refuses the points too (it parses hybrid forms, and
    // `00` as the point at infinity, which its key checks refuse later).
    let g = group::<C>();
    let mut ctx = BigNumContext::new().unwrap();
    for (what, key, _) in &cases {
        if !key.is_empty() && ![0, 6, 7].contains(&key[0]) {
            assert!(
                EcPoint::from_bytes(&g, key, &mut ctx).is_err(),
                "OpenSSL took {what}"
            );
        }
    }
}

/// A fixed scalar below n.
fn good_scalar<C: Ecdh>() -> Vec<u8> {
    (0..C::BYTES)
        .map(|i| (i as u8).wrapping_mul(0x3b) ^ 0x5a)
        .map(|b| b & 0x7f)
        .collect()
}

#[test]
fn p256_bad_peer_keys() {
    bad_peer_keys::<P256>();
}

#[test]
fn p384_bad_peer_keys() {
    bad_peer_keys::<P384>();
}

fn bad_secret_keys<C: Ecdh>() {
    let n = hex(C::N);
    let (_, peer) = C::random(4);
    for (what, d) in [
        ("zero", vec![0; C::BYTES]),
        ("n", n.clone()),
        ("n + 1", plus(&n, 1)),
        ("all ones", vec![0xff; C::BYTES]),
    ] {
        assert_eq!(
            C::dh(&d, &peer),
            Err(Error::InvalidSecretKey),
            "{}: {what}",
            C::NAME
        );
        assert_eq!(
            C::public(&d).map(|_| ()),
            Err(Error::InvalidSecretKey),
            "{}: {what}",
            C::NAME
        );
    }
    for len in [0, C::BYTES - 1, C::BYTES + 1] {
        assert_eq!(
            C::public(&vec![1; len]).map(|_| ()),
            Err(Error::InvalidLength),
            "{}: {len} bytes",
            C::NAME
        );
    }
}

#[test]
fn p256_bad_secret_keys() {
    bad_secret_keys::<P256>();
}

#[test]
fn p384_bad_secret_keys() {
    bad_secret_keys::<P384>();
}

#[test]
fn api_shape() {
    use tsubaki::ec::p256::ecdh::{EphemeralSecret, SecretKey, SharedSecret};
    let key = SecretKey::from_bytes(&[7u8; 32]).unwrap();
    let round = SecretKey::from_bytes(&key.to_bytes()).unwrap();
    assert_eq!(key.public_key_sec1(true), round.public_key_sec1(true));
    assert_eq!(key.public_key_sec1(true).len(), 33);
    assert_eq!(key.public_key_sec1(false).len(), 65);
    let eph = EphemeralSecret::random(&mut TestRng(5));
    let enc = eph.public_key_sec1(true);
    let z1: SharedSecret = eph.diffie_hellman(&key.public_key_sec1(false)).unwrap();
    let z2 = key.diffie_hellman(&enc).unwrap();
    assert_eq!(z1.as_bytes(), z2.as_bytes());
    assert!(bool::from(subtle::ConstantTimeEq::ct_eq(&z1, &z2)));
    // Debug shows no secret.
    let dbg = format!("{key:?} {z1:?}");
    assert!(!dbg.contains(&to_hex(z1.as_bytes())), "{dbg}");
    assert!(!dbg.contains(&to_hex(&[7u8; 32])), "{dbg}");
    // P-384 through the same names.
    let k384 = tsubaki::ec::p384::ecdh::SecretKey::from_bytes(&[9u8; 48]).unwrap();
    let shared = k384.diffie_hellman(&k384.public_key_sec1(true)).unwrap();
    let z: &[u8; 48] = shared.as_bytes();
    assert_eq!(z.len(), 48);
}
