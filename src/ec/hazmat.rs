//! ⚠️ Misuse-prone ECDSA operations, for test vectors and protocols that need them.
//!
//! **Warning.** Nothing here is needed to sign or verify. A nonce chosen by the caller
//! that is ever reused, guessable or biased reveals the private key (two signatures with
//! one nonce give d by simple algebra; a few bits of bias per signature give it by lattice
//! reduction). Use [`SigningKey::sign`](super::ecdsa::SigningKey::sign) unless a test vector or
//! a protocol specification forces the nonce or the nonce hash.

use hmac::digest::Digest;
use hmac::digest::block_api::BlockSizeUser;

use zeroize::Zeroize;

use super::ecdsa::{EcdsaCurve, Signature, SigningKey, VerifyingKey, parse_secret_scalar};
use crate::Error;

/// Signs `digest` with the nonce `k` (big-endian, exactly BYTES long, 0 < k < n; else
/// `Error::InvalidLength` / `Error::InvalidSecretKey`). For known-answer tests (NIST CAVP
/// SigGen gives k). The computation is the same constant-time path as signing.
pub fn sign_prehash_with_nonce<C: EcdsaCurve>(
    key: &SigningKey<C>,
    digest: &[u8],
    k: &[u8],
) -> Result<Signature<C>, Error> {
    key.sign_prehash_with_nonce(digest, k)
}

/// Signs `digest` with the RFC 6979 nonce computed with HMAC over hash `D` instead of the
/// curve's own hash (RFC 6979 uses the message hash for the HMAC; its A.2 vectors pair
/// P-256 and P-384 with SHA-1, SHA-224, SHA-256, SHA-384 and SHA-512). Hashes longer than
/// 512 bits are refused with `Error::InvalidLength`, and so are hashes whose block is
/// shorter than their output or longer than 128 bytes (HMAC here takes K as it stands).
/// `Error::RngFailure` if 16 nonce candidates in a row are unusable (a degenerate `D`).
pub fn sign_prehash_rfc6979<C: EcdsaCurve, D: Digest + BlockSizeUser + Clone>(
    key: &SigningKey<C>,
    digest: &[u8],
) -> Result<Signature<C>, Error> {
    // The HMAC_DRBG state is sized for hashes up to 512 bits (every SHA-1/SHA-2 output).
    let (out, block) = (<D as Digest>::output_size(), D::block_size());
    if digest.len() < 16 || out > 64 || out > block || block > 128 {
        return Err(Error::InvalidLength);
    }
    key.sign_digest_with::<D>(digest, &[])
}

/// k·P for a public point P and a secret scalar k (big-endian, BYTES long, 0 < k < n),
/// in constant time: the ECDH primitive, also used for the ring k·P vectors.
pub fn mul<C: EcdsaCurve>(k: &[u8], point: &VerifyingKey<C>) -> Result<VerifyingKey<C>, Error> {
    let mut scalar = parse_secret_scalar::<C>(k)?;
    let q = C::mul(&scalar, point.point());
    scalar.zeroize();
    if !crate::ct::declassify_choice(q.is_some()) {
        return Err(Error::InvalidSecretKey);
    }
    Ok(VerifyingKey::from_point(q.unwrap_or(*point.point())))
}
