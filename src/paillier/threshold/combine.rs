//! Combining t verified decryption shares (Damgård–Jurik 2001 §4.1, "share combining";
//! Shoup 2000 §2): integer Lagrange coefficients λᵢ = Δ·Πⱼ≠ᵢ j/(j − i), computed as one
//! exact division of whole numerator by whole denominator; c′ = Π cᵢ^(2λᵢ) (cᵢ inverted
//! for negative λᵢ) = c^(4Δ²·d); M = L(c′)·(4Δ²)⁻¹ mod N.
//!
//! The shares and Δ, λ are public (`num-bigint`, variable-time); the result M is the
//! plaintext the combiner is entitled to, computed with the constant-time limb code and
//! returned in a [`Zeroizing`] buffer.

use alloc::vec::Vec;
use num_bigint::{BigInt, BigUint, Sign};
use zeroize::Zeroizing;

use super::{DecryptionShare, ThresholdPublicKey, biguint_limbs};
use crate::Error;
use crate::bigint::limbs;
use crate::bigint::vartime;
use crate::ct;
use crate::paillier::Ciphertext;
use crate::paillier::keys::fits_small_bit;

/// λᵢ = Δ·Πⱼ∈S,j≠i j / Πⱼ∈S,j≠i (j − i), exactly (an integer since Δ = n! and S ⊂ 1..n).
pub(crate) fn lagrange(delta: &BigUint, set: &[u8], i: u8) -> BigInt {
    let mut num = BigInt::from(delta.clone());
    let mut den = BigInt::from(1);
    for &j in set.iter().filter(|&&j| j != i) {
        num *= i64::from(j);
        den *= i64::from(j) - i64::from(i);
    }
    debug_assert!((&num % &den) == BigInt::from(0));
    num / den
}

impl ThresholdPublicKey {
    /// Decrypts `c` from decryption shares: checks there is no repeated index
    /// ([`Error::DuplicateDecryptionShare`]), verifies shares in the order given until t
    /// verify (the others are ignored), and combines those t. Returns M ∈ [0, N),
    /// big-endian, exactly `n_len` bytes.
    ///
    /// Errors: [`Error::KeyMismatch`] if `c` is not a valid ciphertext of this key;
    /// [`Error::NotEnoughShares`] if fewer than t shares are given and none failed;
    /// [`Error::NotEnoughValidShares`] (naming the first share that failed) if fewer than
    /// t verify.
    pub fn combine(
        &self,
        c: &Ciphertext,
        shares: &[DecryptionShare],
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        let m = self.combine_limbs(c, shares)?;
        Ok(Zeroizing::new(limbs::to_be_bytes(
            &m,
            self.inner.pk.n_len(),
        )))
    }

    /// [`combine`](Self::combine), decoded as a signed integer like
    /// [`SecretKey::decrypt_i64`](crate::paillier::SecretKey::decrypt_i64): m ≤ 2⁶³ − 1 is
    /// m, m ≥ N − 2⁶³ is m − N, anything else [`Error::PlaintextOutOfRange`].
    pub fn combine_i64(&self, c: &Ciphertext, shares: &[DecryptionShare]) -> Result<i64, Error> {
        let m = self.combine_limbs(c, shares)?;
        let pos = fits_small_bit(&m, i64::MAX as u64);
        let mut d = Zeroizing::new(self.inner.pk.inner.n.clone());
        let _ = limbs::sub_assign(&mut d, &m); // N − m ∈ (0, N]
        let neg = fits_small_bit(&d, 1u64 << 63);
        if !ct::declassify_choice(subtle::Choice::from((pos | neg) as u8)) {
            return Err(Error::PlaintextOutOfRange);
        }
        let mask = limbs::mask_from_bit(pos);
        let v = (m[0] & mask) | ((d[0].wrapping_neg()) & !mask);
        let mut out = v as i64;
        let result = core::hint::black_box(&mut out);
        Ok(*result)
    }

    /// The t shares to use (verified), or the error to report.
    fn select<'a>(
        &self,
        c: &Ciphertext,
        shares: &'a [DecryptionShare],
    ) -> Result<Vec<&'a DecryptionShare>, Error> {
        let t = self.inner.t;
        if !self.inner.pk.same_key(c) {
            return Err(Error::KeyMismatch);
        }
        let mut seen = [false; 256];
        for s in shares {
            let i = usize::from(s.index);
            if seen[i] {
                return Err(Error::DuplicateDecryptionShare { index: s.index });
            }
            seen[i] = true;
        }
        let mut valid = Vec::with_capacity(t);
        let mut first_invalid = None;
        for s in shares {
            if valid.len() == t {
                break;
            }
            match self.verify_share(c, s) {
                Ok(()) => valid.push(s),
                Err(Error::InvalidDecryptionShare { index }) => {
                    let _ = first_invalid.get_or_insert(index);
                }
                Err(e) => return Err(e),
            }
        }
        if valid.len() < t {
            return Err(match first_invalid {
                Some(first_invalid) => Error::NotEnoughValidShares {
                    valid: valid.len(),
                    threshold: t,
                    first_invalid,
                },
                None => Error::NotEnoughShares,
            });
        }
        Ok(valid)
    }

    /// M as k limbs.
    fn combine_limbs(
        &self,
        c: &Ciphertext,
        shares: &[DecryptionShare],
    ) -> Result<Zeroizing<Vec<u64>>, Error> {
        let valid = self.select(c, shares)?;
        let inner = &self.inner;
        let pinner = &inner.pk.inner;
        let nn = &pinner.nn;
        let k = pinner.n.len();
        let set: Vec<u8> = valid.iter().map(|s| s.index).collect();
        let mut acc = nn.one.clone();
        for s in &valid {
            // Verified: a unit below N².
            let ci = super::proof::unit_mod_nn(self, &s.ci)
                .ok_or(Error::InvalidDecryptionShare { index: s.index })?;
            let lambda = lagrange(&inner.delta, &set, s.index);
            let (sign, mag) = lambda.into_parts();
            let base = if sign == Sign::Minus {
                vartime::inv_mod_vartime(&ci, nn.modulus())
                    .ok_or(Error::InvalidDecryptionShare { index: s.index })?
            } else {
                ci
            };
            let exp2 = mag * 2u32;
            let exp = biguint_limbs(&exp2, exp2.bits().div_ceil(64).max(1) as usize);
            let p = nn.pow_public_vartime(&nn.to_mont(&base), &exp);
            acc = nn.mul(&acc, &p);
        }
        // c′ = c^(4Δ²d) ≡ 1 + 4Δ²M·N (mod N²): L(c′) = (c′ − 1)/N, exact.
        let mut x = Zeroizing::new(nn.out_of_mont(&acc));
        let _ = limbs::sub_assign(&mut x, &[1]);
        let l = Zeroizing::new(limbs::mul_lo(&x, &inner.n_inv_pow2, k));
        // Exactness check (c′ ≡ 1 mod N): L·N == c′ − 1.
        let back = Zeroizing::new(limbs::mul(&l, &pinner.n));
        let exact = limbs::eq_bit(&back, &x);
        if !ct::declassify_choice(subtle::Choice::from(exact as u8)) {
            return Err(Error::InvalidCiphertext);
        }
        // M = L·(4Δ²)⁻¹ mod N (L < N).
        Ok(Zeroizing::new(
            pinner.n_ctx.mul(&l, &inner.inv_4delta2_mont),
        ))
    }
}
