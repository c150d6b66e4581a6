//! Elliptic-curve cryptography over the NIST prime curves P-256 and P-384: ECDSA
//! (FIPS 186-5, SEC 1) with deterministic nonces (RFC 6979), and the key and signature
//! encodings OpenSSL reads and writes (SEC 1, PKCS#8, SPKI; DER and PEM).
//!
//! Signing, key generation and scalar multiplication are constant-time; verification
//! works on public data only and is variable-time. See `SIDE-CHANNELS.md`.

#[allow(dead_code)] // until the arithmetic and ECDSA layers use it
mod curve;

mod arith;
pub use arith::{NistP256, NistP384};
