//! ECDSA over P-256 (secp256r1, prime256v1; FIPS 186-5, SEC 2 §2.4.2) with SHA-256.
//!
//! ```
//! use tsubaki::ec::p256::{SigningKey, VerifyingKey, Signature};
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

pub use super::NistP256;
use super::ecdsa::{self, EcdsaCurve};

impl EcdsaCurve for NistP256 {
    type Digest = sha2::Sha256;
}

/// A P-256 private key (scalar, 32 bytes). See [`ecdsa::SigningKey`].
pub type SigningKey = ecdsa::SigningKey<NistP256>;
/// A P-256 public key. See [`ecdsa::VerifyingKey`].
pub type VerifyingKey = ecdsa::VerifyingKey<NistP256>;
/// A P-256 ECDSA signature (r, s; 64 bytes fixed or DER). See [`ecdsa::Signature`].
pub type Signature = ecdsa::Signature<NistP256>;

/// ECDH over P-256 (SEC 1 §3.3.1): shared secrets of 32 bytes. See
/// [`ec::ecdh`](super::ecdh) for the rules and the peer-key checks.
pub mod ecdh {
    use super::NistP256;
    use crate::ec::ecdh;

    /// A static ECDH private key (32-byte scalar). See [`ecdh::SecretKey`].
    pub type SecretKey = ecdh::SecretKey<NistP256>;
    /// A one-time ECDH private key. See [`ecdh::EphemeralSecret`].
    pub type EphemeralSecret = ecdh::EphemeralSecret<NistP256>;
    /// An ECDH public key (SEC 1). See [`ecdh::PublicKey`].
    pub type PublicKey = ecdh::PublicKey<NistP256>;
    /// The 32-byte shared secret x(d·Q). See [`ecdh::SharedSecret`].
    pub type SharedSecret = ecdh::SharedSecret<NistP256>;
}
