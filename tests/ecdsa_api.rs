//! The ECDSA API on bad input, and the laws it must keep, on P-256 and P-384.
//!
//! Bad input: every truncation of valid encodings (DER, PEM, SEC 1, `r ‖ s`), every single
//! bit flip, trailing bytes, keys for the other curve or another algorithm (RSA, Ed25519,
//! secp256k1), off-curve points and the identity, r or s out of 1..n−1, digests shorter than
//! 16 bytes, secret keys out of range or of the wrong length. Each must give its typed
//! [`Error`], never a panic; random bytes into every parser must not panic either.
//!
//! Laws (proptest): sign/verify round trips, determinism, hedged signing, low-S
//! normalisation, encoding round trips, and a `Debug` that does not print the secret.

mod common;

use common::ecdsa::{Curve, Hash, ModN, P256, P384, TestRng, order, pad, prime, split_sig};
use common::{proptest_cases, to_hex};
use openssl::ec::{EcGroup, EcKey};
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use proptest::collection::vec;
use proptest::prelude::*;
use tsubaki::Error;

/// The error for a SEC 1 point whose length or tag is wrong.
const BAD_POINT_ENCODING: Error = Error::InvalidEncoding;
/// The error for the SEC 1 encoding of the identity, `00`: a well-formed point that is
/// never a public key ([`Error::InvalidPublicKey`]'s documentation names the identity).
const IDENTITY: Error = Error::InvalidPublicKey;
/// The error for a digest shorter than 16 bytes.
const SHORT_DIGEST: Error = Error::InvalidLength;
/// The error for a secret scalar of the wrong length.
const BAD_SCALAR_LENGTH: Error = Error::InvalidLength;
/// The error for a fixed-length signature of the wrong length.
const BAD_SIGNATURE_LENGTH: Error = Error::InvalidLength;

/// A key fixed by `seed`, and everything written from it.
struct Encodings {
    d: Vec<u8>,
    pkcs8_der: Vec<u8>,
    pkcs8_pem: String,
    sec1_der: Vec<u8>,
    sec1_pem: String,
    spki_der: Vec<u8>,
    spki_pem: String,
    point: Vec<u8>,
    point_compressed: Vec<u8>,
    sig_der: Vec<u8>,
    sig_fixed: Vec<u8>,
}

fn encodings<C: Curve>(seed: u64) -> Encodings {
    let sk = C::sk_random(&mut TestRng::new(seed));
    let vk = C::sk_public(&sk);
    let sig = C::sign(&sk, b"tsubaki");
    Encodings {
        d: C::sk_to_bytes(&sk),
        pkcs8_der: C::sk_to_pkcs8_der(&sk),
        pkcs8_pem: C::sk_to_pkcs8_pem(&sk),
        sec1_der: C::sk_to_sec1_der(&sk),
        sec1_pem: C::sk_to_sec1_pem(&sk),
        spki_der: C::vk_to_spki_der(&vk),
        spki_pem: C::vk_to_spki_pem(&vk),
        point: C::vk_to_sec1(&vk, false),
        point_compressed: C::vk_to_sec1(&vk, true),
        sig_der: C::sig_to_der(&sig),
        sig_fixed: C::sig_to_bytes(&sig),
    }
}

/// A binary parser under test, reduced to "what it re-encodes to" so that all of them
/// fit one table: `Ok(bytes)` is the canonical encoding of what was parsed.
type BinParser = fn(&[u8]) -> Result<Vec<u8>, Error>;
/// The same for PEM.
type PemParser = fn(&str) -> Result<String, Error>;

fn binary_parsers<C: Curve>() -> Vec<(&'static str, BinParser)> {
    vec![
        ("PKCS#8 DER", |b| {
            C::sk_from_pkcs8_der(b).map(|k| C::sk_to_pkcs8_der(&k))
        }),
        ("SEC 1 DER", |b| {
            C::sk_from_sec1_der(b).map(|k| C::sk_to_sec1_der(&k))
        }),
        ("SPKI DER", |b| {
            C::vk_from_spki_der(b).map(|k| C::vk_to_spki_der(&k))
        }),
        ("signature DER", |b| {
            C::sig_from_der(b).map(|s| C::sig_to_der(&s))
        }),
        ("signature r‖s", |b| {
            C::sig_from_slice(b).map(|s| C::sig_to_bytes(&s))
        }),
        ("SEC 1 point", |b| {
            // Re-encode in the form it came in.
            C::vk_from_sec1(b).map(|k| C::vk_to_sec1(&k, b.len() == 1 + C::BYTES))
        }),
        ("secret scalar", |b| {
            C::sk_from_bytes(b).map(|k| C::sk_to_bytes(&k))
        }),
    ]
}

fn pem_parsers<C: Curve>() -> Vec<(&'static str, PemParser)> {
    vec![
        ("PKCS#8 PEM", |s| {
            C::sk_from_pkcs8_pem(s).map(|k| C::sk_to_pkcs8_pem(&k))
        }),
        ("SEC 1 PEM", |s| {
            C::sk_from_sec1_pem(s).map(|k| C::sk_to_sec1_pem(&k))
        }),
        ("SPKI PEM", |s| {
            C::vk_from_spki_pem(s).map(|k| C::vk_to_spki_pem(&k))
        }),
    ]
}

/// The valid input of each binary parser, in [`binary_parsers`] order.
fn binary_inputs(e: &Encodings) -> [&[u8]; 7] {
    [
        &e.pkcs8_der,
        &e.sec1_der,
        &e.spki_der,
        &e.sig_der,
        &e.sig_fixed,
        &e.point,
        &e.d,
    ]
}

/// The error a truncated or extended input must give, per binary parser.
fn length_error(parser: &str) -> Error {
    match parser {
        "signature r‖s" => BAD_SIGNATURE_LENGTH,
        "SEC 1 point" => BAD_POINT_ENCODING,
        "secret scalar" => BAD_SCALAR_LENGTH,
        _ => Error::InvalidEncoding,
    }
}

// --- truncation, bit flips, trailing bytes ------------------------------------------------

fn truncations_are_rejected<C: Curve>() {
    let mut checked = 0;
    for seed in 0..2 {
        let e = encodings::<C>(seed);
        for ((name, parse), input) in binary_parsers::<C>().into_iter().zip(binary_inputs(&e)) {
            assert_eq!(
                parse(input).as_deref(),
                Ok(input),
                "{} {name}: valid input",
                C::NAME
            );
            let want = length_error(name);
            for len in 0..input.len() {
                let got = parse(&input[..len]);
                assert_eq!(
                    got.as_ref().err(),
                    Some(&want),
                    "{} {name} cut to {len} of {} bytes: {}",
                    C::NAME,
                    input.len(),
                    to_hex(&input[..len])
                );
                checked += 1;
            }
            // Trailing bytes.
            for tail in [&[0u8][..], &[0, 0], &input[..1]] {
                let long = [input, tail].concat();
                let got = parse(&long);
                assert_eq!(
                    got.err(),
                    Some(want),
                    "{} {name} + {}",
                    C::NAME,
                    to_hex(tail)
                );
                checked += 1;
            }
        }
        // The compressed point, too.
        let c = &e.point_compressed;
        for len in 0..c.len() {
            let got = C::vk_from_sec1(&c[..len]);
            assert_eq!(
                got.err(),
                Some(BAD_POINT_ENCODING),
                "{} compressed cut to {len}",
                C::NAME
            );
            checked += 1;
        }

        let pems = [&e.pkcs8_pem, &e.sec1_pem, &e.spki_pem];
        for ((name, parse), pem) in pem_parsers::<C>().into_iter().zip(pems) {
            assert_eq!(
                parse(pem).as_ref(),
                Ok(pem),
                "{} {name}: valid input",
                C::NAME
            );
            for len in 0..pem.len() {
                let cut = &pem[..len];
                match parse(cut) {
                    // Only the final line break may go.
                    Ok(again) => assert!(
                        cut == pem.trim_end() && &again == pem,
                        "{} {name} cut to {len} accepted:\n{cut}",
                        C::NAME
                    ),
                    Err(err) => assert_eq!(
                        err,
                        Error::InvalidEncoding,
                        "{} {name} cut to {len}:\n{cut}",
                        C::NAME
                    ),
                }
                checked += 1;
            }
        }
    }
    println!(
        "{}: {checked} truncated or extended encodings rejected",
        C::NAME
    );
}

#[test]
fn truncations_are_rejected_p256() {
    truncations_are_rejected::<P256>();
}

#[test]
fn truncations_are_rejected_p384() {
    truncations_are_rejected::<P384>();
}

/// Every single-bit flip of every valid encoding is either rejected with a typed error or
/// parsed to something whose canonical encoding is exactly the flipped input: no two
/// encodings of one signature or point are accepted (strict DER). A private key may have
/// another valid encoding (PKCS#8 v2 instead of v1), but only outside its scalar and its
/// embedded public key: a key whose public key no longer matches its scalar must not be
/// accepted as if it did.
fn bit_flips<C: Curve>() {
    let e = encodings::<C>(7);
    let (mut rejected, mut canonical, mut same_key) = (0, 0, 0);
    for ((name, parse), input) in binary_parsers::<C>().into_iter().zip(binary_inputs(&e)) {
        let is_private_key = name == "PKCS#8 DER" || name == "SEC 1 DER";
        // Where the scalar and the public point sit in the encoding.
        let find = |needle: &[u8]| {
            input
                .windows(needle.len())
                .position(|w| w == needle)
                .map(|i| i..i + needle.len())
        };
        let secret_parts = [find(&e.d), find(&e.point)];
        for i in 0..input.len() {
            for bit in 0..8 {
                let mut bad = input.to_vec();
                bad[i] ^= 1 << bit;
                let Ok(again) = parse(&bad) else {
                    rejected += 1;
                    continue;
                };
                if again == bad {
                    canonical += 1;
                    continue;
                }
                let in_key_material = secret_parts.iter().flatten().any(|r| r.contains(&i));
                assert!(
                    is_private_key && again == input && !in_key_material,
                    "{} {name}: byte {i} bit {bit} flipped, accepted as {}\n(input {})",
                    C::NAME,
                    to_hex(&again),
                    to_hex(&bad)
                );
                same_key += 1;
            }
        }
    }
    println!(
        "{}: bit flips: {rejected} rejected, {canonical} parsed as another canonical value, \
         {same_key} as another encoding of the same private key",
        C::NAME
    );
    assert!(rejected > 0 && canonical > 0);
}

#[test]
fn bit_flips_p256() {
    bit_flips::<P256>();
}

#[test]
fn bit_flips_p384() {
    bit_flips::<P384>();
}

// --- other curves and algorithms ---------------------------------------------------------

/// Keys of the other curve: every key parser says UnsupportedAlgorithm.
fn other_curve_keys<This: Curve, Other: Curve>() {
    let e = encodings::<Other>(3);
    let at = format!("{} key into the {} API", Other::NAME, This::NAME);
    let want = Some(Error::UnsupportedAlgorithm);
    assert_eq!(
        This::sk_from_pkcs8_der(&e.pkcs8_der).err(),
        want,
        "{at}: PKCS#8 DER"
    );
    assert_eq!(
        This::sk_from_pkcs8_pem(&e.pkcs8_pem).err(),
        want,
        "{at}: PKCS#8 PEM"
    );
    assert_eq!(
        This::sk_from_sec1_der(&e.sec1_der).err(),
        want,
        "{at}: SEC 1 DER"
    );
    assert_eq!(
        This::sk_from_sec1_pem(&e.sec1_pem).err(),
        want,
        "{at}: SEC 1 PEM"
    );
    assert_eq!(
        This::vk_from_spki_der(&e.spki_der).err(),
        want,
        "{at}: SPKI DER"
    );
    assert_eq!(
        This::vk_from_spki_pem(&e.spki_pem).err(),
        want,
        "{at}: SPKI PEM"
    );
    // A bare point or scalar has no curve in it, just the wrong length.
    assert_eq!(
        This::vk_from_sec1(&e.point).err(),
        Some(BAD_POINT_ENCODING),
        "{at}: point"
    );
    assert_eq!(
        This::vk_from_sec1(&e.point_compressed).err(),
        Some(BAD_POINT_ENCODING),
        "{at}: compressed point"
    );
    assert_eq!(
        This::sk_from_bytes(&e.d).err(),
        Some(BAD_SCALAR_LENGTH),
        "{at}: scalar"
    );
    assert_eq!(
        This::sig_from_slice(&e.sig_fixed).err(),
        Some(BAD_SIGNATURE_LENGTH),
        "{at}: r‖s"
    );
}

#[test]
fn other_curve_keys_are_unsupported() {
    other_curve_keys::<P256, P384>();
    other_curve_keys::<P384, P256>();
}

/// RSA, Ed25519 and EC keys on curves we do not have, as OpenSSL writes them (PKCS#8 and
/// SPKI, DER and PEM; SEC 1 for the EC ones): UnsupportedAlgorithm.
fn foreign_keys_are_unsupported<C: Curve>() {
    let rsa = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let ed = PKey::generate_ed25519().unwrap();
    let mut keys = vec![("RSA", rsa), ("Ed25519", ed)];
    let mut sec1 = Vec::new();
    for (name, nid) in [("secp256k1", Nid::SECP256K1), ("P-521", Nid::SECP521R1)] {
        let ec = EcKey::generate(&EcGroup::from_curve_name(nid).unwrap()).unwrap();
        sec1.push((
            name,
            ec.private_key_to_der().unwrap(),
            ec.private_key_to_pem().unwrap(),
        ));
        keys.push((name, PKey::from_ec_key(ec).unwrap()));
    }
    let want = Some(Error::UnsupportedAlgorithm);
    for (name, key) in &keys {
        let at = format!("{name} key into the {} API", C::NAME);
        let der = key.private_key_to_pkcs8().unwrap();
        let pem = String::from_utf8(key.private_key_to_pem_pkcs8().unwrap()).unwrap();
        assert_eq!(C::sk_from_pkcs8_der(&der).err(), want, "{at}: PKCS#8 DER");
        assert_eq!(C::sk_from_pkcs8_pem(&pem).err(), want, "{at}: PKCS#8 PEM");
        let der = key.public_key_to_der().unwrap();
        let pem = String::from_utf8(key.public_key_to_pem().unwrap()).unwrap();
        assert_eq!(C::vk_from_spki_der(&der).err(), want, "{at}: SPKI DER");
        assert_eq!(C::vk_from_spki_pem(&pem).err(), want, "{at}: SPKI PEM");
    }
    for (name, der, pem) in &sec1 {
        let at = format!("{name} key into the {} API", C::NAME);
        assert_eq!(C::sk_from_sec1_der(der).err(), want, "{at}: SEC 1 DER");
        let pem = std::str::from_utf8(pem).unwrap();
        assert_eq!(C::sk_from_sec1_pem(pem).err(), want, "{at}: SEC 1 PEM");
    }
    // A PEM of the wrong kind: a public key where a private key is expected and back.
    let e = encodings::<C>(5);
    assert!(C::sk_from_pkcs8_pem(&e.spki_pem).is_err());
    assert!(C::sk_from_sec1_pem(&e.pkcs8_pem).is_err());
    assert!(C::sk_from_pkcs8_pem(&e.sec1_pem).is_err());
    assert!(C::vk_from_spki_pem(&e.pkcs8_pem).is_err());
}

#[test]
fn foreign_keys_are_unsupported_p256() {
    foreign_keys_are_unsupported::<P256>();
}

#[test]
fn foreign_keys_are_unsupported_p384() {
    foreign_keys_are_unsupported::<P384>();
}

// --- points, scalars, signatures, digests out of range -----------------------------------

fn bad_points<C: Curve>() {
    let b = C::BYTES;
    let e = encodings::<C>(11);
    let zeros = vec![0; 2 * b];
    // The identity and malformed tags.
    assert_eq!(
        C::vk_from_sec1(&[0]).err(),
        Some(IDENTITY),
        "00 (the identity)"
    );
    for bad in [
        vec![],
        vec![4],
        vec![2],
        vec![3],
        vec![0, 0],
        vec![6],
        vec![7],
    ] {
        assert_eq!(
            C::vk_from_sec1(&bad).err(),
            Some(BAD_POINT_ENCODING),
            "{}",
            to_hex(&bad)
        );
    }
    for tag in [0u8, 1, 5, 6, 7, 0xff] {
        let mut bad = e.point.clone();
        bad[0] = tag;
        assert_eq!(
            C::vk_from_sec1(&bad).err(),
            Some(BAD_POINT_ENCODING),
            "tag {tag:02x}"
        );
        let mut bad = e.point_compressed.clone();
        bad[0] = tag;
        assert_eq!(
            C::vk_from_sec1(&bad).err(),
            Some(BAD_POINT_ENCODING),
            "tag {tag:02x}"
        );
    }
    // (0, 0), off the curve (b ≠ 0); y + 1; x, y = p.
    let mut off = vec![4];
    off.extend(&zeros);
    assert_eq!(
        C::vk_from_sec1(&off).err(),
        Some(Error::InvalidPublicKey),
        "04 ‖ zeros"
    );
    let mut off = e.point.clone();
    off[2 * b] ^= 1;
    assert_eq!(
        C::vk_from_sec1(&off).err(),
        Some(Error::InvalidPublicKey),
        "y + 1"
    );
    let p = prime::<C>();
    let mut at_p = e.point.clone();
    at_p[1..=b].copy_from_slice(&p);
    assert_eq!(
        C::vk_from_sec1(&at_p).err(),
        Some(Error::InvalidPublicKey),
        "x = p"
    );
    let mut x_p = e.point_compressed.clone();
    x_p[1..].copy_from_slice(&p);
    assert_eq!(
        C::vk_from_sec1(&x_p).err(),
        Some(Error::InvalidPublicKey),
        "compressed x = p"
    );
    // An x with no y: x³ + ax + b must be a square. Try x = 1, 2, ... until one is not
    // (OpenSSL decides).
    let group = EcGroup::from_curve_name(C::NID).unwrap();
    let mut ctx = openssl::bn::BigNumContext::new().unwrap();
    let mut found = false;
    for x in 1..50u8 {
        let mut c = vec![2];
        c.extend(pad(&[x], b));
        if openssl::ec::EcPoint::from_bytes(&group, &c, &mut ctx).is_err() {
            assert_eq!(
                C::vk_from_sec1(&c).err(),
                Some(Error::InvalidPublicKey),
                "x = {x}"
            );
            found = true;
        } else {
            assert!(C::vk_from_sec1(&c).is_ok(), "x = {x} is on the curve");
        }
    }
    assert!(found, "no x without a y among 1..50");
    // The same off-curve point inside an SPKI.
    let mut spki = e.spki_der.clone();
    let n = spki.len();
    spki[n - 1] ^= 1;
    assert_eq!(
        C::vk_from_spki_der(&spki).err(),
        Some(Error::InvalidPublicKey),
        "SPKI, y + 1"
    );
}

#[test]
fn bad_points_p256() {
    bad_points::<P256>();
}

#[test]
fn bad_points_p384() {
    bad_points::<P384>();
}

fn bad_scalars<C: Curve>() {
    let n = order::<C>();
    let modn = ModN::new::<C>();
    let b = C::BYTES;
    let n_plus_1 = modn.plus_multiple_of_n(&[1], 1);
    for bad in [vec![0; b], n.clone(), n_plus_1, vec![0xff; b]] {
        assert_eq!(
            C::sk_from_bytes(&bad).err(),
            Some(Error::InvalidSecretKey),
            "{}",
            to_hex(&bad)
        );
    }
    let mut n_minus_1 = n.clone();
    n_minus_1[b - 1] -= 1;
    assert!(C::sk_from_bytes(&n_minus_1).is_ok(), "n − 1 is a key");
    for len in [0, 1, b - 1, b + 1, 2 * b] {
        let bad = vec![1; len];
        assert_eq!(
            C::sk_from_bytes(&bad).err(),
            Some(BAD_SCALAR_LENGTH),
            "{len} bytes"
        );
    }
    // A PKCS#8 or SEC 1 key holding 0 or n: built from a valid one by replacing the
    // scalar in place (it is the only `04 len d` of that length).
    let e = encodings::<C>(13);
    for (name, der) in [("PKCS#8", &e.pkcs8_der), ("SEC 1", &e.sec1_der)] {
        let at = der
            .windows(b)
            .position(|w| w == e.d.as_slice())
            .expect("scalar in DER");
        for bad in [vec![0; b], n.clone()] {
            let mut der = der.clone();
            der[at..at + b].copy_from_slice(&bad);
            let got = if name == "PKCS#8" {
                C::sk_from_pkcs8_der(&der)
            } else {
                C::sk_from_sec1_der(&der)
            };
            assert_eq!(
                got.err(),
                Some(Error::InvalidSecretKey),
                "{} {name} with d = {}",
                C::NAME,
                to_hex(&bad)
            );
        }
    }
}

#[test]
fn bad_scalars_p256() {
    bad_scalars::<P256>();
}

#[test]
fn bad_scalars_p384() {
    bad_scalars::<P384>();
}

/// r or s of 0, n, n + 1 or 2^k − 1, in both encodings, are InvalidSignature, whether
/// the parser or the verifier catches them.
fn bad_signature_values<C: Curve>() {
    let b = C::BYTES;
    let sk = C::sk_random(&mut TestRng::new(17));
    let vk = C::sk_public(&sk);
    let msg = b"out of range";
    let good = C::sig_to_bytes(&C::sign(&sk, msg));
    let (r, s) = split_sig(&good);
    let n = order::<C>();
    let mut modn = ModN::new::<C>();
    let values = [
        vec![0; b],
        n.clone(),
        modn.plus_multiple_of_n(&[1], 1),
        vec![0xff; b],
    ];
    let mut checked = 0;
    for v in &values {
        for (rr, ss) in [(v.as_slice(), s), (r, v.as_slice())] {
            let fixed = [rr, ss].concat();
            let got = C::sig_from_slice(&fixed).and_then(|sig| C::verify(&vk, msg, &sig));
            assert_eq!(
                got,
                Err(Error::InvalidSignature),
                "{} r‖s = {}",
                C::NAME,
                to_hex(&fixed)
            );
            let der = der_signature(rr, ss);
            let got = C::sig_from_der(&der).and_then(|sig| C::verify(&vk, msg, &sig));
            assert_eq!(
                got,
                Err(Error::InvalidSignature),
                "{} DER {}",
                C::NAME,
                to_hex(&der)
            );
            checked += 2;
        }
    }
    // r + n and s + n do not fit: a DER integer longer than n is out of range.
    for (rr, ss) in [
        (modn.plus_multiple_of_n(r, 1), s.to_vec()),
        (r.to_vec(), modn.plus_multiple_of_n(s, 1)),
    ] {
        let der = der_signature(&rr, &ss);
        let got = C::sig_from_der(&der).and_then(|sig| C::verify(&vk, msg, &sig));
        assert!(
            matches!(got, Err(Error::InvalidSignature | Error::InvalidEncoding)),
            "{} DER {}: {got:?}",
            C::NAME,
            to_hex(&der)
        );
        checked += 1;
    }
    // And n − s, the other valid s: accepted (standard ECDSA, not low-S only).
    let other = [r, &modn.neg(s)].concat();
    let sig = C::sig_from_slice(&other).unwrap();
    assert_eq!(C::verify(&vk, msg, &sig), Ok(()), "{}: n − s", C::NAME);
    println!(
        "{}: {checked} signatures with r or s out of range rejected",
        C::NAME
    );
}

/// DER `SEQUENCE { INTEGER r, INTEGER s }` from big-endian magnitudes (short form lengths
/// suffice up to P-384).
fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn int(v: &[u8]) -> Vec<u8> {
        let start = v.iter().position(|&b| b != 0).unwrap_or(v.len() - 1);
        let mut body = v[start..].to_vec();
        if body[0] & 0x80 != 0 {
            body.insert(0, 0);
        }
        let mut out = vec![2, body.len() as u8];
        out.extend(body);
        out
    }
    let body = [int(r), int(s)].concat();
    let mut out = vec![0x30];
    if body.len() >= 0x80 {
        out.push(0x81);
    }
    out.push(body.len() as u8);
    out.extend(body);
    out
}

#[test]
fn bad_signature_values_p256() {
    bad_signature_values::<P256>();
}

#[test]
fn bad_signature_values_p384() {
    bad_signature_values::<P384>();
}

/// Digests of 0 to 15 bytes are refused by signing and verification; 16 and more work.
fn short_digests<C: Curve>() {
    let sk = C::sk_random(&mut TestRng::new(19));
    let vk = C::sk_public(&sk);
    let sig = C::sign(&sk, b"digest");
    for len in 0..16 {
        let digest = vec![0xa5; len];
        assert_eq!(
            C::sign_prehash(&sk, &digest).err(),
            Some(SHORT_DIGEST),
            "{len}-byte digest"
        );
        assert_eq!(
            C::verify_prehash(&vk, &digest, &sig),
            Err(SHORT_DIGEST),
            "{len}-byte digest"
        );
        assert_eq!(
            C::sign_prehash_rfc6979(&sk, Hash::Sha256, &digest).err(),
            Some(SHORT_DIGEST),
            "{len}-byte digest, hazmat"
        );
    }
    for len in [16, 20, 31, 33, 47, 49, 64, 100] {
        let digest = vec![0x5a; len];
        let sig = C::sign_prehash(&sk, &digest).unwrap_or_else(|e| panic!("{len}: {e:?}"));
        assert_eq!(
            C::verify_prehash(&vk, &digest, &sig),
            Ok(()),
            "{len}-byte digest"
        );
    }
}

#[test]
fn short_digests_p256() {
    short_digests::<P256>();
}

#[test]
fn short_digests_p384() {
    short_digests::<P384>();
}

/// The hazmat functions on bad nonces and scalars: k = 0 or k ≥ n is InvalidSecretKey, a
/// k of the wrong length InvalidLength; a valid k gives a signature that verifies.
fn hazmat_bad_input<C: Curve>() {
    let sk = C::sk_random(&mut TestRng::new(29));
    let vk = C::sk_public(&sk);
    let digest = C::HASH.digest(b"hazmat");
    let b = C::BYTES;
    let n = order::<C>();
    let modn = ModN::new::<C>();
    let out_of_range = [
        vec![0; b],
        n.clone(),
        modn.plus_multiple_of_n(&[1], 1),
        vec![0xff; b],
    ];
    for k in &out_of_range {
        let at = format!("{} k = {}", C::NAME, to_hex(k));
        let got = C::sign_prehash_with_nonce(&sk, k, &digest);
        assert_eq!(
            got.err(),
            Some(Error::InvalidSecretKey),
            "{at}: sign_prehash_with_nonce"
        );
        assert_eq!(
            C::mul(k, &vk).err(),
            Some(Error::InvalidSecretKey),
            "{at}: mul"
        );
    }
    for len in [0, 1, b - 1, b + 1] {
        let k = vec![1; len];
        let got = C::sign_prehash_with_nonce(&sk, &k, &digest);
        assert_eq!(got.err(), Some(Error::InvalidLength), "{len}-byte k");
        assert_eq!(
            C::mul(&k, &vk).err(),
            Some(Error::InvalidLength),
            "{len}-byte k"
        );
    }
    assert_eq!(
        C::sign_prehash_with_nonce(&sk, &pad(&[7], b), &digest[..15]).err(),
        Some(SHORT_DIGEST),
        "15-byte digest"
    );
    // n − 1 and 1 are valid nonces; n − 1 is −1, so its R is −G: same x as k = 1.
    let mut n_minus_1 = n.clone();
    n_minus_1[b - 1] -= 1;
    let one = pad(&[1], b);
    let mut xs = Vec::new();
    for k in [&one, &n_minus_1] {
        let sig = C::sign_prehash_with_nonce(&sk, k, &digest).unwrap();
        assert_eq!(
            C::verify_prehash(&vk, &digest, &sig),
            Ok(()),
            "k = {}",
            to_hex(k)
        );
        xs.push(split_sig(&C::sig_to_bytes(&sig)).0.to_vec());
    }
    assert_eq!(xs[0], xs[1], "{}: r for k = 1 and k = n − 1", C::NAME);
    // 1·Q = Q and (n − 1)·Q = −Q: same x, the other y parity.
    let q = C::vk_to_sec1(&vk, true);
    assert_eq!(C::vk_to_sec1(&C::mul(&one, &vk).unwrap(), true), q, "1·Q");
    let minus_q = C::vk_to_sec1(&C::mul(&n_minus_1, &vk).unwrap(), true);
    assert_eq!(
        (minus_q[0] ^ q[0], &minus_q[1..]),
        (1, &q[1..]),
        "(n − 1)·Q"
    );
}

#[test]
fn hazmat_bad_input_p256() {
    hazmat_bad_input::<P256>();
}

#[test]
fn hazmat_bad_input_p384() {
    hazmat_bad_input::<P384>();
}

// --- Debug --------------------------------------------------------------------------------

fn debug_hides_the_secret<C: Curve>() {
    let mut rng = TestRng::new(23);
    for _ in 0..8 {
        let sk = C::sk_random(&mut rng);
        let d = C::sk_to_bytes(&sk);
        let shown = C::sk_debug(&sk);
        for secret in [
            to_hex(&d),
            to_hex(&d).to_lowercase(),
            format!("{d:?}"),
            format!("{:?}", &d[..8]).trim_end_matches(']').to_owned(),
            to_hex(&d[..8]),
            to_hex(&d[..8]).to_lowercase(),
        ] {
            assert!(
                !shown.contains(&secret),
                "{} Debug shows the secret: {shown}",
                C::NAME
            );
        }
    }
}

#[test]
fn debug_hides_the_secret_p256() {
    debug_hides_the_secret::<P256>();
}

#[test]
fn debug_hides_the_secret_p384() {
    debug_hides_the_secret::<P384>();
}

// --- proptest: no panics, laws ------------------------------------------------------------

/// Every parser on `bytes` (and on `bytes` as text, and wrapped in each PEM armour) returns,
/// and what it accepts is canonical.
fn parsers_do_not_panic<C: Curve>(bytes: &[u8]) -> Result<(), TestCaseError> {
    for (name, parse) in binary_parsers::<C>() {
        if let Ok(again) = parse(bytes) {
            prop_assert_eq!(
                to_hex(&again),
                to_hex(bytes),
                "{} {} accepted",
                C::NAME,
                name
            );
        }
    }
    let text = String::from_utf8_lossy(bytes);
    let b64 = openssl::base64::encode_block(bytes);
    for (_, parse) in pem_parsers::<C>() {
        let _ = parse(&text);
        for label in ["PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY"] {
            let _ = parse(&format!(
                "-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n"
            ));
        }
    }
    Ok(())
}

/// The laws on one key and message.
fn laws<C: Curve>(d: &[u8], msg: &[u8], seed: u64) -> Result<(), TestCaseError> {
    let d = &d[..C::BYTES];
    let sk = match C::sk_from_bytes(d) {
        Ok(sk) => sk,
        Err(e) => {
            // Only 0 and values ≥ n are refused; random bytes reach them only on P-256
            // with probability ~2^-32.
            prop_assert_eq!(e, Error::InvalidSecretKey);
            prop_assert!(d.iter().all(|&b| b == 0) || d >= order::<C>().as_slice());
            return Ok(());
        }
    };
    prop_assert_eq!(C::sk_to_bytes(&sk), d.to_vec());
    let vk = C::sk_public(&sk);
    let at = format!("{} d = {} msg = {}", C::NAME, to_hex(d), to_hex(msg));

    // Deterministic signatures verify; the same input gives the same signature.
    let sig = C::sign(&sk, msg);
    prop_assert_eq!(C::verify(&vk, msg, &sig), Ok(()), "{}", at);
    let bytes = C::sig_to_bytes(&sig);
    prop_assert_eq!(
        &C::sig_to_bytes(&C::sign(&sk, msg)),
        &bytes,
        "{}: not deterministic",
        at
    );
    let digest = C::HASH.digest(msg);
    prop_assert_eq!(C::verify_prehash(&vk, &digest, &sig), Ok(()), "{}", at);
    let pre = C::sign_prehash(&sk, &digest).unwrap();
    prop_assert_eq!(
        &C::sig_to_bytes(&pre),
        &bytes,
        "{}: sign_prehash(H(m)) ≠ sign(m)",
        at
    );
    let extended = [msg, b"!"].concat();
    prop_assert_eq!(
        C::verify(&vk, &extended, &sig),
        Err(Error::InvalidSignature),
        "{}",
        at
    );

    // Encodings round trip.
    let der = C::sig_to_der(&sig);
    prop_assert_eq!(
        C::sig_to_bytes(&C::sig_from_der(&der).unwrap()),
        bytes.clone()
    );
    prop_assert_eq!(
        C::sig_to_bytes(&C::sig_from_slice(&bytes).unwrap()),
        bytes.clone()
    );
    prop_assert_eq!(C::sig_to_der(&C::sig_from_slice(&bytes).unwrap()), der);

    // normalize_s: low, verifies, and is s or n − s.
    let mut modn = ModN::new::<C>();
    let (r, s) = split_sig(&bytes);
    let low = C::sig_to_bytes(&C::sig_normalize_s(&sig));
    let (lr, ls) = split_sig(&low);
    prop_assert_eq!(lr, r);
    prop_assert!(!modn.is_high(ls), "{}: normalize_s left s high", at);
    if modn.is_high(s) {
        prop_assert_eq!(ls.to_vec(), modn.neg(s), "{}", at);
    } else {
        prop_assert_eq!(ls, s, "{}: normalize_s changed a low s", at);
    }
    prop_assert_eq!(C::sig_is_high_s(&sig), modn.is_high(s), "{}: is_high_s", at);
    let low_sig = C::sig_from_slice(&low).unwrap();
    prop_assert_eq!(C::verify(&vk, msg, &low_sig), Ok(()), "{}: low-S form", at);

    // Hedged: differs from the deterministic signature and verifies.
    let mut rng = TestRng::new(seed);
    let hedged = C::sign_with_rng(&sk, &mut rng, msg);
    prop_assert_ne!(
        C::sig_to_bytes(&hedged),
        bytes.clone(),
        "{}: hedged = deterministic",
        at
    );
    prop_assert_eq!(C::verify(&vk, msg, &hedged), Ok(()), "{}: hedged", at);

    // The hazmat RFC 6979 with the curve's own hash is `sign_prehash`.
    let hazmat = C::sign_prehash_rfc6979(&sk, C::HASH, &digest).unwrap();
    prop_assert_eq!(&C::sig_to_bytes(&hazmat), &bytes, "{}: hazmat RFC 6979", at);

    // Another key does not verify it.
    let mut d2 = d.to_vec();
    d2[C::BYTES - 1] ^= 1;
    if let Ok(other) = C::sk_from_bytes(&d2) {
        prop_assert_eq!(
            C::verify(&C::sk_public(&other), msg, &sig),
            Err(Error::InvalidSignature),
            "{}: another key",
            at
        );
        // Diffie–Hellman through hazmat::mul: d·(d2·G) = d2·(d·G).
        let one_way = C::mul(d, &C::sk_public(&other)).unwrap();
        let other_way = C::mul(&d2, &vk).unwrap();
        prop_assert_eq!(
            C::vk_to_sec1(&one_way, false),
            C::vk_to_sec1(&other_way, false),
            "{}: mul does not commute",
            at
        );
    }

    // Keys round trip through every encoding.
    let q = C::vk_to_sec1(&vk, false);
    for back in [
        C::sk_from_pkcs8_der(&C::sk_to_pkcs8_der(&sk)),
        C::sk_from_pkcs8_pem(&C::sk_to_pkcs8_pem(&sk)),
        C::sk_from_sec1_der(&C::sk_to_sec1_der(&sk)),
        C::sk_from_sec1_pem(&C::sk_to_sec1_pem(&sk)),
    ] {
        prop_assert_eq!(C::sk_to_bytes(&back.unwrap()), d.to_vec(), "{}", at);
    }
    for back in [
        C::vk_from_spki_der(&C::vk_to_spki_der(&vk)),
        C::vk_from_spki_pem(&C::vk_to_spki_pem(&vk)),
        C::vk_from_sec1(&q),
        C::vk_from_sec1(&C::vk_to_sec1(&vk, true)),
    ] {
        prop_assert_eq!(C::vk_to_sec1(&back.unwrap(), false), q.clone(), "{}", at);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(256)))]

    /// Random bytes into every parser, both curves.
    #[test]
    fn random_bytes_do_not_panic(bytes in vec(any::<u8>(), 0..300)) {
        parsers_do_not_panic::<P256>(&bytes)?;
        parsers_do_not_panic::<P384>(&bytes)?;
    }

    /// Valid encodings with a few random bytes overwritten, both curves.
    #[test]
    fn mutated_encodings_do_not_panic(
        seed in 0u64..4,
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        for e in [encodings::<P256>(seed), encodings::<P384>(seed)] {
            for input in binary_inputs(&e) {
                let mut bad = input.to_vec();
                for (i, b) in &edits {
                    let i = i.index(bad.len());
                    bad[i] = *b;
                }
                parsers_do_not_panic::<P256>(&bad)?;
                parsers_do_not_panic::<P384>(&bad)?;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(96)))]

    /// The laws, on random keys and messages.
    #[test]
    fn laws_hold(d in vec(any::<u8>(), 48), msg in vec(any::<u8>(), 0..300), seed in any::<u64>()) {
        laws::<P256>(&d, &msg, seed)?;
        laws::<P384>(&d, &msg, seed)?;
    }
}
