//! The prime field of p = 2⁶⁴ − 2³² + 1 ("Goldilocks"), for fast sharing of vectors of
//! 64-bit counters.
//!
//! Elements are canonical `u64` below p. The special form of p gives a reduction of a
//! 128-bit product without division: with ε = 2³² − 1, 2⁶⁴ ≡ ε and 2⁹⁶ ≡ −1 (mod p), so
//! `lo + 2⁶⁴·(hi_lo + 2³²·hi_hi) ≡ lo − hi_hi + ε·hi_lo`. Every carry or borrow is turned
//! into a mask and applied by arithmetic, never by a branch; the masks pass through
//! [`core::hint::black_box`] so that LLVM cannot turn them back into a secret-dependent
//! branch (checked with valgrind, `ct-harness/src/bin/ct_shamir.rs`). Inversion is Fermat's
//! x^(p−2) with the public exponent's bits deciding the square-and-multiply schedule.

use core::fmt;

use rand_core::CryptoRng;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, CtOption};
use zeroize::Zeroize;

use super::FieldId;
use super::field::{MAX_DRAWS, PrimeField, sealed};

/// p = 2⁶⁴ − 2³² + 1.
const P: u64 = 0xffff_ffff_0000_0001;
/// ε = 2⁶⁴ mod p = 2³² − 1.
const EPSILON: u64 = 0xffff_ffff;

/// An element of GF(2⁶⁴ − 2³² + 1), held as its canonical integer.
///
/// Constant-time arithmetic; zeroizes on request ([`Zeroize`]); `Debug` prints nothing
/// of the value.
#[derive(Clone, Copy, Default)]
pub struct Goldilocks(u64);

/// All ones if `bit` is 1, zero if it is 0, opaque to the optimiser.
#[inline(always)]
fn mask(bit: bool) -> u64 {
    core::hint::black_box(0u64.wrapping_sub(u64::from(bit)))
}

/// `x mod p` for any `x < 2⁶⁴`, by one masked subtraction (2⁶⁴ < 2p).
#[inline(always)]
fn canonical(x: u64) -> u64 {
    let (d, borrow) = x.overflowing_sub(P);
    // borrow: x < p, keep x.
    let keep = mask(borrow);
    (x & keep) | (d & !keep)
}

/// `x mod p` for a 128-bit `x`, constant-time.
#[inline(always)]
fn reduce128(x: u128) -> u64 {
    let lo = x as u64;
    let hi = (x >> 64) as u64;
    let hi_hi = hi >> 32;
    let hi_lo = hi & EPSILON;
    // lo − hi_hi; on a borrow the wrapped value is 2⁶⁴ too large, and 2⁶⁴ ≡ ε: subtract ε.
    // The wrapped value is then ≥ 2⁶⁴ − 2³² + 1 > ε, so this second subtraction cannot
    // borrow.
    let (t0, borrow) = lo.overflowing_sub(hi_hi);
    let t0 = t0.wrapping_sub(EPSILON & mask(borrow));
    // ε·hi_lo ≤ (2³² − 1)² = 2⁶⁴ − 2³³ + 1.
    let t1 = hi_lo * EPSILON;
    // t0 + t1; on a carry add 2⁶⁴ ≡ ε back: the wrapped sum is below 2⁶⁴ − 2³³ + 1, so
    // adding ε cannot carry again.
    let (t2, carry) = t0.overflowing_add(t1);
    let t2 = t2.wrapping_add(EPSILON & mask(carry));
    canonical(t2)
}

impl Goldilocks {
    /// The modulus p = 2⁶⁴ − 2³² + 1.
    pub const MODULUS: u64 = P;

    /// `v mod p` (values below p, as every counter below 2⁶⁴ − 2³² + 1 is, are kept as
    /// they are).
    pub const fn new(v: u64) -> Self {
        // A const fn cannot call the black-boxed mask: the same subtraction, branch-free
        // by construction of the select (only used on public constants in const context;
        // the runtime path is `from_u64`).
        let (d, borrow) = v.overflowing_sub(P);
        let keep = 0u64.wrapping_sub(borrow as u64);
        Self((v & keep) | (d & !keep))
    }

    /// The canonical integer, below p.
    pub const fn to_u64(self) -> u64 {
        self.0
    }
}

impl fmt::Debug for Goldilocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Goldilocks(..)")
    }
}

impl ConditionallySelectable for Goldilocks {
    #[inline(always)]
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self(u64::conditional_select(&a.0, &b.0, choice))
    }
}

impl ConstantTimeEq for Goldilocks {
    #[inline]
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

impl Zeroize for Goldilocks {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl sealed::Sealed for Goldilocks {}

impl PrimeField for Goldilocks {
    const ID: FieldId = FieldId::Goldilocks;
    const BYTES: usize = 8;
    const ZERO: Self = Self(0);
    const ONE: Self = Self(1);

    #[inline]
    fn from_u64(v: u64) -> Self {
        Self(canonical(v))
    }

    #[inline(always)]
    fn add(&self, rhs: &Self) -> Self {
        // a + b < 2p: on a carry the true sum is wrapped + 2⁶⁴ ≡ wrapped + ε, and then
        // wrapped < p − 2³² so adding ε cannot carry; finally one masked subtraction of p.
        let (s, carry) = self.0.overflowing_add(rhs.0);
        let s = s.wrapping_add(EPSILON & mask(carry));
        Self(canonical(s))
    }

    #[inline(always)]
    fn sub(&self, rhs: &Self) -> Self {
        // a − b; on a borrow the wrapped value is 2⁶⁴ too large: 2⁶⁴ − p = ε, so subtract ε
        // (the wrapped value is then ≥ 2⁶⁴ − p + 1 > ε, no second borrow).
        let (d, borrow) = self.0.overflowing_sub(rhs.0);
        Self(d.wrapping_sub(EPSILON & mask(borrow)))
    }

    #[inline(always)]
    fn mul(&self, rhs: &Self) -> Self {
        Self(reduce128(u128::from(self.0) * u128::from(rhs.0)))
    }

    #[inline(always)]
    fn mul_small_add(&self, x: u32, c: &Self) -> Self {
        // v = a·x + c ≤ (p − 1)(2³² − 1) + (p − 1) = (p − 1)·2³² < 2⁹⁶: its high word is
        // below 2³², so v ≡ lo + ε·hi with ε·hi < 2⁶⁴ (no 2⁹⁶ term), and the reduction
        // needs one masked carry instead of `reduce128`'s borrow and carry.
        let v = u128::from(self.0) * u128::from(x) + u128::from(c.0);
        let lo = v as u64;
        let hi = (v >> 64) as u64;
        debug_assert!(hi < 1 << 32);
        let (s, carry) = lo.overflowing_add(hi * EPSILON);
        // On a carry add 2⁶⁴ ≡ ε: the wrapped s is below ε·hi < 2⁶⁴ − 2³², no new carry.
        Self(canonical(s.wrapping_add(EPSILON & mask(carry))))
    }

    #[inline]
    fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    fn invert(&self) -> Self {
        // x^(p−2), left to right over the public exponent's bits.
        const E: u64 = P - 2;
        let mut acc = Self::ONE;
        for i in (0..64).rev() {
            acc = acc.mul(&acc);
            if (E >> i) & 1 == 1 {
                acc = acc.mul(self);
            }
        }
        acc
    }

    fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Result<Self, crate::Error> {
        for _ in 0..MAX_DRAWS {
            let mut buf = [0u8; 8];
            rng.fill_bytes(&mut buf);
            let v = u64::from_be_bytes(buf);
            buf.zeroize();
            let (_, below) = v.overflowing_sub(P);
            // Rejects with probability (2³² − 1)/2⁶⁴; only the verdict is public.
            if crate::ct::declassify_choice(Choice::from(u8::from(below))) {
                return Ok(Self(v));
            }
        }
        Err(crate::Error::RngFailure)
    }

    fn write_bytes(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.0.to_be_bytes());
    }

    fn read_bytes(bytes: &[u8]) -> CtOption<Self> {
        let Ok(b) = <[u8; 8]>::try_from(bytes) else {
            return CtOption::new(Self::ZERO, Choice::from(0));
        };
        let v = u64::from_be_bytes(b);
        let (_, below) = v.overflowing_sub(P);
        CtOption::new(Self(v), Choice::from(u8::from(below)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: u128 remainder (variable-time, tests only).
    fn mul_ref(a: u64, b: u64) -> u64 {
        ((u128::from(a) * u128::from(b)) % u128::from(P)) as u64
    }

    #[test]
    fn arithmetic_matches_u128_reference() {
        let edge = [
            0,
            1,
            2,
            EPSILON,
            EPSILON + 1,
            P - 1,
            P - 2,
            1 << 63,
            P >> 1,
            0xdead_beef_cafe_f00d % P,
        ];
        let mut x = 0x0123_4567_89ab_cdefu64;
        let mut vals = edge.to_vec();
        for _ in 0..200 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            vals.push(x % P);
        }
        for &a in &vals {
            for &b in &vals {
                let (ga, gb) = (Goldilocks(a), Goldilocks(b));
                assert_eq!(ga.mul(&gb).0, mul_ref(a, b), "{a} * {b}");
                let x = b as u32;
                let want = ((u128::from(a) * u128::from(x) + u128::from(b)) % u128::from(P)) as u64;
                assert_eq!(ga.mul_small_add(x, &gb).0, want, "{a} * {x} + {b}");
                assert_eq!(
                    ga.add(&gb).0,
                    ((u128::from(a) + u128::from(b)) % u128::from(P)) as u64
                );
                assert_eq!(
                    ga.sub(&gb).0,
                    ((u128::from(a) + u128::from(P) - u128::from(b)) % u128::from(P)) as u64
                );
            }
            if a != 0 {
                assert_eq!(
                    Goldilocks(a).invert().mul(&Goldilocks(a)).0,
                    1,
                    "inverse of {a}"
                );
            }
        }
        assert_eq!(Goldilocks::ZERO.invert().0, 0);
        assert_eq!(Goldilocks::from_u64(u64::MAX).0, u64::MAX - P);
        assert_eq!(Goldilocks::new(P).0, 0);
        assert!(bool::from(
            Goldilocks::read_bytes(&P.to_be_bytes()).is_none()
        ));
        assert!(bool::from(
            Goldilocks::read_bytes(&(P - 1).to_be_bytes()).is_some()
        ));
        assert!(bool::from(Goldilocks::read_bytes(&[0; 7]).is_none()));
    }
}
