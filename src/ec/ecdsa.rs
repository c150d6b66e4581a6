//! ECDSA (FIPS 186-5 §6, SEC 1 §4.1) over any [`Curve`], with deterministic nonces
//! (RFC 6979 §3.2) and, on request, added entropy (RFC 6979 §3.6, "hedged" signing).
//!
//! [`SigningKey`], [`VerifyingKey`] and [`Signature`] are generic over the curve; the
//! modules [`p256`](super::p256) and [`p384`](super::p384) name them for each curve.
//!
//! # Constant time
//! Key generation, [`SigningKey::from_bytes`] and signing keep the private scalar, the
//! nonce and the message digest out of every branch, memory index and division: the nonce
//! comes from HMAC (fixed-length inputs), range checks are `subtle` selections, the scalar
//! multiplication and the inversions are constant-time (see the arithmetic modules). The
//! only values signing branches on are r and s, after they are final and public
//! ([`crate::ct::declassify`] marks exactly those two for the valgrind harness). An
//! out-of-range nonce candidate (probability about 2⁻³² for P-256, 2⁻¹⁹⁰ for P-384) is
//! folded into r = 0 by selection, so the retry RFC 6979 prescribes is decided by the public
//! r alone. Verification handles public data only and is variable-time.

use core::fmt;
use core::marker::PhantomData;

use hmac::digest::Digest;
use hmac::digest::block_api::BlockSizeUser;
use rand_core::CryptoRng;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::curve::Curve;
use crate::Error;
use crate::ct;

/// A curve together with the hash its ECDSA uses by default (SHA-256 for P-256, SHA-384
/// for P-384, as in FIPS 186-5 and every X.509 profile).
pub trait EcdsaCurve: Curve {
    /// The message digest of [`SigningKey::sign`] and [`VerifyingKey::verify`].
    type Digest: Digest + BlockSizeUser + Clone;
}

/// The shortest digest [`SigningKey::sign_prehash`] and [`VerifyingKey::verify_prehash`]
/// accept: 128 bits. Anything shorter is a caller mistake, not a hash.
const MIN_DIGEST_LEN: usize = 16;

/// Largest [`Curve::BYTES`] of any curve here (P-384), for stack buffers.
const MAX_BYTES: usize = 48;

/// An ECDSA private key: a scalar d with 0 < d < n, and its public key d·G.
///
/// The scalar is wiped when the key is dropped. `Debug` prints the public key only.
pub struct SigningKey<C: EcdsaCurve> {
    d: C::Scalar,
    public: VerifyingKey<C>,
}

/// An ECDSA public key: a validated point Q of the curve (not the identity).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct VerifyingKey<C: Curve> {
    q: C::Point,
}

/// An ECDSA signature (r, s), both in 1..n−1 (checked on every way in).
#[derive(Clone, Copy)]
pub struct Signature<C: Curve> {
    r: C::Scalar,
    s: C::Scalar,
    curve: PhantomData<C>,
}

// --- scalar helpers -----------------------------------------------------------------------

fn bytes_from_slice<C: Curve>(bytes: &[u8]) -> Result<C::Bytes, Error> {
    let mut out = C::ZERO_BYTES;
    if bytes.len() != C::BYTES {
        return Err(Error::InvalidLength);
    }
    out.as_mut().copy_from_slice(bytes);
    Ok(out)
}

/// The scalar `v` (a small public constant).
fn small_scalar<C: Curve>(v: u8) -> C::Scalar {
    let mut b = C::ZERO_BYTES;
    if let Some(last) = b.as_mut().last_mut() {
        *last = v;
    }
    C::scalar_reduce_bytes(&b)
}

/// A nonzero scalar from its big-endian bytes, in constant time.
fn nonzero_scalar<C: Curve>(bytes: &C::Bytes) -> subtle::CtOption<C::Scalar> {
    let s = C::scalar_from_bytes(bytes);
    let ok = s.is_some() & !C::scalar_is_zero(&s.unwrap_or(C::Scalar::default()));
    subtle::CtOption::new(s.unwrap_or(C::Scalar::default()), ok)
}

/// bits2int(digest) as RFC 6979 §2.3.2 and FIPS 186-5 §6.4.1 define it, reduced mod n.
///
/// Both curves here have an order of exactly 8·BYTES bits, so "the leftmost qlen bits" are
/// the leftmost BYTES bytes; a shorter digest is an integer as it stands (left-padded).
/// The result is below 2^(8·BYTES) < 2n, which the reduction takes.
fn digest_scalar<C: Curve>(digest: &[u8]) -> C::Scalar {
    let mut e = Zeroizing::new(C::ZERO_BYTES);
    let take = digest.len().min(C::BYTES);
    e.as_mut()[C::BYTES - take..].copy_from_slice(&digest[..take]);
    C::scalar_reduce_bytes(&e)
}

/// A secret scalar in 1..n−1 from exactly BYTES big-endian bytes; only the verdict is
/// made public. The caller wipes the result.
pub(crate) fn parse_secret_scalar<C: Curve>(k: &[u8]) -> Result<C::Scalar, Error> {
    let bytes = Zeroizing::new(bytes_from_slice::<C>(k)?);
    let s = nonzero_scalar::<C>(&bytes);
    if !ct::declassify_choice(s.is_some()) {
        return Err(Error::InvalidSecretKey);
    }
    Ok(s.unwrap_or(C::Scalar::default()))
}

/// A secret scalar in 1..n−1 from `rng`: 8 bytes more than the order is long, reduced
/// mod n (the "extra random bits" method of FIPS 186-5 A.2.1, statistical distance below
/// 2⁻⁶⁴ from uniform), with no rejection loop so that nothing branches on the draw. The
/// value 0 (probability 2⁻²⁵⁶) becomes 1. The caller wipes the result.
pub(crate) fn random_scalar<C: Curve, R: CryptoRng + ?Sized>(rng: &mut R) -> C::Scalar {
    let mut hi = Zeroizing::new(C::ZERO_BYTES);
    let mut lo = Zeroizing::new(C::ZERO_BYTES);
    let n = C::BYTES;
    rng.fill_bytes(&mut hi.as_mut()[n - 8..]);
    rng.fill_bytes(lo.as_mut());
    // (hi · 2^(8·BYTES) + lo) mod n, with 2^(8·BYTES) mod n = (2^(8·BYTES) − 1 mod n) + 1.
    let mut ones = C::ZERO_BYTES;
    ones.as_mut().fill(0xff);
    let radix = C::scalar_add(&C::scalar_reduce_bytes(&ones), &small_scalar::<C>(1));
    let mut hi_s = C::scalar_reduce_bytes(&hi);
    let mut lo_s = C::scalar_reduce_bytes(&lo);
    let mut d = C::scalar_add(&C::scalar_mul(&hi_s, &radix), &lo_s);
    hi_s.zeroize();
    lo_s.zeroize();
    let zero = C::scalar_is_zero(&d);
    d.conditional_assign(&small_scalar::<C>(1), zero);
    d
}

/// H(msg) in a buffer that wipes itself (the message may be secret), and its length.
pub(crate) fn hash_message<D: Digest>(msg: &[u8]) -> (Zeroizing<[u8; 64]>, usize) {
    let mut out = Zeroizing::new([0u8; 64]);
    let mut digest = D::digest(msg);
    let len = digest.len().min(64);
    out[..len].copy_from_slice(&digest[..len]);
    digest.as_mut_slice().zeroize();
    (out, len)
}

pub(crate) fn check_digest_len(digest: &[u8]) -> Result<(), Error> {
    if digest.len() < MIN_DIGEST_LEN {
        return Err(Error::InvalidLength);
    }
    Ok(())
}

// --- RFC 6979 -----------------------------------------------------------------------------

/// The most nonce candidates one signature tries (RFC 6979 §3.2 h.3 retries). A candidate
/// is rejected with probability below 2⁻³² (P-256; 2⁻¹⁹⁰ for P-384), so a working hash
/// needs more than 16 with probability below 2⁻⁵¹²; a degenerate hash (constant output,
/// possible through [`super::hazmat::sign_prehash_rfc6979`]'s generic `D`) used to make
/// the loop spin forever.
const MAX_NONCE_CANDIDATES: usize = 16;

/// Largest block size of the hashes RFC 6979 runs over here (SHA-384/512: 128 bytes).
const MAX_BLOCK: usize = 128;

/// The HMAC_DRBG of RFC 6979 §3.2 steps b–h over hash `D`, producing nonce candidates.
///
/// K and V live in buffers that wipe themselves; HMAC is computed here (RFC 2104) rather
/// than with `hmac::SimpleHmac`, which keeps K ⊕ opad and the keyed inner state in fields
/// that it never wipes and that `finalize` consumes out of reach. The hash states are wiped
/// by the hash itself on drop (sha2's `zeroize` feature; a caller's own `D` in `hazmat`
/// is on its own).
struct NonceGenerator<D: Digest + BlockSizeUser + Clone> {
    k: Zeroizing<[u8; 64]>,
    v: Zeroizing<[u8; 64]>,
    len: usize,
    hash: PhantomData<D>,
}

impl<D: Digest + BlockSizeUser + Clone> NonceGenerator<D> {
    /// HMAC_key(parts…) into `out` (the hash's output length). `key` is K, at most 64
    /// bytes, never longer than the block (SHA-1/SHA-2: blocks of 64 or 128 bytes), so
    /// it is used as it stands, zero-padded (RFC 2104 §2).
    fn hmac(key: &[u8], parts: &[&[u8]], out: &mut [u8]) {
        let block = <D as BlockSizeUser>::block_size();
        debug_assert!(key.len() <= block && block <= MAX_BLOCK);
        let block = block.min(MAX_BLOCK);
        let mut pad = Zeroizing::new([0u8; MAX_BLOCK]);
        pad[..key.len().min(block)].copy_from_slice(&key[..key.len().min(block)]);
        pad[..block].iter_mut().for_each(|b| *b ^= 0x36);
        let mut inner = D::new();
        Digest::update(&mut inner, &pad[..block]);
        for part in parts {
            Digest::update(&mut inner, part);
        }
        let mut inner_hash = inner.finalize();
        pad[..block].iter_mut().for_each(|b| *b ^= 0x36 ^ 0x5c);
        let mut outer = D::new();
        Digest::update(&mut outer, &pad[..block]);
        Digest::update(&mut outer, &inner_hash);
        inner_hash.as_mut_slice().zeroize();
        let mut tag = outer.finalize();
        out.copy_from_slice(&tag);
        tag.as_mut_slice().zeroize();
    }

    /// Steps b–g: x = int2octets(d), h = bits2octets(H(m)), extra = k' of §3.6 (empty for
    /// the deterministic variant).
    fn new(x: &[u8], h: &[u8], extra: &[u8]) -> Self {
        let len = <D as Digest>::output_size();
        // Callers pass SHA-2 (≤ 512 bits); `hazmat` refuses longer hashes before this point.
        debug_assert!(len <= 64, "hashes up to 512 bits");
        let len = len.min(64);
        let mut g = NonceGenerator {
            k: Zeroizing::new([0u8; 64]),
            v: Zeroizing::new([0x01; 64]),
            len,
            hash: PhantomData,
        };
        g.k[..len].fill(0);
        for sep in [0u8, 1] {
            let mut k = Zeroizing::new([0u8; 64]);
            Self::hmac(
                &g.k[..len],
                &[&g.v[..len], &[sep], x, h, extra],
                &mut k[..len],
            );
            g.k = k;
            g.v_update();
        }
        g
    }

    fn v_update(&mut self) {
        let mut v = Zeroizing::new([0u8; 64]);
        Self::hmac(
            &self.k[..self.len],
            &[&self.v[..self.len]],
            &mut v[..self.len],
        );
        self.v = v;
    }

    /// Step h.1–h.2: the next candidate T, `out.len()` bytes (qlen = 8·BYTES here).
    fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(self.len) {
            self.v_update();
            chunk.copy_from_slice(&self.v[..chunk.len()]);
        }
    }

    /// Step h.3, after a rejected candidate: K = HMAC_K(V ‖ 0x00), V = HMAC_K(V).
    fn reseed(&mut self) {
        let mut k = Zeroizing::new([0u8; 64]);
        Self::hmac(
            &self.k[..self.len],
            &[&self.v[..self.len], &[0]],
            &mut k[..self.len],
        );
        self.k = k;
        self.v_update();
    }
}

// --- signing ------------------------------------------------------------------------------

impl<C: EcdsaCurve> SigningKey<C> {
    /// A fresh key from `rng` (see [`random_scalar`]: the "extra random bits" method of
    /// FIPS 186-5 A.2.1, no rejection loop).
    pub fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::from_scalar(random_scalar::<C, R>(rng))
    }

    fn from_scalar(d: C::Scalar) -> Self {
        let q = C::mul_base(&d);
        SigningKey {
            d,
            public: VerifyingKey { q },
        }
    }

    /// The key with private scalar `d` (big-endian). `Error::InvalidSecretKey` unless
    /// 0 < d < n; the check is constant-time and nothing else about d leaks.
    pub fn from_bytes(d: &C::Bytes) -> Result<Self, Error> {
        // The key is valid or not: that bit is the caller's to know. The scalar is not.
        Ok(Self::from_scalar(parse_secret_scalar::<C>(d.as_ref())?))
    }

    /// [`Self::from_bytes`] from a slice: `Error::InvalidLength` unless it is BYTES long.
    pub fn from_slice(d: &[u8]) -> Result<Self, Error> {
        let bytes = Zeroizing::new(bytes_from_slice::<C>(d)?);
        Self::from_bytes(&bytes)
    }

    /// The private scalar d, big-endian, in a buffer that wipes itself.
    pub fn to_bytes(&self) -> Zeroizing<C::Bytes> {
        Zeroizing::new(C::scalar_to_bytes(&self.d))
    }

    /// The public key Q = d·G.
    pub fn verifying_key(&self) -> VerifyingKey<C> {
        self.public
    }

    /// Signs `msg` hashed with the curve's hash ([`EcdsaCurve::Digest`]), with the
    /// deterministic nonce of RFC 6979.
    ///
    /// # Panics
    /// Never in practice: only if HMAC-SHA-2 gave 16 unusable nonce candidates in a row
    /// (probability below 2⁻⁵¹², or a broken SHA-2); the message cannot cause it.
    pub fn sign(&self, msg: &[u8]) -> Signature<C> {
        let (digest, len) = hash_message::<C::Digest>(msg);
        self.sign_digest_with::<C::Digest>(&digest[..len], &[])
            .expect("RFC 6979 over SHA-2 found a nonce within 16 candidates")
    }

    /// Signs `msg` with an RFC 6979 nonce that also mixes in BYTES fresh bytes from `rng`
    /// (§3.6): as safe as [`Self::sign`] if the RNG is broken, and safer against fault
    /// attacks if it is not. Signatures are not reproducible. The RNG only feeds the
    /// HMAC_DRBG, so even one with constant output cannot stall the nonce search.
    ///
    /// # Panics
    /// As [`Self::sign`]: never in practice.
    pub fn sign_with_rng<R: CryptoRng + ?Sized>(&self, rng: &mut R, msg: &[u8]) -> Signature<C> {
        let (digest, len) = hash_message::<C::Digest>(msg);
        let mut extra = Zeroizing::new(C::ZERO_BYTES);
        rng.fill_bytes(extra.as_mut());
        self.sign_digest_with::<C::Digest>(&digest[..len], extra.as_ref())
            .expect("RFC 6979 over SHA-2 found a nonce within 16 candidates")
    }

    /// Signs a digest computed by the caller (RFC 6979 nonce over the curve's hash).
    /// Digests longer than the order are truncated to its bit length, as FIPS 186-5
    /// says; digests shorter than 16 bytes are refused with `Error::InvalidLength`.
    /// [`Error::RngFailure`] if no nonce is found within 16 candidates (never in practice
    /// with SHA-2, see [`Self::sign`]).
    pub fn sign_prehash(&self, digest: &[u8]) -> Result<Signature<C>, Error> {
        check_digest_len(digest)?;
        self.sign_digest_with::<C::Digest>(digest, &[])
    }

    /// RFC 6979 over hash `D` (for HMAC), with optional added entropy; at most
    /// [`MAX_NONCE_CANDIDATES`] candidates, then [`Error::RngFailure`].
    pub(crate) fn sign_digest_with<D: Digest + BlockSizeUser + Clone>(
        &self,
        digest: &[u8],
        extra: &[u8],
    ) -> Result<Signature<C>, Error> {
        let mut e = digest_scalar::<C>(digest);
        let x = self.to_bytes();
        let h = Zeroizing::new(C::scalar_to_bytes(&e));
        let mut drbg = NonceGenerator::<D>::new(x.as_ref(), h.as_ref(), extra);
        let mut t = Zeroizing::new([0u8; MAX_BYTES]);
        let mut result = Err(Error::RngFailure);
        for _ in 0..MAX_NONCE_CANDIDATES {
            drbg.fill(&mut t[..C::BYTES]);
            let candidate =
                Zeroizing::new(bytes_from_slice::<C>(&t[..C::BYTES]).unwrap_or(C::ZERO_BYTES));
            if let Some(sig) = self.sign_with_candidate(&e, &candidate) {
                result = Ok(sig);
                break;
            }
            drbg.reseed();
        }
        e.zeroize();
        result
    }

    /// One signing attempt with nonce candidate `k` (big-endian, any value): `None` if
    /// k ∉ 1..n−1 or r = 0 or s = 0, decided from the public r and s alone (an invalid
    /// candidate is folded into r = 0 by selection).
    fn sign_with_candidate(&self, e: &C::Scalar, k: &C::Bytes) -> Option<Signature<C>> {
        let k = nonzero_scalar::<C>(k);
        let valid = k.is_some();
        let one = small_scalar::<C>(1);
        let mut k = C::Scalar::conditional_select(&one, &k.unwrap_or(one), valid);
        let point = C::mul_base(&k);
        let (x, _) = C::point_to_coordinates(&point);
        let zero = C::Scalar::default();
        let r = C::Scalar::conditional_select(&zero, &C::scalar_reduce_bytes(&x), valid);
        let mut k_inv = C::scalar_invert(&k);
        let mut rd = C::scalar_mul(&r, &self.d);
        let mut sum = C::scalar_add(e, &rd);
        let s = C::scalar_mul(&k_inv, &sum);
        k.zeroize();
        k_inv.zeroize();
        rd.zeroize();
        sum.zeroize();
        let mut r_bytes = C::scalar_to_bytes(&r);
        let mut s_bytes = C::scalar_to_bytes(&s);
        ct::declassify(r_bytes.as_mut());
        ct::declassify(s_bytes.as_mut());
        // r and s are the signature: public from here on.
        Signature::from_scalar_bytes(&r_bytes, &s_bytes).ok()
    }

    /// Signs with a caller-chosen nonce `k` (see [`super::hazmat`]).
    pub(crate) fn sign_prehash_with_nonce(
        &self,
        digest: &[u8],
        k: &[u8],
    ) -> Result<Signature<C>, Error> {
        check_digest_len(digest)?;
        let mut scalar = parse_secret_scalar::<C>(k)?;
        scalar.zeroize();
        let k = Zeroizing::new(bytes_from_slice::<C>(k)?);
        let e = digest_scalar::<C>(digest);
        self.sign_with_candidate(&e, &k)
            .ok_or(Error::InvalidSecretKey)
    }
}

impl<C: EcdsaCurve> Drop for SigningKey<C> {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl<C: EcdsaCurve> ZeroizeOnDrop for SigningKey<C> {}

impl<C: EcdsaCurve> fmt::Debug for SigningKey<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("curve", &C::NAME)
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl<C: EcdsaCurve> ConstantTimeEq for SigningKey<C> {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.d.ct_eq(&other.d)
    }
}

// --- verification -------------------------------------------------------------------------

impl<C: Curve> VerifyingKey<C> {
    /// A public key from affine coordinates (big-endian): `Error::InvalidPublicKey` unless
    /// both are below p and the point is on the curve.
    pub fn from_affine_coordinates(x: &C::Bytes, y: &C::Bytes) -> Result<Self, Error> {
        Ok(VerifyingKey {
            q: C::point_from_coordinates(x, y)?,
        })
    }

    /// The affine coordinates (x, y), big-endian.
    pub fn to_affine_coordinates(&self) -> (C::Bytes, C::Bytes) {
        C::point_to_coordinates(&self.q)
    }

    /// A public key in SEC 1 §2.3.4 form: `04 ‖ x ‖ y` or compressed `02/03 ‖ x`.
    /// Hybrid forms (`06/07`), other tags and wrong lengths are `Error::InvalidEncoding`;
    /// the identity (`00`), a point not on the curve or a coordinate ≥ p is
    /// `Error::InvalidPublicKey`.
    pub fn from_sec1_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let n = C::BYTES;
        match bytes.split_first() {
            Some((&0x04, rest)) if rest.len() == 2 * n => {
                let (x, y) = rest.split_at(n);
                Self::from_affine_coordinates(
                    &bytes_from_slice::<C>(x)?,
                    &bytes_from_slice::<C>(y)?,
                )
            }
            Some((&tag @ (0x02 | 0x03), x)) if x.len() == n => Ok(VerifyingKey {
                q: C::point_decompress(&bytes_from_slice::<C>(x)?, tag == 0x03)?,
            }),
            Some((&0x00, [])) => Err(Error::InvalidPublicKey),
            _ => Err(Error::InvalidEncoding),
        }
    }

    pub(crate) fn point(&self) -> &C::Point {
        &self.q
    }

    pub(crate) fn from_point(q: C::Point) -> Self {
        VerifyingKey { q }
    }
}

impl<C: EcdsaCurve> VerifyingKey<C> {
    /// Verifies `sig` over `msg` hashed with the curve's hash. Accepts high-S signatures
    /// (standard ECDSA); `Error::InvalidSignature` if it does not verify.
    pub fn verify(&self, msg: &[u8], sig: &Signature<C>) -> Result<(), Error> {
        self.verify_digest(&C::Digest::digest(msg), sig)
    }

    /// Verifies `sig` over a digest computed by the caller (truncated to the order's bit
    /// length if longer; `Error::InvalidLength` if shorter than 16 bytes).
    pub fn verify_prehash(&self, digest: &[u8], sig: &Signature<C>) -> Result<(), Error> {
        check_digest_len(digest)?;
        self.verify_digest(digest, sig)
    }

    /// FIPS 186-5 §6.4.2 on public data: w = s⁻¹, u1 = e·w, u2 = r·w, accept iff
    /// x(u1·G + u2·Q) ≡ r (mod n). r and s are in 1..n−1 by construction of [`Signature`].
    fn verify_digest(&self, digest: &[u8], sig: &Signature<C>) -> Result<(), Error> {
        let e = digest_scalar::<C>(digest);
        // s is public (part of the signature), so the variable-time inverse is safe here.
        let w = C::scalar_invert_vartime(&sig.s);
        let u1 = C::scalar_mul(&e, &w);
        let u2 = C::scalar_mul(&sig.r, &w);
        if C::verify_vartime(&u1, &u2, &self.q, &sig.r) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}

impl<C: Curve> fmt::Debug for VerifyingKey<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, y) = C::point_to_coordinates(&self.q);
        write!(f, "VerifyingKey<{}>(04", C::NAME)?;
        for b in x.as_ref().iter().chain(y.as_ref()) {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

// --- signatures ---------------------------------------------------------------------------

impl<C: Curve> Signature<C> {
    fn from_scalar_bytes(r: &C::Bytes, s: &C::Bytes) -> Result<Self, Error> {
        let (r, s) = (nonzero_scalar::<C>(r), nonzero_scalar::<C>(s));
        if !bool::from(r.is_some() & s.is_some()) {
            return Err(Error::InvalidSignature);
        }
        let zero = C::Scalar::default();
        Ok(Signature {
            r: r.unwrap_or(zero),
            s: s.unwrap_or(zero),
            curve: PhantomData,
        })
    }

    /// A signature from r and s (big-endian): `Error::InvalidSignature` unless both are in
    /// 1..n−1.
    pub fn from_scalars(r: &C::Bytes, s: &C::Bytes) -> Result<Self, Error> {
        Self::from_scalar_bytes(r, s)
    }

    /// The fixed-length form `r ‖ s` (IEEE P1363, JOSE, WebCrypto): exactly 2·BYTES bytes
    /// (`Error::InvalidLength` otherwise).
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != 2 * C::BYTES {
            return Err(Error::InvalidLength);
        }
        let (r, s) = bytes.split_at(C::BYTES);
        Self::from_scalar_bytes(&bytes_from_slice::<C>(r)?, &bytes_from_slice::<C>(s)?)
    }

    /// r, big-endian.
    pub fn r(&self) -> C::Bytes {
        C::scalar_to_bytes(&self.r)
    }

    /// s, big-endian.
    pub fn s(&self) -> C::Bytes {
        C::scalar_to_bytes(&self.s)
    }

    /// `r ‖ s`, each BYTES long.
    pub fn to_bytes(&self) -> C::SigBytes {
        let mut out = C::ZERO_SIG_BYTES;
        let (r, s) = out.as_mut().split_at_mut(C::BYTES);
        r.copy_from_slice(self.r().as_ref());
        s.copy_from_slice(self.s().as_ref());
        out
    }

    /// The same signature with s replaced by n − s if s > n/2 ("low-S" form, which some
    /// verifiers such as Bitcoin's require). Both forms verify here.
    pub fn normalize_s(&self) -> Self {
        let high = C::scalar_is_high(&self.s);
        let mut out = *self;
        out.s.conditional_assign(&C::scalar_neg(&self.s), high);
        out
    }

    /// Whether s is in the high half (see [`Self::normalize_s`]).
    pub fn is_high_s(&self) -> bool {
        C::scalar_is_high(&self.s).into()
    }
}

impl<C: Curve> PartialEq for Signature<C> {
    fn eq(&self, other: &Self) -> bool {
        (self.r.ct_eq(&other.r) & self.s.ct_eq(&other.s)).into()
    }
}

impl<C: Curve> Eq for Signature<C> {}

impl<C: Curve> fmt::Debug for Signature<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature<{}>(", C::NAME)?;
        for b in self.to_bytes().as_ref() {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use hmac::digest::block_api::BlockSizeUser;
    use hmac::digest::consts::{U32, U64};
    use hmac::digest::{FixedOutput, HashMarker, Output, OutputSizeUser, Update};

    use super::super::hazmat;
    use super::super::p256::{Signature, SigningKey};
    use crate::Error;

    /// A degenerate "hash" whose output is all ones whatever its input: HMAC over it is
    /// constant, so every RFC 6979 candidate is 2²⁵⁶ − 1 ≥ n.
    #[derive(Clone, Default)]
    struct Stuck;

    impl HashMarker for Stuck {}
    impl Update for Stuck {
        fn update(&mut self, _: &[u8]) {}
    }
    impl OutputSizeUser for Stuck {
        type OutputSize = U32;
    }
    impl BlockSizeUser for Stuck {
        type BlockSize = U64;
    }
    impl FixedOutput for Stuck {
        fn finalize_into(self, out: &mut Output<Self>) {
            out.fill(0xff);
        }
    }

    /// Issue 18: a nonce generator that never yields a usable candidate made signing spin
    /// forever; now it stops after `MAX_NONCE_CANDIDATES` with `Error::RngFailure`.
    #[test]
    fn stuck_nonce_generator_fails_instead_of_spinning() {
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let digest = [0x42u8; 32];
        assert_eq!(
            hazmat::sign_prehash_rfc6979::<_, Stuck>(&key, &digest).err(),
            Some(Error::RngFailure)
        );
        // The same key and digest with SHA-256 sign and verify.
        let sig: Signature =
            hazmat::sign_prehash_rfc6979::<_, sha2::Sha256>(&key, &digest).unwrap();
        assert_eq!(key.sign_prehash(&digest).unwrap(), sig);
        assert!(key.verifying_key().verify_prehash(&digest, &sig).is_ok());
    }

    /// The HMAC written here against RFC 4231 test case 2 (HMAC-SHA-256, key "Jefe") and
    /// test case 1 of SHA-512 (key 0x0b × 20), through the nonce generator's helper.
    #[test]
    fn hmac_matches_rfc4231() {
        let mut out = [0u8; 32];
        super::NonceGenerator::<sha2::Sha256>::hmac(
            b"Jefe",
            &[b"what do ya want ", b"for nothing?"],
            &mut out,
        );
        assert_eq!(
            out,
            hex32("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        );
        let mut out = [0u8; 64];
        super::NonceGenerator::<sha2::Sha512>::hmac(&[0x0b; 20], &[b"Hi There"], &mut out);
        assert_eq!(
            out[..32],
            hex32("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde")
        );
        assert_eq!(
            out[32..],
            hex32("daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854")
        );
    }

    fn hex32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (o, pair) in out.iter_mut().zip(s.as_bytes().chunks(2)) {
            *o = u8::from_str_radix(core::str::from_utf8(pair).unwrap(), 16).unwrap();
        }
        out
    }
}
