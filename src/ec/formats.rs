//! Keys and signatures in the encodings OpenSSL reads and writes: SEC 1 points
//! (§2.3.3–2.3.4), SEC 1 `ECPrivateKey` (RFC 5915), PKCS#8 (RFC 5208/5958),
//! SubjectPublicKeyInfo (RFC 5480), each in DER or PEM (RFC 7468), and the ECDSA signature
//! `SEQUENCE { r INTEGER, s INTEGER }` in strict DER (X.690, RFC 3279).
//!
//! The byte-level parsing and writing lives in [`super::pkcs`] and [`crate::encoding`];
//! this file ties it to the key types. Buffers that hold a private key are wiped, except
//! the `Vec`/`String` handed to the caller (which the caller owns; wrap it in
//! `zeroize::Zeroizing` to have it wiped too).

#[cfg(feature = "alloc")]
use alloc::{string::String, vec::Vec};

#[cfg(feature = "alloc")]
use zeroize::Zeroizing;

use subtle::ConstantTimeEq;

use super::curve::Curve;
use super::ecdsa::{EcdsaCurve, Signature, SigningKey, VerifyingKey};
use super::pkcs;
use crate::Error;
#[cfg(feature = "alloc")]
use crate::encoding::pem;

#[cfg(feature = "alloc")]
const PKCS8_LABEL: &str = "PRIVATE KEY";
#[cfg(feature = "alloc")]
const SEC1_LABEL: &str = "EC PRIVATE KEY";
#[cfg(feature = "alloc")]
const SPKI_LABEL: &str = "PUBLIC KEY";

impl<C: EcdsaCurve> SigningKey<C> {
    fn from_decoded(key: pkcs::EcPrivateKey<'_>) -> Result<Self, Error> {
        let signing = Self::from_slice(key.d.as_bytes()).map_err(|e| match e {
            Error::InvalidLength => Error::InvalidEncoding,
            other => other,
        })?;
        // A file that carries the public key must carry the right one. The derived key is
        // compared in constant time (it was computed from d); only the verdict is public.
        if let Some(encoded) = key.public_key {
            let given = VerifyingKey::<C>::from_sec1_bytes(encoded)?;
            let (gx, gy) = given.to_affine_coordinates();
            let (dx, dy) = signing.verifying_key().to_affine_coordinates();
            let same = gx.as_ref().ct_eq(dx.as_ref()) & gy.as_ref().ct_eq(dy.as_ref());
            if !crate::ct::declassify_choice(same) {
                return Err(Error::InvalidPublicKey);
            }
        }
        Ok(signing)
    }

    /// A key from PKCS#8 DER (`PrivateKeyInfo` or `OneAsymmetricKey`, unencrypted, as
    /// `openssl genpkey` and `openssl pkcs8 -topk8 -nocrypt` write it). A key of another
    /// curve or algorithm is `Error::UnsupportedAlgorithm`; a malformed one
    /// `Error::InvalidEncoding`; an embedded public key that does not match,
    /// `Error::InvalidPublicKey`.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        Self::from_decoded(pkcs::decode_pkcs8(der, C::OID, C::BYTES)?)
    }

    /// A key from PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    #[cfg(feature = "alloc")]
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, Error> {
        Self::from_pkcs8_der(&pem::decode(pem, PKCS8_LABEL)?)
    }

    /// A key from SEC 1 `ECPrivateKey` DER (as `openssl ec -outform DER` writes it).
    pub fn from_sec1_der(der: &[u8]) -> Result<Self, Error> {
        Self::from_decoded(pkcs::decode_sec1(der, C::OID, C::BYTES)?)
    }

    /// A key from SEC 1 PEM (`-----BEGIN EC PRIVATE KEY-----`); other blocks before it,
    /// such as the `EC PARAMETERS` that `openssl ecparam -genkey` writes, are skipped.
    #[cfg(feature = "alloc")]
    pub fn from_sec1_pem(pem: &str) -> Result<Self, Error> {
        Self::from_sec1_der(&pem::decode(pem, SEC1_LABEL)?)
    }

    /// PKCS#8 DER, byte for byte what OpenSSL writes for this key (public key included).
    #[cfg(feature = "alloc")]
    pub fn to_pkcs8_der(&self) -> Vec<u8> {
        let public = self.verifying_key().to_sec1_bytes(false);
        let mut der = pkcs::encode_pkcs8(C::OID, self.to_bytes().as_ref(), &public);
        core::mem::take(&mut *der)
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    #[cfg(feature = "alloc")]
    pub fn to_pkcs8_pem(&self) -> String {
        let der = Zeroizing::new(self.to_pkcs8_der());
        let mut pem = pem::encode(PKCS8_LABEL, &der);
        core::mem::take(&mut *pem)
    }

    /// SEC 1 `ECPrivateKey` DER with the curve and the public key, as `openssl ec` writes.
    #[cfg(feature = "alloc")]
    pub fn to_sec1_der(&self) -> Vec<u8> {
        let public = self.verifying_key().to_sec1_bytes(false);
        let mut der = pkcs::encode_sec1(C::OID, self.to_bytes().as_ref(), &public);
        core::mem::take(&mut *der)
    }

    /// SEC 1 PEM (`-----BEGIN EC PRIVATE KEY-----`).
    #[cfg(feature = "alloc")]
    pub fn to_sec1_pem(&self) -> String {
        let der = Zeroizing::new(self.to_sec1_der());
        let mut pem = pem::encode(SEC1_LABEL, &der);
        core::mem::take(&mut *pem)
    }
}

impl<C: Curve> VerifyingKey<C> {
    /// SEC 1 encoding: `04 ‖ x ‖ y`, or `02/03 ‖ x` when `compressed`.
    #[cfg(feature = "alloc")]
    pub fn to_sec1_bytes(&self, compressed: bool) -> Vec<u8> {
        let (x, y) = self.to_affine_coordinates();
        let mut out = Vec::with_capacity(1 + 2 * C::BYTES);
        if compressed {
            let odd = y.as_ref().last().map_or(0, |b| b & 1);
            out.push(0x02 | odd);
            out.extend_from_slice(x.as_ref());
        } else {
            out.push(0x04);
            out.extend_from_slice(x.as_ref());
            out.extend_from_slice(y.as_ref());
        }
        out
    }

    /// A public key from SubjectPublicKeyInfo DER (`id-ecPublicKey` with this curve's
    /// `namedCurve`), as `openssl pkey -pubout -outform DER` writes it. The point may be
    /// compressed or not.
    pub fn from_public_key_der(der: &[u8]) -> Result<Self, Error> {
        Self::from_sec1_bytes(pkcs::decode_spki(der, C::OID)?)
    }

    /// A public key from SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    #[cfg(feature = "alloc")]
    pub fn from_public_key_pem(pem: &str) -> Result<Self, Error> {
        Self::from_public_key_der(&pem::decode(pem, SPKI_LABEL)?)
    }

    /// SubjectPublicKeyInfo DER with the uncompressed point, as OpenSSL writes it.
    #[cfg(feature = "alloc")]
    pub fn to_public_key_der(&self) -> Vec<u8> {
        pkcs::encode_spki(C::OID, &self.to_sec1_bytes(false))
    }

    /// SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    #[cfg(feature = "alloc")]
    pub fn to_public_key_pem(&self) -> String {
        let mut pem = pem::encode(SPKI_LABEL, &self.to_public_key_der());
        core::mem::take(&mut *pem)
    }
}

impl<C: Curve> Signature<C> {
    /// The longest DER form: 72 bytes for P-256, 104 for P-384 (a buffer this long always
    /// suffices for [`Self::write_der`]).
    pub const MAX_DER_LEN: usize = pkcs::max_signature_len(C::BYTES);

    /// A signature from strict DER `SEQUENCE { r INTEGER, s INTEGER }` (X.690 §10):
    /// anything BER allows but DER does not (long or indefinite lengths, leading zeros,
    /// negative integers, trailing bytes) is `Error::InvalidEncoding`; r or s outside
    /// 1..n−1 is `Error::InvalidSignature`.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let (mut r, mut s) = (C::ZERO_BYTES, C::ZERO_BYTES);
        pkcs::decode_signature(der, r.as_mut(), s.as_mut())?;
        Self::from_scalars(&r, &s)
    }

    /// Writes the DER form into `out` and returns its length (at most
    /// [`Self::MAX_DER_LEN`]); `Error::BufferTooSmall` if `out` is shorter. Needs no
    /// allocator.
    pub fn write_der(&self, out: &mut [u8]) -> Result<usize, Error> {
        pkcs::encode_signature_to(self.r().as_ref(), self.s().as_ref(), out)
    }

    /// The DER form, minimal integers.
    #[cfg(feature = "alloc")]
    pub fn to_der(&self) -> Vec<u8> {
        pkcs::encode_signature(self.r().as_ref(), self.s().as_ref())
    }
}
