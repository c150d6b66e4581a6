//! Scalar recodings for the scalar multiplications.
//!
//! - [`booth_digit`]: signed fixed windows (Booth 1951 recoding, as used by the
//!   fixed-window methods of Möller 2001 and of Gueron–Krasnov 2015 for P-256), computed
//!   branch-free from the secret scalar: digit `i` is
//!   `b[wi−1] + Σ_{j<w−1} 2^j·b[wi+j] − 2^(w−1)·b[wi+w−1]`, in `[−2^(w−1), 2^(w−1)]`, and
//!   `Σ_i digit_i·2^(wi)` telescopes back to the scalar.
//! - [`wnaf_vartime`]: width-w non-adjacent form (Solinas 2000; Hankerson–Menezes–Vanstone,
//!   *Guide to Elliptic Curve Cryptography*, Alg. 3.35) for public scalars only.

/// Bits `start .. start + count` of the little-endian limbs (`count ≤ 57`), zero past the
/// top. `start` and `count` are public positions; the limbs may be secret.
#[inline(always)]
const fn bits_at<const N: usize>(limbs: &[u64; N], start: usize, count: u32) -> u64 {
    let limb = start / 64;
    let shift = start % 64;
    let lo = if limb < N { limbs[limb] >> shift } else { 0 };
    let hi = if shift != 0 && limb + 1 < N {
        limbs[limb + 1] << (64 - shift)
    } else {
        0
    };
    (lo | hi) & ((1u64 << count) - 1)
}

/// The Booth digit of window `i` of width `w` as `(|digit|, mask)`, where `mask` is all
/// ones if the digit is negative and zero otherwise. Constant-time in `limbs` (shifts by
/// public amounts, masks, one multiplication by 0 or 1).
///
/// The caller must use enough windows that bit `w·windows − 1` of the scalar is zero;
/// then the last digit is non-negative and the digits sum back to the scalar.
#[inline(always)]
pub(crate) const fn booth_digit<const N: usize>(limbs: &[u64; N], w: u32, i: usize) -> (u64, u64) {
    // v = b[wi−1] | b[wi] << 1 | … | b[wi+w−1] << w, with b[−1] = 0.
    let v = if i == 0 {
        bits_at(limbs, 0, w) << 1
    } else {
        bits_at(limbs, w as usize * i - 1, w + 1)
    };
    let half = 1u64 << (w - 1);
    let digit = ((v & 1) + ((v >> 1) & (half - 1))) as i64 - ((v >> w) * half) as i64;
    let sign = digit >> 63; // 0 or −1
    let abs = ((digit ^ sign) - sign) as u64;
    (abs, sign as u64)
}

/// All-ones if `a = b`, zero otherwise, without a branch.
#[inline(always)]
pub(crate) const fn eq_mask(a: u64, b: u64) -> u64 {
    let d = a ^ b;
    ((d | d.wrapping_neg()) >> 63).wrapping_sub(1)
}

/// Zero, but opaque to the optimiser. Lookups XOR it into every [`eq_mask`] result: the
/// masks then look like arbitrary words to LLVM, which can no longer see that `e & mask`
/// is a selection and turn it into a conditional move or jump on the secret index
/// (valgrind's memcheck reports both; a jump would be a real leak). One barrier per
/// lookup rather than one per entry keeps the masks vectorisable and the cost negligible.
#[inline(always)]
pub(crate) fn opaque_zero() -> u64 {
    core::hint::black_box(0)
}

/// Width-`w` NAF of a public scalar: `L` signed digits, each zero or odd with absolute
/// value below `2^(w−1)`, no two non-zero digits closer than `w`, and
/// `Σ digit_i·2^i = scalar`. Requires `L > 64·N` so the final carry has room.
pub(crate) fn wnaf_vartime<const N: usize, const L: usize>(limbs: &[u64; N], w: u32) -> [i8; L] {
    debug_assert!(L > 64 * N && (2..=8).contains(&w));
    let mut naf = [0i8; L];
    let mut carry = 0u64;
    let mut pos = 0usize;
    while pos < L {
        if bits_at(limbs, pos, 1) == carry {
            // The next bit of (scalar + carry·2^pos) is zero: digit 0, the carry goes on.
            pos += 1;
            continue;
        }
        let take = core::cmp::min(w as usize, L - pos) as u32;
        // Odd, at most 2^w − 1 (the top of `take` bits plus the carry of one).
        let mut word = bits_at(limbs, pos, take) + carry;
        carry = (word >> (w - 1)) & 1;
        word = word.wrapping_sub(carry << w);
        naf[pos] = word as i64 as i8;
        pos += take as usize;
    }
    debug_assert!(carry == 0);
    naf
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Σ digit·2^(w·i) as a little-endian i128 pair is awkward; sum into limbs with signs.
    fn eval(digits: &[(i64, usize)]) -> [u64; 7] {
        // Work modulo 2^448 in limbs; the scalars are below 2^385.
        let mut acc = [0u64; 7];
        for &(d, shift) in digits {
            let mut term = [0u64; 7];
            let mag = d.unsigned_abs();
            term[shift / 64] = mag << (shift % 64);
            if shift % 64 != 0 && shift / 64 + 1 < 7 {
                term[shift / 64 + 1] = mag >> (64 - shift % 64);
            }
            if d >= 0 {
                acc = crate::ec::arith::field::adc_limbs(&acc, &term).0;
            } else {
                acc = crate::ec::arith::field::sbb_limbs(&acc, &term).0;
            }
        }
        acc
    }

    proptest! {
        #[test]
        fn booth_sums_back(limbs in any::<[u64; 6]>(), w in 2u32..=7) {
            let mut limbs = limbs;
            limbs[5] >>= 1; // 383 bits at most
            let windows = 384usize.div_ceil(w as usize) + 1;
            let mut digits = std::vec::Vec::new();
            for i in 0..windows {
                let (abs, mask) = booth_digit(&limbs, w, i);
                prop_assert!(abs <= 1 << (w - 1));
                let d = if mask != 0 { -(abs as i64) } else { abs as i64 };
                digits.push((d, w as usize * i));
            }
            let mut want = [0u64; 7];
            want[..6].copy_from_slice(&limbs);
            prop_assert_eq!(eval(&digits), want);
        }

        #[test]
        fn wnaf_sums_back(limbs in any::<[u64; 6]>(), w in 2u32..=8) {
            let naf: [i8; 385] = wnaf_vartime(&limbs, w);
            let mut digits = std::vec::Vec::new();
            let mut last: Option<usize> = None;
            for (i, &d) in naf.iter().enumerate() {
                if d != 0 {
                    prop_assert!(d % 2 != 0 && (d.unsigned_abs() as u32) < (1 << (w - 1)));
                    if let Some(l) = last {
                        prop_assert!(i - l >= w as usize);
                    }
                    last = Some(i);
                    digits.push((i64::from(d), i));
                }
            }
            let mut want = [0u64; 7];
            want[..6].copy_from_slice(&limbs);
            prop_assert_eq!(eval(&digits), want);
        }
    }

    #[test]
    fn eq_mask_values() {
        assert_eq!(eq_mask(5, 5), u64::MAX);
        assert_eq!(eq_mask(0, 0), u64::MAX);
        assert_eq!(eq_mask(0, 1 << 63), 0);
        assert_eq!(eq_mask(3, 4), 0);
    }
}
