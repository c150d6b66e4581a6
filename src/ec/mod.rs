//! Elliptic-curve cryptography over the NIST prime curves P-256 and P-384: ECDSA
//! (FIPS 186-5, SEC 1) with deterministic nonces (RFC 6979), and the key and signature
//! encodings OpenSSL reads and writes (SEC 1, PKCS#8, SPKI; DER and PEM).
//!
//! - [`p256`], [`p384`]: `SigningKey`, `VerifyingKey`, `Signature` for each curve (aliases
//!   of the generic types in [`ecdsa`]).
//! - [`hazmat`]: caller-chosen nonces and nonce hashes, raw k·P.
//!
//! Signing, key generation and scalar multiplication are constant-time; verification
//! works on public data only and is variable-time. See `SIDE-CHANNELS.md`.

pub(crate) mod arith;
mod curve;
pub mod ecdsa;
mod formats;
pub mod hazmat;
pub mod p256;
pub mod p384;
pub(crate) mod pkcs;

pub use arith::{NistP256, NistP384};
