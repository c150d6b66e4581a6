//! [`OsRng`]: the operating system's cryptographically secure random source.

use core::convert::Infallible;
use rand_core::{TryCryptoRng, TryRng, utils};

/// A cryptographically secure RNG over the operating system's source (`getrandom(2)` on
/// Linux), usable wherever the crate takes an `rng`: pass `&mut OsRng`.
///
/// It keeps no state and is never seeded by the process. The OS source is treated as
/// infallible: if the kernel cannot supply randomness (which on supported platforms only
/// happens before the entropy pool is ever initialised, or under seccomp misconfiguration)
/// the call panics rather than return predictable bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsRng;

impl TryRng for OsRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        utils::next_word_via_fill(self)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        if let Err(e) = getrandom::fill(dst) {
            panic!("tsubaki::OsRng: the operating system's random source failed: {e}");
        }
        Ok(())
    }
}

impl TryCryptoRng for OsRng {}

#[cfg(test)]
mod tests {
    use super::OsRng;
    use rand_core::Rng;

    fn takes_crypto_rng<R: rand_core::CryptoRng + ?Sized>(rng: &mut R) -> [u8; 32] {
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut b);
        b
    }

    #[test]
    fn os_rng_is_a_crypto_rng_and_not_constant() {
        let a = takes_crypto_rng(&mut OsRng);
        let b = takes_crypto_rng(&mut OsRng);
        assert_ne!(a, b);
        assert_ne!(OsRng.next_u64(), OsRng.next_u64());
    }
}
