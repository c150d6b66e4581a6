//! Key generation: two random primes of half the size, checked and turned into a key.

use rand_core::CryptoRng;

use super::keys::{ALLOWED_BITS, SecretKey};
use super::{KeyGenOptions, KeyGenProgress, primes};
use crate::Error;
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
    /// (FIPS 186-5 A.1.3's distance rule), safe primes if asked. With the `std` feature the
    /// two primes are searched on two threads (one each; `progress` still runs on the
    /// calling thread). `progress` is called for each candidate and each prime found.
    /// Primality: see the `primes` module (candidates built free of small factors, a
    /// sieve, a base-2 Fermat test, then Miller–Rabin with random bases; constant-time on
    /// the kept primes). [`Error::RngFailure`] if `rng` repeats itself.
    pub fn generate_with<R: CryptoRng + ?Sized>(
        rng: &mut R,
        options: &KeyGenOptions,
        progress: &mut dyn FnMut(KeyGenProgress),
    ) -> Result<Self, Error> {
        if !ALLOWED_BITS.contains(&options.bits) {
            return Err(Error::InvalidModulus);
        }
        let half = options.bits / 2;
        let (p, mut q) = primes::random_prime_pair(rng, half, options.safe_primes, progress)?;
        // |p − q| ≥ 2^(half − 100); fails with probability about 2^-98 for a working
        // generator (then q is drawn again, at most a few times).
        for _ in 0..8 {
            let far = primes::far_apart_bit(&p, &q, half);
            if ct::declassify_choice(subtle::Choice::from(far as u8)) {
                return Self::from_prime_limbs(p.to_vec(), q.to_vec());
            }
            q = primes::random_prime(rng, half, options.safe_primes, 1, progress)?;
        }
        Err(Error::RngFailure)
    }
}
