//! Elliptic-curve cryptography over the NIST prime curves P-256 and P-384: ECDSA
//! (FIPS 186-5, SEC 1) with deterministic nonces (RFC 6979), ECDH (SEC 1 §3.3.1), and the
//! key and signature
//! encodings OpenSSL reads and writes (SEC 1, PKCS#8, SPKI; DER and PEM).
//!
//! - [`p256`], [`p384`]: `SigningKey`, `VerifyingKey`, `Signature` for each curve (aliases
//!   of the generic types in [`ecdsa`]).
//! - [`hazmat`]: caller-chosen nonces and nonce hashes, raw k·P.
//! - [`ecdh`]: Diffie–Hellman (SEC 1 §3.3.1), named per curve as `p256::ecdh` and
//!   `p384::ecdh`.
//!
//! Signing, key generation, ECDH and scalar multiplication are constant-time; verification
//! works on public data only and is variable-time. See `SIDE-CHANNELS.md`.

pub(crate) mod arith;
mod curve;
pub mod ecdh;
pub mod ecdsa;
mod formats;
pub mod hazmat;
pub mod p256;
pub mod p384;
pub(crate) mod pkcs;
#[cfg(feature = "signature")]
mod signature_traits;

pub use arith::{NistP256, NistP384};
