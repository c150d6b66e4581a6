//! The `signature` crate's traits on tsubaki's ECDSA types (feature `signature`), used
//! only through generic functions written against those traits, as a caller's code would:
//! - sign/verify round trips through `Signer`, `RandomizedSigner`, `PrehashSigner`,
//!   `RandomizedPrehashSigner`, `Verifier`, `PrehashVerifier` and `Keypair`, on P-256 and
//!   P-384;
//! - a wrong message, a wrong key, a short prehash and a failing RNG are errors;
//! - the same generic verifier, handed RustCrypto's `p256` key (signature 3.0 too),
//!   accepts tsubaki's P-256 signatures, and tsubaki's verifying key accepts RustCrypto's.
#![cfg(feature = "signature")]

use core::convert::Infallible;

use sha2::{Digest, Sha256, Sha384};
use signature::hazmat::{PrehashSigner, PrehashVerifier, RandomizedPrehashSigner};
use signature::{Keypair, RandomizedSigner, Signer, Verifier};
use tsubaki::ec::{p256, p384};

/// A deterministic RNG for the tests (SplitMix64): `CryptoRng` only by declaration.
struct TestRng(u64);

impl rand_core::TryRng for TestRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Ok(z ^ (z >> 31))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let v = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for TestRng {}

/// An RNG that always fails.
struct BrokenRng;

#[derive(Debug)]
struct Broken;
impl core::fmt::Display for Broken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("broken")
    }
}
impl core::error::Error for Broken {}

impl rand_core::TryRng for BrokenRng {
    type Error = Broken;
    fn try_next_u32(&mut self) -> Result<u32, Broken> {
        Err(Broken)
    }
    fn try_next_u64(&mut self) -> Result<u64, Broken> {
        Err(Broken)
    }
    fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Broken> {
        Err(Broken)
    }
}
impl rand_core::TryCryptoRng for BrokenRng {}

/// Everything a generic caller can do with a key pair, checked: the laws of the traits.
fn laws<K, S>(key: &K, prehash: &[u8])
where
    K: Signer<S> + RandomizedSigner<S> + PrehashSigner<S> + RandomizedPrehashSigner<S> + Keypair,
    K::VerifyingKey: Verifier<S> + PrehashVerifier<S>,
    S: PartialEq + core::fmt::Debug,
{
    let vk = key.verifying_key();
    let msg = b"generic code over signature 3.0";
    let sig = key.try_sign(msg).unwrap();
    assert!(vk.verify(msg, &sig).is_ok());
    assert!(vk.verify(b"another message", &sig).is_err());
    assert_eq!(key.sign(msg), sig, "Signer is deterministic (RFC 6979)");

    let mut rng = TestRng(7);
    let hedged = key.try_sign_with_rng(&mut rng, msg).unwrap();
    assert_ne!(hedged, sig, "hedged signing mixes in the RNG's bytes");
    assert!(vk.verify(msg, &hedged).is_ok());
    assert!(key.try_sign_with_rng(&mut BrokenRng, msg).is_err());

    let ps = key.sign_prehash(prehash).unwrap();
    assert!(vk.verify_prehash(prehash, &ps).is_ok());
    assert!(vk.verify_prehash(&prehash[1..], &ps).is_err());
    let ps2 = key.sign_prehash_with_rng(&mut rng, prehash).unwrap();
    assert!(vk.verify_prehash(prehash, &ps2).is_ok());
    assert!(
        key.sign_prehash(&prehash[..15]).is_err(),
        "a 15-byte prehash is no hash"
    );
    assert!(key.sign_prehash_with_rng(&mut rng, &prehash[..15]).is_err());
    assert!(key.sign_prehash_with_rng(&mut BrokenRng, prehash).is_err());
}

/// Verifies through the trait only.
fn verifies<V: Verifier<S>, S>(vk: &V, msg: &[u8], sig: &S) -> bool {
    vk.verify(msg, sig).is_ok()
}

#[test]
fn p256_keeps_the_trait_laws() {
    let key = p256::SigningKey::from_slice(&[0x11; 32]).unwrap();
    laws(&key, &Sha256::digest(b"prehashed"));
    let other = p256::SigningKey::from_slice(&[0x12; 32]).unwrap();
    let sig: p256::Signature = key.sign(b"m");
    assert!(!verifies(&other.verifying_key(), b"m", &sig));
    // Sign (through the trait) ≡ the inherent method, and the message hash is SHA-256.
    assert_eq!(sig, p256::SigningKey::sign(&key, b"m"));
    assert_eq!(
        PrehashSigner::sign_prehash(&key, &Sha256::digest(b"m")).unwrap(),
        sig
    );
}

#[test]
fn p384_keeps_the_trait_laws() {
    let key = p384::SigningKey::from_slice(&[0x21; 48]).unwrap();
    laws(&key, &Sha384::digest(b"prehashed"));
    let sig: p384::Signature = key.sign(b"m");
    assert_eq!(
        PrehashSigner::sign_prehash(&key, &Sha384::digest(b"m")).unwrap(),
        sig
    );
}

#[test]
fn the_same_generic_verifier_takes_rustcrypto_keys_both_ways() {
    use ::p256::ecdsa as rc;
    let d = [0x33u8; 32];
    let ours = p256::SigningKey::from_slice(&d).unwrap();
    let theirs = rc::SigningKey::from_slice(&d).unwrap();
    let msg = b"interop through the traits";
    // tsubaki signs, RustCrypto's verifying key verifies.
    let s: p256::Signature = ours.sign(msg);
    let s_rc = rc::Signature::from_slice(&s.to_bytes()).unwrap();
    assert!(verifies(theirs.verifying_key(), msg, &s_rc));
    // RustCrypto signs, tsubaki's verifying key verifies.
    let t: rc::Signature = Signer::sign(&theirs, msg);
    let t_ours = p256::Signature::from_slice(&t.to_bytes()).unwrap();
    assert!(verifies(&ours.verifying_key(), msg, &t_ours));
    // Both are RFC 6979 over SHA-256: the same bytes.
    assert_eq!(s.to_bytes().as_ref(), &t.to_bytes()[..]);
    assert!(!verifies(&ours.verifying_key(), b"tampered", &t_ours));
}
