//! Elliptic-curve Diffie–Hellman (SEC 1 v2 §3.3.1, the primitive NIST SP 800-56A Rev. 3
//! §5.7.1.2 calls ECC CDH; the cofactor is 1 on both curves) over any [`Curve`].
//!
//! [`SecretKey`] is a static key (kept, reused, serialisable); [`EphemeralSecret`] is used
//! for one exchange and consumed by it. Both compute the shared secret
//! z = x(d·Q) as [`SharedSecret`], `BYTES` long, big-endian, which callers feed to a KDF
//! (HKDF in HPKE), never use as a key directly.
//!
//! The peer's public key arrives as SEC 1 bytes (§2.3.4), uncompressed `04 ‖ x ‖ y` or
//! compressed `02/03 ‖ x`, and is validated before use (SEC 1 §3.2.2.1, the full public-key
//! validation): a wrong length or tag (hybrid `06/07` included) is
//! `Error::InvalidEncoding`; the identity (`00`), a coordinate ≥ p, a point off the curve,
//! or a compressed x with no square root is `Error::InvalidPublicKey`. Both curves have
//! prime order, so a point on the curve that is not the identity is in the group, and
//! d·Q for 0 < d < n is never the identity: the "P = O" failure of §3.3.1 cannot occur.
//!
//! # Constant time
//! Key generation, [`SecretKey::from_bytes`] and the exchange keep the secret scalar, and
//! the shared secret, out of every branch, memory index and division (the variable-base
//! scalar multiplication is constant-time, see `ec::arith::mul`). The peer's key is public
//! and is parsed in variable time. Every secret is wiped on drop.
//!
//! ```
//! use tsubaki::ec::p256::ecdh::{EphemeralSecret, SecretKey};
//!
//! let team = SecretKey::random(&mut tsubaki::OsRng);
//! let team_public = team.public_key_sec1(false);
//!
//! let sender = EphemeralSecret::random(&mut tsubaki::OsRng);
//! let enc = sender.public_key_sec1(false);
//! let z_sender = sender.diffie_hellman(&team_public)?;
//! let z_team = team.diffie_hellman(&enc)?;
//! assert_eq!(z_sender.as_bytes(), z_team.as_bytes());
//! # Ok::<(), tsubaki::Error>(())
//! ```

#[cfg(feature = "alloc")]
use alloc::vec::Vec;
use core::fmt;

use rand_core::CryptoRng;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::curve::Curve;
use super::ecdsa::{VerifyingKey, parse_secret_scalar, random_scalar};
use crate::Error;

/// A public key for ECDH: a validated point of the curve, not the identity. The same type
/// as the ECDSA [`VerifyingKey`] (SEC 1, SPKI encodings); the two uses share a format.
pub type PublicKey<C> = VerifyingKey<C>;

/// A static ECDH private key: a scalar d with 0 < d < n, and its public key d·G.
///
/// The scalar is wiped when the key is dropped. `Debug` prints the public key only.
pub struct SecretKey<C: Curve> {
    d: C::Scalar,
    public: PublicKey<C>,
}

/// A one-time ECDH private key: [`EphemeralSecret::diffie_hellman`] consumes it, so it
/// serves one exchange. It has no byte form. Wiped on drop.
pub struct EphemeralSecret<C: Curve> {
    key: SecretKey<C>,
}

/// The shared secret z = x(d·Q) of SEC 1 §3.3.1, `BYTES` long, big-endian. Secret: wiped on
/// drop, opaque `Debug`, compared in constant time.
pub struct SharedSecret<C: Curve> {
    z: C::Bytes,
}

/// d·Q with Q parsed from SEC 1 bytes and validated; x(d·Q) as the shared secret.
fn agree<C: Curve>(d: &C::Scalar, peer_sec1: &[u8]) -> Result<SharedSecret<C>, Error> {
    let peer = PublicKey::<C>::from_sec1_bytes(peer_sec1)?;
    Ok(agree_with(d, &peer))
}

fn agree_with<C: Curve>(d: &C::Scalar, peer: &PublicKey<C>) -> SharedSecret<C> {
    // d ≠ 0 by construction of the key types, so `mul` always yields a point (n prime, Q
    // not the identity); the fallback is never taken and is selected without a branch.
    let p = C::mul(d, peer.point()).unwrap_or(*peer.point());
    let (mut x, mut y) = C::point_to_coordinates(&p);
    let z = x;
    x.zeroize();
    y.zeroize();
    SharedSecret { z }
}

impl<C: Curve> SecretKey<C> {
    /// A fresh key from `rng` (FIPS 186-5 A.2.1 "extra random bits": 8 bytes more than the
    /// order, reduced mod n; no rejection loop, nothing branches on the draw).
    pub fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::from_scalar(random_scalar::<C, R>(rng))
    }

    fn from_scalar(d: C::Scalar) -> Self {
        let public = PublicKey::<C>::from_point(C::mul_base(&d));
        SecretKey { d, public }
    }

    /// The key with private scalar `d` (big-endian). `Error::InvalidSecretKey` unless
    /// 0 < d < n; the check is constant-time and only its verdict is public.
    pub fn from_bytes(d: &C::Bytes) -> Result<Self, Error> {
        Ok(Self::from_scalar(parse_secret_scalar::<C>(d.as_ref())?))
    }

    /// [`Self::from_bytes`] from a slice: `Error::InvalidLength` unless it is BYTES long.
    pub fn from_slice(d: &[u8]) -> Result<Self, Error> {
        Ok(Self::from_scalar(parse_secret_scalar::<C>(d)?))
    }

    /// The private scalar d, big-endian, in a buffer that wipes itself.
    pub fn to_bytes(&self) -> Zeroizing<C::Bytes> {
        Zeroizing::new(C::scalar_to_bytes(&self.d))
    }

    /// The public key d·G.
    pub fn public_key(&self) -> PublicKey<C> {
        self.public
    }

    /// The public key in SEC 1 form: `04 ‖ x ‖ y`, or `02/03 ‖ x` when `compressed`.
    #[cfg(feature = "alloc")]
    pub fn public_key_sec1(&self, compressed: bool) -> Vec<u8> {
        self.public.to_sec1_bytes(compressed)
    }

    /// The shared secret with the peer whose public key is `peer_sec1` (SEC 1, compressed
    /// or not). Errors, before any secret is touched: `Error::InvalidEncoding` for a wrong
    /// length or tag, `Error::InvalidPublicKey` for the identity, a coordinate ≥ p, a point
    /// off the curve or a compressed x with no point.
    pub fn diffie_hellman(&self, peer_sec1: &[u8]) -> Result<SharedSecret<C>, Error> {
        agree(&self.d, peer_sec1)
    }

    /// The shared secret with an already validated public key.
    pub fn diffie_hellman_key(&self, peer: &PublicKey<C>) -> SharedSecret<C> {
        agree_with(&self.d, peer)
    }
}

impl<C: Curve> EphemeralSecret<C> {
    /// A fresh one-time key from `rng` (as [`SecretKey::random`]).
    pub fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        EphemeralSecret {
            key: SecretKey::random(rng),
        }
    }

    /// The public key d·G.
    pub fn public_key(&self) -> PublicKey<C> {
        self.key.public
    }

    /// The public key in SEC 1 form: `04 ‖ x ‖ y`, or `02/03 ‖ x` when `compressed`.
    #[cfg(feature = "alloc")]
    pub fn public_key_sec1(&self, compressed: bool) -> Vec<u8> {
        self.key.public_key_sec1(compressed)
    }

    /// The shared secret with `peer_sec1` (errors as [`SecretKey::diffie_hellman`]); the
    /// key is consumed and wiped either way.
    pub fn diffie_hellman(self, peer_sec1: &[u8]) -> Result<SharedSecret<C>, Error> {
        self.key.diffie_hellman(peer_sec1)
    }

    /// The shared secret with an already validated public key; the key is consumed.
    pub fn diffie_hellman_key(self, peer: &PublicKey<C>) -> SharedSecret<C> {
        self.key.diffie_hellman_key(peer)
    }
}

impl<C: Curve> SharedSecret<C> {
    /// z, big-endian, `BYTES` long (32 for P-256, 48 for P-384).
    pub fn as_bytes(&self) -> &C::Bytes {
        &self.z
    }
}

impl<C: Curve> Drop for SecretKey<C> {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl<C: Curve> ZeroizeOnDrop for SecretKey<C> {}
impl<C: Curve> ZeroizeOnDrop for EphemeralSecret<C> {}

impl<C: Curve> Drop for SharedSecret<C> {
    fn drop(&mut self) {
        self.z.zeroize();
    }
}

impl<C: Curve> ZeroizeOnDrop for SharedSecret<C> {}

impl<C: Curve> ConstantTimeEq for SharedSecret<C> {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.z.as_ref().ct_eq(other.z.as_ref())
    }
}

impl<C: Curve> ConstantTimeEq for SecretKey<C> {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.d.ct_eq(&other.d)
    }
}

impl<C: Curve> fmt::Debug for SecretKey<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ecdh::SecretKey")
            .field("curve", &C::NAME)
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl<C: Curve> fmt::Debug for EphemeralSecret<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ecdh::EphemeralSecret")
            .field("curve", &C::NAME)
            .field("public", &self.key.public)
            .finish_non_exhaustive()
    }
}

impl<C: Curve> fmt::Debug for SharedSecret<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ecdh::SharedSecret<{}>(..)", C::NAME)
    }
}
