//! Encodings shared by the public-key parts of the crate: strict ASN.1 DER (ITU-T X.690),
//! constant-time base64 (RFC 4648) and PEM armour (RFC 7468).
//!
//! The DER reader and base64 need no allocator; PEM returns heap buffers and needs
//! `alloc`. The structures built from them (PKCS#8, SEC 1, SPKI, ECDSA signatures) live
//! with their algorithm, in `ec::pkcs`.

pub(crate) mod base64;
pub(crate) mod der;
#[cfg(feature = "alloc")]
pub(crate) mod pem;
