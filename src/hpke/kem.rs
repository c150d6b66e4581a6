//! DHKEM (RFC 9180 §4.1) over the NIST curves: DHKEM(P-256, HKDF-SHA256), `kem_id`
//! 0x0010, and DHKEM(P-384, HKDF-SHA384), `kem_id` 0x0011, with `DeriveKeyPair` (§7.1.3)
//! and the authenticated variants `AuthEncap` / `AuthDecap`.
//!
//! Public keys are serialized uncompressed (SEC 1 §2.3.3, `04 ‖ x ‖ y`, `Npk` = 65 / 97
//! bytes) and deserialized only in that form: any other length or tag is
//! `Error::InvalidEncoding`; a coordinate ≥ p, a point off the curve or the identity is
//! `Error::InvalidPublicKey` (SEC 1 §3.2.2.1 full validation, which RFC 9180 §7.1.4
//! requires). An encapsulated key made for the other curve has the other curve's length
//! and is refused for it. Both curves have prime order, so the DH of a valid key with a
//! nonzero scalar is never the identity and the all-zero check of §7.1.4 cannot trigger.
//!
//! # Constant time
//! Private scalars, DH outputs and every HKDF output are secret: the DH is `ec::ecdh`
//! (constant-time scalar multiplication, shared secret wiped on drop), DeriveKeyPair's range check is a `subtle` selection whose
//! verdict alone is declassified (the rejection count, probability 2⁻³² per try on P-256
//! and about 2⁻¹⁹⁰ on P-384, is public as DESIGN §9 allows), and every intermediate lands in
//! a buffer that wipes itself.

use alloc::vec::Vec;

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::kdf::Secret;
use super::{Kdf, Kem};
use crate::Error;
use crate::ec::ecdh::{PublicKey, SecretKey};
use crate::ec::ecdsa::EcdsaCurve;
use crate::ec::{NistP256, NistP384};

/// A KEM private key with its public key: the key behind [`super::Keypair`].
pub(super) enum KemKey {
    P256(SecretKey<NistP256>),
    P384(SecretKey<NistP384>),
}

impl Kem {
    /// The KEM identifier of RFC 9180 §7.1.
    pub const fn id(self) -> u16 {
        match self {
            Kem::P256HkdfSha256 => 0x0010,
            Kem::P384HkdfSha384 => 0x0011,
        }
    }

    /// `Nsecret`: the length of the KEM shared secret.
    pub const fn shared_secret_len(self) -> usize {
        self.kdf().hash_len()
    }

    /// `Nenc` = `Npk`: the length of an encapsulated key and of a serialized public key
    /// (uncompressed SEC 1).
    pub const fn public_key_len(self) -> usize {
        1 + 2 * self.private_key_len()
    }

    /// `Nsk`: the length of a serialized private key (a big-endian scalar).
    pub const fn private_key_len(self) -> usize {
        match self {
            Kem::P256HkdfSha256 => 32,
            Kem::P384HkdfSha384 => 48,
        }
    }

    /// The KDF inside the KEM (HKDF-SHA256 for P-256, HKDF-SHA384 for P-384).
    pub const fn kdf(self) -> Kdf {
        match self {
            Kem::P256HkdfSha256 => Kdf::HkdfSha256,
            Kem::P384HkdfSha384 => Kdf::HkdfSha384,
        }
    }

    /// `suite_id = "KEM" ‖ I2OSP(kem_id, 2)` (§4.1).
    fn suite_id(self) -> [u8; 5] {
        let id = self.id().to_be_bytes();
        [b'K', b'E', b'M', id[0], id[1]]
    }
}

/// The curves of the KEMs here, tied to their [`KemKey`] variant.
trait KemCurve: EcdsaCurve {
    const KEM: Kem;
    fn wrap(key: SecretKey<Self>) -> KemKey;
    fn unwrap(key: &KemKey) -> Option<&SecretKey<Self>>;
}

impl KemCurve for NistP256 {
    const KEM: Kem = Kem::P256HkdfSha256;
    fn wrap(key: SecretKey<Self>) -> KemKey {
        KemKey::P256(key)
    }
    fn unwrap(key: &KemKey) -> Option<&SecretKey<Self>> {
        match key {
            KemKey::P256(k) => Some(k),
            KemKey::P384(_) => None,
        }
    }
}

impl KemCurve for NistP384 {
    const KEM: Kem = Kem::P384HkdfSha384;
    fn wrap(key: SecretKey<Self>) -> KemKey {
        KemKey::P384(key)
    }
    fn unwrap(key: &KemKey) -> Option<&SecretKey<Self>> {
        match key {
            KemKey::P384(k) => Some(k),
            KemKey::P256(_) => None,
        }
    }
}

// --- keys ----------------------------------------------------------------------------------

impl KemKey {
    /// `GenerateKeyPair()`: a uniformly random scalar (see `ecdh::SecretKey::random`).
    pub(super) fn generate<R: CryptoRng + ?Sized>(kem: Kem, rng: &mut R) -> Self {
        match kem {
            Kem::P256HkdfSha256 => KemKey::P256(SecretKey::random(rng)),
            Kem::P384HkdfSha384 => KemKey::P384(SecretKey::random(rng)),
        }
    }

    /// `DeriveKeyPair(ikm)` (§7.1.3).
    pub(super) fn derive(kem: Kem, ikm: &[u8]) -> Result<Self, Error> {
        match kem {
            Kem::P256HkdfSha256 => derive::<NistP256>(ikm),
            Kem::P384HkdfSha384 => derive::<NistP384>(ikm),
        }
    }

    /// `DeserializePrivateKey(skm)`: a big-endian scalar of exactly `Nsk` bytes in 1..n−1.
    pub(super) fn from_private_bytes(kem: Kem, skm: &[u8]) -> Result<Self, Error> {
        match kem {
            Kem::P256HkdfSha256 => Ok(KemKey::P256(SecretKey::from_slice(skm)?)),
            Kem::P384HkdfSha384 => Ok(KemKey::P384(SecretKey::from_slice(skm)?)),
        }
    }

    pub(super) fn kem(&self) -> Kem {
        match self {
            KemKey::P256(_) => Kem::P256HkdfSha256,
            KemKey::P384(_) => Kem::P384HkdfSha384,
        }
    }

    /// `SerializePublicKey(pk)`: uncompressed SEC 1.
    pub(super) fn public_key_bytes(&self) -> Vec<u8> {
        match self {
            KemKey::P256(k) => k.public_key_sec1(false),
            KemKey::P384(k) => k.public_key_sec1(false),
        }
    }

    /// `SerializePrivateKey(sk)`: the big-endian scalar, in a buffer that wipes itself.
    pub(super) fn private_key_bytes(&self) -> Zeroizing<Vec<u8>> {
        match self {
            KemKey::P256(k) => Zeroizing::new(k.to_bytes().to_vec()),
            KemKey::P384(k) => Zeroizing::new(k.to_bytes().to_vec()),
        }
    }
}

fn derive<C: KemCurve>(ikm: &[u8]) -> Result<KemKey, Error> {
    let kem = C::KEM;
    let suite_id = kem.suite_id();
    let kdf = kem.kdf();
    let dkp_prk = kdf.labeled_extract(&suite_id, b"", b"dkp_prk", &[ikm]);
    let mut candidate = Zeroizing::new(C::ZERO_BYTES);
    for counter in 0..=255u8 {
        kdf.labeled_expand(
            &suite_id,
            dkp_prk.as_bytes(),
            b"candidate",
            &[&[counter]],
            candidate.as_mut(),
        )?;
        // bitmask = 0xFF for P-256 and P-384: every bit of the candidate is kept.
        // `from_bytes` checks 0 < sk < n in constant time; only its verdict is public.
        if let Ok(key) = SecretKey::<C>::from_bytes(&candidate) {
            return Ok(C::wrap(key));
        }
    }
    Err(Error::InvalidSecretKey)
}

/// `DeserializePublicKey(pkm)`: exactly `Npk` bytes, uncompressed, fully validated.
fn parse_public<C: KemCurve>(pkm: &[u8]) -> Result<PublicKey<C>, Error> {
    if pkm.len() != C::KEM.public_key_len() || pkm.first() != Some(&0x04) {
        return Err(Error::InvalidEncoding);
    }
    PublicKey::<C>::from_sec1_bytes(pkm)
}

/// `DH(sk, pk)`: x(sk·pk), `Ndh` = `Nsk` bytes (SEC 1 §3.3.1 through `ec::ecdh`).
fn dh<C: KemCurve>(sk: &SecretKey<C>, pk: &PublicKey<C>) -> Result<Secret, Error> {
    let z = sk.diffie_hellman_key(pk);
    Ok(Secret::from_slice(z.as_bytes().as_ref()))
}

/// `ExtractAndExpand(dh, kem_context)` (§4.1), both given as parts.
fn extract_and_expand(kem: Kem, dh: &[&[u8]], kem_context: &[&[u8]]) -> Result<Secret, Error> {
    let suite_id = kem.suite_id();
    let kdf = kem.kdf();
    let eae_prk = kdf.labeled_extract(&suite_id, b"", b"eae_prk", dh);
    let mut shared = Secret::zero(kem.shared_secret_len());
    kdf.labeled_expand(
        &suite_id,
        eae_prk.as_bytes(),
        b"shared_secret",
        kem_context,
        shared.as_mut_bytes(),
    )?;
    Ok(shared)
}

/// `Encap(pkR)` with the ephemeral key `eph`, or `AuthEncap(pkR, skS)` when `sender` is
/// given: (enc, shared_secret).
pub(super) fn encap(
    eph: &KemKey,
    pk_r: &[u8],
    sender: Option<&KemKey>,
) -> Result<(Vec<u8>, Secret), Error> {
    match eph {
        KemKey::P256(_) => encap_on::<NistP256>(eph, pk_r, sender),
        KemKey::P384(_) => encap_on::<NistP384>(eph, pk_r, sender),
    }
}

fn encap_on<C: KemCurve>(
    eph: &KemKey,
    pk_r: &[u8],
    sender: Option<&KemKey>,
) -> Result<(Vec<u8>, Secret), Error> {
    let sk_e = C::unwrap(eph).ok_or(Error::KeyMismatch)?;
    let pk_r_point = parse_public::<C>(pk_r)?;
    let enc = eph.public_key_bytes();
    let dh_e = dh(sk_e, &pk_r_point)?;
    let shared = match sender {
        None => extract_and_expand(C::KEM, &[dh_e.as_bytes()], &[&enc, pk_r])?,
        Some(sender) => {
            let sk_s = C::unwrap(sender).ok_or(Error::KeyMismatch)?;
            let dh_s = dh(sk_s, &pk_r_point)?;
            let pk_s = sender.public_key_bytes();
            extract_and_expand(
                C::KEM,
                &[dh_e.as_bytes(), dh_s.as_bytes()],
                &[&enc, pk_r, &pk_s],
            )?
        }
    };
    Ok((enc, shared))
}

/// `Decap(enc, skR)`, or `AuthDecap(enc, skR, pkS)` when `pk_s` is given.
pub(super) fn decap(recipient: &KemKey, enc: &[u8], pk_s: Option<&[u8]>) -> Result<Secret, Error> {
    match recipient {
        KemKey::P256(_) => decap_on::<NistP256>(recipient, enc, pk_s),
        KemKey::P384(_) => decap_on::<NistP384>(recipient, enc, pk_s),
    }
}

fn decap_on<C: KemCurve>(
    recipient: &KemKey,
    enc: &[u8],
    pk_s: Option<&[u8]>,
) -> Result<Secret, Error> {
    let sk_r = C::unwrap(recipient).ok_or(Error::KeyMismatch)?;
    let pk_e = parse_public::<C>(enc)?;
    let pk_r = recipient.public_key_bytes();
    let dh_e = dh(sk_r, &pk_e)?;
    match pk_s {
        None => extract_and_expand(C::KEM, &[dh_e.as_bytes()], &[enc, &pk_r]),
        Some(pk_s) => {
            let pk_s_point = parse_public::<C>(pk_s)?;
            let dh_s = dh(sk_r, &pk_s_point)?;
            extract_and_expand(
                C::KEM,
                &[dh_e.as_bytes(), dh_s.as_bytes()],
                &[enc, &pk_r, pk_s],
            )
        }
    }
}
