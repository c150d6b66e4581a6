//! The [`signature`] crate's traits (version 3, the one RustCrypto's `ecdsa`/`p256` 0.14
//! use) for tsubaki's ECDSA types, so code written against `Signer`, `Verifier`, … takes
//! tsubaki's keys (feature `signature`).
//!
//! | trait | implemented by | as |
//! |---|---|---|
//! | [`Signer`] | [`SigningKey`] | [`SigningKey::sign`] (RFC 6979, the curve's hash) |
//! | [`RandomizedSigner`] | [`SigningKey`] | [`SigningKey::sign_with_rng`] (RFC 6979 §3.6, hedged) |
//! | [`PrehashSigner`] / [`RandomizedPrehashSigner`] | [`SigningKey`] | [`SigningKey::sign_prehash`] (the latter hedged) |
//! | [`Verifier`] / [`PrehashVerifier`] | [`VerifyingKey`] | [`VerifyingKey::verify`] / [`VerifyingKey::verify_prehash`] |
//! | [`Keypair`] | [`SigningKey`] | its [`VerifyingKey`] |
//!
//! The signature type is the fixed-size [`Signature`] (r ‖ s); DER goes through
//! [`Signature::to_der`] / [`Signature::from_der`]. Errors are [`signature::Error`] (opaque,
//! as the trait documentation asks of signers: no detail an attacker could use).

use rand_core::TryCryptoRng;
use signature::hazmat::{PrehashSigner, PrehashVerifier, RandomizedPrehashSigner};
use signature::{Error, Keypair, RandomizedSigner, Signer, Verifier};
use zeroize::Zeroizing;

use super::curve::Curve;
use super::ecdsa::{
    EcdsaCurve, Signature, SigningKey, VerifyingKey, check_digest_len, hash_message,
};

/// Draws the RFC 6979 §3.6 added entropy (the order's length) from a fallible RNG.
fn extra_entropy<C: Curve, R: TryCryptoRng + ?Sized>(
    rng: &mut R,
) -> Result<Zeroizing<C::Bytes>, Error> {
    let mut extra = Zeroizing::new(C::ZERO_BYTES);
    rng.try_fill_bytes(extra.as_mut())
        .map_err(|_| Error::new())?;
    Ok(extra)
}

impl<C: EcdsaCurve> Signer<Signature<C>> for SigningKey<C> {
    fn try_sign(&self, msg: &[u8]) -> Result<Signature<C>, Error> {
        let (digest, len) = hash_message::<C::Digest>(msg);
        self.sign_digest_with::<C::Digest>(&digest[..len], &[])
            .map_err(|_| Error::new())
    }
}

impl<C: EcdsaCurve> RandomizedSigner<Signature<C>> for SigningKey<C> {
    fn try_sign_with_rng<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        msg: &[u8],
    ) -> Result<Signature<C>, Error> {
        let extra = extra_entropy::<C, R>(rng)?;
        let (digest, len) = hash_message::<C::Digest>(msg);
        self.sign_digest_with::<C::Digest>(&digest[..len], extra.as_ref())
            .map_err(|_| Error::new())
    }
}

impl<C: EcdsaCurve> PrehashSigner<Signature<C>> for SigningKey<C> {
    fn sign_prehash(&self, prehash: &[u8]) -> Result<Signature<C>, Error> {
        SigningKey::sign_prehash(self, prehash).map_err(|_| Error::new())
    }
}

impl<C: EcdsaCurve> RandomizedPrehashSigner<Signature<C>> for SigningKey<C> {
    fn sign_prehash_with_rng<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        prehash: &[u8],
    ) -> Result<Signature<C>, Error> {
        check_digest_len(prehash).map_err(|_| Error::new())?;
        let extra = extra_entropy::<C, R>(rng)?;
        self.sign_digest_with::<C::Digest>(prehash, extra.as_ref())
            .map_err(|_| Error::new())
    }
}

impl<C: EcdsaCurve> Verifier<Signature<C>> for VerifyingKey<C> {
    fn verify(&self, msg: &[u8], signature: &Signature<C>) -> Result<(), Error> {
        VerifyingKey::verify(self, msg, signature).map_err(|_| Error::new())
    }
}

impl<C: EcdsaCurve> PrehashVerifier<Signature<C>> for VerifyingKey<C> {
    fn verify_prehash(&self, prehash: &[u8], signature: &Signature<C>) -> Result<(), Error> {
        VerifyingKey::verify_prehash(self, prehash, signature).map_err(|_| Error::new())
    }
}

impl<C: EcdsaCurve> Keypair for SigningKey<C> {
    type VerifyingKey = VerifyingKey<C>;

    fn verifying_key(&self) -> VerifyingKey<C> {
        SigningKey::verifying_key(self)
    }
}
