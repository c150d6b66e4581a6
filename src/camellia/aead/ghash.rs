//! GHASH, GCM's universal hash (NIST SP 800-38D §6.4), computed as POLYVAL (RFC 8452).
//!
//! GHASH multiplies in GF(2¹²⁸) with a bit-reflected representation. RFC 8452 Appendix A
//! shows that the same hash is POLYVAL's under a byte reversal:
//! `GHASH(H, X₁…Xₙ) = ByteReverse(POLYVAL(mulX_POLYVAL(ByteReverse(H)), ByteReverse(X₁), …))`.
//! POLYVAL's field elements are plain little-endian polynomials, so a block `X` becomes
//! the integer `u128::from_be_bytes(X)` and a product is a carry-less multiplication
//! followed by a Montgomery reduction by x¹²⁸ (`dot(a, b) = a·b·x⁻¹²⁸ mod Q`,
//! `Q = x¹²⁸ + x¹²⁷ + x¹²⁶ + x¹²¹ + 1`) — no bit reversal, no shift.
//!
//! The key holds the powers H, H², …, H⁸ (in the `dot` algebra) so that eight blocks cost
//! eight multiplications and **one** reduction (aggregated reduction): `acc ← (acc ⊕ X₁)·H⁸
//! ⊕ X₂·H⁷ ⊕ … ⊕ X₈·H`, the partial products summed unreduced.
//!
//! Two implementations, chosen when the key is made:
//! - x86-64 with PCLMULQDQ (VPCLMULQDQ on ymm where the CPU has it):
//!   `camellia::x86::ghash`;
//! - portable: 64×64-bit carry-less products from integer multiplications on operands
//!   with holes (every fourth bit kept, so no carry reaches a bit that is kept), the high
//!   half through bit reversal. Constant-time where integer multiplication is (every
//!   64-bit CPU this crate targets).
//!
//! Neither branches on or indexes memory by data or key.

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Blocks per aggregated reduction (the number of key powers kept).
pub(crate) const POWERS: usize = 8;

/// The hash key: H as a POLYVAL element and its powers, H at index 0, H⁸ at index 7.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct GhashKey {
    powers: [u128; POWERS],
    #[zeroize(skip)]
    imp: Imp,
}

/// Which multiplication code runs (public: depends on the CPU only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Imp {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Clmul(crate::camellia::x86::ghash::Clmul),
}

impl GhashKey {
    /// The key for `h` = E(K, 0¹²⁸), on the fastest code this CPU runs.
    pub(crate) fn new(h: &[u8; 16]) -> Self {
        #[cfg(target_arch = "x86_64")]
        if let Some(c) = crate::camellia::x86::ghash::Clmul::detect() {
            return Self::with_imp(h, Imp::Clmul(c));
        }
        Self::with_imp(h, Imp::Portable)
    }

    /// The key for `h` on the portable code.
    #[cfg(test)]
    pub(crate) fn portable(h: &[u8; 16]) -> Self {
        Self::with_imp(h, Imp::Portable)
    }

    fn with_imp(h: &[u8; 16], imp: Imp) -> Self {
        let mut powers = [0u128; POWERS];
        powers[0] = mul_x(u128::from_be_bytes(*h));
        for i in 1..POWERS {
            powers[i] = dot(powers[i - 1], powers[0]);
        }
        GhashKey { powers, imp }
    }

    /// The implementation in use.
    #[cfg(test)]
    pub(crate) fn imp(&self) -> Imp {
        self.imp
    }

    /// Folds whole blocks into the accumulator `acc` (a POLYVAL element).
    pub(crate) fn update(&self, acc: &mut u128, blocks: &[[u8; 16]]) {
        match self.imp {
            #[cfg(target_arch = "x86_64")]
            Imp::Clmul(c) => c.update(&self.powers, acc, blocks),
            Imp::Portable => update_portable(&self.powers, acc, blocks),
        }
    }
}

impl core::fmt::Debug for GhashKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GhashKey")
            .field("imp", &self.imp)
            .finish_non_exhaustive()
    }
}

/// A running GHASH: the key and the accumulator; bytes that do not fill a block are
/// zero-padded per call (GCM pads the AAD and the ciphertext separately).
pub(crate) struct Ghash<'k> {
    key: &'k GhashKey,
    acc: u128,
}

impl<'k> Ghash<'k> {
    pub(crate) fn new(key: &'k GhashKey) -> Self {
        Ghash { key, acc: 0 }
    }

    /// Folds whole blocks.
    #[inline]
    pub(crate) fn update_blocks(&mut self, blocks: &[[u8; 16]]) {
        self.key.update(&mut self.acc, blocks)
    }

    /// Folds `bytes`, the last block zero-padded.
    pub(crate) fn update_padded(&mut self, bytes: &[u8]) {
        let (blocks, tail) = bytes.as_chunks::<16>();
        self.update_blocks(blocks);
        if !tail.is_empty() {
            let mut last = [0u8; 16];
            last[..tail.len()].copy_from_slice(tail);
            self.update_blocks(core::slice::from_ref(&last));
            last.zeroize();
        }
    }

    /// The hash value so far (GHASH bytes).
    pub(crate) fn finalize(mut self) -> [u8; 16] {
        let out = self.acc.to_be_bytes();
        self.acc.zeroize();
        out
    }
}

impl Drop for Ghash<'_> {
    fn drop(&mut self) {
        self.acc.zeroize();
    }
}

/// mulX_POLYVAL (RFC 8452 Appendix A): `h·x mod Q`, branch-free.
fn mul_x(h: u128) -> u128 {
    let carry = 0u128.wrapping_sub(h >> 127);
    (h << 1) ^ (carry & 0xC200_0000_0000_0000_0000_0000_0000_0001)
}

// ------------------------------------------------------------------------------ portable

/// The low 64 bits of the carry-less product of `x` and `y`.
///
/// Each operand is split into four parts holding every fourth bit; an integer product of
/// two parts has at each bit position the count of contributing bit pairs, and the bits
/// of one residue class mod 4 are the only ones kept from it. A position below 60 gets at
/// most 15 pairs (the count fits in the 4-bit gap before the next kept bit of the class);
/// positions 60..63 may get 16, whose carry lands at bit 64 or above and is dropped. So
/// every kept bit is the parity of its pairs: the carry-less product.
#[inline(always)]
fn bmul64_lo(x: u64, y: u64) -> u64 {
    const M0: u64 = 0x1111_1111_1111_1111;
    const M1: u64 = M0 << 1;
    const M2: u64 = M0 << 2;
    const M3: u64 = M0 << 3;
    let (x0, x1, x2, x3) = (x & M0, x & M1, x & M2, x & M3);
    let (y0, y1, y2, y3) = (y & M0, y & M1, y & M2, y & M3);
    let m = |a: u64, b: u64| a.wrapping_mul(b);
    let z0 = m(x0, y0) ^ m(x1, y3) ^ m(x2, y2) ^ m(x3, y1);
    let z1 = m(x0, y1) ^ m(x1, y0) ^ m(x2, y3) ^ m(x3, y2);
    let z2 = m(x0, y2) ^ m(x1, y1) ^ m(x2, y0) ^ m(x3, y3);
    let z3 = m(x0, y3) ^ m(x1, y2) ^ m(x2, y1) ^ m(x3, y0);
    (z0 & M0) | (z1 & M1) | (z2 & M2) | (z3 & M3)
}

/// The full 128-bit carry-less product of `x` and `y`. The high half is the low half of
/// the product of the bit-reversed operands, reversed and shifted right by one: reversing
/// both 64-bit factors reverses their 127-bit product.
#[inline(always)]
fn clmul64(x: u64, y: u64) -> u128 {
    let lo = bmul64_lo(x, y);
    let hi = bmul64_lo(x.reverse_bits(), y.reverse_bits()).reverse_bits() >> 1;
    (u128::from(hi) << 64) | u128::from(lo)
}

/// The 256-bit carry-less product (lo, hi), Karatsuba: three 64×64 products.
#[inline(always)]
fn clmul128(a: u128, b: u128) -> (u128, u128) {
    let (a0, a1) = (a as u64, (a >> 64) as u64);
    let (b0, b1) = (b as u64, (b >> 64) as u64);
    let t0 = clmul64(a0, b0);
    let t2 = clmul64(a1, b1);
    let t1 = clmul64(a0 ^ a1, b0 ^ b1) ^ t0 ^ t2;
    (t0 ^ (t1 << 64), t2 ^ (t1 >> 64))
}

/// `v · (x⁶³ + x⁶² + x⁵⁷)` for a 64-bit `v`: the carry-less product by the constant
/// 0xC200_0000_0000_0000, as three shifts.
#[inline(always)]
fn mul_c2(v: u64) -> u128 {
    let v = u128::from(v);
    (v << 63) ^ (v << 62) ^ (v << 57)
}

/// `(hi·x¹²⁸ + lo)·x⁻¹²⁸ mod Q`: two Montgomery steps of 64 bits on `lo`. Q ≡ 1 mod x⁶⁴,
/// so the multiple of Q that clears the low word L₀ is L₀·Q, and
/// `L·x⁻⁶⁴ ≡ L₁ + L₀·x⁶⁴ + L₀·(x⁶³ + x⁶² + x⁵⁷)`.
#[inline(always)]
pub(crate) fn reduce(lo: u128, hi: u128) -> u128 {
    let t = lo.rotate_left(64) ^ mul_c2(lo as u64);
    let t = t.rotate_left(64) ^ mul_c2(t as u64);
    hi ^ t
}

/// POLYVAL's multiplication: `a·b·x⁻¹²⁸ mod Q`.
#[inline(always)]
pub(crate) fn dot(a: u128, b: u128) -> u128 {
    let (lo, hi) = clmul128(a, b);
    reduce(lo, hi)
}

fn update_portable(powers: &[u128; POWERS], acc: &mut u128, blocks: &[[u8; 16]]) {
    let mut y = *acc;
    let (groups, rest) = blocks.as_chunks::<POWERS>();
    for group in groups {
        let (mut lo, mut hi) = (0u128, 0u128);
        for (i, b) in group.iter().enumerate() {
            let mut x = u128::from_be_bytes(*b);
            if i == 0 {
                x ^= y;
            }
            let (l, h) = clmul128(x, powers[POWERS - 1 - i]);
            lo ^= l;
            hi ^= h;
        }
        y = reduce(lo, hi);
    }
    for b in rest {
        y = dot(y ^ u128::from_be_bytes(*b), powers[0]);
    }
    *acc = y;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GHASH straight from SP 800-38D Algorithm 1 (bit by bit, right shifts, R = 0xE1‖0¹²⁰),
    /// the reference the fast code is held to.
    fn gf_mul_spec(x: u128, y: u128) -> u128 {
        let r: u128 = 0xE1 << 120;
        let mut z = 0u128;
        let mut v = y;
        for i in 0..128 {
            if (x >> (127 - i)) & 1 == 1 {
                z ^= v;
            }
            v = if v & 1 == 1 { (v >> 1) ^ r } else { v >> 1 };
        }
        z
    }

    fn ghash_spec(h: &[u8; 16], blocks: &[[u8; 16]]) -> [u8; 16] {
        let h = u128::from_be_bytes(*h);
        let mut y = 0u128;
        for b in blocks {
            y = gf_mul_spec(y ^ u128::from_be_bytes(*b), h);
        }
        y.to_be_bytes()
    }

    fn pseudo(seed: u64, n: usize) -> alloc::vec::Vec<[u8; 16]> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                core::array::from_fn(|_| {
                    s = s
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (s >> 33) as u8
                })
            })
            .collect()
    }

    #[test]
    fn clmul64_matches_shift_and_add() {
        for (i, pair) in pseudo(7, 400).chunks(2).enumerate() {
            let x = u64::from_le_bytes(pair[0][..8].try_into().unwrap());
            let y = u64::from_le_bytes(pair[1][8..].try_into().unwrap());
            let (x, y) = match i {
                0 => (u64::MAX, u64::MAX),
                1 => (1 << 63, 1 << 63),
                _ => (x, y),
            };
            let mut want = 0u128;
            for b in 0..64 {
                if (y >> b) & 1 == 1 {
                    want ^= u128::from(x) << b;
                }
            }
            assert_eq!(clmul64(x, y), want, "{x:x} {y:x}");
        }
    }

    #[test]
    fn every_implementation_matches_the_spec() {
        for (seed, n) in [
            (1, 0),
            (2, 1),
            (3, 7),
            (4, 8),
            (5, 9),
            (6, 16),
            (7, 61),
            (8, 200),
        ] {
            let h = pseudo(seed + 100, 1)[0];
            let blocks = pseudo(seed, n);
            let want = ghash_spec(&h, &blocks);
            let mut keys = alloc::vec![GhashKey::portable(&h), GhashKey::new(&h)];
            #[cfg(target_arch = "x86_64")]
            keys.extend(
                crate::camellia::x86::ghash::Clmul::all()
                    .map(|c| GhashKey::with_imp(&h, Imp::Clmul(c))),
            );
            for key in &keys {
                let mut g = Ghash::new(key);
                g.update_blocks(&blocks);
                assert_eq!(g.finalize(), want, "{:?} n = {n}", key.imp());
                // The same data in uneven pieces.
                let mut g = Ghash::new(key);
                let mut rest = &blocks[..];
                let mut k = 1;
                while !rest.is_empty() {
                    let take = k.min(rest.len());
                    g.update_blocks(&rest[..take]);
                    rest = &rest[take..];
                    k = k * 3 % 17 + 1;
                }
                assert_eq!(g.finalize(), want, "{:?} n = {n} pieces", key.imp());
            }
        }
    }
}
