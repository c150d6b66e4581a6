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
