//! Interoperability with python-paillier (`phe`, <https://github.com/data61/python-paillier>):
//! its JWK-like JSON keys and its serialized ciphertexts.
//!
//! python-paillier uses the same scheme as tsubaki (g = n + 1, c = (1 + m·n)·rⁿ mod n²,
//! negative m as n + m), so keys and ciphertexts carry over unchanged; only the text forms
//! differ.
//!
//! - **Keys** (`pheutil genpkey`, `phe.command_line`): a public key is
//!   `{"kty": "DAJ", "alg": "PAI-GN1", "key_ops": ["encrypt"], "n": <int>, "kid": <text>}`
//!   and a private key `{"kty": "DAJ", "key_ops": ["decrypt"], "p": <int>, "q": <int>,
//!   "pub": <public key>, "kid": <text>}`, integers written as unpadded base64url of their
//!   minimal big-endian bytes (`phe.util.int_to_base64`). [`PhePublicJwk`] and
//!   [`PhePrivateJwk`] hold these fields; with the `serde` feature they (de)serialize to
//!   exactly this JSON.
//! - **Ciphertexts**: `EncryptedNumber.ciphertext()` is an integer below n², which
//!   `pheutil` writes as `{"v": "<decimal>", "e": <exponent>}` ([`PheCiphertext`]). The
//!   plaintext is `mantissa · 16^e`. python-paillier chooses e per value (from the float's
//!   precision), which reveals the magnitude of the value to anyone holding the ciphertext;
//!   tsubaki uses one public scale for a whole computation and accepts **only** e = 0
//!   (integers, [`PheScale::Integer`]) or the exponent of its [`FixedPoint`] scale
//!   ([`PheScale::Fixed`], scale 2^f with f a multiple of 4, e = −f/4). Any other exponent
//!   is refused with [`Error::UnsupportedAlgorithm`]; re-encode on the Python side with
//!   `EncodedNumber(pub, round(x · 16**k) % n, -k)` or `decrease_exponent_to(-k)` first.
//!   (`pheutil encrypt` always uses e = −32, that is f = 128 bits, beyond
//!   [`FixedPoint::MAX_FRAC_BITS`].)
//!
//! Base64url digits of the primes are translated and decoded without tables or branches on
//! their values (the crate's constant-time base64); decimal digits are only ever those of
//! public ciphertexts.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::encoding::FixedPoint;
use super::{Ciphertext, PublicKey, SecretKey};
use crate::Error;
use crate::encoding::base64;

/// python-paillier's key type.
pub const KTY: &str = "DAJ";
/// python-paillier's algorithm name (Paillier with generator n + 1).
pub const ALG: &str = "PAI-GN1";

/// A python-paillier public key.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PhePublicJwk {
    /// Always `"DAJ"`.
    pub kty: String,
    /// Always `"PAI-GN1"`.
    pub alg: String,
    /// `["encrypt"]`.
    pub key_ops: Vec<String>,
    /// The modulus, base64url.
    pub n: String,
    /// Free text (python-paillier writes a creation date).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub kid: Option<String>,
}

/// A python-paillier private key. Wiped on drop; `Debug` prints no prime. Compared with
/// [`ConstantTimeEq`] only (no `PartialEq`: a derived `==` on the primes' text would stop
/// at the first differing character).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PhePrivateJwk {
    /// Always `"DAJ"`.
    #[zeroize(skip)]
    pub kty: String,
    /// `["decrypt"]`.
    #[zeroize(skip)]
    pub key_ops: Vec<String>,
    /// The prime p, base64url.
    pub p: String,
    /// The prime q, base64url.
    pub q: String,
    /// The public key.
    #[cfg_attr(feature = "serde", serde(rename = "pub"))]
    #[zeroize(skip)]
    pub public: PhePublicJwk,
    /// Free text.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    #[zeroize(skip)]
    pub kid: Option<String>,
}

impl ConstantTimeEq for PhePrivateJwk {
    /// Constant-time in the primes' characters (their lengths, like every other field, are
    /// public and compared as usual).
    fn ct_eq(&self, other: &Self) -> Choice {
        let public = self.kty == other.kty
            && self.key_ops == other.key_ops
            && self.public == other.public
            && self.kid == other.kid;
        Choice::from(u8::from(public))
            & self.p.as_bytes().ct_eq(other.p.as_bytes())
            & self.q.as_bytes().ct_eq(other.q.as_bytes())
    }
}

impl core::fmt::Debug for PhePrivateJwk {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PhePrivateJwk")
            .field("public", &self.public)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl PhePublicJwk {
    /// The python-paillier form of `pk`, with an optional `kid` text.
    pub fn from_public_key(pk: &PublicKey, kid: Option<&str>) -> Self {
        Self {
            kty: KTY.into(),
            alg: ALG.into(),
            key_ops: vec!["encrypt".into()],
            n: String::from(&*int_to_base64url(&pk.modulus_be())),
            kid: kid.map(String::from),
        }
    }

    /// The public key: [`Error::UnsupportedAlgorithm`] unless `kty` is `"DAJ"` and `alg`
    /// `"PAI-GN1"` (what python-paillier itself checks), [`Error::InvalidEncoding`] for bad
    /// base64url, then [`PublicKey::from_modulus`]'s checks.
    pub fn to_public_key(&self) -> Result<PublicKey, Error> {
        if self.kty != KTY || self.alg != ALG {
            return Err(Error::UnsupportedAlgorithm);
        }
        let n = base64url_to_int(&self.n)?;
        PublicKey::from_modulus(&n)
    }
}

impl PhePrivateJwk {
    /// The python-paillier form of `sk`.
    pub fn from_secret_key(sk: &SecretKey, kid: Option<&str>) -> Self {
        let (p, q) = sk.primes_be();
        let (p, q) = (int_to_base64url(&p), int_to_base64url(&q));
        Self {
            kty: KTY.into(),
            key_ops: vec!["decrypt".into()],
            p: String::from(&*p),
            q: String::from(&*q),
            public: PhePublicJwk::from_public_key(&sk.public_key(), kid),
            kid: kid.map(String::from),
        }
    }

    /// The secret key: [`Error::UnsupportedAlgorithm`] unless `kty` is `"DAJ"` and
    /// `key_ops` holds `"decrypt"`; the primes go through [`SecretKey::from_primes`], and
    /// [`Error::KeyMismatch`] if they do not make the modulus of `pub`.
    pub fn to_secret_key(&self) -> Result<SecretKey, Error> {
        if self.kty != KTY || !self.key_ops.iter().any(|op| op == "decrypt") {
            return Err(Error::UnsupportedAlgorithm);
        }
        let public = self.public.to_public_key()?;
        let p = base64url_to_int(&self.p)?;
        let q = base64url_to_int(&self.q)?;
        let sk = SecretKey::from_primes(&p, &q)?;
        if sk.public_key() != public {
            return Err(Error::KeyMismatch);
        }
        Ok(sk)
    }
}

/// Which python-paillier exponents a ciphertext may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PheScale {
    /// Integers: exponent 0.
    Integer,
    /// Fixed point with this public scale: exponent −f/4 (f must be a multiple of 4).
    Fixed(FixedPoint),
}

impl PheScale {
    /// The python-paillier exponent; [`Error::UnsupportedAlgorithm`] for a binary scale
    /// that is not a power of 16.
    pub fn exponent(&self) -> Result<i32, Error> {
        match self {
            PheScale::Integer => Ok(0),
            PheScale::Fixed(f) => f.phe_exponent().ok_or(Error::UnsupportedAlgorithm),
        }
    }
}

/// A ciphertext as `pheutil` writes it: `{"v": "<decimal ciphertext>", "e": <exponent>}`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PheCiphertext {
    /// The ciphertext, a decimal integer below n².
    pub v: String,
    /// The base-16 exponent of the plaintext.
    pub e: i32,
}

impl PheCiphertext {
    /// The python-paillier form of `c`, which encodes a value of `scale`.
    pub fn from_ciphertext(c: &Ciphertext, scale: PheScale) -> Result<Self, Error> {
        Ok(Self {
            v: be_to_decimal(&c.to_bytes()),
            e: scale.exponent()?,
        })
    }

    /// The ciphertext under `pk`: [`Error::UnsupportedAlgorithm`] if `e` is not the
    /// exponent of `scale` (python-paillier's per-value exponents are refused),
    /// [`Error::InvalidEncoding`] for a malformed decimal, [`Error::InvalidCiphertext`]
    /// for a number that is not below n² (and [`Ciphertext::from_bytes`]'s checks).
    pub fn to_ciphertext(&self, pk: &PublicKey, scale: PheScale) -> Result<Ciphertext, Error> {
        if self.e != scale.exponent()? {
            return Err(Error::UnsupportedAlgorithm);
        }
        let c = decimal_to_be(&self.v, pk.ciphertext_len())?;
        Ciphertext::from_bytes(pk, &c)
    }
}

// ---------------------------------------------------------------------------------------
// base64url integers (phe.util.int_to_base64 / base64_to_int)
// ---------------------------------------------------------------------------------------

/// All ones if `c == want`, else zero (bytes as i16 arithmetic, no branch).
#[inline(always)]
fn eq_mask(c: u8, want: u8) -> u8 {
    let d = i16::from(c ^ want);
    // d − 1 is negative iff d == 0.
    core::hint::black_box(((d - 1) >> 8) as u8)
}

/// Unpadded base64url of the minimal big-endian bytes of `x` (python-paillier's
/// `int_to_base64`; zero is written as one zero byte). Constant time in the digits.
pub fn int_to_base64url(x: &[u8]) -> Zeroizing<String> {
    // The length of a key integer is public; stripping leading zeros by position is fine.
    let first = x
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(x.len().saturating_sub(1));
    let x = if x.is_empty() {
        &[0u8][..]
    } else {
        &x[first..]
    };
    let mut std = Zeroizing::new(vec![0u8; base64::encoded_len(x.len())]);
    // Cannot fail: the buffer has exactly the encoded length.
    let _ = base64::encode_to(x, &mut std);
    let mut out = Zeroizing::new(String::with_capacity(std.len()));
    for &c in std.iter().filter(|&&c| c != b'=') {
        // '+' → '-', '/' → '_'
        let c = c ^ (eq_mask(c, b'+') & (b'+' ^ b'-')) ^ (eq_mask(c, b'/') & (b'/' ^ b'_'));
        out.push(char::from(c));
    }
    out
}

/// The big-endian bytes (leading zero bytes removed) of a base64url integer, padded or
/// not (python-paillier's `base64_to_int`). [`Error::InvalidEncoding`] for characters
/// outside the base64url alphabet (`+` and `/` included), a length that no byte string
/// has, non-canonical trailing bits, or an empty string.
pub fn base64url_to_int(s: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let s = s.as_bytes();
    // Padding positions are public (they follow from the length).
    let body = &s[..s.len() - s.iter().rev().take(2).take_while(|&&c| c == b'=').count()];
    if body.is_empty() || body.len() % 4 == 1 {
        return Err(Error::InvalidEncoding);
    }
    let mut std = Zeroizing::new(Vec::with_capacity(body.len() + 3));
    for &c in body {
        // '-' → '+', '_' → '/'; the standard alphabet's '+' and '/', and '=' before the
        // padding, become '*', which the decoder rejects.
        let plus = eq_mask(c, b'+') | eq_mask(c, b'/') | eq_mask(c, b'=');
        let c = (c & !plus) | (b'*' & plus);
        let c = c ^ (eq_mask(c, b'-') & (b'-' ^ b'+')) ^ (eq_mask(c, b'_') & (b'_' ^ b'/'));
        std.push(c);
    }
    while !std.len().is_multiple_of(4) {
        std.push(b'=');
    }
    let mut out = Zeroizing::new(vec![0u8; base64::decoded_len(&std)?]);
    base64::decode_to(&std, &mut out)?;
    let first = out.iter().position(|&b| b != 0).unwrap_or(out.len());
    if first == out.len() {
        return Err(Error::InvalidEncoding);
    }
    let _ = out.drain(..first);
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Decimal integers (public values only: ciphertexts)
// ---------------------------------------------------------------------------------------

/// The decimal digits of a big-endian integer (`"0"` for zero). Variable time: for public
/// values.
pub fn be_to_decimal(x: &[u8]) -> String {
    // Little-endian u32 limbs; repeatedly divide by 10⁹ and collect the remainders.
    let mut limbs: Vec<u32> = x
        .rchunks(4)
        .map(|c| c.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
        .collect();
    let mut chunks = Vec::new();
    while limbs.iter().any(|&l| l != 0) {
        let mut rem = 0u64;
        for l in limbs.iter_mut().rev() {
            let cur = (rem << 32) | u64::from(*l);
            *l = (cur / 1_000_000_000) as u32;
            rem = cur % 1_000_000_000;
        }
        chunks.push(rem as u32);
        while limbs.last() == Some(&0) {
            let _ = limbs.pop();
        }
    }
    let mut s = String::new();
    match chunks.split_last() {
        None => s.push('0'),
        Some((top, rest)) => {
            use core::fmt::Write;
            let _ = write!(s, "{top}");
            for c in rest.iter().rev() {
                let _ = write!(s, "{c:09}");
            }
        }
    }
    s
}

/// The largest `len` [`decimal_to_be`] accepts: 1024 bytes, the ciphertext length of a
/// 4096-bit key. The conversion allocates `len` bytes and costs time proportional to
/// `len` times the number of digits, so both are bounded.
pub const MAX_DECIMAL_BYTES: usize = 1024;

/// A decimal integer as exactly `len` big-endian bytes. [`Error::InvalidLength`] if `len`
/// exceeds [`MAX_DECIMAL_BYTES`] (checked first, before any allocation);
/// [`Error::InvalidEncoding`] for anything but ASCII digits without leading zeros (and
/// not empty); [`Error::InvalidCiphertext`] if the value needs more than `len` bytes.
/// Variable time: for public values.
pub fn decimal_to_be(s: &str, len: usize) -> Result<Vec<u8>, Error> {
    if len > MAX_DECIMAL_BYTES {
        return Err(Error::InvalidLength);
    }
    let d = s.as_bytes();
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) || (d.len() > 1 && d[0] == b'0') {
        return Err(Error::InvalidEncoding);
    }
    // Each digit adds log2(10) < 3.33 bits; a string this long cannot fit.
    if d.len() > len.saturating_mul(8).saturating_mul(10) / 33 + 2 {
        return Err(Error::InvalidCiphertext);
    }
    let mut limbs = vec![0u32; len.div_ceil(4)];
    for chunk in d.chunks(9) {
        let mul = 10u64.pow(chunk.len() as u32);
        let mut carry = chunk
            .iter()
            .fold(0u64, |acc, &c| acc * 10 + u64::from(c - b'0'));
        for l in limbs.iter_mut() {
            let cur = u64::from(*l) * mul + carry;
            *l = cur as u32;
            carry = cur >> 32;
        }
        if carry != 0 {
            return Err(Error::InvalidCiphertext);
        }
    }
    let mut out = vec![0u8; limbs.len() * 4];
    for (i, l) in limbs.iter().enumerate() {
        let at = out.len() - 4 * (i + 1);
        out[at..at + 4].copy_from_slice(&l.to_be_bytes());
    }
    let extra = out.len() - len;
    if out[..extra].iter().any(|&b| b != 0) {
        return Err(Error::InvalidCiphertext);
    }
    Ok(out.split_off(extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_integers_match_python_paillier() {
        // phe.util.int_to_base64(65537) == 'AQAB'; (2**64 - 1) -> '__________8'
        assert_eq!(&*int_to_base64url(&[0, 1, 0, 1]), "AQAB");
        assert_eq!(&*int_to_base64url(&[0xff; 8]), "__________8");
        assert_eq!(&*int_to_base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(&base64url_to_int("AQAB").unwrap()[..], &[1, 0, 1]);
        assert_eq!(&base64url_to_int("__________8").unwrap()[..], &[0xff; 8]);
        assert_eq!(&base64url_to_int("__________8=").unwrap()[..], &[0xff; 8]);
        assert_eq!(&base64url_to_int("-_8").unwrap()[..], &[0xfb, 0xff]);
        assert_eq!(&base64url_to_int("AAAB").unwrap()[..], &[1]);
        for bad in [
            "", "A", "+_8", "-/8", "AQA*", "AAAA", "AQF", "A=AB", "====", "AQ===",
        ] {
            assert_eq!(
                base64url_to_int(bad).unwrap_err(),
                Error::InvalidEncoding,
                "{bad}"
            );
        }
    }

    /// Issue 18: `PhePrivateJwk` had a derived (early-exit) `PartialEq` over its primes.
    /// This does not compile if it implements `PartialEq` again (the two blanket impls
    /// below become ambiguous: the `assert_not_impl_any!` technique).
    #[test]
    fn private_jwk_compares_in_constant_time_only() {
        trait AmbiguousIfPartialEq<A> {
            fn check() {}
        }
        impl<T: ?Sized> AmbiguousIfPartialEq<()> for T {}
        impl<T: ?Sized + PartialEq> AmbiguousIfPartialEq<u8> for T {}
        <PhePrivateJwk as AmbiguousIfPartialEq<_>>::check();

        let jwk = |p: &str, kid: Option<&str>| PhePrivateJwk {
            kty: KTY.into(),
            key_ops: vec!["decrypt".into()],
            p: p.into(),
            q: "Aw".into(),
            public: PhePublicJwk {
                kty: KTY.into(),
                alg: ALG.into(),
                key_ops: vec!["encrypt".into()],
                n: "Bw".into(),
                kid: None,
            },
            kid: kid.map(String::from),
        };
        let a = jwk("AQAB", None);
        assert!(bool::from(a.ct_eq(&jwk("AQAB", None))));
        assert!(!bool::from(a.ct_eq(&jwk("AQAC", None))));
        assert!(!bool::from(a.ct_eq(&jwk("AQABAA", None))));
        assert!(!bool::from(a.ct_eq(&jwk("AQAB", Some("x")))));
    }

    #[test]
    fn decimal_round_trips() {
        assert_eq!(be_to_decimal(&[]), "0");
        assert_eq!(be_to_decimal(&[0, 0]), "0");
        assert_eq!(be_to_decimal(&[1, 0, 0, 0, 0]), "4294967296");
        let x: Vec<u8> = (1..=64u8).map(|i| i.wrapping_mul(97)).collect();
        let s = be_to_decimal(&x);
        assert_eq!(decimal_to_be(&s, 64).unwrap(), x);
        assert_eq!(decimal_to_be(&s, 70).unwrap()[6..], x[..]);
        assert_eq!(decimal_to_be(&s, 63).unwrap_err(), Error::InvalidCiphertext);
        assert_eq!(
            decimal_to_be("18446744073709551615", 8).unwrap(),
            vec![0xff; 8]
        );
        assert_eq!(
            decimal_to_be("18446744073709551616", 8).unwrap_err(),
            Error::InvalidCiphertext
        );
        for bad in ["", "-1", "+1", "01", "1a", " 1", "1.0"] {
            assert_eq!(
                decimal_to_be(bad, 8).unwrap_err(),
                Error::InvalidEncoding,
                "{bad}"
            );
        }
        // Issue 18: a huge `len` was a capacity-overflow panic (usize::MAX) or an
        // allocation of whatever the caller asked; it is now a typed error.
        assert_eq!(
            decimal_to_be("1", usize::MAX).unwrap_err(),
            Error::InvalidLength
        );
        assert_eq!(
            decimal_to_be("1", MAX_DECIMAL_BYTES + 1).unwrap_err(),
            Error::InvalidLength
        );
        let mut one = vec![0u8; MAX_DECIMAL_BYTES];
        one[MAX_DECIMAL_BYTES - 1] = 1;
        assert_eq!(decimal_to_be("1", MAX_DECIMAL_BYTES).unwrap(), one);
        let long = "9".repeat(10_000);
        assert_eq!(
            decimal_to_be(&long, 8).unwrap_err(),
            Error::InvalidCiphertext
        );
    }
}
