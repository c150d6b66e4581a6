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
//! borrowed slice. Longer forms are accepted only if the extra leading bytes are zero (the
//! contents of an INTEGER, as some encoders wrote them; OpenSSL 3 reads those too,
//! `p256_sec1_long_d.der`); a value that needs more bytes than the scalar length is refused.
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
#[cfg(feature = "alloc")]
use crate::encoding::der::push_tlv;
use crate::encoding::der::{self, Reader};
use crate::encoding::der::{
    push_header, push_unsigned_integer, tlv_len, unsigned_integer_content_len,
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
    /// `src` as a `scalar_len`-byte big-endian number: left-padded if shorter; if longer,
    /// the excess leading bytes must be zero. [`Error::InvalidEncoding`] if `src` is empty
    /// or its value needs more than `scalar_len` bytes.
    fn from_be_padded(src: &[u8], scalar_len: usize) -> Result<Self, Error> {
        let mut out = Self {
            bytes: [0; MAX_SCALAR_LEN],
            len: scalar_len,
        };
        let dst = out
            .bytes
            .get_mut(..scalar_len)
            .ok_or(Error::InvalidLength)?;
        if src.is_empty() {
            return Err(Error::InvalidEncoding);
        }
        // The split point depends on the lengths only (public).
        let (excess, value) = src
            .split_at_checked(src.len().saturating_sub(scalar_len))
            .ok_or(Error::InvalidEncoding)?;
        // The excess bytes are secret-adjacent: OR them together without branching and
        // test the result once (it only says whether the encoding is acceptable).
        let any = excess.iter().fold(0u8, |acc, &b| acc | b);
        // 0xFF if any ≠ 0 (0x10000 − any has its high byte all ones for any in 1..=255).
        let nonzero = (u16::from(any).wrapping_neg() >> 8) as u8;
        if crate::encoding::make_public(nonzero) != 0 {
            return Err(Error::InvalidEncoding);
        }
        // value.len() <= scalar_len by the split.
        let pad = scalar_len
            .checked_sub(value.len())
            .ok_or(Error::InvalidEncoding)?;
        dst.get_mut(pad..)
            .ok_or(Error::InvalidEncoding)?
            .copy_from_slice(value);
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
    /// held it shorter, leading zeros dropped if longer). Not range-checked: the caller
    /// checks 1 ≤ d < n.
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
/// is returned as `scalar_len` bytes: a shorter one is left-padded, a longer one must
/// have only zeros in front of the last `scalar_len` bytes.
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
fn push_bit_string(out: &mut impl der::Sink, point: &[u8]) {
    push_header(out, der::BIT_STRING, 1 + point.len());
    out.put(&[0]);
    out.put(point);
}

/// Appends an `ECPrivateKey` (version 1, `d`, optionally `[0] namedCurve`, `[1] point`)
/// ([`ec_private_key_content_len`] is the size of its contents).
#[cfg(feature = "alloc")]
fn push_ec_private_key(out: &mut impl der::Sink, curve_oid: Option<&[u8]>, d: &[u8], point: &[u8]) {
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
    push_ec_private_key(&mut *out, Some(curve_oid), d, public_key);
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
    let buf: &mut Vec<u8> = &mut out;
    push_header(buf, der::SEQUENCE, content);
    push_tlv(buf, der::INTEGER, &[PKCS8_V1]);
    push_header(buf, der::SEQUENCE, algorithm);
    push_tlv(buf, der::OID, ID_EC_PUBLIC_KEY);
    push_tlv(buf, der::OID, curve_oid);
    push_header(buf, der::OCTET_STRING, inner);
    push_ec_private_key(buf, None, d, public_key);
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

/// The longest DER signature for a scalar length: both INTEGERs at full length plus a
/// sign byte (72 for P-256, 104 for P-384).
pub(crate) const fn max_signature_len(scalar_len: usize) -> usize {
    let integer = der::tlv_len(scalar_len + 1);
    der::tlv_len(2 * integer)
}

/// Encodes `SEQUENCE { r INTEGER, s INTEGER }` from big-endian magnitudes, with minimal
/// INTEGERs (leading zeros dropped, a 0x00 added before a set top bit), into `out`;
/// returns the length written. [`Error::BufferTooSmall`] if `out` is shorter (at most
/// [`max_signature_len`]`(r.len().max(s.len()))` is needed). Needs no allocator.
/// Variable-time in the leading zeros of r and s, which are public.
pub(crate) fn encode_signature_to(r: &[u8], s: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    let mut sink = der::SliceSink::new(out);
    push_signature(&mut sink, r, s);
    sink.finish()
}

/// [`encode_signature_to`] into a new `Vec`.
#[cfg(feature = "alloc")]
pub(crate) fn encode_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    push_signature(&mut out, r, s);
    out
}

fn push_signature(out: &mut impl der::Sink, r: &[u8], s: &[u8]) {
    let content =
        tlv_len(unsigned_integer_content_len(r)) + tlv_len(unsigned_integer_content_len(s));
    push_header(out, der::SEQUENCE, content);
    push_unsigned_integer(out, r);
    push_unsigned_integer(out, s);
}

#[cfg(test)]
mod tests {
    use alloc::string::String;
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;
    use crate::encoding::pem;

    fn hex(s: &str) -> Vec<u8> {
        assert!(s.len().is_multiple_of(2), "odd hex length");
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect()
    }

    /// Builds one DER element (test-only shorthand).
    fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
        let contents: Vec<u8> = parts.concat();
        let mut out = Vec::new();
        push_tlv(&mut out, tag, &contents);
        out
    }

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!("../../vectors/ecdsa/openssl/", $name)).as_slice()
        };
    }
    macro_rules! fixture_str {
        ($name:literal) => {
            include_str!(concat!("../../vectors/ecdsa/openssl/", $name))
        };
    }

    /// The files `openssl` wrote for one curve (see `vectors/ecdsa/openssl/README.md`).
    struct CurveFiles {
        name: &'static str,
        oid: &'static [u8],
        scalar_len: usize,
        /// `openssl ecparam -genkey`: an `EC PARAMETERS` block, then the key.
        ecparam_pem: &'static str,
        sec1_der: &'static [u8],
        sec1_pem: &'static str,
        pkcs8_der: &'static [u8],
        pkcs8_pem: &'static str,
        spki_der: &'static [u8],
        spki_pem: &'static str,
        /// `openssl genpkey` (another key), PKCS#8 PEM, and its public key.
        genpkey_pem: &'static str,
        genpkey_spki_pem: &'static str,
        /// `openssl dgst -sign` with the ecparam key.
        signatures: [&'static [u8]; 4],
    }

    const P256: CurveFiles = CurveFiles {
        name: "P-256",
        oid: OID_P256,
        scalar_len: 32,
        ecparam_pem: fixture_str!("p256_ecparam.pem"),
        sec1_der: fixture!("p256_sec1.der"),
        sec1_pem: fixture_str!("p256_sec1.pem"),
        pkcs8_der: fixture!("p256_pkcs8.der"),
        pkcs8_pem: fixture_str!("p256_pkcs8.pem"),
        spki_der: fixture!("p256_spki.der"),
        spki_pem: fixture_str!("p256_spki.pem"),
        genpkey_pem: fixture_str!("p256_genpkey.pem"),
        genpkey_spki_pem: fixture_str!("p256_genpkey_spki.pem"),
        signatures: [
            fixture!("p256_sig1.der"),
            fixture!("p256_sig2.der"),
            fixture!("p256_sig3.der"),
            fixture!("p256_sig4.der"),
        ],
    };

    const P384: CurveFiles = CurveFiles {
        name: "P-384",
        oid: OID_P384,
        scalar_len: 48,
        ecparam_pem: fixture_str!("p384_ecparam.pem"),
        sec1_der: fixture!("p384_sec1.der"),
        sec1_pem: fixture_str!("p384_sec1.pem"),
        pkcs8_der: fixture!("p384_pkcs8.der"),
        pkcs8_pem: fixture_str!("p384_pkcs8.pem"),
        spki_der: fixture!("p384_spki.der"),
        spki_pem: fixture_str!("p384_spki.pem"),
        genpkey_pem: fixture_str!("p384_genpkey.pem"),
        genpkey_spki_pem: fixture_str!("p384_genpkey_spki.pem"),
        signatures: [
            fixture!("p384_sig1.der"),
            fixture!("p384_sig2.der"),
            fixture!("p384_sig3.der"),
            fixture!("p384_sig4.der"),
        ],
    };

    const CURVES: [&CurveFiles; 2] = [&P256, &P384];

    #[test]
    fn openssl_sec1_files() {
        for c in CURVES {
            let key = decode_sec1(c.sec1_der, c.oid, c.scalar_len).expect(c.name);
            assert_eq!(key.d.len(), c.scalar_len, "{}", c.name);
            let point = key.public_key.expect("openssl writes the public key");
            assert_eq!(point.len(), 1 + 2 * c.scalar_len, "{}", c.name);
            assert_eq!(point.first(), Some(&0x04), "{}", c.name);
            assert_eq!(
                &encode_sec1(c.oid, &key.d, point)[..],
                c.sec1_der,
                "{}",
                c.name
            );

            // PEM both ways, and the two-block file of `openssl ecparam -genkey`.
            let from_pem = pem::decode(c.sec1_pem, "EC PRIVATE KEY").expect(c.name);
            assert_eq!(&from_pem[..], c.sec1_der, "{}", c.name);
            assert_eq!(
                pem::encode("EC PRIVATE KEY", c.sec1_der).as_str(),
                c.sec1_pem
            );
            let from_ecparam = pem::decode(c.ecparam_pem, "EC PRIVATE KEY").expect(c.name);
            assert_eq!(&from_ecparam[..], c.sec1_der, "{}", c.name);
            let params = pem::decode(c.ecparam_pem, "EC PARAMETERS").expect(c.name);
            assert_eq!(&params[..], tlv(der::OID, &[c.oid]), "{}", c.name);
        }
    }

    #[test]
    fn openssl_pkcs8_files() {
        for c in CURVES {
            let sec1 = decode_sec1(c.sec1_der, c.oid, c.scalar_len).expect(c.name);
            let key = decode_pkcs8(c.pkcs8_der, c.oid, c.scalar_len).expect(c.name);
            assert_eq!(
                &key.d[..],
                &sec1.d[..],
                "{}: same key as the SEC 1 file",
                c.name
            );
            assert_eq!(key.public_key, sec1.public_key, "{}", c.name);
            let point = key.public_key.expect(c.name);
            assert_eq!(
                &encode_pkcs8(c.oid, &key.d, point)[..],
                c.pkcs8_der,
                "{}",
                c.name
            );
            assert_eq!(
                &pem::decode(c.pkcs8_pem, "PRIVATE KEY").expect(c.name)[..],
                c.pkcs8_der
            );
            assert_eq!(
                pem::encode("PRIVATE KEY", c.pkcs8_der).as_str(),
                c.pkcs8_pem
            );

            // `openssl genpkey` output: PEM → DER → key → DER → PEM, byte-identical.
            let der = pem::decode(c.genpkey_pem, "PRIVATE KEY").expect(c.name);
            let key = decode_pkcs8(&der, c.oid, c.scalar_len).expect(c.name);
            let point = key.public_key.expect(c.name);
            let again = encode_pkcs8(c.oid, &key.d, point);
            assert_eq!(&again[..], &der[..], "{}", c.name);
            assert_eq!(pem::encode("PRIVATE KEY", &again).as_str(), c.genpkey_pem);
            let spki = pem::decode(c.genpkey_spki_pem, "PUBLIC KEY").expect(c.name);
            assert_eq!(decode_spki(&spki, c.oid), Ok(point), "{}", c.name);
        }
    }

    #[test]
    fn openssl_spki_files() {
        for c in CURVES {
            let point = decode_spki(c.spki_der, c.oid).expect(c.name);
            let sec1 = decode_sec1(c.sec1_der, c.oid, c.scalar_len).expect(c.name);
            assert_eq!(Some(point), sec1.public_key, "{}", c.name);
            assert_eq!(encode_spki(c.oid, point), c.spki_der, "{}", c.name);
            assert_eq!(
                &pem::decode(c.spki_pem, "PUBLIC KEY").expect(c.name)[..],
                c.spki_der
            );
            assert_eq!(pem::encode("PUBLIC KEY", c.spki_der).as_str(), c.spki_pem);
        }
    }

    #[test]
    fn openssl_signature_files() {
        for c in CURVES {
            for (i, sig) in c.signatures.iter().enumerate() {
                let mut r = vec![0u8; c.scalar_len];
                let mut s = vec![0u8; c.scalar_len];
                decode_signature(sig, &mut r, &mut s)
                    .unwrap_or_else(|e| panic!("{} #{i}: {e}", c.name));
                assert_eq!(encode_signature(&r, &s), *sig, "{} #{i}", c.name);
                // Cross-check the integers with OpenSSL's own parser.
                let theirs = openssl::ecdsa::EcdsaSig::from_der(sig).expect("openssl parses");
                assert_eq!(theirs.r().to_vec_padded(c.scalar_len as i32).unwrap(), r);
                assert_eq!(theirs.s().to_vec_padded(c.scalar_len as i32).unwrap(), s);
            }
        }
    }

    /// OpenSSL 3 reads an `ECPrivateKey` whose scalar is shorter than the order (as OpenSSL
    /// before 1.1.0 wrote them) and writes it back padded; we do the same.
    #[test]
    fn short_private_key_is_left_padded() {
        let short = fixture!("p256_sec1_short_d.der");
        let reencoded = fixture!("p256_sec1_short_d_openssl.der");
        let mut want = [0x11u8; 32];
        want[0] = 0;
        let key = decode_sec1(short, OID_P256, 32).expect("short scalar");
        assert_eq!(&key.d[..], &want[..]);
        assert_eq!(key.public_key, None);
        let theirs = decode_sec1(reencoded, OID_P256, 32).expect("openssl's re-encoding");
        assert_eq!(&theirs.d[..], &want[..]);
        let point = theirs.public_key.expect("openssl adds the public key");
        assert_eq!(&encode_sec1(OID_P256, &key.d, point)[..], reencoded);

        // Longer, as the contents of an INTEGER (0x00 in front): OpenSSL 3 reads it and
        // writes the fixed-length form, and so do we.
        let long = fixture!("p256_sec1_long_d.der");
        let long_openssl = fixture!("p256_sec1_long_d_openssl.der");
        let key = decode_sec1(long, OID_P256, 32).expect("zero-prefixed scalar");
        assert_eq!(&key.d[..], &[0x91u8; 32][..]);
        let theirs = decode_sec1(long_openssl, OID_P256, 32).unwrap();
        assert_eq!(&theirs.d[..], &[0x91u8; 32][..]);
        let point = theirs.public_key.unwrap();
        assert_eq!(&encode_sec1(OID_P256, &key.d, point)[..], long_openssl);

        // A value that does not fit, or nothing at all: refused.
        for (d, what) in [
            (&[1u8; 33][..], "33 bytes, first non-zero"),
            (
                &[[0u8; 16].as_slice(), &[0x80], &[0u8; 32]].concat()[..],
                "non-zero in the middle of the excess",
            ),
            (&[], "empty"),
        ] {
            let der = encode_sec1(OID_P256, d, point);
            assert_eq!(
                decode_sec1(&der, OID_P256, 32).map(|_| ()),
                Err(Error::InvalidEncoding),
                "{what}"
            );
        }
        let zeros = encode_sec1(OID_P256, &[0u8; 40], point);
        assert_eq!(
            decode_sec1(&zeros, OID_P256, 32).map(|k| k.d.to_vec()),
            Ok(vec![0u8; 32])
        );
        // A caller's scalar length outside 1..=48.
        for bad_len in [0, 49] {
            assert_eq!(
                decode_sec1(short, OID_P256, bad_len).map(|_| ()),
                Err(Error::InvalidLength)
            );
            assert_eq!(
                decode_pkcs8(P256.pkcs8_der, OID_P256, bad_len).map(|_| ()),
                Err(Error::InvalidLength)
            );
        }
    }

    #[test]
    fn other_curves_are_unsupported() {
        for (c, other) in [(&P256, &P384), (&P384, &P256)] {
            let e = Err(Error::UnsupportedAlgorithm);
            assert_eq!(
                decode_sec1(c.sec1_der, other.oid, other.scalar_len).map(|_| ()),
                e
            );
            assert_eq!(
                decode_pkcs8(c.pkcs8_der, other.oid, other.scalar_len).map(|_| ()),
                e
            );
            assert_eq!(decode_spki(c.spki_der, other.oid).map(|_| ()), e);
            // Even with the right scalar length for the file.
            assert_eq!(
                decode_sec1(c.sec1_der, other.oid, c.scalar_len).map(|_| ()),
                e
            );
            assert_eq!(
                decode_pkcs8(c.pkcs8_der, other.oid, c.scalar_len).map(|_| ()),
                e
            );
        }
        // Without the [0] parameters a P-384 key read as P-256 can only fail on length.
        let key = decode_sec1(P384.sec1_der, OID_P384, 48).unwrap();
        let no_params = tlv(
            der::SEQUENCE,
            &[&[2, 1, 1], &tlv(der::OCTET_STRING, &[&key.d])],
        );
        assert!(decode_sec1(&no_params, OID_P384, 48).is_ok());
        assert_eq!(
            decode_sec1(&no_params, OID_P256, 32).map(|_| ()),
            Err(Error::InvalidEncoding)
        );
    }

    #[test]
    fn other_algorithms_are_unsupported() {
        let e = Err(Error::UnsupportedAlgorithm);
        for der in [
            fixture!("ed25519_pkcs8.der"),
            fixture!("rsa1024_pkcs8.der"),
            fixture!("p256_pkcs8_encrypted.der"),
            fixture!("p256_explicit_pkcs8.der"),
        ] {
            assert_eq!(decode_pkcs8(der, OID_P256, 32).map(|_| ()), e);
        }
        for der in [
            fixture!("ed25519_spki.der"),
            fixture!("rsa1024_spki.der"),
            fixture!("p256_explicit_spki.der"),
        ] {
            assert_eq!(decode_spki(der, OID_P256).map(|_| ()), e);
        }
        assert_eq!(
            decode_sec1(fixture!("p256_explicit_sec1.der"), OID_P256, 32).map(|_| ()),
            e
        );
        // A PKCS#1 RSAPrivateKey is not PKCS#8 at all (an INTEGER where the
        // AlgorithmIdentifier belongs): malformed, not another algorithm.
        assert_eq!(
            decode_pkcs8(fixture!("rsa1024_pkcs1.der"), OID_P256, 32).map(|_| ()),
            Err(Error::InvalidEncoding)
        );
        // Encrypted PEM, both kinds.
        assert_eq!(
            pem::decode(fixture_str!("p256_pkcs8_encrypted.pem"), "PRIVATE KEY").map(|_| ()),
            e
        );
        assert_eq!(
            pem::decode(fixture_str!("p256_sec1_encrypted.pem"), "EC PRIVATE KEY").map(|_| ()),
            e
        );
        // implicitCurve (NULL) parameters.
        let spki = decode_spki(P256.spki_der, OID_P256).unwrap();
        let implicit = tlv(
            der::SEQUENCE,
            &[
                &tlv(
                    der::SEQUENCE,
                    &[&tlv(der::OID, &[ID_EC_PUBLIC_KEY]), &[der::NULL, 0]],
                ),
                &tlv(der::BIT_STRING, &[&[0], spki]),
            ],
        );
        assert_eq!(decode_spki(&implicit, OID_P256).map(|_| ()), e);
    }

    /// Rebuilds a PKCS#8 structure from parts, for the RFC 5958 cases.
    fn pkcs8_from_parts(version: u8, algorithm: &[u8], inner: &[u8], tail: &[&[u8]]) -> Vec<u8> {
        let mut parts: Vec<&[u8]> = vec![];
        let v = [2, 1, version];
        let octets = tlv(der::OCTET_STRING, &[inner]);
        parts.push(&v);
        parts.push(algorithm);
        parts.push(&octets);
        parts.extend_from_slice(tail);
        tlv(der::SEQUENCE, &parts)
    }

    #[test]
    fn pkcs8_v2_one_asymmetric_key() {
        let key = decode_pkcs8(P256.pkcs8_der, OID_P256, 32).unwrap();
        let point = key.public_key.unwrap();
        let algorithm = tlv(
            der::SEQUENCE,
            &[
                &tlv(der::OID, &[ID_EC_PUBLIC_KEY]),
                &tlv(der::OID, &[OID_P256]),
            ],
        );
        let inner_with = {
            let mut v = Vec::new();
            push_ec_private_key(&mut v, None, &key.d, point);
            v
        };
        let inner_without = tlv(
            der::SEQUENCE,
            &[&[2, 1, 1], &tlv(der::OCTET_STRING, &[&key.d])],
        );
        let outer_pub = tlv(der::context_primitive(1), &[&[0], point]);
        let attributes = tlv(der::context_constructed(0), &[&tlv(der::SEQUENCE, &[])]);

        // Our v1 rebuild matches openssl's file (the helper is right).
        assert_eq!(
            pkcs8_from_parts(0, &algorithm, &inner_with, &[]),
            P256.pkcs8_der
        );

        for (version, inner, tail, want) in [
            (1, &inner_with, vec![&outer_pub[..]], Ok(Some(point))),
            (1, &inner_without, vec![&outer_pub[..]], Ok(Some(point))),
            (1, &inner_without, vec![], Ok(None)),
            (
                1,
                &inner_with,
                vec![&attributes[..], &outer_pub[..]],
                Ok(Some(point)),
            ),
            (0, &inner_with, vec![&attributes[..]], Ok(Some(point))),
            (
                0,
                &inner_with,
                vec![&outer_pub[..]],
                Err(Error::InvalidEncoding),
            ),
            (2, &inner_with, vec![], Err(Error::InvalidEncoding)),
            // attributes after publicKey: out of order.
            (
                1,
                &inner_with,
                vec![&outer_pub[..], &attributes[..]],
                Err(Error::InvalidEncoding),
            ),
        ] {
            let der = pkcs8_from_parts(version, &algorithm, inner, &tail);
            let got = decode_pkcs8(&der, OID_P256, 32);
            assert_eq!(
                got.as_ref().map(|k| k.public_key),
                want.as_ref().map(|p| *p),
                "v{version}"
            );
            if let Ok(k) = got {
                assert_eq!(&k.d[..], &key.d[..]);
            }
        }

        // Outer and inner public keys that differ.
        let mut other = point.to_vec();
        *other.last_mut().unwrap() ^= 1;
        let other_pub = tlv(der::context_primitive(1), &[&[0], &other]);
        let der = pkcs8_from_parts(1, &algorithm, &inner_with, &[&other_pub]);
        assert_eq!(
            decode_pkcs8(&der, OID_P256, 32).map(|_| ()),
            Err(Error::InvalidEncoding)
        );
        // publicKey with unused bits.
        let bad_bits = tlv(der::context_primitive(1), &[&[1], point]);
        let der = pkcs8_from_parts(1, &algorithm, &inner_without, &[&bad_bits]);
        assert_eq!(
            decode_pkcs8(&der, OID_P256, 32).map(|_| ()),
            Err(Error::InvalidEncoding)
        );
        // Algorithm without parameters.
        let bare = tlv(der::SEQUENCE, &[&tlv(der::OID, &[ID_EC_PUBLIC_KEY])]);
        let der = pkcs8_from_parts(0, &bare, &inner_with, &[]);
        assert_eq!(
            decode_pkcs8(&der, OID_P256, 32).map(|_| ()),
            Err(Error::InvalidEncoding)
        );
        // Inner ECPrivateKey with [0] parameters: accepted when they match.
        let inner_params = encode_sec1(OID_P256, &key.d, point);
        let der = pkcs8_from_parts(0, &algorithm, &inner_params, &[]);
        assert!(decode_pkcs8(&der, OID_P256, 32).is_ok());
        let inner_params = encode_sec1(OID_P384, &key.d, point);
        let der = pkcs8_from_parts(0, &algorithm, &inner_params, &[]);
        assert_eq!(
            decode_pkcs8(&der, OID_P256, 32).map(|_| ()),
            Err(Error::UnsupportedAlgorithm)
        );
    }

    #[test]
    fn sec1_structure_errors() {
        let key = decode_sec1(P256.sec1_der, OID_P256, 32).unwrap();
        let point = key.public_key.unwrap();
        let d = tlv(der::OCTET_STRING, &[&key.d]);
        let params = tlv(der::context_constructed(0), &[&tlv(der::OID, &[OID_P256])]);
        let public = tlv(
            der::context_constructed(1),
            &[&tlv(der::BIT_STRING, &[&[0], point])],
        );
        let ok = tlv(der::SEQUENCE, &[&[2, 1, 1], &d, &params, &public]);
        assert_eq!(ok, P256.sec1_der, "the test's builder matches openssl");
        for (what, parts) in [
            ("version 0", vec![&[2u8, 1, 0][..], &d, &params, &public]),
            ("version 2", vec![&[2, 1, 2], &d, &params, &public]),
            ("version missing", vec![&d[..], &params, &public]),
            (
                "scalar as INTEGER",
                vec![&[2, 1, 1], &tlv(der::INTEGER, &[&[0], &key.d]), &public],
            ),
            (
                "public before params",
                vec![&[2, 1, 1], &d, &public, &params],
            ),
            ("params twice", vec![&[2, 1, 1], &d, &params, &params]),
            (
                "public key with unused bits",
                vec![
                    &[2, 1, 1],
                    &d,
                    &tlv(
                        der::context_constructed(1),
                        &[&tlv(der::BIT_STRING, &[&[4], point])],
                    ),
                ],
            ),
            (
                "[1] with two elements",
                vec![
                    &[2, 1, 1],
                    &d,
                    &tlv(
                        der::context_constructed(1),
                        &[&tlv(der::BIT_STRING, &[&[0], point]), &[5, 0]],
                    ),
                ],
            ),
            (
                "[1] implicit instead of explicit",
                vec![
                    &[2, 1, 1],
                    &d,
                    &tlv(der::context_primitive(1), &[&[0], point]),
                ],
            ),
            (
                "malformed OID",
                vec![
                    &[2, 1, 1],
                    &d,
                    &tlv(der::context_constructed(0), &[&[6, 2, 0x2A, 0x86]]),
                ],
            ),
            (
                "unknown element",
                vec![&[2, 1, 1], &d, &params, &public, &[5, 0]],
            ),
        ] {
            let der = tlv(der::SEQUENCE, &parts);
            assert_eq!(
                decode_sec1(&der, OID_P256, 32).map(|_| ()),
                Err(Error::InvalidEncoding),
                "{what}"
            );
        }
        // Both optional fields may be absent.
        let minimal = tlv(der::SEQUENCE, &[&[2, 1, 1], &d]);
        let k = decode_sec1(&minimal, OID_P256, 32).unwrap();
        assert_eq!((&k.d[..], k.public_key), (&key.d[..], None));
    }

    type Decoder<'a> = &'a dyn Fn(&[u8]) -> Result<(), Error>;

    /// Every strict prefix and every extension by one byte of every DER fixture is refused
    /// as malformed (not as another algorithm), and never panics.
    #[test]
    fn truncated_and_extended_inputs() {
        for c in CURVES {
            let n = c.scalar_len;
            let mut r = vec![0u8; n];
            let mut s = vec![0u8; n];
            let decoders: [(&[u8], Decoder<'_>); 4] = [
                (c.sec1_der, &|b| decode_sec1(b, c.oid, n).map(|_| ())),
                (c.pkcs8_der, &|b| decode_pkcs8(b, c.oid, n).map(|_| ())),
                (c.spki_der, &|b| decode_spki(b, c.oid).map(|_| ())),
                (c.signatures[0], &|b| {
                    decode_signature(b, &mut vec![0; n], &mut vec![0; n])
                }),
            ];
            for (file, decode) in decoders {
                assert_eq!(decode(file), Ok(()));
                for cut in 0..file.len() {
                    assert_eq!(
                        decode(&file[..cut]),
                        Err(Error::InvalidEncoding),
                        "{} cut {cut}",
                        c.name
                    );
                }
                for extra in [0x00u8, 0x05, 0xFF] {
                    let mut longer = file.to_vec();
                    longer.push(extra);
                    assert_eq!(
                        decode(&longer),
                        Err(Error::InvalidEncoding),
                        "{} +{extra:#x}",
                        c.name
                    );
                }
            }
            // Signatures leave the output untouched on error.
            r.fill(0xAA);
            s.fill(0xAA);
            assert!(decode_signature(&c.signatures[0][1..], &mut r, &mut s).is_err());
            assert!(r.iter().chain(&s).all(|&b| b == 0xAA));
        }
    }

    /// Every single-byte change of every fixture: no panic, and anything still accepted
    /// re-encodes to the changed bytes when the encoding is canonical for us to write.
    #[test]
    fn single_byte_mutations() {
        for c in CURVES {
            let n = c.scalar_len;
            for file in [c.sec1_der, c.pkcs8_der, c.spki_der, c.signatures[1]] {
                for i in 0..file.len() {
                    for mask in [0x01u8, 0x80, 0xFF] {
                        let mut m = file.to_vec();
                        m[i] ^= mask;
                        let (mut r, mut s) = (vec![0; n], vec![0; n]);
                        if let Ok(k) = decode_sec1(&m, c.oid, n)
                            && let Some(p) = k.public_key
                            && m.len() == c.sec1_der.len()
                        {
                            assert_eq!(&encode_sec1(c.oid, &k.d, p)[..], &m[..]);
                        }
                        if let Ok(k) = decode_pkcs8(&m, c.oid, n)
                            && let Some(p) = k.public_key
                        {
                            // Version 1 (v2) with the same fields is accepted and
                            // written back as version 0: the version byte is at offset 5
                            // in both files (30 81 xx 02 01 vv).
                            let mut v1 = m.clone();
                            if i == 5 && m[5] == PKCS8_V2 {
                                v1[5] = PKCS8_V1;
                            }
                            assert_eq!(&encode_pkcs8(c.oid, &k.d, p)[..], &v1[..]);
                        }
                        if let Ok(p) = decode_spki(&m, c.oid) {
                            assert_eq!(encode_spki(c.oid, p), m);
                        }
                        if decode_signature(&m, &mut r, &mut s).is_ok() {
                            assert_eq!(encode_signature(&r, &s), m);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn signature_cases() {
        // (DER hex, expected r and s for 2-byte slices or the error)
        let ok: &[(&str, [u8; 2], [u8; 2])] = &[
            ("3006020101020102", [0, 1], [0, 2]),
            ("3006020100020100", [0, 0], [0, 0]), // zero is the caller's to reject
            ("30080202008002020100", [0, 0x80], [1, 0]),
        ];
        for (h, r_want, s_want) in ok {
            let (mut r, mut s) = ([0xEEu8; 2], [0xEEu8; 2]);
            assert_eq!(decode_signature(&hex(h), &mut r, &mut s), Ok(()), "{h}");
            assert_eq!((r, s), (*r_want, *s_want), "{h}");
            assert_eq!(encode_signature(&r, &s), hex(h), "{h}");
        }
        let bad = [
            ("300702020001020102", "leading zero (non-minimal INTEGER)"),
            ("3006020181020102", "negative r"),
            ("30060201010201ff", "negative s"),
            ("30080203010000020101", "r longer than the slice"),
            ("30080201010203010000", "s longer than the slice"),
            ("308106020101020102", "long-form length where short fits"),
            ("300702810101020102", "long-form INTEGER length"),
            ("30800201010201020000", "indefinite length"),
            ("300602010102010200", "trailing byte"),
            ("3007020101020102", "length too long"),
            ("3005020101020102", "length too short"),
            ("3106020101020102", "SET instead of SEQUENCE"),
            ("1006020101020102", "primitive SEQUENCE tag"),
            ("3006020101030102", "BIT STRING instead of INTEGER"),
            ("3006220101020102", "constructed INTEGER"),
            ("30030201010201", "missing s"),
            ("3003020101", "missing s, consistent length"),
            ("3009020101020102020103", "three integers"),
            ("30050200020101", "empty INTEGER"),
            ("", "empty"),
            ("3000", "empty SEQUENCE"),
        ];
        for (h, what) in bad {
            let (mut r, mut s) = ([0u8; 2], [0u8; 2]);
            assert_eq!(
                decode_signature(&hex(h), &mut r, &mut s),
                Err(Error::InvalidEncoding),
                "{what}: {h}"
            );
        }
        // Top bit set without the 0x00 ("MissingZero"): negative, refused.
        let (mut r, mut s) = ([0u8; 1], [0u8; 1]);
        assert_eq!(
            decode_signature(&hex("3006020180020101"), &mut r, &mut s),
            Err(Error::InvalidEncoding)
        );
        assert_eq!(
            decode_signature(&hex("300702020080020101"), &mut r, &mut s),
            Ok(())
        );
        assert_eq!((r, s), ([0x80], [0x01]));
        // r fills the slice exactly, with and without the sign byte.
        let (mut r, mut s) = ([0u8; 2], [0u8; 2]);
        assert_eq!(
            decode_signature(&hex("300802037fff00020101"), &mut r, &mut s),
            Err(Error::InvalidEncoding)
        );
        assert_eq!(
            decode_signature(&hex("3008020300ffff020101"), &mut r, &mut s),
            Ok(())
        );
        assert_eq!((r, s), ([0xFF, 0xFF], [0, 1]));
        // Encoding strips leading zeros and adds the sign byte.
        assert_eq!(
            encode_signature(&[0, 0, 0x7F], &[0x80]),
            hex("300702017f02020080")
        );
        assert_eq!(encode_signature(&[], &[0, 0]), hex("3006020100020100"));
        // The longest signatures: both integers at full length with a sign byte.
        assert_eq!((max_signature_len(32), max_signature_len(48)), (72, 104));
        for n in [32, 48] {
            let top = vec![0xFFu8; n];
            assert_eq!(encode_signature(&top, &top).len(), max_signature_len(n));
        }
    }

    /// Wycheproof ECDSA (DER) vectors: every valid signature decodes and re-encodes
    /// byte-identically; every vector flagged as an encoding error is refused; and whatever
    /// decodes re-encodes to itself (strict DER has one encoding per value). Each group's
    /// SPKI decodes to its `uncompressed` point and re-encodes identically.
    #[test]
    fn wycheproof_signatures_and_keys() {
        const ENCODING_FLAGS: [&str; 4] = [
            "BerEncodedSignature",
            "InvalidEncoding",
            "InvalidTypesInSignature",
            "MissingZero",
        ];
        let files: [(&str, &[u8], usize); 3] = [
            (
                include_str!("../../vectors/ecdsa/wycheproof/ecdsa_secp256r1_sha256_test.json"),
                OID_P256,
                32,
            ),
            (
                include_str!("../../vectors/ecdsa/wycheproof/ecdsa_secp256r1_sha512_test.json"),
                OID_P256,
                32,
            ),
            (
                include_str!("../../vectors/ecdsa/wycheproof/ecdsa_secp384r1_sha384_test.json"),
                OID_P384,
                48,
            ),
        ];
        let mut counts = [0usize; 3]; // valid, refused for encoding, other
        for (text, oid, n) in files {
            let json: serde_json::Value = serde_json::from_str(text).unwrap();
            for group in json["testGroups"].as_array().unwrap() {
                let spki = hex(group["publicKeyDer"].as_str().unwrap());
                let point = hex(group["publicKey"]["uncompressed"].as_str().unwrap());
                assert_eq!(decode_spki(&spki, oid), Ok(&point[..]));
                assert_eq!(encode_spki(oid, &point), spki);
                let pem_text = group["publicKeyPem"].as_str().unwrap();
                assert_eq!(&pem::decode(pem_text, "PUBLIC KEY").unwrap()[..], &spki[..]);

                for t in group["tests"].as_array().unwrap() {
                    let id = &t["tcId"];
                    let sig = hex(t["sig"].as_str().unwrap());
                    let flags: Vec<String> = t["flags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| String::from(f.as_str().unwrap()))
                        .collect();
                    let (mut r, mut s) = (vec![0u8; n], vec![0u8; n]);
                    let got = decode_signature(&sig, &mut r, &mut s);
                    if got.is_ok() {
                        assert_eq!(encode_signature(&r, &s), sig, "tcId {id}: not canonical");
                    }
                    if t["result"] == "valid" {
                        assert_eq!(got, Ok(()), "tcId {id} {}", t["comment"]);
                        counts[0] += 1;
                    } else if flags.iter().any(|f| ENCODING_FLAGS.contains(&f.as_str())) {
                        assert_eq!(
                            got,
                            Err(Error::InvalidEncoding),
                            "tcId {id} {}",
                            t["comment"]
                        );
                        counts[1] += 1;
                    } else {
                        counts[2] += 1;
                    }
                }
            }
        }
        assert!(counts[0] > 300 && counts[1] > 300, "{counts:?}");
    }

    /// Fresh keys and signatures from libcrypto (the `openssl` crate): our encoders write
    /// the same bytes, our decoders read back the same values.
    #[test]
    fn differential_against_libcrypto() {
        use openssl::bn::{BigNum, BigNumContext};
        use openssl::ec::{EcGroup, EcKey, PointConversionForm};
        use openssl::ecdsa::EcdsaSig;
        use openssl::nid::Nid;
        use openssl::pkey::PKey;

        for (nid, oid, n) in [
            (Nid::X9_62_PRIME256V1, OID_P256, 32),
            (Nid::SECP384R1, OID_P384, 48),
        ] {
            let group = EcGroup::from_curve_name(nid).unwrap();
            let mut ctx = BigNumContext::new().unwrap();
            for _ in 0..32 {
                let key = EcKey::generate(&group).unwrap();
                let d = key.private_key().to_vec_padded(n as i32).unwrap();
                let point = key
                    .public_key()
                    .to_bytes(&group, PointConversionForm::UNCOMPRESSED, &mut ctx)
                    .unwrap();
                let sec1 = key.private_key_to_der().unwrap();
                let spki = key.public_key_to_der().unwrap();
                let pkcs8 = PKey::from_ec_key(key.clone())
                    .unwrap()
                    .private_key_to_pkcs8()
                    .unwrap();

                assert_eq!(&encode_sec1(oid, &d, &point)[..], &sec1[..]);
                assert_eq!(&encode_pkcs8(oid, &d, &point)[..], &pkcs8[..]);
                assert_eq!(encode_spki(oid, &point), spki);
                let k = decode_sec1(&sec1, oid, n).unwrap();
                assert_eq!((&k.d[..], k.public_key), (&d[..], Some(&point[..])));
                let k = decode_pkcs8(&pkcs8, oid, n).unwrap();
                assert_eq!((&k.d[..], k.public_key), (&d[..], Some(&point[..])));
                assert_eq!(decode_spki(&spki, oid), Ok(&point[..]));

                let digest = [0x5Au8; 32];
                let sig = EcdsaSig::sign(&digest, &key).unwrap();
                let der = sig.to_der().unwrap();
                let (mut r, mut s) = (vec![0u8; n], vec![0u8; n]);
                decode_signature(&der, &mut r, &mut s).unwrap();
                assert_eq!(r, sig.r().to_vec_padded(n as i32).unwrap());
                assert_eq!(s, sig.s().to_vec_padded(n as i32).unwrap());
                assert_eq!(encode_signature(&r, &s), der);
            }
            // Small r and s, where the integers are short.
            for (r, s) in [(1u32, 1u32), (0x80, 0x7F), (0xFFFF, 0x100)] {
                let sig = EcdsaSig::from_private_components(
                    BigNum::from_u32(r).unwrap(),
                    BigNum::from_u32(s).unwrap(),
                )
                .unwrap();
                assert_eq!(
                    encode_signature(&r.to_be_bytes(), &s.to_be_bytes()),
                    sig.to_der().unwrap()
                );
            }
        }
    }

    /// The secret-taint probe: with `--features ct-valgrind`, the private scalar is marked
    /// secret and memcheck reports any branch or address computed from it. Outside valgrind
    /// this is an ordinary round-trip test. By hand (DESIGN §9 style):
    ///
    /// ```text
    /// cargo test --lib --features ct-valgrind --no-run   # prints the test binary's path
    /// valgrind -q --error-exitcode=1 <binary> --test-threads=1 secret_taint_probe
    /// ```
    ///
    /// Covers base64 both ways over a whole key, the DER reader walking a key whose scalar
    /// is secret (the fixed-length, short and zero-prefixed forms) and the SEC 1 / PKCS#8
    /// writers. The PEM line scanner is not covered: it branches on where the line breaks
    /// are, which is public layout but lives in the same bytes.
    #[test]
    fn secret_taint_probe() {
        use crate::ct::{declassify, secret};
        use crate::encoding::base64;

        let key = decode_sec1(P384.sec1_der, OID_P384, 48).unwrap();
        let point = key.public_key.unwrap();
        let mut d = [0u8; 48];
        d.copy_from_slice(&key.d);
        secret(&d[..]);

        // Writers, then base64 of the whole (now partly secret) key file.
        let sec1 = encode_sec1(OID_P384, &d, point);
        let pkcs8 = encode_pkcs8(OID_P384, &d, point);
        let mut text = vec![0u8; base64::encoded_len(pkcs8.len())];
        base64::encode_to(&pkcs8, &mut text).unwrap();
        let mut back = vec![0u8; pkcs8.len()];
        base64::decode_to(&text, &mut back).unwrap();

        // Readers over keys whose scalar bytes are secret (structure stays public).
        let k1 = decode_sec1(&sec1, OID_P384, 48).unwrap();
        // (Not over `back`: base64 groups that straddle the scalar and the DER header
        // around it smear the taint onto public header bytes.)
        let k2 = decode_pkcs8(&pkcs8, OID_P384, 48).unwrap();
        let mut short_d = d;
        short_d[0] = 0;
        let short = encode_sec1(OID_P384, &short_d[1..], point);
        let k3 = decode_sec1(&short, OID_P384, 48).unwrap();
        let long_d = [&[0u8][..], &d].concat();
        secret(&long_d[..]);
        let long = encode_sec1(OID_P384, &long_d, point);
        let k4 = decode_sec1(&long, OID_P384, 48).unwrap();

        for k in [&k1, &k2, &k4] {
            declassify(&k.d[..]);
            assert_eq!(&k.d[..], &key.d[..]);
        }
        declassify(&k3.d[..]);
        declassify(&short_d[..]);
        assert_eq!(&k3.d[..], &short_d[..]);
        declassify(&back[..]);
        declassify(&pkcs8[..]);
        assert_eq!(&back[..], &pkcs8[..]);
    }

    proptest::proptest! {
        #[test]
        fn signature_round_trip(
            r in proptest::collection::vec(proptest::num::u8::ANY, 48),
            s in proptest::collection::vec(proptest::num::u8::ANY, 48),
            r_zeros in 0usize..48,
            s_zeros in 0usize..48,
        ) {
            let (mut r, mut s) = (r, s);
            r[..r_zeros].fill(0);
            s[..s_zeros].fill(0);
            let der = encode_signature(&r, &s);
            let (mut r2, mut s2) = ([0u8; 48], [0u8; 48]);
            proptest::prop_assert_eq!(decode_signature(&der, &mut r2, &mut s2), Ok(()));
            proptest::prop_assert_eq!((&r2[..], &s2[..]), (&r[..], &s[..]));
            // The same DER against libcrypto's encoder.
            let theirs = openssl::ecdsa::EcdsaSig::from_private_components(
                openssl::bn::BigNum::from_slice(&r).unwrap(),
                openssl::bn::BigNum::from_slice(&s).unwrap(),
            ).unwrap();
            proptest::prop_assert_eq!(&theirs.to_der().unwrap(), &der);
            // The allocation-free encoder writes the same bytes, and refuses a short buffer.
            let mut buf = [0u8; max_signature_len(48)];
            proptest::prop_assert_eq!(encode_signature_to(&r, &s, &mut buf), Ok(der.len()));
            proptest::prop_assert_eq!(&buf[..der.len()], &der[..]);
            proptest::prop_assert_eq!(
                encode_signature_to(&r, &s, &mut buf[..der.len() - 1]),
                Err(Error::BufferTooSmall)
            );
        }

        #[test]
        fn key_round_trip(d in proptest::collection::vec(proptest::num::u8::ANY, 32),
                          point in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let sec1 = encode_sec1(OID_P256, &d, &point);
            let k = decode_sec1(&sec1, OID_P256, 32).unwrap();
            proptest::prop_assert_eq!((&k.d[..], k.public_key), (&d[..], Some(&point[..])));
            let pkcs8 = encode_pkcs8(OID_P256, &d, &point);
            let k = decode_pkcs8(&pkcs8, OID_P256, 32).unwrap();
            proptest::prop_assert_eq!((&k.d[..], k.public_key), (&d[..], Some(&point[..])));
            let spki = encode_spki(OID_P256, &point);
            proptest::prop_assert_eq!(decode_spki(&spki, OID_P256), Ok(&point[..]));
        }

        #[test]
        fn decoders_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            for (oid, n) in [(OID_P256, 32), (OID_P384, 48)] {
                let _ = decode_sec1(&bytes, oid, n);
                let _ = decode_pkcs8(&bytes, oid, n);
                let _ = decode_spki(&bytes, oid);
                let (mut r, mut s) = (vec![0u8; n], vec![0u8; n]);
                let _ = decode_signature(&bytes, &mut r, &mut s);
            }
        }

        /// Random bytes behind a valid-looking header reach the inner parsers.
        #[test]
        fn decoders_never_panic_structured(
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..120),
            tag in proptest::sample::select(vec![0x30u8, 0x02, 0x04, 0xA0, 0xA1, 0x81]),
        ) {
            let der = tlv(der::SEQUENCE, &[&[2, 1, 0], &tlv(tag, &[&body])]);
            let _ = decode_pkcs8(&der, OID_P256, 32);
            let der = tlv(der::SEQUENCE, &[&[2, 1, 1], &tlv(tag, &[&body])]);
            let _ = decode_sec1(&der, OID_P256, 32);
            let der = tlv(der::SEQUENCE, &[&tlv(tag, &[&body]), &body]);
            let _ = decode_spki(&der, OID_P256);
            let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
            let _ = decode_signature(&der, &mut r, &mut s);
        }
    }
}
