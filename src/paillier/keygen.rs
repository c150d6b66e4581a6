//! Key generation: two random primes of half the size, checked and turned into a key.

use rand_core::CryptoRng;

use super::keys::{ALLOWED_BITS, SecretKey};
use super::{KeyGenOptions, KeyGenProgress, primes};
use crate::Error;
use crate::bigint::limbs;
use crate::ct;

impl SecretKey {
    /// Generates a key with an n of exactly `bits` bits (2048, 3072 or 4096; otherwise
    /// [`Error::InvalidModulus`]), with ordinary primes. See [`generate_with`](Self::generate_with).
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R, bits: usize) -> Result<Self, Error> {
        Self::generate_with(
            rng,
            &KeyGenOptions {
                bits,
                safe_primes: false,
            },
            &mut |_| {},
        )
    }

    /// Generates a key: p and q random primes of exactly `bits / 2` bits with their top
    /// two bits set (so n = pq has exactly `bits` bits), p ≠ q and |p − q| ≥ 2^(bits/2 − 100)
    /// (FIPS 186-5 A.1.3's distance rule), safe primes if asked. `progress` is called
    /// for each candidate and each prime found. Primality: see the `primes` module (sieve,
    /// then 64 Miller–Rabin rounds with random bases; constant-time on the kept primes).
    pub fn generate_with<R: CryptoRng + ?Sized>(
        rng: &mut R,
        options: &KeyGenOptions,
        progress: &mut dyn FnMut(KeyGenProgress),
    ) -> Result<Self, Error> {
        if !ALLOWED_BITS.contains(&options.bits) {
            return Err(Error::InvalidModulus);
        }
        let half = options.bits / 2;
        let p = primes::random_prime(rng, half, options.safe_primes, 0, progress);
        loop {
            let q = primes::random_prime(rng, half, options.safe_primes, 1, progress);
            // |p − q| ≥ 2^(half − 100): the top 100 bits of the difference are not all zero.
            let mut d = p.to_vec();
            let borrow = limbs::sub_assign(&mut d, &q);
            let mut neg = d.clone();
            let mut zero = alloc::vec![0u64; d.len()];
            let _ = limbs::sub_assign(&mut zero, &d);
            neg.copy_from_slice(&zero);
            limbs::select_assign(&mut d, &neg, limbs::mask_from_bit(borrow));
            let mut top = 0u64;
            for i in half - 100..half {
                top |= limbs::bit(&d, i);
            }
            zeroize::Zeroize::zeroize(&mut d);
            zeroize::Zeroize::zeroize(&mut neg);
            zeroize::Zeroize::zeroize(&mut zero);
            if !ct::declassify_choice(subtle::Choice::from(top as u8)) {
                continue;
            }
            return Self::from_prime_limbs(p.to_vec(), q.to_vec());
        }
    }
}
