//! Limb-level helpers on little-endian `u64` slices whose lengths are public.
//!
//! Everything here is constant-time in the *values* of the limbs: loops run over the
//! whole slice, carries and borrows are propagated arithmetically, and selections use
//! masks. Only the slice lengths (public sizes) decide loop bounds.
#![deny(unsafe_code)]

use alloc::vec;
use alloc::vec::Vec;

/// `a + b + carry`, returned as (sum, carry out ∈ {0, 1}).
#[inline(always)]
pub(crate) const fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = a as u128 + b as u128 + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a − b − borrow`, returned as (difference, borrow out ∈ {0, 1}).
#[inline(always)]
pub(crate) const fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = (a as u128).wrapping_sub(b as u128 + borrow as u128);
    (t as u64, ((t >> 64) as u64) & 1)
}

/// `acc + x·y + carry` (never overflows 128 bits), returned as (low, high).
#[inline(always)]
pub(crate) const fn mac(acc: u64, x: u64, y: u64, carry: u64) -> (u64, u64) {
    let t = acc as u128 + (x as u128) * (y as u128) + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// All-ones if `bit` is 1, zero if it is 0 (`bit` must be 0 or 1). The value passes
/// through `black_box` so that LLVM cannot turn the masked code that uses it into a branch.
#[inline(always)]
pub(crate) fn mask_from_bit(bit: u64) -> u64 {
    core::hint::black_box(bit.wrapping_neg())
}

/// 1 if `x == 0`, else 0, without a branch.
#[inline(always)]
pub(crate) const fn is_zero_bit(x: u64) -> u64 {
    ((x | x.wrapping_neg()) >> 63) ^ 1
}

/// `a += b` over `a.len()` limbs (`b` may be shorter); returns the carry out.
pub(crate) fn add_assign(a: &mut [u64], b: &[u64]) -> u64 {
    debug_assert!(b.len() <= a.len());
    let mut carry = 0;
    for (i, ai) in a.iter_mut().enumerate() {
        let bi = if i < b.len() { b[i] } else { 0 };
        (*ai, carry) = adc(*ai, bi, carry);
    }
    carry
}

/// `a −= b` over `a.len()` limbs (`b` may be shorter); returns the borrow out.
pub(crate) fn sub_assign(a: &mut [u64], b: &[u64]) -> u64 {
    debug_assert!(b.len() <= a.len());
    let mut borrow = 0;
    for (i, ai) in a.iter_mut().enumerate() {
        let bi = if i < b.len() { b[i] } else { 0 };
        (*ai, borrow) = sbb(*ai, bi, borrow);
    }
    borrow
}

/// `a −= b & mask` (same lengths); returns the borrow out (0 when the mask is 0).
pub(crate) fn masked_sub_assign(a: &mut [u64], b: &[u64], mask: u64) -> u64 {
    debug_assert_eq!(a.len(), b.len());
    let mut borrow = 0;
    for (ai, &bi) in a.iter_mut().zip(b) {
        (*ai, borrow) = sbb(*ai, bi & mask, borrow);
    }
    borrow
}

/// `a += b & mask` (same lengths); returns the carry out.
pub(crate) fn masked_add_assign(a: &mut [u64], b: &[u64], mask: u64) -> u64 {
    debug_assert_eq!(a.len(), b.len());
    let mut carry = 0;
    for (ai, &bi) in a.iter_mut().zip(b) {
        (*ai, carry) = adc(*ai, bi & mask, carry);
    }
    carry
}

/// `dst = src` where `mask` is all-ones, unchanged where it is zero.
#[inline]
pub(crate) fn select_assign(dst: &mut [u64], src: &[u64], mask: u64) {
    debug_assert_eq!(dst.len(), src.len());
    for (d, &s) in dst.iter_mut().zip(src) {
        *d ^= (*d ^ s) & mask;
    }
}

/// 1 if `a < b` as numbers (same length), else 0.
pub(crate) fn lt_bit(a: &[u64], b: &[u64]) -> u64 {
    debug_assert_eq!(a.len(), b.len());
    let mut borrow = 0;
    for (&ai, &bi) in a.iter().zip(b) {
        (_, borrow) = sbb(ai, bi, borrow);
    }
    borrow
}

/// 1 if `a == b` (same length), else 0.
pub(crate) fn eq_bit(a: &[u64], b: &[u64]) -> u64 {
    debug_assert_eq!(a.len(), b.len());
    let mut acc = 0;
    for (&ai, &bi) in a.iter().zip(b) {
        acc |= ai ^ bi;
    }
    is_zero_bit(acc)
}

/// 1 if every limb is zero, else 0.
pub(crate) fn is_zero_slice_bit(a: &[u64]) -> u64 {
    let mut acc = 0;
    for &ai in a {
        acc |= ai;
    }
    is_zero_bit(acc)
}

/// Schoolbook product `a·b`, `a.len() + b.len()` limbs.
pub(crate) fn mul(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = vec![0u64; a.len() + b.len()];
    for (i, &bi) in b.iter().enumerate() {
        let mut carry = 0;
        for (j, &aj) in a.iter().enumerate() {
            (out[i + j], carry) = mac(out[i + j], aj, bi, carry);
        }
        out[i + a.len()] = carry;
    }
    out
}

/// The low `k` limbs of `a·b` (`a`, `b` of at least... any length; missing limbs are zero).
pub(crate) fn mul_lo(a: &[u64], b: &[u64], k: usize) -> Vec<u64> {
    let mut out = vec![0u64; k];
    for (i, &bi) in b.iter().enumerate().take(k) {
        let mut carry = 0;
        for j in 0..(k - i).min(a.len()) {
            (out[i + j], carry) = mac(out[i + j], a[j], bi, carry);
        }
        if i + a.len() < k {
            out[i + a.len()] = carry;
        }
    }
    out
}

/// −x⁻¹ mod 2⁶⁴ for odd `x`, by Newton's iteration (each step doubles the correct bits:
/// x·x ≡ 1 mod 8 for odd x gives 3 bits, then 6, 12, 24, 48, 96).
pub(crate) const fn neg_inv64(x: u64) -> u64 {
    let mut y = x;
    let mut i = 0;
    while i < 5 {
        y = y.wrapping_mul(2u64.wrapping_sub(x.wrapping_mul(y)));
        i += 1;
    }
    y.wrapping_neg()
}

/// x⁻¹ mod 2^(64·k) for odd `x` (k limbs), by Newton's iteration on whole limb vectors:
/// y ← y·(2 − x·y). A fixed number of steps (⌈log₂ k⌉ after the 64-bit start), so the
/// running time depends on `k` only. Used for exact division by a secret odd number.
pub(crate) fn inv_mod_pow2(x: &[u64]) -> Vec<u64> {
    let k = x.len();
    let mut y = vec![0u64; k];
    if k == 0 {
        return y;
    }
    y[0] = neg_inv64(x[0]).wrapping_neg();
    let mut good = 1; // limbs known correct
    while good < k {
        let xy = mul_lo(x, &y, k);
        // 2 − x·y mod 2^(64k): two's complement negation, plus 2.
        let mut two_minus = vec![0u64; k];
        let _ = sub_assign(&mut two_minus, &xy);
        let _ = add_assign(&mut two_minus, &[2]);
        y = mul_lo(&y, &two_minus, k);
        good *= 2;
    }
    y
}

/// Big-endian bytes → `k` little-endian limbs. Returns `None` if the value needs more than
/// `k` limbs (leading zero bytes are allowed). Constant-time in the bytes' values: the
/// overflow verdict is computed with masks and returned as a public bit by the caller's
/// choice (it depends only on bytes beyond `8·k`, which callers check as lengths).
pub(crate) fn from_be_bytes(bytes: &[u8], k: usize) -> Option<Vec<u64>> {
    let mut out = vec![0u64; k];
    let mut overflow = 0u8;
    for (i, &b) in bytes.iter().rev().enumerate() {
        let limb = i / 8;
        if limb < k {
            out[limb] |= (b as u64) << (8 * (i % 8));
        } else {
            overflow |= b;
        }
    }
    // The bytes past k limbs must all be zero; that verdict is public (a length/range fact
    // the caller reports anyway).
    crate::ct::declassify(&overflow);
    let overflow = core::hint::black_box(overflow);
    (overflow == 0).then_some(out)
}

/// Limbs → exactly `len` big-endian bytes (the value must fit; higher limbs are dropped).
pub(crate) fn to_be_bytes(limbs: &[u64], len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    for (i, o) in out.iter_mut().rev().enumerate() {
        let limb = i / 8;
        if limb < limbs.len() {
            *o = (limbs[limb] >> (8 * (i % 8))) as u8;
        }
    }
    out
}

/// Number of significant bits of a public value (variable-time).
pub(crate) fn bits_vartime(a: &[u64]) -> usize {
    for i in (0..a.len()).rev() {
        if a[i] != 0 {
            return 64 * i + 64 - a[i].leading_zeros() as usize;
        }
    }
    0
}

/// Bit `i` of `a` (0 past the end); `i` is public, the value may be secret.
#[inline(always)]
pub(crate) fn bit(a: &[u64], i: usize) -> u64 {
    a.get(i / 64).map_or(0, |l| (l >> (i % 64)) & 1)
}

/// The `w`-bit window of `a` starting at bit `i` (`w` ≤ 32, positions public).
#[inline(always)]
pub(crate) fn window(a: &[u64], i: usize, w: usize) -> u64 {
    let lo = a.get(i / 64).copied().unwrap_or(0) >> (i % 64);
    let hi = if i.is_multiple_of(64) {
        0
    } else {
        a.get(i / 64 + 1).copied().unwrap_or(0) << (64 - i % 64)
    };
    (lo | hi) & ((1u64 << w) - 1)
}
