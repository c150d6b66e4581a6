//! The fuzz bodies: one function per input surface of the crate, shared by the libFuzzer
//! targets (`fuzz/fuzz_targets/*.rs`, nightly, `cargo fuzz`) and by the stable corpus
//! replay test (`tests/fuzz_corpus.rs`, which includes this file with `#[path]`). Each body
//! takes arbitrary bytes, calls the public API and panics only on a broken property (a
//! round trip that changes the value, a disagreement with the reference implementation):
//! a typed error is the expected answer to bad input.
//!
//! Multi-part inputs are framed by [`Input`]: a selector byte, then fields each prefixed by
//! a little-endian `u16` length (clamped to what is left), the last field taking the rest.
//! [`frame`] writes the same framing for the seed generator.
//!
//! Fixtures (fixed keys, a fixed statistics round) come from `vectors/` and
//! `fuzz/fixtures/`; no body generates keys.

use std::sync::OnceLock;

use tsubaki::Error;

/// A fuzz body: takes any bytes, panics only on a broken property.
pub type Body = fn(&[u8]);

/// Every body, by target name (the directory name under `fuzz/corpus/`).
pub const TARGETS: &[(&str, Body)] = &[
    ("pem_base64", pem_base64),
    ("pkcs8", pkcs8),
    ("sec1_der", sec1_der),
    ("spki", spki),
    ("signature", signature),
    ("sec1_point", sec1_point),
    ("paillier_binary", paillier_binary),
    ("paillier_ciphertext", paillier_ciphertext),
    ("paillier_json", paillier_json),
    ("paillier_secret_import", paillier_secret_import),
    ("threshold", threshold),
    ("shamir_share", shamir_share),
    ("hpke_open", hpke_open),
    ("aead_open", aead_open),
    ("key_unwrap", key_unwrap),
    ("cbc_unpad", cbc_unpad),
    ("stats_binary", stats_binary),
    ("stats_json", stats_json),
    ("cli_json", cli_json),
    ("camellia_diff", camellia_diff),
    ("ecdsa_openssl", ecdsa_openssl),
    ("bigint_diff", bigint_diff),
];

// ---------------------------------------------------------------------------------------
// Framing
// ---------------------------------------------------------------------------------------

/// A cursor over a fuzz input (see the module docs). Never fails: a short input reads as
/// zeros and empty fields.
pub struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    /// Wraps `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Input(data)
    }

    /// One byte (0 once the input is used up).
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    /// A field: a `u16` little-endian length, then that many bytes (fewer if the input
    /// ends first).
    pub fn field(&mut self) -> &'a [u8] {
        let len = usize::from(u16::from_le_bytes([self.byte(), self.byte()]));
        let (head, tail) = self.0.split_at(len.min(self.0.len()));
        self.0 = tail;
        head
    }

    /// Exactly `n` bytes, zero-padded if the input ends first.
    pub fn fixed<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let n = N.min(self.0.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        out
    }

    /// Whatever is left.
    pub fn rest(self) -> &'a [u8] {
        self.0
    }
}

/// The framing [`Input`] reads: `selector`, then each of `fields` but the last with its
/// `u16` length, then the last field as the rest.
pub fn frame(selector: u8, fields: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![selector];
    for (i, f) in fields.iter().enumerate() {
        if i + 1 < fields.len() {
            let len = u16::try_from(f.len()).expect("field longer than 65535 bytes");
            out.extend_from_slice(&len.to_le_bytes());
        }
        out.extend_from_slice(f);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

/// The 2048-bit python-paillier test key of `vectors/paillier/` (read once).
pub fn paillier_key() -> &'static tsubaki::paillier::SecretKey {
    static KEY: OnceLock<tsubaki::paillier::SecretKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let text = include_str!("../../vectors/paillier/phe_2048_private.json");
        let v: serde_json::Value = serde_json::from_str(text).expect("fixture JSON");
        let s = |x: &serde_json::Value| x.as_str().expect("fixture string").to_owned();
        let public = tsubaki::paillier::phe::PhePublicJwk {
            kty: s(&v["pub"]["kty"]),
            alg: s(&v["pub"]["alg"]),
            key_ops: vec![s(&v["pub"]["key_ops"][0])],
            n: s(&v["pub"]["n"]),
            kid: v["pub"]["kid"].as_str().map(str::to_owned),
        };
        let jwk = tsubaki::paillier::phe::PhePrivateJwk {
            kty: s(&v["kty"]),
            key_ops: vec![s(&v["key_ops"][0])],
            p: s(&v["p"]),
            q: s(&v["q"]),
            public,
            kid: v["kid"].as_str().map(str::to_owned),
        };
        jwk.to_secret_key().expect("fixture key")
    })
}

/// The public key of [`paillier_key`] (built once).
pub fn paillier_pk() -> &'static tsubaki::paillier::PublicKey {
    static PK: OnceLock<tsubaki::paillier::PublicKey> = OnceLock::new();
    PK.get_or_init(|| paillier_key().public_key())
}

/// The fixed statistics round of `fuzz/fixtures/round.bin` (made by the ignored test
/// `generate_seeds` in `tests/fuzz_corpus.rs`), or `None` if that file is still empty.
pub fn round() -> Option<&'static tsubaki::stats::Round> {
    static ROUND: OnceLock<Option<tsubaki::stats::Round>> = OnceLock::new();
    ROUND
        .get_or_init(|| {
            let bytes: &[u8] = include_bytes!("../fixtures/round.bin");
            if bytes.is_empty() {
                return None;
            }
            Some(tsubaki::stats::Round::from_bytes(bytes).expect("fixture round"))
        })
        .as_ref()
}

/// The HPKE suites and a fixed recipient key pair for each (derived from a constant).
pub fn hpke_recipients() -> &'static [(tsubaki::hpke::Suite, tsubaki::hpke::Keypair)] {
    use tsubaki::hpke::{Keypair, Suite};
    static KEYS: OnceLock<Vec<(Suite, Keypair)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            Suite::P256_SHA256_CAMELLIA128_GCM,
            Suite::P384_SHA384_CAMELLIA256_GCM,
        ]
        .into_iter()
        .map(|s| {
            let kp = Keypair::derive(s, b"tsubaki fuzz fixture recipient").expect("derive");
            (s, kp)
        })
        .collect()
    })
}

/// A fixed HPKE sender key pair per suite (auth mode).
pub fn hpke_senders() -> &'static [tsubaki::hpke::Keypair] {
    use tsubaki::hpke::Keypair;
    static KEYS: OnceLock<Vec<Keypair>> = OnceLock::new();
    KEYS.get_or_init(|| {
        hpke_recipients()
            .iter()
            .map(|(s, _)| Keypair::derive(*s, b"tsubaki fuzz fixture sender").expect("derive"))
            .collect()
    })
}

fn utf8(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

// ---------------------------------------------------------------------------------------
// Encodings of keys and signatures (ec::pkcs, ec::formats, encoding::{der, pem, base64})
// ---------------------------------------------------------------------------------------

/// PEM armour and base64 (the `encoding` module is private: reached through every PEM
/// entry point and python-paillier's base64url and decimal integers).
pub fn pem_base64(data: &[u8]) {
    use tsubaki::ec::{p256, p384};
    use tsubaki::paillier::phe;
    let mut i = Input::new(data);
    let sel = i.byte();
    let Some(s) = utf8(i.rest()) else { return };
    match sel % 8 {
        0 => {
            if let Ok(k) = p256::SigningKey::from_pkcs8_pem(s) {
                let again = p256::SigningKey::from_pkcs8_pem(&k.to_pkcs8_pem()).unwrap();
                assert_eq!(*again.to_bytes(), *k.to_bytes());
            }
        }
        1 => {
            if let Ok(k) = p384::SigningKey::from_sec1_pem(s) {
                let again = p384::SigningKey::from_sec1_pem(&k.to_sec1_pem()).unwrap();
                assert_eq!(*again.to_bytes(), *k.to_bytes());
            }
        }
        2 => {
            if let Ok(k) = p256::VerifyingKey::from_public_key_pem(s) {
                let pem = k.to_public_key_pem();
                assert_eq!(p256::VerifyingKey::from_public_key_pem(&pem).unwrap(), k);
            }
        }
        3 => {
            let _ = p384::VerifyingKey::from_public_key_pem(s);
        }
        4 => {
            let _ = p256::SigningKey::from_sec1_pem(s);
            let _ = p384::SigningKey::from_pkcs8_pem(s);
        }
        5 | 6 => {
            if let Ok(x) = phe::base64url_to_int(s) {
                // Leading zero bytes are removed (python-paillier's `base64_to_int`), and
                // the value survives encoding and decoding again.
                assert_ne!(x.first(), Some(&0));
                let again = phe::base64url_to_int(&phe::int_to_base64url(&x)).unwrap();
                assert_eq!(*again, *x);
            }
        }
        _ => {
            let len = usize::from(s.len() as u8) * 5;
            if let Ok(x) = phe::decimal_to_be(s, len) {
                assert_eq!(x.len(), len);
                assert_eq!(phe::be_to_decimal(&x), s);
            }
            let _ = phe::decimal_to_be(s, usize::MAX);
        }
    }
}

/// PKCS#8 DER private keys (`PrivateKeyInfo` v1 and `OneAsymmetricKey` v2), both curves;
/// a key parsed re-encodes (as v1) to DER that parses to the same scalar.
pub fn pkcs8(data: &[u8]) {
    use tsubaki::ec::{p256, p384};
    if let Ok(k) = p256::SigningKey::from_pkcs8_der(data) {
        let again = p256::SigningKey::from_pkcs8_der(&k.to_pkcs8_der()).unwrap();
        assert_eq!(*again.to_bytes(), *k.to_bytes());
    }
    if let Ok(k) = p384::SigningKey::from_pkcs8_der(data) {
        let again = p384::SigningKey::from_pkcs8_der(&k.to_pkcs8_der()).unwrap();
        assert_eq!(*again.to_bytes(), *k.to_bytes());
    }
}

/// SEC 1 `ECPrivateKey` DER, both curves; a key parsed re-encodes to a key that parses to
/// the same scalar (the optional public key may be absent in the input).
pub fn sec1_der(data: &[u8]) {
    use tsubaki::ec::{p256, p384};
    if let Ok(k) = p256::SigningKey::from_sec1_der(data) {
        let again = p256::SigningKey::from_sec1_der(&k.to_sec1_der()).unwrap();
        assert_eq!(*again.to_bytes(), *k.to_bytes());
    }
    if let Ok(k) = p384::SigningKey::from_sec1_der(data) {
        let again = p384::SigningKey::from_sec1_der(&k.to_sec1_der()).unwrap();
        assert_eq!(*again.to_bytes(), *k.to_bytes());
    }
}

/// SPKI DER public keys, both curves; the parsed key re-encodes to the same point.
pub fn spki(data: &[u8]) {
    use tsubaki::ec::{p256, p384};
    if let Ok(k) = p256::VerifyingKey::from_public_key_der(data) {
        let again = p256::VerifyingKey::from_public_key_der(&k.to_public_key_der()).unwrap();
        assert_eq!(again, k);
    }
    if let Ok(k) = p384::VerifyingKey::from_public_key_der(data) {
        let again = p384::VerifyingKey::from_public_key_der(&k.to_public_key_der()).unwrap();
        assert_eq!(again, k);
    }
}

/// `Signature::from_der` (strict DER: what parses re-encodes byte for byte) and
/// `Signature::from_slice`, both curves.
pub fn signature(data: &[u8]) {
    use tsubaki::ec::{p256, p384};
    if let Ok(s) = p256::Signature::from_der(data) {
        assert_eq!(s.to_der(), data, "P-256 signature DER is not canonical");
    }
    if let Ok(s) = p384::Signature::from_der(data) {
        assert_eq!(s.to_der(), data, "P-384 signature DER is not canonical");
    }
    if let Ok(s) = p256::Signature::from_slice(data) {
        assert_eq!(s.to_bytes().as_ref(), data);
    }
    if let Ok(s) = p384::Signature::from_slice(data) {
        assert_eq!(s.to_bytes().as_ref(), data);
    }
}

/// `VerifyingKey::from_sec1_bytes`, both curves: a point parsed re-encodes (in the same
/// compression) to the input.
pub fn sec1_point(data: &[u8]) {
    use tsubaki::ec::{p256, p384};
    let compressed = matches!(data.first(), Some(2 | 3));
    if let Ok(k) = p256::VerifyingKey::from_sec1_bytes(data) {
        assert_eq!(k.to_sec1_bytes(compressed), data);
    }
    if let Ok(k) = p384::VerifyingKey::from_sec1_bytes(data) {
        assert_eq!(k.to_sec1_bytes(compressed), data);
    }
}

// ---------------------------------------------------------------------------------------
// Paillier and threshold Paillier
// ---------------------------------------------------------------------------------------

/// The binary Paillier formats that carry public data: public keys, keyed and bare
/// ciphertexts, packed ciphertexts (under the fixed 2048-bit key).
pub fn paillier_binary(data: &[u8]) {
    use tsubaki::paillier::format;
    let pk = paillier_pk();
    let mut i = Input::new(data);
    let sel = i.byte();
    let rest = i.rest();
    match sel % 4 {
        0 => {
            if let Ok(k) = format::public_key_from_bytes(rest) {
                assert_eq!(format::public_key_to_bytes(&k), rest);
            }
        }
        1 => {
            if let Ok(c) = format::KeyedCiphertext::from_bytes(rest) {
                assert_eq!(c.to_bytes(), rest);
                if let Ok(c) = c.open(pk) {
                    let _ = format::ciphertext_to_bytes(&c);
                }
            }
        }
        2 => {
            if let Ok(c) = format::ciphertext_from_bytes(pk, rest) {
                assert_eq!(format::ciphertext_to_bytes(&c), rest);
            }
        }
        _ => {
            if let Ok(c) = format::packed_from_bytes(pk, rest) {
                assert_eq!(format::packed_to_bytes(&c), rest);
            }
        }
    }
}

/// `Ciphertext::from_bytes` under the fixed key; what it accepts round-trips, and is
/// decrypted when the input's last byte is 0x2a (one input in 256: decryption costs
/// milliseconds, the parser microseconds).
pub fn paillier_ciphertext(data: &[u8]) {
    use tsubaki::paillier::Ciphertext;
    if let Ok(c) = Ciphertext::from_bytes(paillier_pk(), data) {
        assert_eq!(c.to_bytes(), data);
        if data.last() == Some(&0x2a) {
            let sk = paillier_key();
            let _ = sk.decrypt_be(&c);
            let _ = sk.decrypt_i64(&c);
        }
    }
}

/// The serde JSON forms of public Paillier data (public key, keyed and bare ciphertexts,
/// packed ciphertexts) and python-paillier's public JWK and ciphertext.
pub fn paillier_json(data: &[u8]) {
    let mut i = Input::new(data);
    let sel = i.byte();
    let rest = i.rest();
    #[cfg(feature = "serde")]
    {
        use serde::de::DeserializeSeed;
        use tsubaki::paillier::format::{CiphertextSeed, KeyedCiphertext, PackedSeed};
        use tsubaki::paillier::phe::{PheCiphertext, PhePublicJwk, PheScale};
        let pk = paillier_pk();
        match sel % 5 {
            0 => {
                let _ = serde_json::from_slice::<tsubaki::paillier::PublicKey>(rest);
            }
            1 => {
                let _ = serde_json::from_slice::<KeyedCiphertext>(rest);
            }
            2 => {
                let mut de = serde_json::Deserializer::from_slice(rest);
                let _ = CiphertextSeed(pk).deserialize(&mut de);
                let mut de = serde_json::Deserializer::from_slice(rest);
                let _ = PackedSeed(pk).deserialize(&mut de);
            }
            3 => {
                if let Ok(j) = serde_json::from_slice::<PhePublicJwk>(rest) {
                    let _ = j.to_public_key();
                }
            }
            _ => {
                if let Ok(j) = serde_json::from_slice::<PheCiphertext>(rest) {
                    let _ = j.to_ciphertext(pk, PheScale::Integer);
                }
            }
        }
    }
    #[cfg(not(feature = "serde"))]
    let _ = (sel, rest);
}

/// Secret Paillier key imports, each with its primality tests: `from_primes`, the binary
/// secret key, the serde JSON secret key and python-paillier's private JWK. Slow per input
/// (Baillie–PSW on each candidate prime).
pub fn paillier_secret_import(data: &[u8]) {
    use tsubaki::paillier::{SecretKey, format};
    let mut i = Input::new(data);
    let sel = i.byte();
    match sel % 4 {
        0 => {
            let p = i.field();
            let q = i.rest();
            let _ = SecretKey::from_primes(p, q);
        }
        1 => {
            let rest = i.rest();
            if let Ok(k) = format::secret_key_from_bytes(rest) {
                assert_eq!(&**format::secret_key_to_bytes(&k), rest);
            }
        }
        #[cfg(feature = "serde")]
        2 => {
            let _ = serde_json::from_slice::<SecretKey>(i.rest());
        }
        #[cfg(feature = "serde")]
        3 => {
            if let Ok(j) = serde_json::from_slice::<tsubaki::paillier::phe::PhePrivateJwk>(i.rest())
            {
                let _ = j.to_secret_key();
            }
        }
        _ => {}
    }
}

/// Threshold Paillier: public key, key share and decryption share, binary and JSON.
pub fn threshold(data: &[u8]) {
    use tsubaki::paillier::threshold::{DecryptionShare, KeyShare, ThresholdPublicKey};
    let mut i = Input::new(data);
    let sel = i.byte();
    let rest = i.rest();
    match sel % 6 {
        0 => {
            if let Ok(k) = ThresholdPublicKey::from_bytes(rest) {
                assert_eq!(k.to_bytes(), rest);
            }
        }
        1 => {
            if let Ok(k) = KeyShare::from_bytes(rest) {
                assert_eq!(&**k.to_bytes(), rest);
            }
        }
        2 => {
            if let Ok(s) = DecryptionShare::from_bytes(rest) {
                assert_eq!(s.to_bytes(), rest);
            }
        }
        #[cfg(feature = "serde")]
        3 => {
            let _ = serde_json::from_slice::<ThresholdPublicKey>(rest);
        }
        #[cfg(feature = "serde")]
        4 => {
            let _ = serde_json::from_slice::<KeyShare>(rest);
        }
        #[cfg(feature = "serde")]
        5 => {
            let _ = serde_json::from_slice::<DecryptionShare>(rest);
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// Shamir
// ---------------------------------------------------------------------------------------

/// `shamir::Share::from_bytes` and Feldman `Commitments::from_bytes`; each round-trips.
pub fn shamir_share(data: &[u8]) {
    use tsubaki::shamir::{Share, feldman};
    let mut i = Input::new(data);
    let sel = i.byte();
    let rest = i.rest();
    if sel.is_multiple_of(2) {
        if let Ok(s) = Share::from_bytes(rest) {
            assert_eq!(s.to_bytes(), rest);
        }
    } else if let Ok(c) = feldman::Commitments::from_bytes(rest) {
        assert_eq!(c.to_bytes(), rest);
    }
}

// ---------------------------------------------------------------------------------------
// HPKE and the Camellia AEADs, key wrap, CBC
// ---------------------------------------------------------------------------------------

/// HPKE open (base and auth modes, both suites) and sealed files (`hpke::file`).
pub fn hpke_open(data: &[u8]) {
    use tsubaki::hpke;
    let mut i = Input::new(data);
    let sel = i.byte();
    let which = usize::from(sel & 1);
    let (suite, recipient) = &hpke_recipients()[which];
    let sender = &hpke_senders()[which];
    match (sel >> 1) % 4 {
        0 => {
            let enc = i.field();
            let info = i.field();
            let aad = i.field();
            let _ = hpke::open(*suite, recipient, enc, info, aad, i.rest());
        }
        1 => {
            let enc = i.field();
            let info = i.field();
            let aad = i.field();
            let _ = hpke::open_auth(
                *suite,
                recipient,
                &sender.public_key_bytes(),
                enc,
                info,
                aad,
                i.rest(),
            );
        }
        2 => {
            let info = i.field();
            let _ = hpke::file::open_to_vec(recipient, None, info, i.rest());
        }
        _ => {
            let _ = hpke::file::FileHeader::from_bytes(i.rest());
        }
    }
}

/// Camellia-GCM and -CCM open (all key sizes, tag and nonce lengths), and the STREAM
/// header and opener.
pub fn aead_open(data: &[u8]) {
    use tsubaki::camellia::aead::{CamelliaCcm, CamelliaGcm, Tag, stream};
    let mut i = Input::new(data);
    let sel = i.byte();
    let key_len = [16, 24, 32][usize::from(sel % 3)];
    let key = [0x42u8; 32];
    let key = &key[..key_len];
    match (sel / 3) % 4 {
        0 => {
            let tag_len = usize::from(i.byte() % 17);
            let nonce = i.fixed::<12>();
            let aad = i.field();
            if let Ok(g) = CamelliaGcm::new_with_tag_len(key, tag_len) {
                let _ = g.open(&nonce, aad, i.rest());
            }
        }
        1 => {
            let nonce_len = usize::from(i.byte() % 16);
            let tag_len = usize::from(i.byte() % 17);
            let nonce = i.field();
            let aad = i.field();
            if let Ok(c) = CamelliaCcm::new(key, nonce_len, tag_len) {
                let _ = c.open(nonce, aad, i.rest());
            }
        }
        2 => {
            let _ = stream::Header::from_bytes(i.rest());
        }
        _ => {
            let header = i.field();
            let tag = Tag::from(i.fixed::<16>());
            let last = i.byte() & 1 == 1;
            if let Ok(mut o) = stream::StreamOpener::new(key, header) {
                let mut chunk = i.rest().to_vec();
                let _ = if last {
                    o.open_last(&mut chunk, &tag)
                } else {
                    o.open_chunk(&mut chunk, &tag)
                };
            }
        }
    }
}

/// RFC 3657 key unwrap: the allocating and the in-place forms agree.
pub fn key_unwrap(data: &[u8]) {
    use tsubaki::camellia::mac;
    let mut i = Input::new(data);
    let kek = i.field();
    let wrapped = i.rest();
    let a = mac::unwrap(kek, wrapped);
    let mut buf = wrapped.to_vec();
    let b = mac::unwrap_in_place(kek, &mut buf);
    match (a, b) {
        (Ok(k), Ok(())) => assert_eq!(&**k, &buf[8..]),
        (Err(x), Err(y)) => assert_eq!(x, y),
        (a, b) => panic!("unwrap {a:?} but unwrap_in_place {b:?}"),
    }
}

/// CBC decryption with PKCS#7 unpadding (`camellia::modes::hazmat::DecryptPadded`) and
/// `pkcs7_unpad`: what decrypts re-encrypts to the input.
pub fn cbc_unpad(data: &[u8]) {
    use tsubaki::camellia::Camellia128;
    use tsubaki::camellia::modes::{Cbc, hazmat::DecryptPadded, pkcs7_unpad};
    let mut i = Input::new(data);
    let iv = i.fixed::<16>();
    let ct = i.rest();
    let _ = pkcs7_unpad(ct);
    let cipher = Camellia128::new(&[7u8; 16]);
    let a = Cbc::new(&cipher, &iv).decrypt_padded_vec(ct);
    let mut buf = ct.to_vec();
    let b = Cbc::new(&cipher, &iv)
        .decrypt_padded(&mut buf)
        .map(<[u8]>::to_vec);
    assert_eq!(a, b);
    if let Ok(pt) = a {
        assert_eq!(Cbc::new(&cipher, &iv).encrypt_padded_vec(&pt), ct);
    }
}

// ---------------------------------------------------------------------------------------
// Statistics rounds (stats) and the CLI's JSON inputs
// ---------------------------------------------------------------------------------------

/// Every `stats` message in its binary form: the round manifest, and a contribution, an
/// aggregate and a partial decryption of the fixed round. What parses re-encodes to the
/// input; parsed contributions go through the aggregator's checks (signature included).
pub fn stats_binary(data: &[u8]) {
    use tsubaki::stats::{Aggregate, Aggregator, Contribution, PartialDecryption, Round};
    let mut i = Input::new(data);
    let sel = i.byte();
    let rest = i.rest();
    if sel.is_multiple_of(4) {
        if let Ok(r) = Round::from_bytes(rest) {
            assert_eq!(r.to_bytes(), rest);
        }
        return;
    }
    let Some(round) = round() else { return };
    match sel % 4 {
        1 => {
            if let Ok(c) = Contribution::from_bytes(round, rest) {
                assert_eq!(c.to_bytes(round), rest);
                let _ = Aggregator::check(round, &c);
            }
        }
        2 => {
            if let Ok(a) = Aggregate::from_bytes(round, rest) {
                assert_eq!(a.to_bytes(round), rest);
            }
        }
        _ => {
            if let Ok(p) = PartialDecryption::from_bytes(round, rest) {
                assert_eq!(p.to_bytes(round), rest);
            }
        }
    }
}

/// Every `stats` message in its JSON form (round, contribution, aggregate, partial) under
/// the fixed round; what converts also converts back to an equal binary form.
pub fn stats_json(data: &[u8]) {
    let mut i = Input::new(data);
    let sel = i.byte();
    let rest = i.rest();
    #[cfg(feature = "serde")]
    {
        use tsubaki::stats::{
            Aggregate, AggregateJson, Contribution, ContributionJson, PartialDecryption,
            PartialJson, Round,
        };
        if sel.is_multiple_of(4) {
            if let Ok(r) = serde_json::from_slice::<Round>(rest) {
                let again = Round::from_bytes(&r.to_bytes()).unwrap();
                assert_eq!(again.to_bytes(), r.to_bytes());
            }
            return;
        }
        let Some(round) = round() else { return };
        match sel % 4 {
            1 => {
                if let Ok(j) = serde_json::from_slice::<ContributionJson>(rest)
                    && let Ok(c) = Contribution::from_json(round, &j)
                {
                    let b = c.to_bytes(round);
                    assert_eq!(
                        Contribution::from_bytes(round, &b).unwrap().to_bytes(round),
                        b
                    );
                }
            }
            2 => {
                if let Ok(j) = serde_json::from_slice::<AggregateJson>(rest)
                    && let Ok(a) = Aggregate::from_json(round, &j)
                {
                    let b = a.to_bytes(round);
                    assert_eq!(Aggregate::from_bytes(round, &b).unwrap().to_bytes(round), b);
                }
            }
            _ => {
                if let Ok(j) = serde_json::from_slice::<PartialJson>(rest)
                    && let Ok(p) = PartialDecryption::from_json(round, &j)
                {
                    let b = p.to_bytes(round);
                    let again = PartialDecryption::from_bytes(round, &b).unwrap();
                    assert_eq!(again.to_bytes(round), b);
                }
            }
        }
    }
    #[cfg(not(feature = "serde"))]
    let _ = (sel, rest);
}

/// The CLI's JSON inputs, as far as the library parses them: the schema (`Schema`), the
/// values (`Values`, then `Schema::encode` against the fixed round's schema and against
/// the schema of the input when it holds one), and the roster and committee files. Those
/// two are `{"contributors"|"members": [{"id", "public_key"}]}` structs private to the
/// `tsubaki-cli` binary; the library's part of them is the SPKI PEM key, so this body
/// walks any JSON value and hands every `public_key` string to
/// `VerifyingKey::from_public_key_pem`.
pub fn cli_json(data: &[u8]) {
    let mut i = Input::new(data);
    let sel = i.byte();
    let rest = i.rest();
    #[cfg(feature = "serde")]
    {
        use tsubaki::ec::p256::VerifyingKey;
        use tsubaki::stats::{Schema, Values};
        match sel % 3 {
            0 => {
                if let Ok(s) = serde_json::from_slice::<Schema>(rest) {
                    let json = serde_json::to_vec(&s).unwrap();
                    let again: Schema = serde_json::from_slice(&json).unwrap();
                    assert_eq!(serde_json::to_vec(&again).unwrap(), json);
                    let zeros = vec![0u64; s.slot_count()];
                    let _ = (s.slot_bounds(), s.max_slot_bound(), zeros);
                }
            }
            1 => {
                if let Ok(v) = serde_json::from_slice::<Values>(rest)
                    && let Some(round) = round()
                    && let Ok(slots) = round.schema().encode(&v)
                {
                    assert_eq!(slots.len(), round.schema().slot_count());
                    let bounds = round.schema().slot_bounds();
                    assert!(slots.iter().zip(&bounds).all(|(s, b)| s <= b));
                }
            }
            _ => {
                fn walk(v: &serde_json::Value) {
                    match v {
                        serde_json::Value::Object(m) => {
                            for (k, v) in m {
                                if k == "public_key"
                                    && let Some(s) = v.as_str()
                                {
                                    let _ = VerifyingKey::from_public_key_pem(s);
                                }
                                walk(v);
                            }
                        }
                        serde_json::Value::Array(a) => a.iter().for_each(walk),
                        _ => {}
                    }
                }
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(rest) {
                    walk(&v);
                }
            }
        }
    }
    #[cfg(not(feature = "serde"))]
    let _ = (sel, rest);
}

// ---------------------------------------------------------------------------------------
// Differential targets
// ---------------------------------------------------------------------------------------

/// Every available Camellia backend against the table backend: arbitrary key (16, 24 or
/// 32 bytes), arbitrary data length, bulk calls split at an arbitrary block, CTR split at
/// an arbitrary byte, CBC decryption split at an arbitrary block.
pub fn camellia_diff(data: &[u8]) {
    let mut i = Input::new(data);
    let sel = i.byte();
    match sel % 3 {
        0 => camellia_diff_n::<16>(i),
        1 => camellia_diff_n::<24>(i),
        _ => camellia_diff_n::<32>(i),
    }
}

fn camellia_diff_n<const N: usize>(mut i: Input<'_>) {
    use tsubaki::camellia::modes::{Cbc, Ctr};
    use tsubaki::camellia::{Backend, Camellia};
    let key = i.fixed::<N>();
    let iv = i.fixed::<16>();
    let split = usize::from(u16::from_le_bytes(i.fixed::<2>()));
    let bytes = i.rest();
    let blocks: Vec<[u8; 16]> = bytes
        .chunks_exact(16)
        .map(|c| c.try_into().unwrap())
        .collect();
    let table = Camellia::<N>::with_backend(&key, Backend::Table).unwrap();
    let mut enc = blocks.clone();
    table.encrypt_blocks(&mut enc);
    let mut dec = blocks.clone();
    table.decrypt_blocks(&mut dec);
    let mut ctr = bytes.to_vec();
    Ctr::new(&table, &iv).apply_keystream(&mut ctr).unwrap();
    let mut cbc = blocks.clone();
    Cbc::new(&table, &iv).decrypt_blocks(&mut cbc);

    let bsplit = if blocks.is_empty() {
        0
    } else {
        split % (blocks.len() + 1)
    };
    let csplit = split % (bytes.len() + 1);
    for b in Backend::available() {
        let c = Camellia::<N>::with_backend(&key, b).unwrap();
        let mut x = blocks.clone();
        c.encrypt_blocks(&mut x);
        assert_eq!(x, enc, "{b:?} encrypt_blocks");
        let mut x = blocks.clone();
        let (l, r) = x.split_at_mut(bsplit);
        c.encrypt_blocks(l);
        c.encrypt_blocks(r);
        assert_eq!(x, enc, "{b:?} encrypt_blocks split at {bsplit}");
        let mut x = blocks.clone();
        let (l, r) = x.split_at_mut(bsplit);
        c.decrypt_blocks(l);
        c.decrypt_blocks(r);
        assert_eq!(x, dec, "{b:?} decrypt_blocks split at {bsplit}");
        if let Some(first) = blocks.first() {
            let mut one = *first;
            c.encrypt_block(&mut one);
            assert_eq!(one, enc[0], "{b:?} encrypt_block");
            c.decrypt_block(&mut one);
            assert_eq!(one, *first, "{b:?} decrypt_block");
        }
        let mut x = bytes.to_vec();
        let mut s = Ctr::new(&c, &iv);
        let (l, r) = x.split_at_mut(csplit);
        s.apply_keystream(l).unwrap();
        s.apply_keystream(r).unwrap();
        assert_eq!(x, ctr, "{b:?} CTR split at byte {csplit}");
        let mut x = blocks.clone();
        let mut s = Cbc::new(&c, &iv);
        let (l, r) = x.split_at_mut(bsplit);
        s.decrypt_blocks(l);
        s.decrypt_blocks(r);
        assert_eq!(x, cbc, "{b:?} CBC decrypt split at {bsplit}");
    }
}

/// ECDSA verification against OpenSSL on arbitrary keys (raw SEC 1 bytes, or the public
/// key of an arbitrary scalar), digests and signatures (raw r ‖ s, or a valid signature
/// with an arbitrary bit flipped or not).
pub fn ecdsa_openssl(data: &[u8]) {
    let mut i = Input::new(data);
    let sel = i.byte();
    if sel & 1 == 0 {
        ecdsa_openssl_curve::<tsubaki::ec::NistP256>(
            sel,
            i,
            openssl::nid::Nid::X9_62_PRIME256V1,
            32,
        );
    } else {
        ecdsa_openssl_curve::<tsubaki::ec::NistP384>(sel, i, openssl::nid::Nid::SECP384R1, 48);
    }
}

fn ecdsa_openssl_curve<C: tsubaki::ec::ecdsa::EcdsaCurve>(
    sel: u8,
    mut i: Input<'_>,
    nid: openssl::nid::Nid,
    scalar_bytes: usize,
) {
    use openssl::bn::{BigNum, BigNumContext};
    use openssl::ec::{EcGroup, EcKey, EcPoint};
    use openssl::ecdsa::EcdsaSig;
    use tsubaki::ec::ecdsa::{Signature, SigningKey, VerifyingKey};

    let key_field = i.field();
    let digest = i.field();
    let flip = u16::from_le_bytes(i.fixed::<2>());
    let sig_field = i.rest();

    // The key: raw SEC 1 bytes, or the public key of a scalar.
    let signer = if sel & 2 == 2 {
        SigningKey::<C>::from_slice(key_field).ok()
    } else {
        None
    };
    let point = match &signer {
        Some(k) => k.verifying_key().to_sec1_bytes(sel & 4 == 4),
        None => key_field.to_vec(),
    };
    // The signature: raw r ‖ s, or a signature by the scalar over the digest, one bit
    // flipped unless `flip` is out of range.
    let mut sig = sig_field.to_vec();
    if let Some(k) = &signer
        && sel & 8 == 8
        && let Ok(s) = k.sign_prehash(digest)
    {
        sig = s.to_bytes().as_ref().to_vec();
        let bit = usize::from(flip);
        if bit < 8 * sig.len() {
            sig[bit / 8] ^= 1 << (bit % 8);
        }
    }

    let group = EcGroup::from_curve_name(nid).unwrap();
    let mut ctx = BigNumContext::new().unwrap();
    let ours = VerifyingKey::<C>::from_sec1_bytes(&point);
    let theirs = EcPoint::from_bytes(&group, &point, &mut ctx)
        .and_then(|p| EcKey::from_public_key(&group, &p));
    let theirs = match (ours.is_ok(), theirs) {
        (true, Ok(k)) => k,
        (true, Err(e)) => panic!("tsubaki accepts a key OpenSSL refuses: {e}"),
        (false, Ok(k)) => {
            // OpenSSL also reads the hybrid forms 0x06/0x07, which SEC 1 allows and we
            // refuse on purpose; anything else it accepts must be accepted by us.
            let tag = point.first().copied().unwrap_or(0);
            assert!(
                matches!(tag, 6 | 7) || k.check_key().is_err(),
                "OpenSSL accepts a key tsubaki refuses: {:02x?}",
                point
            );
            return;
        }
        (false, Err(_)) => return,
    };
    let ours = ours.unwrap();
    // Same point: OpenSSL's uncompressed form equals ours.
    let bytes = theirs
        .public_key()
        .to_bytes(
            &group,
            openssl::ec::PointConversionForm::UNCOMPRESSED,
            &mut ctx,
        )
        .unwrap();
    assert_eq!(bytes, ours.to_sec1_bytes(false), "decoded points differ");

    if digest.len() < 16 {
        let any = unreachable_sig::<C>(scalar_bytes);
        assert_eq!(ours.verify_prehash(digest, &any), Err(Error::InvalidLength));
        return;
    }
    let half = sig.len() / 2;
    let ours_ok = match Signature::<C>::from_slice(&sig) {
        Ok(s) => ours.verify_prehash(digest, &s).is_ok(),
        Err(_) => false,
    };
    let theirs_ok = if sig.len().is_multiple_of(2) && !sig.is_empty() {
        let r = BigNum::from_slice(&sig[..half]).unwrap();
        let s = BigNum::from_slice(&sig[half..]).unwrap();
        let es = EcdsaSig::from_private_components(r, s).unwrap();
        // OpenSSL reads r, s of any length; we take exactly 2·BYTES.
        es.verify(digest, &theirs).unwrap_or(false) && sig.len() == 2 * scalar_bytes
    } else {
        false
    };
    assert_eq!(ours_ok, theirs_ok, "verification differs from OpenSSL");
}

/// r = s = 1: a signature in range, for reaching the digest length check.
fn unreachable_sig<C: tsubaki::ec::ecdsa::EcdsaCurve>(
    scalar_bytes: usize,
) -> tsubaki::ec::ecdsa::Signature<C> {
    let mut one = vec![0u8; 2 * scalar_bytes];
    one[scalar_bytes - 1] = 1;
    one[2 * scalar_bytes - 1] = 1;
    tsubaki::ec::ecdsa::Signature::<C>::from_slice(&one).unwrap()
}

/// The big-integer arithmetic (`bigint::Modulus`) against `num-bigint`: context building,
/// modular multiplication, Montgomery multiplication, reduction of a double-width value,
/// exponentiation (secret and public exponent), inversion.
pub fn bigint_diff(data: &[u8]) {
    use num_bigint::BigUint;
    use tsubaki::bigint::Modulus;
    let mut i = Input::new(data);
    let sel = i.byte();
    let m_be = i.field();
    let a_be = i.field();
    let b_be = i.rest();
    let m = BigUint::from_bytes_be(m_be);
    let ctx = match Modulus::new(m_be) {
        Ok(c) => c,
        Err(e) => {
            assert!(
                m_be.len() > Modulus::MAX_BYTES
                    || m.bits() < 2
                    || !m.bit(0)
                    || m < BigUint::from(3u8),
                "Modulus::new refused an odd modulus ≥ 3: {e:?}"
            );
            return;
        }
    };
    assert!(
        m.bit(0) && m >= BigUint::from(3u8),
        "even or tiny modulus accepted"
    );
    assert!(
        m_be.len() <= Modulus::MAX_BYTES,
        "overlong modulus accepted"
    );
    let len = ctx.len_bytes();
    assert_eq!(len, 8 * m_be.len().div_ceil(8).max(1));
    let a = BigUint::from_bytes_be(a_be);
    let b = BigUint::from_bytes_be(b_be);
    let fits = |x: &BigUint| *x < m;
    let num = |v: Vec<u8>| {
        assert_eq!(v.len(), len);
        BigUint::from_bytes_be(&v)
    };
    match sel % 6 {
        0 => match ctx.mul_be(a_be, b_be) {
            Some(r) => assert_eq!(num(r), (&a * &b) % &m),
            None => assert!(!fits(&a) || !fits(&b)),
        },
        1 => match ctx.mont_mul_be(a_be, b_be) {
            Some(r) => {
                let r = num(r);
                let big_r = BigUint::from(1u8) << (8 * len);
                assert_eq!((r * big_r) % &m, (&a * &b) % &m);
            }
            None => assert!(!fits(&a) || !fits(&b)),
        },
        2 => match ctx.reduce_be(a_be) {
            Some(r) => assert_eq!(num(r), &a % &m),
            None => assert!(a.bits() > (16 * len) as u64),
        },
        3 => match ctx.pow_secret_be(a_be, b_be) {
            Some(r) => assert_eq!(num(r), a.modpow(&b, &m)),
            None => assert!(!fits(&a)),
        },
        4 => match ctx.pow_public_vartime_be(a_be, b_be) {
            Some(r) => assert_eq!(num(r), a.modpow(&b, &m)),
            None => assert!(!fits(&a)),
        },
        _ => match ctx.inv_vartime_be(a_be) {
            Some(r) => assert_eq!((num(r) * &a) % &m, BigUint::from(1u8)),
            None => {
                assert!(!fits(&a) || num_bigint_gcd(&a, &m) != BigUint::from(1u8));
            }
        },
    }
}

fn num_bigint_gcd(a: &num_bigint::BigUint, b: &num_bigint::BigUint) -> num_bigint::BigUint {
    let (mut x, mut y) = (a.clone(), b.clone());
    while y != num_bigint::BigUint::from(0u8) {
        let r = &x % &y;
        x = y;
        y = r;
    }
    x
}

/// Keeps `Error` used when features trim the bodies.
#[allow(dead_code)]
fn _uses(_: Error) {}
