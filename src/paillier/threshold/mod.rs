//! Threshold Paillier: any t of n committee members decrypt, each proving its share.
//!
//! The scheme is Damgård–Jurik's generalisation of Paillier with s = 1 (I. Damgård and
//! M. Jurik, "A Generalisation, a Simplification and Some Applications of Paillier's
//! Probabilistic Public-Key System", PKC 2001, §4; with J. B. Nielsen in the journal
//! version), which applies Shoup's technique for threshold RSA (V. Shoup, "Practical
//! Threshold Signatures", EUROCRYPT 2000): a trusted dealer, safe primes, integer
//! Lagrange coefficients scaled by Δ = n!, and a Chaum–Pedersen proof of equal discrete
//! logarithms for each decryption share.
//!
//! - **Dealer** ([`generate`], [`deal`]; `dealer.rs`): safe primes p = 2p′ + 1,
//!   q = 2q′ + 1 of equal length, N = pq, m = p′q′; d ≡ 0 (mod m), d ≡ 1 (mod N);
//!   f(X) = d + Σⱼ aⱼXʲ (j = 1..t−1) with aⱼ uniform in [0, N·m); key shares
//!   sᵢ = f(i) mod N·m; Δ = n!; v a random square in Z*_{N²}; verification keys
//!   vᵢ = v^(Δ·sᵢ) mod N². p, q, m, d and the coefficients are wiped.
//! - **Decryption share** ([`KeyShare::decrypt_share`]; `share.rs`): cᵢ = c^(2Δ·sᵢ) mod N²,
//!   with a proof (`proof.rs`) that log_{c⁴}(cᵢ²) = log_v(vᵢ): r uniform of
//!   bits(N²) + bits(Δ) + 256 + 128 bits (rounded up to whole 64-bit limbs), a = c^(4r),
//!   b = v^r, e = SHA-256 of a domain-separated, length-prefixed transcript
//!   (tag, N, v, vᵢ, i, c, cᵢ, a, b), z = r + e·Δ·sᵢ over the integers. The share carries
//!   (cᵢ, e, z).
//! - **Verification** ([`ThresholdPublicKey::verify_share`]): recomputes
//!   a = c^(4z)·cᵢ^(−2e) and b = v^z·vᵢ^(−e) with the **stored** vᵢ of the public key and
//!   the share's index, and compares the hash with e.
//! - **Combination** ([`ThresholdPublicKey::combine`]; `combine.rs`): verifies shares until
//!   t are valid (the others are ignored, and named if too few verify), integer
//!   coefficients λᵢ = Δ·Πⱼ≠ᵢ j/(j − i) (one exact division), c′ = Π cᵢ^(2λᵢ) (cᵢ inverted
//!   for negative λᵢ), M = L(c′)·(4Δ²)⁻¹ mod N with L(x) = (x − 1)/N.
//!
//! Why the three known failures of niclabs/tcpaillier cannot happen here: r is sized from
//! |N²| and Δ (so z hides e·Δ·sᵢ to 2⁻¹²⁸, and ⌊z/(eΔ)⌋ is not sᵢ); the verifier reads v
//! and vᵢ from the public key only (a share carries cᵢ, e and z, nothing else) and hashes
//! the index; `combine` verifies every share it uses.
//!
//! Constant time: the key share sᵢ (and, in the dealer, p, q, m, d and the coefficients)
//! is secret. The share's exponentiations c^(2Δsᵢ), c^(4r), v^r use the fixed-window
//! exponentiation of `bigint` (secret exponent); Δ·sᵢ and z = r + e·Δ·sᵢ are limb
//! arithmetic whose loops depend on lengths only; cᵢ, a, b and z are declassified as the
//! outputs they are. Verification and combination handle public values only and are
//! variable-time (sliding-window exponentiations, binary-GCD inversions, `num-bigint` for
//! Δ and the Lagrange coefficients). Checked by `ct-harness/src/bin/ct_paillier.rs`.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use num_bigint::BigUint;
use sha2::{Digest, Sha256};

use super::PublicKey;
use crate::Error;
use crate::bigint::limbs;
use crate::bigint::vartime;

mod combine;
mod dealer;
pub mod format;
mod proof;
mod share;

pub use dealer::{deal, generate};
pub use share::{DecryptionShare, KeyShare};

/// The largest number of parties (indices are one byte; Δ = 255! has 1,684 bits).
pub const MAX_PARTIES: usize = 255;

/// Domain separator of [`ThresholdPublicKey::key_id`].
const KEY_ID_DOMAIN: &[u8] = b"tsubaki/paillier/threshold/key-id/v1\0";

/// The public part of a threshold Paillier key: the Paillier public key N, the threshold
/// t, the number of parties n, v and the verification keys v₁..vₙ. Cheap to clone.
#[derive(Clone)]
pub struct ThresholdPublicKey {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) pk: PublicKey,
    pub(crate) t: usize,
    pub(crate) parties: usize,
    /// v and vᵢ as plain values (2k limbs) and in Montgomery form modulo N².
    pub(crate) v: Vec<u64>,
    pub(crate) v_mont: Vec<u64>,
    pub(crate) vis: Vec<Vec<u64>>,
    pub(crate) vis_mont: Vec<Vec<u64>>,
    /// Δ = n! (public), as a number and as limbs.
    pub(crate) delta: BigUint,
    pub(crate) delta_limbs: Vec<u64>,
    /// (4Δ²)⁻¹ mod N in Montgomery form modulo N.
    pub(crate) inv_4delta2_mont: Vec<u64>,
    /// N⁻¹ mod 2^(64k): exact division by N in L.
    pub(crate) n_inv_pow2: Vec<u64>,
    /// Limbs of the proof's r.
    pub(crate) r_limbs: usize,
    pub(crate) key_id: [u8; 32],
}

impl PartialEq for ThresholdPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.inner.key_id == other.inner.key_id
    }
}

impl Eq for ThresholdPublicKey {}

impl core::fmt::Debug for ThresholdPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "ThresholdPublicKey {{ bits: {}, t: {}, n: {}, key_id: ",
            self.inner.pk.bits(),
            self.inner.t,
            self.inner.parties
        )?;
        for b in &self.inner.key_id[..8] {
            write!(f, "{b:02x}")?;
        }
        f.write_str("… }")
    }
}

/// Checks 2 ≤ t ≤ n ≤ 255; [`Error::InvalidThreshold`] otherwise.
pub(crate) fn check_threshold(t: usize, n: usize) -> Result<(), Error> {
    if t < 2 || t > n || n > MAX_PARTIES {
        return Err(Error::InvalidThreshold);
    }
    Ok(())
}

/// n! (public).
pub(crate) fn factorial(n: usize) -> BigUint {
    (1..=n as u64).fold(BigUint::from(1u32), |acc, i| acc * i)
}

/// A public BigUint as exactly `k` limbs (it must fit).
pub(crate) fn biguint_limbs(x: &BigUint, k: usize) -> Vec<u64> {
    let mut out = vec![0u64; k];
    for (o, d) in out.iter_mut().zip(x.iter_u64_digits()) {
        *o = d;
    }
    out
}

/// Public limbs as a BigUint.
pub(crate) fn limbs_biguint(x: &[u64]) -> BigUint {
    let mut words = Vec::with_capacity(2 * x.len());
    for &l in x {
        words.push(l as u32);
        words.push((l >> 32) as u32);
    }
    BigUint::new(words)
}

/// Appends u32-be(len) ‖ bytes to a hash.
pub(crate) fn hash_field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u32).to_be_bytes());
    h.update(bytes);
}

impl ThresholdPublicKey {
    /// Builds the key from its public values (v and vᵢ plain, 2k limbs each, already
    /// checked to be units below N²) and derives the constants.
    pub(crate) fn from_parts(
        pk: PublicKey,
        t: usize,
        parties: usize,
        v: Vec<u64>,
        vis: Vec<Vec<u64>>,
    ) -> Result<Self, Error> {
        check_threshold(t, parties)?;
        if vis.len() != parties {
            return Err(Error::InvalidThreshold);
        }
        let pinner = &pk.inner;
        let nn = &pinner.nn;
        let k = pinner.n.len();
        let n_len = pk.n_len();
        let delta = factorial(parties);
        let dl = delta.bits().div_ceil(64) as usize;
        let delta_limbs = biguint_limbs(&delta, dl);
        // (4Δ²)⁻¹ mod N: 4Δ² is coprime to N (N's prime factors exceed 255).
        let n_big = limbs_biguint(&pinner.n);
        let four_d2 = (&delta * &delta * 4u32) % &n_big;
        let four_d2 = biguint_limbs(&four_d2, k);
        let inv = vartime::inv_mod_vartime(&four_d2, &pinner.n).ok_or(Error::InvalidModulus)?;
        let inv_4delta2_mont = pinner.n_ctx.to_mont(&inv);
        // r: at least bits(N²) + bits(Δ) + 256 + 128 bits, in whole limbs.
        let r_bits = 2 * pk.bits() + delta.bits() as usize + 256 + 128;
        let r_limbs = r_bits.div_ceil(64);
        let mut h = Sha256::new();
        h.update(KEY_ID_DOMAIN);
        hash_field(&mut h, &pk.modulus_be());
        h.update([t as u8, parties as u8]);
        hash_field(&mut h, &limbs::to_be_bytes(&v, 2 * n_len));
        for vi in &vis {
            hash_field(&mut h, &limbs::to_be_bytes(vi, 2 * n_len));
        }
        let key_id: [u8; 32] = h.finalize().into();
        let v_mont = nn.to_mont(&v);
        let vis_mont = vis.iter().map(|x| nn.to_mont(x)).collect();
        let n_inv_pow2 = limbs::inv_mod_pow2(&pinner.n);
        debug_assert_eq!(v.len(), 2 * k);
        Ok(ThresholdPublicKey {
            inner: Arc::new(Inner {
                pk,
                t,
                parties,
                v,
                v_mont,
                vis,
                vis_mont,
                delta,
                delta_limbs,
                inv_4delta2_mont,
                n_inv_pow2,
                r_limbs,
                key_id,
            }),
        })
    }

    /// The Paillier public key: ordinary encryption, homomorphic addition, packing.
    pub fn public_key(&self) -> &PublicKey {
        &self.inner.pk
    }

    /// The threshold t: how many decryption shares decrypt.
    pub fn threshold(&self) -> usize {
        self.inner.t
    }

    /// The number of parties n (key shares 1..=n).
    pub fn parties(&self) -> usize {
        self.inner.parties
    }

    /// SHA-256 over `"tsubaki/paillier/threshold/key-id/v1\0"`, N, t, n, v and every vᵢ
    /// (each length-prefixed): the id that key shares and decryption shares carry.
    pub fn key_id(&self) -> [u8; 32] {
        self.inner.key_id
    }

    /// v, big-endian, `ciphertext_len()` bytes.
    pub fn v_be(&self) -> Vec<u8> {
        limbs::to_be_bytes(&self.inner.v, self.inner.pk.ciphertext_len())
    }

    /// The verification key vᵢ of party `index` (1..=n), big-endian;
    /// [`Error::InvalidShareIndex`] for another index.
    pub fn verification_key_be(&self, index: u8) -> Result<Vec<u8>, Error> {
        let i = usize::from(index);
        if i == 0 || i > self.inner.parties {
            return Err(Error::InvalidShareIndex);
        }
        Ok(limbs::to_be_bytes(
            &self.inner.vis[i - 1],
            self.inner.pk.ciphertext_len(),
        ))
    }

    /// Byte length of a proof's z in a decryption share of this key.
    pub(crate) fn z_len(&self) -> usize {
        8 * (self.inner.r_limbs + 1)
    }
}
