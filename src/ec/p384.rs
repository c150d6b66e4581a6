//! ECDSA over P-384 (secp384r1; FIPS 186-5, SEC 2 §2.5.1) with SHA-384.
//!
//! ```
//! use tsubaki::ec::p384::{SigningKey, VerifyingKey, Signature};
//!
//! let key = SigningKey::random(&mut tsubaki::OsRng);
//! let signature = key.sign(b"indicator feed, 2026-11-22");
//! let public: VerifyingKey = key.verifying_key();
//! assert!(public.verify(b"indicator feed, 2026-11-22", &signature).is_ok());
//!
//! // DER, as OpenSSL writes it, and back.
//! let der = signature.to_der();
//! assert_eq!(Signature::from_der(&der), Ok(signature));
//! ```

pub use super::NistP384;
use super::ecdsa::{self, EcdsaCurve};

impl EcdsaCurve for NistP384 {
    type Digest = sha2::Sha384;
}

/// A P-384 private key (scalar, 48 bytes). See [`ecdsa::SigningKey`].
pub type SigningKey = ecdsa::SigningKey<NistP384>;
/// A P-384 public key. See [`ecdsa::VerifyingKey`].
pub type VerifyingKey = ecdsa::VerifyingKey<NistP384>;
/// A P-384 ECDSA signature (r, s; 96 bytes fixed or DER). See [`ecdsa::Signature`].
pub type Signature = ecdsa::Signature<NistP384>;

/// ECDH over P-384 (SEC 1 §3.3.1): shared secrets of 48 bytes. See
/// [`ec::ecdh`](super::ecdh) for the rules and the peer-key checks.
pub mod ecdh {
    use super::NistP384;
    use crate::ec::ecdh;

    /// A static ECDH private key (48-byte scalar). See [`ecdh::SecretKey`].
    pub type SecretKey = ecdh::SecretKey<NistP384>;
    /// A one-time ECDH private key. See [`ecdh::EphemeralSecret`].
    pub type EphemeralSecret = ecdh::EphemeralSecret<NistP384>;
    /// An ECDH public key (SEC 1). See [`ecdh::PublicKey`].
    pub type PublicKey = ecdh::PublicKey<NistP384>;
    /// The 48-byte shared secret x(d·Q). See [`ecdh::SharedSecret`].
    pub type SharedSecret = ecdh::SharedSecret<NistP384>;
}
