//! Faster encryption: a pool of precomputed rⁿ, and the opt-in short-exponent mode.

use alloc::vec::Vec;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::keys::{PublicKey, SecretKey};
use super::ops::{Ciphertext, encode_i64};
use crate::Error;
use crate::bigint::{FixedBase, limbs};

/// Precomputed randomness rⁿ mod n² for one key, computed offline
/// ([`PublicKey::precompute`], or [`SecretKey::precompute`] by CRT); each value is used
/// once (taken out and wiped), so that encryption online is two multiplications.
pub struct RandomnessPool {
    key: PublicKey,
    values: Vec<Zeroizing<Vec<u64>>>,
}

impl core::fmt::Debug for RandomnessPool {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RandomnessPool")
            .field("key", &self.key)
            .field("remaining", &self.values.len())
            .finish()
    }
}

impl RandomnessPool {
    /// Values left.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the pool is used up.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Adds `count` more values computed with the public key. [`Error::RngFailure`] if the
    /// RNG fails (the values computed before stay in the pool).
    pub fn refill<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        count: usize,
    ) -> Result<(), Error> {
        for _ in 0..count {
            self.values
                .push(Zeroizing::new(self.key.random_rn_mont(rng)?));
        }
        Ok(())
    }

    /// Encrypts m with the next precomputed value (consumed); `None` when the pool is empty.
    pub fn encrypt_i64(&mut self, m: i64) -> Option<Ciphertext> {
        let rn = self.values.pop()?;
        let m = encode_i64(&self.key.inner.n, m);
        Some(self.key.encrypt_with_rn(&m, &rn))
    }

    /// Encrypts a big-endian m below n with the next precomputed value: `Ok(None)` when the
    /// pool is empty, [`Error::PlaintextOutOfRange`] if m ≥ n (no value consumed then).
    pub fn encrypt_be(&mut self, m_be: &[u8]) -> Result<Option<Ciphertext>, Error> {
        let m = self.key.plaintext_be(m_be)?;
        let Some(rn) = self.values.pop() else {
            return Ok(None);
        };
        Ok(Some(self.key.encrypt_with_rn(&m, &rn)))
    }
}

impl PublicKey {
    /// Precomputes `count` values rⁿ mod n² (each costs one full exponentiation).
    /// [`Error::RngFailure`] if the RNG fails.
    pub fn precompute<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        count: usize,
    ) -> Result<RandomnessPool, Error> {
        let mut pool = RandomnessPool {
            key: self.clone(),
            values: Vec::new(),
        };
        pool.refill(rng, count)?;
        Ok(pool)
    }
}

impl SecretKey {
    /// Precomputes `count` values rⁿ mod n² by CRT (same distribution as
    /// [`PublicKey::precompute`], several times faster).
    pub fn precompute<R: CryptoRng + ?Sized>(&self, rng: &mut R, count: usize) -> RandomnessPool {
        // No `with_capacity(count)`: count is the caller's, values are pushed one by one.
        let mut values = Vec::new();
        for _ in 0..count {
            values.push(Zeroizing::new(self.random_rn_mont_crt(rng)));
        }
        RandomnessPool {
            key: self.public_key(),
            values,
        }
    }
}

/// **Opt-in, extra assumption.** Encryption with a short exponent on a fixed base:
/// c = (1 + m·n)·hᵏ mod n², with h = xⁿ mod n² for a random x (published with the key or
/// generated here) and k uniform of [`EXPONENT_BITS`](Self::EXPONENT_BITS) = 256 bits,
/// computed with a precomputed fixed-base table (64 multiplications, no squaring).
///
/// Assumption: besides decisional composite residuosity (DCR), semantic security needs
/// that hᵏ for a *short* uniform k is indistinguishable from a uniformly random n-th
/// residue — the "short exponent" variant of DCR used by Damgård, Jurik and Nielsen
/// ("A generalization of Paillier's public-key system with applications to electronic
/// voting", 2010, §4.2) and by Hazay, Mikkelsen, Rabin, Toft and Nicolosi ("Efficient RSA
/// key generation and threshold Paillier in the two-party setting", 2012/2019). It is
/// believed to hold for 2·λ-bit exponents (λ = 128 here); it is not implied by DCR.
/// The ciphertexts are ordinary Paillier ciphertexts: decryption and the homomorphic
/// operations are unchanged. Constant-time in m and k; h is public.
pub struct ShortExponentEncryptor {
    key: PublicKey,
    /// h·R mod n².
    base: Vec<u64>,
    table: FixedBase,
}

impl core::fmt::Debug for ShortExponentEncryptor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ShortExponentEncryptor")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl ShortExponentEncryptor {
    /// Bits of the random exponent k (2λ for λ = 128).
    pub const EXPONENT_BITS: usize = 256;

    fn with_base(key: &PublicKey, base: Vec<u64>) -> Self {
        let table = FixedBase::new(&key.inner.nn, &base, Self::EXPONENT_BITS);
        ShortExponentEncryptor {
            key: key.clone(),
            base,
            table,
        }
    }

    /// A new fixed base h = xⁿ mod n² for a random x, and its table (about 1100
    /// multiplications mod n²; the table takes 64·16 values of n² size).
    /// [`Error::RngFailure`] if the RNG fails.
    pub fn new<R: CryptoRng + ?Sized>(key: &PublicKey, rng: &mut R) -> Result<Self, Error> {
        let base = key.random_rn_mont(rng)?;
        Ok(Self::with_base(key, base))
    }

    /// Uses a published base h (big-endian, `ciphertext_len` bytes; checked like a
    /// ciphertext: 0 < h < n², gcd(h, n) = 1, else [`Error::InvalidCiphertext`]).
    /// That h is an n-th residue cannot be checked without the secret key: take h only
    /// from the key owner or compute it yourself.
    pub fn from_base(key: &PublicKey, h_be: &[u8]) -> Result<Self, Error> {
        let c = Ciphertext::from_bytes(key, h_be)?;
        Ok(Self::with_base(key, c.value))
    }

    /// h, big-endian, `ciphertext_len` bytes (to publish with the key).
    pub fn base_be(&self) -> Vec<u8> {
        let nn = &self.key.inner.nn;
        limbs::to_be_bytes(&nn.out_of_mont(&self.base), self.key.ciphertext_len())
    }

    fn random_exponent<R: CryptoRng + ?Sized>(rng: &mut R) -> Zeroizing<Vec<u64>> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(bytes.as_mut());
        Zeroizing::new(limbs::from_be_bytes(bytes.as_ref(), 4).unwrap_or_default())
    }

    /// Encrypts the signed m (encoding as in [`PublicKey::encrypt_i64`]).
    pub fn encrypt_i64<R: CryptoRng + ?Sized>(&self, rng: &mut R, m: i64) -> Ciphertext {
        let m = encode_i64(&self.key.inner.n, m);
        let k = Self::random_exponent(rng);
        let hk = Zeroizing::new(self.table.pow(&self.key.inner.nn, &k));
        self.key.encrypt_with_rn(&m, &hk)
    }

    /// Encrypts a big-endian m below n ([`Error::PlaintextOutOfRange`] otherwise).
    pub fn encrypt_be<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        m_be: &[u8],
    ) -> Result<Ciphertext, Error> {
        let m = self.key.plaintext_be(m_be)?;
        let k = Self::random_exponent(rng);
        let hk = Zeroizing::new(self.table.pow(&self.key.inner.nn, &k));
        Ok(self.key.encrypt_with_rn(&m, &hk))
    }
}
