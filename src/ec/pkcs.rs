//! The DER structures of elliptic-curve keys and ECDSA signatures, read strictly and
//! written byte for byte as OpenSSL writes them.
//!
//! - Private keys: `ECPrivateKey` (SEC 1 §C.4, RFC 5915), alone (the PEM label
//!   `EC PRIVATE KEY`) or wrapped in PKCS#8 — `PrivateKeyInfo` version 1 (RFC 5208) and
//!   `OneAsymmetricKey` version 2 (RFC 5958), label `PRIVATE KEY`.
//! - Public keys: `SubjectPublicKeyInfo` with `id-ecPublicKey` (RFC 5480 §2), label
//!   `PUBLIC KEY`.
//! - Signatures: `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5480 §2.2,
//!   RFC 3279 §2.2.3).
//!
//! Curves are named only (`namedCurve` OIDs, RFC 5480 §2.1.1.1); `implicitCurve` and
//! `specifiedCurve` (explicit parameters) are refused as [`Error::UnsupportedAlgorithm`],
//! as are other algorithms, other curves and encrypted PKCS#8 (`EncryptedPrivateKeyInfo`).
//! Anything that is not strict DER, has bytes left over at any level, or has a field of
//! the wrong length is [`Error::InvalidEncoding`]. Structure is checked before meaning: a
//! key for another curve with trailing garbage is `InvalidEncoding`.
//!
//! The private scalar may be shorter than the curve's scalar length: RFC 5915 fixes the
//! length, but OpenSSL before 1.1.0 wrote it without leading zeros and OpenSSL 3 still reads
//! such keys (`vectors/ecdsa/openssl/p256_sec1_short_d.der`). The decoders therefore
//! return the scalar left-padded in an owned, wiped-on-drop [`PrivateScalar`], not a
//! borrowed slice. Longer than the scalar length is refused.
//!
//! Only lengths and tags decide branches while a private key is read or written; the scalar
//! is copied whole. Every function that reads input is total: it never panics and never
//! indexes out of range.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;
use core::fmt;
use core::ops::Deref;

#[cfg(feature = "alloc")]
use zeroize::Zeroizing;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::encoding::der::{self, Reader};
#[cfg(feature = "alloc")]
use crate::encoding::der::{
    push_header, push_tlv, push_unsigned_integer, tlv_len, unsigned_integer_content_len,
};

/// `id-ecPublicKey` (1.2.840.10045.2.1, RFC 5480 §2.1.1), DER contents.
pub(crate) const ID_EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
/// `secp256r1` / `prime256v1` (1.2.840.10045.3.1.7), DER contents.
pub(crate) const OID_P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
/// `secp384r1` (1.3.132.0.34), DER contents.
pub(crate) const OID_P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];

/// The largest scalar length the decoders take (P-384).
pub(crate) const MAX_SCALAR_LEN: usize = 48;

/// `ecPrivkeyVer1` (RFC 5915 §3).
const EC_PRIVKEY_VER1: u8 = 1;
/// PKCS#8 `v1` (RFC 5208) and `v2` (RFC 5958, required when `publicKey` is present).
const PKCS8_V1: u8 = 0;
const PKCS8_V2: u8 = 1;

/// A private scalar as read from a key file: big-endian, left-padded to the scalar length
/// the decoder was given. Wiped on drop; `Debug` prints nothing of it. Dereferences to the
/// `scalar_len` bytes.
pub(crate) struct PrivateScalar {
    bytes: [u8; MAX_SCALAR_LEN],
    len: usize,
}

impl PrivateScalar {
    /// `src` (1..=`scalar_len` bytes) left-padded to `scalar_len`.
    fn from_be_padded(src: &[u8], scalar_len: usize) -> Result<Self, Error> {
        let mut out = Self {
            bytes: [0; MAX_SCALAR_LEN],
            len: scalar_len,
        };
        let dst = out
            .bytes
            .get_mut(..scalar_len)
            .ok_or(Error::InvalidLength)?;
        let pad = scalar_len
            .checked_sub(src.len())
            .ok_or(Error::InvalidEncoding)?;
        if src.is_empty() {
            return Err(Error::InvalidEncoding);
        }
        dst.get_mut(pad..)
            .ok_or(Error::InvalidEncoding)?
            .copy_from_slice(src);
        Ok(out)
    }

    /// The scalar, `scalar_len` bytes, big-endian.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl Deref for PrivateScalar {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<[u8]> for PrivateScalar {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Zeroize for PrivateScalar {
    fn zeroize(&mut self) {
        self.bytes.zeroize();
    }
}

impl Drop for PrivateScalar {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for PrivateScalar {}

impl fmt::Debug for PrivateScalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateScalar(..)")
    }
}

/// A decoded EC private key.
#[derive(Debug)]
pub(crate) struct EcPrivateKey<'a> {
    /// The private scalar, exactly `scalar_len` bytes big-endian (left-padded if the file
    /// held it shorter). Not range-checked: the caller checks 1 ≤ d < n.
    pub d: PrivateScalar,
    /// The SEC 1 public point from the `publicKey` BIT STRING, if the file has one. Not
    /// validated (nor checked against `d`): the caller decodes it as a point.
    pub public_key: Option<&'a [u8]>,
}

// --- reading ---------------------------------------------------------------------------

/// `ECParameters ::= CHOICE { namedCurve OID, implicitCurve NULL, specifiedCurve
/// SpecifiedECDomain }` (RFC 5480 §2.1.1, SEC 1 §C.2), given as one read element; checks
/// it names `curve_oid`.
fn check_ec_parameters(tag: u8, contents: &[u8], curve_oid: &[u8]) -> Result<(), Error> {
    match (tag, contents) {
        (der::OID, oid) => {
            der::check_oid(oid)?;
            if oid == curve_oid {
                Ok(())
            } else {
                Err(Error::UnsupportedAlgorithm)
            }
        }
        (der::NULL, []) | (der::SEQUENCE, _) => Err(Error::UnsupportedAlgorithm),
        _ => Err(Error::InvalidEncoding),
    }
}

/// An `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`.
struct AlgorithmIdentifier<'a> {
    oid: &'a [u8],
    parameters: Option<(u8, &'a [u8])>,
}

impl<'a> AlgorithmIdentifier<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self, Error> {
        let mut seq = r.read_sequence()?;
        let oid = seq.read_oid()?;
        let parameters = if seq.is_empty() {
            None
        } else {
            Some(seq.read_any()?)
        };
        seq.finish()?;
        Ok(Self { oid, parameters })
    }

    /// `id-ecPublicKey` with `namedCurve` `curve_oid`, or the reason it is not.
    fn check_ec(&self, curve_oid: &[u8]) -> Result<(), Error> {
        if self.oid != ID_EC_PUBLIC_KEY {
            return Err(Error::UnsupportedAlgorithm);
        }
        // RFC 5480 §2.1.1: the parameters MUST be present.
        let (tag, contents) = self.parameters.ok_or(Error::InvalidEncoding)?;
        check_ec_parameters(tag, contents, curve_oid)
    }
}

/// Reads the contents of an `ECPrivateKey` (RFC 5915 §3):
///
/// ```text
/// ECPrivateKey ::= SEQUENCE {
///   version        INTEGER { ecPrivkeyVer1(1) },
///   privateKey     OCTET STRING,
///   parameters [0] ECParameters {{ NamedCurve }} OPTIONAL,
///   publicKey  [1] BIT STRING OPTIONAL }
/// ```
fn read_ec_private_key<'a>(
    der: &'a [u8],
    curve_oid: &[u8],
    scalar_len: usize,
) -> Result<EcPrivateKey<'a>, Error> {
    let mut outer = Reader::new(der);
    let mut seq = outer.read_sequence()?;
    outer.finish()?;

    if seq.read_small_uint()? != EC_PRIVKEY_VER1 {
        return Err(Error::InvalidEncoding);
    }
    let d = seq.read(der::OCTET_STRING)?;
    let parameters = match seq.read_optional(der::context_constructed(0))? {
        Some(explicit) => {
            let mut r = Reader::new(explicit);
            let p = r.read_any()?;
            r.finish()?;
            Some(p)
        }
        None => None,
    };
    let public_key = match seq.read_optional(der::context_constructed(1))? {
        Some(explicit) => {
            let mut r = Reader::new(explicit);
            let bits = r.read_bit_string_octets()?;
            r.finish()?;
            Some(bits)
        }
        None => None,
    };
    seq.finish()?;

    // Meaning, once the structure is known to be sound: the curve, then the lengths.
    if let Some((tag, contents)) = parameters {
        check_ec_parameters(tag, contents, curve_oid)?;
    }
    let d = PrivateScalar::from_be_padded(d, scalar_len)?;
    Ok(EcPrivateKey { d, public_key })
}

/// Checks the `scalar_len` argument: a caller's constant, 1..=[`MAX_SCALAR_LEN`].
fn check_scalar_len(scalar_len: usize) -> Result<(), Error> {
    if (1..=MAX_SCALAR_LEN).contains(&scalar_len) {
        Ok(())
    } else {
        Err(Error::InvalidLength)
    }
}

/// Decodes a SEC 1 / RFC 5915 `ECPrivateKey` (what `openssl ec -outform DER` writes).
///
/// `parameters` may be absent; if present it must be `namedCurve` `curve_oid`
/// ([`Error::UnsupportedAlgorithm`] otherwise). `publicKey` is optional. The private key
/// must be 1..=`scalar_len` bytes and is returned left-padded to `scalar_len`.
/// [`Error::InvalidLength`] if `scalar_len` is 0 or above [`MAX_SCALAR_LEN`].
pub(crate) fn decode_sec1<'a>(
    der: &'a [u8],
    curve_oid: &[u8],
    scalar_len: usize,
) -> Result<EcPrivateKey<'a>, Error> {
    check_scalar_len(scalar_len)?;
    read_ec_private_key(der, curve_oid, scalar_len)
}

/// Decodes a PKCS#8 private key: `PrivateKeyInfo` (RFC 5208, version 0) or
/// `OneAsymmetricKey` (RFC 5958, version 1) holding an `ECPrivateKey`:
///
/// ```text
/// OneAsymmetricKey ::= SEQUENCE {
///   version                   INTEGER { v1(0), v2(1) },
///   privateKeyAlgorithm       AlgorithmIdentifier,   -- id-ecPublicKey, namedCurve
///   privateKey                OCTET STRING,          -- DER of ECPrivateKey
///   attributes            [0] IMPLICIT Attributes OPTIONAL,
///   [[2: publicKey        [1] IMPLICIT BIT STRING OPTIONAL ]] }
/// ```
///
/// Attributes are skipped. A `publicKey` in version 0 is [`Error::InvalidEncoding`]; in
/// version 2 it is used when the inner `ECPrivateKey` has none, and must equal it when both
/// are present. Another algorithm, another curve, explicit parameters or an
/// `EncryptedPrivateKeyInfo` are [`Error::UnsupportedAlgorithm`]. Lengths as for
/// [`decode_sec1`].
pub(crate) fn decode_pkcs8<'a>(
    der: &'a [u8],
    curve_oid: &[u8],
    scalar_len: usize,
) -> Result<EcPrivateKey<'a>, Error> {
    check_scalar_len(scalar_len)?;
    let mut outer = Reader::new(der);
    let mut seq = outer.read_sequence()?;
    outer.finish()?;

    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier,
    // encryptedData OCTET STRING } (RFC 5958 §3) starts with a SEQUENCE, not a version.
    if seq.peek_tag() == Some(der::SEQUENCE) {
        let _ = AlgorithmIdentifier::read(&mut seq)?;
        let _ = seq.read(der::OCTET_STRING)?;
        seq.finish()?;
        return Err(Error::UnsupportedAlgorithm);
    }

    let version = seq.read_small_uint()?;
    if version != PKCS8_V1 && version != PKCS8_V2 {
        return Err(Error::InvalidEncoding);
    }
    let algorithm = AlgorithmIdentifier::read(&mut seq)?;
    let private_key = seq.read(der::OCTET_STRING)?;
    let _attributes = seq.read_optional(der::context_constructed(0))?;
    let outer_public_key = match seq.read_optional(der::context_primitive(1))? {
        Some(_) if version == PKCS8_V1 => return Err(Error::InvalidEncoding),
        Some([0, point @ ..]) => Some(point),
        Some(_) => return Err(Error::InvalidEncoding),
        None => None,
    };
    seq.finish()?;

    algorithm.check_ec(curve_oid)?;
    let mut key = read_ec_private_key(private_key, curve_oid, scalar_len)?;
    match (key.public_key, outer_public_key) {
        (Some(inner), Some(outer)) if inner != outer => return Err(Error::InvalidEncoding),
        (None, Some(outer)) => key.public_key = Some(outer),
        _ => {}
    }
    Ok(key)
}

/// Decodes a `SubjectPublicKeyInfo` (RFC 5280 §4.1, RFC 5480 §2) for `id-ecPublicKey` on
/// `namedCurve` `curve_oid` and returns the SEC 1 point bytes (not validated).
pub(crate) fn decode_spki<'a>(der: &'a [u8], curve_oid: &[u8]) -> Result<&'a [u8], Error> {
    let mut outer = Reader::new(der);
    let mut seq = outer.read_sequence()?;
    outer.finish()?;
    let algorithm = AlgorithmIdentifier::read(&mut seq)?;
    let point = seq.read_bit_string_octets()?;
    seq.finish()?;
    algorithm.check_ec(curve_oid)?;
    Ok(point)
}

/// Decodes a DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` into `r` and `s`,
/// big-endian, left-padded to the lengths of the slices.
///
/// [`Error::InvalidEncoding`] for anything but strict DER (non-minimal or indefinite
/// lengths, non-minimal or negative INTEGERs, other tags, trailing bytes) and for an
/// integer longer than its slice. Zero is returned as zeros: range checks are the
/// caller's. Nothing is written unless the whole decode succeeds.
pub(crate) fn decode_signature(der: &[u8], r: &mut [u8], s: &mut [u8]) -> Result<(), Error> {
    let mut outer = Reader::new(der);
    let mut seq = outer.read_sequence()?;
    outer.finish()?;
    let r_bytes = seq.read_unsigned_integer()?;
    let s_bytes = seq.read_unsigned_integer()?;
    seq.finish()?;
    let r_pad = r
        .len()
        .checked_sub(r_bytes.len())
        .ok_or(Error::InvalidEncoding)?;
    let s_pad = s
        .len()
        .checked_sub(s_bytes.len())
        .ok_or(Error::InvalidEncoding)?;
    for (out, pad, value) in [(r, r_pad, r_bytes), (s, s_pad, s_bytes)] {
        let (zeros, rest) = out
            .split_at_mut_checked(pad)
            .ok_or(Error::InvalidEncoding)?;
        zeros.fill(0);
        rest.copy_from_slice(value);
    }
    Ok(())
}

// --- writing ---------------------------------------------------------------------------

/// Size of the contents of `[1] { BIT STRING point }`, and of the BIT STRING inside.
#[cfg(feature = "alloc")]
fn public_key_field_lens(point: &[u8]) -> (usize, usize) {
    let bit_string = 1 + point.len();
    (tlv_len(bit_string), bit_string)
}

/// Appends `BIT STRING` with no unused bits over `point`.
#[cfg(feature = "alloc")]
fn push_bit_string(out: &mut Vec<u8>, point: &[u8]) {
    push_header(out, der::BIT_STRING, 1 + point.len());
    out.push(0);
    out.extend_from_slice(point);
}

/// Appends an `ECPrivateKey` (version 1, `d`, optionally `[0] namedCurve`, `[1] point`)
/// and returns nothing; `ec_private_key_len` gives its size.
#[cfg(feature = "alloc")]
fn push_ec_private_key(out: &mut Vec<u8>, curve_oid: Option<&[u8]>, d: &[u8], point: &[u8]) {
    push_header(
        out,
        der::SEQUENCE,
        ec_private_key_content_len(curve_oid, d, point),
    );
    push_tlv(out, der::INTEGER, &[EC_PRIVKEY_VER1]);
    push_tlv(out, der::OCTET_STRING, d);
    if let Some(oid) = curve_oid {
        push_header(out, der::context_constructed(0), tlv_len(oid.len()));
        push_tlv(out, der::OID, oid);
    }
    let (field, _) = public_key_field_lens(point);
    push_header(out, der::context_constructed(1), field);
    push_bit_string(out, point);
}

#[cfg(feature = "alloc")]
fn ec_private_key_content_len(curve_oid: Option<&[u8]>, d: &[u8], point: &[u8]) -> usize {
    let params = curve_oid.map_or(0, |oid| tlv_len(tlv_len(oid.len())));
    let (field, _) = public_key_field_lens(point);
    tlv_len(1) + tlv_len(d.len()) + params + tlv_len(field)
}

/// Encodes an `ECPrivateKey` as `openssl ec -outform DER` writes it: version 1, `d` (as
/// given; pass it at its full scalar length), `[0] namedCurve`, `[1] publicKey`.
#[cfg(feature = "alloc")]
pub(crate) fn encode_sec1(curve_oid: &[u8], d: &[u8], public_key: &[u8]) -> Zeroizing<Vec<u8>> {
    let total = tlv_len(ec_private_key_content_len(Some(curve_oid), d, public_key));
    let mut out = Zeroizing::new(Vec::with_capacity(total));
    push_ec_private_key(&mut out, Some(curve_oid), d, public_key);
    debug_assert_eq!(out.len(), total);
    debug_assert_eq!(out.capacity(), total, "no reallocation may copy the key");
    out
}

/// Encodes a PKCS#8 `PrivateKeyInfo` (version 0) as `openssl pkcs8 -topk8 -nocrypt` and
/// `openssl genpkey` write it: `id-ecPublicKey` with `namedCurve`, and an inner
/// `ECPrivateKey` with `[1] publicKey` but no `[0]` parameters.
#[cfg(feature = "alloc")]
pub(crate) fn encode_pkcs8(curve_oid: &[u8], d: &[u8], public_key: &[u8]) -> Zeroizing<Vec<u8>> {
    let inner = tlv_len(ec_private_key_content_len(None, d, public_key));
    let algorithm = tlv_len(ID_EC_PUBLIC_KEY.len()) + tlv_len(curve_oid.len());
    let content = tlv_len(1) + tlv_len(algorithm) + tlv_len(inner);
    let total = tlv_len(content);

    let mut out = Zeroizing::new(Vec::with_capacity(total));
    push_header(&mut out, der::SEQUENCE, content);
    push_tlv(&mut out, der::INTEGER, &[PKCS8_V1]);
    push_header(&mut out, der::SEQUENCE, algorithm);
    push_tlv(&mut out, der::OID, ID_EC_PUBLIC_KEY);
    push_tlv(&mut out, der::OID, curve_oid);
    push_header(&mut out, der::OCTET_STRING, inner);
    push_ec_private_key(&mut out, None, d, public_key);
    debug_assert_eq!(out.len(), total);
    debug_assert_eq!(out.capacity(), total, "no reallocation may copy the key");
    out
}

/// Encodes a `SubjectPublicKeyInfo` for `id-ecPublicKey` on `namedCurve` `curve_oid`, as
/// `openssl pkey -pubout -outform DER` writes it.
#[cfg(feature = "alloc")]
pub(crate) fn encode_spki(curve_oid: &[u8], sec1_point: &[u8]) -> Vec<u8> {
    let algorithm = tlv_len(ID_EC_PUBLIC_KEY.len()) + tlv_len(curve_oid.len());
    let content = tlv_len(algorithm) + tlv_len(1 + sec1_point.len());
    let mut out = Vec::with_capacity(tlv_len(content));
    push_header(&mut out, der::SEQUENCE, content);
    push_header(&mut out, der::SEQUENCE, algorithm);
    push_tlv(&mut out, der::OID, ID_EC_PUBLIC_KEY);
    push_tlv(&mut out, der::OID, curve_oid);
    push_bit_string(&mut out, sec1_point);
    out
}

/// Encodes `SEQUENCE { r INTEGER, s INTEGER }` from big-endian magnitudes, with minimal
/// INTEGERs (leading zeros dropped, a 0x00 added before a set top bit). Variable-time in
/// the leading zeros of r and s, which are public.
#[cfg(feature = "alloc")]
pub(crate) fn encode_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    let content =
        tlv_len(unsigned_integer_content_len(r)) + tlv_len(unsigned_integer_content_len(s));
    let mut out = Vec::with_capacity(tlv_len(content));
    push_header(&mut out, der::SEQUENCE, content);
    push_unsigned_integer(&mut out, r);
    push_unsigned_integer(&mut out, s);
    out
}
