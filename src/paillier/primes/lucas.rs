//! The strong Lucas probable-prime test with Selfridge's parameters (method A of Baillie
//! and Wagstaff, "Lucas pseudoprimes", Math. Comp. 35, 1980; FIPS 186-5 B.3.3), which with
//! Miller–Rabin to the base 2 makes the Baillie–PSW test. Constant-time in the number w:
//!
//! - D is the first of 5, −7, 9, −11, 13, … with Jacobi symbol (D/w) = −1. Each symbol is
//!   (w mod |D| / |D|) by quadratic reciprocity (signs from w mod 4, public |D|), read
//!   from a table of the symbols modulo |D| with every entry loaded and masked; the
//!   first −1 is selected with masks over a fixed list of [`D_CANDIDATES`] values, so
//!   neither the chosen D nor its position shows. If the list holds no −1 (w a square,
//!   or a prime with (D/w) = 1 for every listed D — fewer than one prime in 2⁴⁸), or a 0
//!   comes first (a small factor), the test fails.
//! - P = 1, Q = (1 − D)/4; U_k, V_k and Q^k mod w are computed left to right over every
//!   bit of w + 1 = 2ˢ·d (doubling, then the step k → k + 1 computed always and kept by a
//!   mask; halving mod w by a masked addition of w). As in `mr`, the verdict
//!   "U_d ≡ 0 or V_(d·2^r) ≡ 0 for some 0 ≤ r < s" is accumulated with masks at every one
//!   of the lowest 64 bits, comparing the position with s in constant time; w with
//!   2⁶⁴ | w + 1 is refused (probability 2⁻⁶⁴ for a random prime).
#![deny(unsafe_code)]

use alloc::vec;
use alloc::vec::Vec;
use zeroize::{Zeroize, Zeroizing};

use super::sieve::residue;
use crate::bigint::Monty;
use crate::bigint::limbs::{self, is_zero_bit, is_zero_slice_bit, mask_from_bit, select_assign};

/// Number of D values tried: 5, −7, 9, …, ±(5 + 2·(N − 1)).
pub(crate) const D_CANDIDATES: usize = 48;

/// Jacobi symbol (a/n) for public a ≥ 0 and odd n > 0 (table construction only).
fn jacobi_vartime(mut a: u64, mut n: u64) -> i64 {
    let mut t = 1;
    a %= n;
    while a != 0 {
        while a.is_multiple_of(2) {
            a /= 2;
            if n % 8 == 3 || n % 8 == 5 {
                t = -t;
            }
        }
        core::mem::swap(&mut a, &mut n);
        if a % 4 == 3 && n % 4 == 3 {
            t = -t;
        }
        a %= n;
    }
    if n == 1 { t } else { 0 }
}

/// x/2 mod m for x < m (m odd): add m if x is odd (masked), then shift right with the
/// carry.
fn half_mod(x: &mut [u64], m: &[u64]) {
    let carry = limbs::masked_add_assign(x, m, mask_from_bit(x[0] & 1));
    let mut top = carry;
    for limb in x.iter_mut().rev() {
        let low = *limb & 1;
        *limb = (*limb >> 1) | (top << 63);
        top = low;
    }
}

/// 1 if the odd w (> 2⁶⁴, context `ctx`) is a strong Lucas probable prime with Selfridge's
/// parameters, else 0. Constant-time in w.
pub(crate) fn strong_lucas(ctx: &Monty, w: &[u64]) -> u64 {
    let k = w.len();
    let m = ctx.modulus();
    // --- D: the first candidate with (D/w) = −1, selected with masks.
    let w_mod4 = w[0] & 3;
    let w_is_1_mod_4 = is_zero_bit(w_mod4 ^ 1);
    let mut found = 0u64;
    let mut zero_first = 0u64;
    let mut d_abs = 0u64;
    let mut d_neg = 0u64;
    let mut table = Vec::new();
    for i in 0..D_CANDIDATES {
        let d = 5 + 2 * i as u64;
        let neg = (i & 1) as u64;
        // (|D|/w) = (w/|D|)·(−1)^(((|D|−1)/2)·((w−1)/2)); (−1/w) = (−1)^((w−1)/2).
        table.clear();
        table.extend((0..d).map(|a| jacobi_vartime(a, d)));
        let a = residue(w, d);
        let (mut plus, mut zero) = (0u64, 0u64);
        for (j, &s) in table.iter().enumerate() {
            let hit = is_zero_bit(j as u64 ^ a);
            plus |= hit & u64::from(s == 1);
            zero |= hit & u64::from(s == 0);
        }
        // Sign flips: from reciprocity when |D| ≡ 3 (mod 4) and w ≡ 3 (mod 4); from −1
        // when D < 0 and w ≡ 3 (mod 4).
        let flip_recip = u64::from(d % 4 == 3) & (w_is_1_mod_4 ^ 1);
        let flip_neg = neg & (w_is_1_mod_4 ^ 1);
        let minus = (zero ^ 1) & (plus ^ flip_recip ^ flip_neg ^ 1);
        let take = minus & (found ^ 1);
        zero_first |= zero & (found ^ 1);
        d_abs ^= (d_abs ^ d) & mask_from_bit(take);
        d_neg ^= (d_neg ^ neg) & mask_from_bit(take);
        found |= take;
    }
    // D and Q = (1 − D)/4 as residues mod w (|D|, |Q| < 2⁶⁴ < w), Montgomery form.
    let small_mod = |abs: u64, negative: u64| {
        let mut v = vec![0u64; k];
        v[0] = abs;
        let mut neg = m.to_vec();
        let _ = limbs::sub_assign(&mut neg, &v);
        select_assign(
            &mut v,
            &neg,
            mask_from_bit(negative & (is_zero_bit(abs) ^ 1)),
        );
        Zeroizing::new(ctx.to_mont(&v))
    };
    let dm = small_mod(d_abs, d_neg);
    // 1 − D: D > 0 ⇒ Q = −(D − 1)/4; D < 0 ⇒ Q = (|D| + 1)/4.
    let q_abs = (d_abs.wrapping_sub(1) & mask_from_bit(d_neg ^ 1))
        | (d_abs.wrapping_add(1) & mask_from_bit(d_neg));
    let qm = small_mod(q_abs >> 2, d_neg ^ 1);

    // --- The Lucas chain over the bits of e = w + 1.
    let mut e = Zeroizing::new(w.to_vec());
    let _ = limbs::add_assign(&mut e, &[1]);
    let low = e[0];
    let mut s = 0u64;
    for i in 0..64 {
        s += is_zero_bit(low & (u64::MAX >> (63 - i)));
    }
    let supported = is_zero_bit(low) ^ 1;
    let zero = vec![0u64; k];
    let mut u = Zeroizing::new(zero.clone()); // U_0 = 0
    let mut v = Zeroizing::new(ctx.add(&ctx.one, &ctx.one)); // V_0 = 2
    let mut qk = Zeroizing::new(ctx.one.clone()); // Q^0 = 1
    let mut t1 = Zeroizing::new(zero.clone());
    let mut t2 = Zeroizing::new(zero.clone());
    let mut pass = 0u64;
    for i in (0..64 * k).rev() {
        // Doubling: U_2k = U·V, V_2k = V² − 2Q^k, Q^2k = (Q^k)².
        ctx.mul_into(&mut t1, &u, &v);
        ctx.sqr_into(&mut t2, &v);
        let two_qk = ctx.add(&qk, &qk);
        let v2 = Zeroizing::new(ctx.sub(&t2, &two_qk));
        u.copy_from_slice(&t1);
        v.copy_from_slice(&v2);
        ctx.sqr_into(&mut t1, &qk);
        qk.copy_from_slice(&t1);
        // Step k → k + 1 (kept if the bit is set): U' = (U + V)/2, V' = (D·U + V)/2,
        // Q^(k+1) = Q·Q^k.
        let mut u1 = Zeroizing::new(ctx.add(&u, &v));
        half_mod(&mut u1, m);
        ctx.mul_into(&mut t1, &dm, &u);
        let mut v1 = Zeroizing::new(ctx.add(&t1, &v));
        half_mod(&mut v1, m);
        ctx.mul_into(&mut t2, &qm, &qk);
        let bit = mask_from_bit(limbs::bit(&e, i));
        select_assign(&mut u, &u1, bit);
        select_assign(&mut v, &v1, bit);
        select_assign(&mut qk, &t2, bit);
        if i < 64 {
            // k = ⌊e/2^i⌋: at i = s it is d; for 1 ≤ i < s it is d·2^(s−i).
            let i = i as u64;
            let at_s = is_zero_bit(i ^ s);
            let lt_s = (i.wrapping_sub(s)) >> 63; // i < s (both < 2^63)
            let pos = ((i.wrapping_sub(1)) >> 63) ^ 1; // i ≥ 1
            let u0 = is_zero_slice_bit(&u);
            let v0 = is_zero_slice_bit(&v);
            pass |= at_s & (u0 | v0);
            pass |= lt_s & pos & v0;
        }
    }
    t1.zeroize();
    t2.zeroize();
    pass & found & (zero_first ^ 1) & supported
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lucas(w: &[u64]) -> u64 {
        strong_lucas(&Monty::new(w.to_vec()).unwrap(), w)
    }

    #[test]
    fn jacobi_small() {
        assert_eq!(jacobi_vartime(2, 7), 1);
        assert_eq!(jacobi_vartime(3, 7), -1);
        assert_eq!(jacobi_vartime(0, 9), 0);
        assert_eq!(jacobi_vartime(5, 21), 1);
    }

    #[test]
    fn primes_pass_composites_fail() {
        // Two-limb primes and composites (the test is meant for w > 2^64).
        let primes: [[u64; 2]; 3] = [
            [(1 << 61) - 1, 0],                // 2^61 − 1 (w + 1 = 2^61)
            [0xffff_ffff_ffff_ff61, u64::MAX], // 2^128 − 159
            [0xffff_ffff_ffff_ff17, u64::MAX], // 2^128 − 233
        ];
        for p in primes {
            assert_eq!(lucas(&p), 1, "{p:x?}");
        }
        // 2^127 − 1 is prime, but 2^64 | w + 1: refused like Miller–Rabin's s ≥ 64.
        assert_eq!(lucas(&[u64::MAX, (1 << 63) - 1]), 0);
        // 2^127 + 1 (divisible by 3), (2^64 + 13)·(2^61 − 1)-sized products.
        assert_eq!(lucas(&[1, 1 << 63]), 0);
        let a: u128 = 18446744073709551557; // 2^64 − 59, prime
        let b: u128 = 4294967291; // 2^32 − 5, prime
        let c = a * b;
        assert_eq!(lucas(&[c as u64, (c >> 64) as u64]), 0);
    }

    /// Strong pseudoprimes to many bases fail the Lucas test (no Baillie–PSW
    /// pseudoprime is known): Jaeschke's 3825123056546413051 (bases up to 23) and
    /// 318665857834031151167461 (bases up to 37).
    #[test]
    fn strong_pseudoprimes_fail() {
        assert_eq!(lucas(&[3_825_123_056_546_413_051]), 0);
        let x: u128 = 318_665_857_834_031_151_167_461;
        assert_eq!(lucas(&[x as u64, (x >> 64) as u64]), 0);
        // ...though they pass Miller–Rabin to base 2.
        let w = [x as u64, (x >> 64) as u64];
        let ctx = Monty::new(w.to_vec()).unwrap();
        assert_eq!(super::super::mr::small_base(&ctx, &w, 2), 1);
    }
}
