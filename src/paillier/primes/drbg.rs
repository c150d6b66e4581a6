//! HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1, §10.1.2), no reseeding and no
//! prediction resistance: the generator each key-generation thread draws its candidates
//! from, seeded from the caller's RNG. K and V zeroize on drop (and the keyed HMAC state,
//! through the `zeroize` features of `hmac` and `sha2`).
#![deny(unsafe_code)]

use core::convert::Infallible;
use hmac::Hmac;
use hmac::digest::{KeyInit, Mac};
use rand_core::{TryCryptoRng, TryRng, utils};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

type HmacSha256 = Hmac<Sha256>;

/// HMAC_DRBG (SHA-256). `Debug` prints nothing of the state.
pub(crate) struct HmacDrbg {
    k: [u8; 32],
    v: [u8; 32],
}

impl HmacDrbg {
    /// Instantiate with `seed` (entropy input ‖ nonce) and a personalization string.
    pub(crate) fn new(seed: &[u8], personalization: &[u8]) -> Self {
        let mut d = HmacDrbg {
            k: [0u8; 32],
            v: [1u8; 32],
        };
        d.update(&[seed, personalization]);
        d
    }

    fn mac(key: &[u8; 32]) -> HmacSha256 {
        <HmacSha256 as KeyInit>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
    }

    /// The HMAC_DRBG_Update function with the provided data given in parts.
    fn update(&mut self, provided: &[&[u8]]) {
        let empty = provided.iter().all(|p| p.is_empty());
        for sep in [0u8, 1] {
            if sep == 1 && empty {
                break;
            }
            let mut mac = Self::mac(&self.k);
            mac.update(&self.v);
            mac.update(&[sep]);
            for p in provided {
                mac.update(p);
            }
            self.k.copy_from_slice(&mac.finalize().into_bytes());
            let mut mac = Self::mac(&self.k);
            mac.update(&self.v);
            self.v.copy_from_slice(&mac.finalize().into_bytes());
        }
    }

    /// HMAC_DRBG_Generate without additional input.
    fn generate(&mut self, out: &mut [u8]) {
        let keyed = Self::mac(&self.k);
        for chunk in out.chunks_mut(32) {
            let mut mac = keyed.clone();
            mac.update(&self.v);
            self.v.copy_from_slice(&mac.finalize().into_bytes());
            chunk.copy_from_slice(&self.v[..chunk.len()]);
        }
        drop(keyed);
        self.update(&[]);
    }
}

impl Zeroize for HmacDrbg {
    fn zeroize(&mut self) {
        self.k.zeroize();
        self.v.zeroize();
    }
}

impl Drop for HmacDrbg {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for HmacDrbg {}

impl core::fmt::Debug for HmacDrbg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HmacDrbg { .. }")
    }
}

impl TryRng for HmacDrbg {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.generate(dst);
        Ok(())
    }
}

impl TryCryptoRng for HmacDrbg {}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> alloc::vec::Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// NIST CAVP HMAC_DRBG.rsp, [SHA-256], PredictionResistance = False,
    /// EntropyInputLen = 256, NonceLen = 128, PersonalizationStringLen = 0,
    /// AdditionalInputLen = 0, ReturnedBitsLen = 1024, COUNT = 0 (no reseed: the
    /// "no reseed" file, HMAC_DRBG no_reseed). Two generate calls; the second's output is
    /// the expected value.
    #[test]
    fn cavp_no_reseed_count0() {
        let entropy = unhex("ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488");
        let nonce = unhex("659ba96c601dc69fc902940805ec0ca8");
        let want = unhex(
            "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89\
             d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc1\
             07694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668\
             961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8",
        );
        let mut seed = entropy.clone();
        seed.extend_from_slice(&nonce);
        let mut d = HmacDrbg::new(&seed, &[]);
        let mut out = [0u8; 128];
        d.generate(&mut out);
        d.generate(&mut out);
        assert_eq!(out.as_slice(), want.as_slice());
    }
}
