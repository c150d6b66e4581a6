//! The Paillier cryptosystem (Paillier, "Public-key cryptosystems based on composite
//! degree residuosity classes", EUROCRYPT 1999) with g = n + 1, additively homomorphic.
//!
//! - Keys: n = pq with p, q random primes of exactly half the size (top two bits set, so
//!   n has exactly the requested size), n of 2048, 3072 or 4096 bits; safe primes as an
//!   option ([`KeyGenOptions`]). [`SecretKey`] zeroizes on drop.
//! - Encryption c = (1 + m·n)·rⁿ mod n² with r uniform in [1, n):
//!   [`PublicKey::encrypt_i64`] (rⁿ by a public-exponent exponentiation),
//!   [`SecretKey::encrypt_i64`] (rⁿ by CRT, same distribution), a pool of precomputed rⁿ
//!   ([`RandomnessPool`]) and an opt-in short-exponent fixed-base mode
//!   ([`ShortExponentEncryptor`], an extra assumption documented there).
//! - Decryption by CRT with cached constants ([`SecretKey::decrypt_i64`], `decrypt_be`).
//! - Homomorphic add, add-plain, subtract, scalar multiplication, negation,
//!   rerandomization on [`PublicKey`].
//!
//! - Threshold decryption (Damgård–Jurik 2001 with Shoup's technique): [`threshold`].
//!
//! Signed integers are encoded modulo n: m ≥ 0 → m, m < 0 → n + m.
//!
//! Side channels: every operation on p, q, the derived constants, r and m is
//! constant-time (see `bigint` and `SIDE-CHANNELS.md`, checked with valgrind by
//! `ct-harness/src/bin/ct_paillier.rs`); ciphertexts and n are public.

pub mod encoding;
mod fast;
pub mod format;
mod keygen;
mod keys;
mod ops;
pub mod phe;
mod primes;
pub mod threshold;

pub use fast::{RandomnessPool, ShortExponentEncryptor};
pub use keys::{ALLOWED_BITS, PublicKey, SecretKey};
pub use ops::Ciphertext;

/// Options of [`SecretKey::generate_with`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyGenOptions {
    /// Bit length of n: 2048, 3072 or 4096.
    pub bits: usize,
    /// Whether p and q must be safe primes (p = 2p' + 1 with p' prime), as threshold
    /// decryption needs. Much slower (minutes for 2048-bit n).
    pub safe_primes: bool,
}

impl Default for KeyGenOptions {
    /// 2048-bit n, ordinary primes.
    fn default() -> Self {
        KeyGenOptions {
            bits: 2048,
            safe_primes: false,
        }
    }
}

/// Progress reports of key generation, for a progress bar or a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyGenProgress {
    /// A new candidate for prime number `prime` (0 for p, 1 for q) is being tested;
    /// `candidates` counts the candidates drawn for this prime so far (this one included).
    Candidate {
        /// 0 for p, 1 for q.
        prime: u8,
        /// Candidates drawn for this prime so far.
        candidates: u64,
    },
    /// Prime number `prime` was found after `candidates` candidates.
    PrimeFound {
        /// 0 for p, 1 for q.
        prime: u8,
        /// Candidates drawn for this prime.
        candidates: u64,
    },
}
