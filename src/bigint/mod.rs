//! Fixed-width big-integer arithmetic for Paillier: our own constant-time Montgomery
//! code on heap limb vectors whose *length* is public.
//!
//! Why our own: the issue measured `crypto-bigint`'s modular exponentiation at about twice
//! the time of OpenSSL's constant-time `BN_mod_exp` with a 4096-bit modulus; Paillier
//! encryption and decryption are almost nothing but such exponentiations.
//!
//! What is constant-time (no branch, loop bound or memory index depends on a value, only
//! on limb counts): Montgomery multiplication and squaring (one masked final
//! subtraction), building a context for a modulus (which may itself be secret, e.g. p²),
//! exponentiation with a secret exponent ([`Modulus::pow_secret_be`]: fixed 5-bit windows,
//! whole-table masked lookups), fixed-base exponentiation, reduction of a double-width
//! value, exact division via an inverse modulo 2^(64k), comparisons, additions and
//! selections. What is **variable-time** and only ever given public values: exponentiation
//! by a public exponent (sliding windows; the base may be secret, the exponent's bits
//! decide the schedule) and the binary extended GCD (`_vartime` suffixes).
//!
//! The representation is little-endian `u64` limbs; the portable multiplication is a
//! `u64 × u64 → u128` FIOS loop (Koç–Acar–Kaliski 1996).

pub(crate) mod limbs;
pub(crate) mod monty;
pub(crate) mod vartime;
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
pub(crate) mod x86;

use alloc::vec::Vec;

use crate::Error;

pub(crate) use monty::{FixedBase, Monty};

/// An odd modulus with its Montgomery constants: a thin public face of the internal
/// arithmetic, for benchmarks and differential tests. Values are big-endian byte strings.
#[derive(Clone, Debug)]
pub struct Modulus {
    ctx: Monty,
}

impl Modulus {
    /// The longest modulus [`new`](Self::new) accepts, in bytes (leading zero bytes
    /// included): 1024 bytes, 8192 bits, the n² of a 4096-bit Paillier key. Building a
    /// context costs time quadratic in the length (2·64·k modular doublings of k limbs),
    /// so an unbounded length would let one input hold a thread for hours.
    pub const MAX_BYTES: usize = monty::MAX_LIMBS * 8;

    /// A context for the odd modulus `m_be` (big-endian, at least 3, at most
    /// [`MAX_BYTES`](Self::MAX_BYTES) bytes long). The modulus may be secret: building the
    /// context is constant-time. [`Error::InvalidLength`] if `m_be` is longer than
    /// `MAX_BYTES` (checked first, before any work), [`Error::InvalidModulus`] if m is
    /// even or below 3.
    pub fn new(m_be: &[u8]) -> Result<Self, Error> {
        if m_be.len() > Self::MAX_BYTES {
            return Err(Error::InvalidLength);
        }
        let k = m_be.len().div_ceil(8).max(1);
        let m = limbs::from_be_bytes(m_be, k).ok_or(Error::InvalidModulus)?;
        Monty::new(m)
            .map(|ctx| Modulus { ctx })
            .ok_or(Error::InvalidModulus)
    }

    /// The multiplication backend chosen for this modulus: `"avx512ifma"` (x86-64 with
    /// AVX-512 IFMA, sizes of 16, 24, 32, 48, 64, 96 or 128 limbs), `"bmi2-adx"` (other
    /// x86-64 CPUs with BMI2 and ADX, any size) or `"portable"`.
    pub fn backend(&self) -> &'static str {
        self.ctx.backend()
    }

    /// Length in bytes of the values this context returns.
    pub fn len_bytes(&self) -> usize {
        8 * self.ctx.limbs()
    }

    fn load(&self, x_be: &[u8]) -> Option<Vec<u64>> {
        let x = limbs::from_be_bytes(x_be, self.ctx.limbs())?;
        // x < m is a public precondition of the API (the reduced inputs of a modexp).
        let ok = limbs::lt_bit(&x, self.ctx.modulus());
        crate::ct::declassify(&ok);
        (core::hint::black_box(ok) == 1).then_some(x)
    }

    /// base^exp mod m, **constant-time in base, exponent and modulus** (the exponent's
    /// byte length is public). `None` if base ≥ m.
    pub fn pow_secret_be(&self, base_be: &[u8], exp_be: &[u8]) -> Option<Vec<u8>> {
        let b = self.load(base_be)?;
        let e = limbs::from_be_bytes(exp_be, exp_be.len().div_ceil(8))?;
        let r = self
            .ctx
            .out_of_mont(&self.ctx.pow_secret(&self.ctx.to_mont(&b), &e));
        Some(limbs::to_be_bytes(&r, self.len_bytes()))
    }

    /// base^exp mod m for a **public** exponent (variable-time in the exponent only).
    /// `None` if base ≥ m.
    pub fn pow_public_vartime_be(&self, base_be: &[u8], exp_be: &[u8]) -> Option<Vec<u8>> {
        let b = self.load(base_be)?;
        let e = limbs::from_be_bytes(exp_be, exp_be.len().div_ceil(8))?;
        let r = self
            .ctx
            .out_of_mont(&self.ctx.pow_public_vartime(&self.ctx.to_mont(&b), &e));
        Some(limbs::to_be_bytes(&r, self.len_bytes()))
    }

    /// a·b mod m (constant-time). `None` if a or b ≥ m.
    pub fn mul_be(&self, a_be: &[u8], b_be: &[u8]) -> Option<Vec<u8>> {
        let a = self.load(a_be)?;
        let b = self.load(b_be)?;
        let r = self.ctx.mul(&self.ctx.to_mont(&a), &b);
        Some(limbs::to_be_bytes(&r, self.len_bytes()))
    }

    /// x mod m for any x of at most twice the modulus' length (constant-time).
    pub fn reduce_be(&self, x_be: &[u8]) -> Option<Vec<u8>> {
        let x = limbs::from_be_bytes(x_be, 2 * self.ctx.limbs())?;
        Some(limbs::to_be_bytes(
            &self.ctx.reduce_wide(&x),
            self.len_bytes(),
        ))
    }

    /// One Montgomery multiplication a·b·R⁻¹ mod m on values already loaded (for
    /// benchmarks of the raw multiplication). `None` if a or b ≥ m.
    pub fn mont_mul_be(&self, a_be: &[u8], b_be: &[u8]) -> Option<Vec<u8>> {
        let a = self.load(a_be)?;
        let b = self.load(b_be)?;
        Some(limbs::to_be_bytes(&self.ctx.mul(&a, &b), self.len_bytes()))
    }

    /// a⁻¹ mod m for a public a (variable-time), `None` if not invertible or a ≥ m.
    pub fn inv_vartime_be(&self, a_be: &[u8]) -> Option<Vec<u8>> {
        let a = self.load(a_be)?;
        let r = vartime::inv_mod_vartime(&a, self.ctx.modulus())?;
        Some(limbs::to_be_bytes(&r, self.len_bytes()))
    }
}

#[cfg(test)]
mod tests;
