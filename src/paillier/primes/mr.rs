//! Fermat and Miller–Rabin tests, constant-time in the number tested and in the bases.
//!
//! Miller–Rabin without a secret-dependent schedule: with w − 1 = 2ˢ·d, the usual test
//! computes a^d and squares it s times, and s depends on the secret w. Here a^(w−1) is
//! computed left to right — a fixed-window exponentiation for all but the lowest 64 bits
//! of w − 1, then one square-and-always-multiply step (masked select) per low bit — and
//! after the step for bit i the accumulator is a^⌊(w−1)/2ⁱ⌋. At i = s this is a^d, and for
//! i from s down to 1 it runs through a^(d·2^(s−i)): the verdict is accumulated with masks
//! at every i, comparing i with s in constant time. Candidates with 2⁶⁴ | w − 1 (s ≥ 64) are
//! rejected (probability 2⁻⁶⁴ for a random prime; `from_primes` reports such a prime as an
//! invalid key).
#![deny(unsafe_code)]

use alloc::vec;
use alloc::vec::Vec;
use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use crate::bigint::Monty;
use crate::bigint::limbs::{self, eq_bit, is_zero_bit, mask_from_bit, select_assign};
use crate::bigint::monty::double_mod;
use crate::ct;

/// Miller–Rabin rounds with random bases that a **random** candidate of `bits` bits needs
/// for an error probability of at most 2⁻¹²⁹ (2⁻¹²⁸ with a factor 2 to spare for drawing
/// candidates from the upper half of the odd `bits`-bit numbers), by the average-case bound
/// of Damgård, Landrock and Pomerance (Math. Comp. 61, 1993, Theorem 2, (ii)):
/// p(k, t) ≤ k^(3/2)·2ᵗ·t^(−1/2)·4^(2 − √(tk)) for 3 ≤ t ≤ k/9, k ≥ 21.
/// k = 1024: t = 6 (2⁻¹³³·¹); 1536: t = 4 (2⁻¹³³·⁸); 2048: t = 3 (2⁻¹³⁴·⁰); a test below
/// recomputes the bound. Other sizes get the worst-case count (64, Rabin's 4⁻ᵗ).
pub(crate) fn rounds_for_random(bits: usize) -> usize {
    match bits {
        1024 => 6,
        1536 => 4,
        2048 => 3,
        _ => MR_ROUNDS_WORST_CASE,
    }
}

/// Rounds for a number not drawn at random by us (Rabin's bound 4⁻ᵗ, whatever the
/// number): 64 for 2⁻¹²⁸.
pub(crate) const MR_ROUNDS_WORST_CASE: usize = 64;

/// One constant-time Miller–Rabin round for the odd w (context `ctx`, w − 1 = `wm1`),
/// base given in Montgomery form. Returns 1 for "probably prime", 0 for "composite" —
/// or when 2⁶⁴ divides w − 1 (see the module documentation).
pub(crate) fn miller_rabin_round(ctx: &Monty, wm1: &[u64], base: &[u64]) -> u64 {
    let k = ctx.limbs();
    let low = wm1[0];
    // s = number of trailing zeros of the low limb (64 if it is zero), constant-time.
    let mut s = 0u64;
    for i in 0..64 {
        s += is_zero_bit(low & (u64::MAX >> (63 - i)));
    }
    let supported = is_zero_bit(low) ^ 1;
    let one = &ctx.one;
    let mut minus_one = ctx.modulus().to_vec();
    let _ = limbs::sub_assign(&mut minus_one, one);
    let mut acc = ctx.pow_secret(base, &wm1[1..]);
    let mut tmp = vec![0u64; k];
    let mut prod = vec![0u64; k];
    let mut pass = 0u64;
    for i in (0..64u64).rev() {
        ctx.sqr_into(&mut tmp, &acc);
        ctx.mul_into(&mut prod, &tmp, base);
        select_assign(&mut tmp, &prod, mask_from_bit((low >> i) & 1));
        core::mem::swap(&mut tmp, &mut acc);
        // acc = base^⌊(w−1)/2^i⌋.
        let at_s = is_zero_bit(i ^ s);
        let le_s = (s.wrapping_sub(i) >> 63) ^ 1; // i ≤ s (both < 2^63)
        let pos = ((i.wrapping_sub(1)) >> 63) ^ 1; // i ≥ 1
        pass |= at_s & eq_bit(&acc, one);
        pass |= le_s & pos & eq_bit(&acc, &minus_one);
    }
    tmp.zeroize();
    prod.zeroize();
    acc.zeroize();
    minus_one.zeroize();
    pass & supported
}

/// Fermat's test to the base 2: 1 if 2^(w−1) ≡ 1 (mod w), constant-time. A left-to-right
/// ladder over all 64·k bits of w − 1: a Montgomery squaring, then a modular doubling kept
/// or not by a mask — about 20% cheaper than an exponentiation with a general base (no
/// table, no multiplications). Used as the filter every candidate that survives the sieve
/// must pass before the full test; for the p = 2q + 1 of a safe prime it is also the
/// proof of primality once q is prime (Pocklington: see the module docs of `primes`).
pub(crate) fn fermat2(ctx: &Monty, w: &[u64]) -> u64 {
    let k = ctx.limbs();
    let m = ctx.modulus();
    let mut e = Zeroizing::new(w.to_vec());
    let _ = limbs::sub_assign(&mut e, &[1]);
    let mut acc = Zeroizing::new(ctx.one.clone());
    let mut sq = Zeroizing::new(vec![0u64; k]);
    let mut dbl = Zeroizing::new(vec![0u64; k]);
    for i in (0..64 * k).rev() {
        ctx.sqr_into(&mut sq, &acc);
        dbl.copy_from_slice(&sq);
        double_mod(&mut dbl, m);
        select_assign(&mut sq, &dbl, mask_from_bit(limbs::bit(&e, i)));
        core::mem::swap(&mut *sq, &mut *acc);
    }
    eq_bit(&acc, &ctx.one)
}

/// A base uniform in [0, 2^(64k)) reduced mod w, in Montgomery form (a·R mod w).
fn random_base<R: CryptoRng + ?Sized>(rng: &mut R, ctx: &Monty) -> Zeroizing<Vec<u64>> {
    let k = ctx.limbs();
    let mut raw = Zeroizing::new(vec![0u8; 8 * k]);
    rng.fill_bytes(&mut raw);
    let a = Zeroizing::new(limbs::from_be_bytes(&raw, k).unwrap_or_default());
    Zeroizing::new(ctx.to_mont(&a))
}

/// Miller–Rabin with `rounds` uniformly random bases; declassifies each round's verdict
/// and stops at the first failure (the number is then discarded or refused).
pub(crate) fn random_bases<R: CryptoRng + ?Sized>(
    rng: &mut R,
    ctx: &Monty,
    w: &[u64],
    rounds: usize,
) -> bool {
    let mut wm1 = Zeroizing::new(w.to_vec());
    let _ = limbs::sub_assign(&mut wm1, &[1]);
    for _ in 0..rounds {
        let base = random_base(rng, ctx);
        if !ct::declassify_choice(subtle::Choice::from(
            miller_rabin_round(ctx, &wm1, &base) as u8
        )) {
            return false;
        }
    }
    true
}

/// Miller–Rabin to the small base `b` (constant-time; one verdict bit).
pub(crate) fn small_base(ctx: &Monty, w: &[u64], b: u64) -> u64 {
    let k = w.len();
    let mut wm1 = Zeroizing::new(w.to_vec());
    let _ = limbs::sub_assign(&mut wm1, &[1]);
    let mut a = vec![0u64; k];
    a[0] = b;
    let base = Zeroizing::new(ctx.to_mont(&a));
    miller_rabin_round(ctx, &wm1, &base)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check `from_primes` did before: fixed bases 2..19 (kept here to show that the
    /// strong pseudoprimes of the tests pass it).
    pub(crate) fn passes_fixed_bases(ctx: &Monty, w: &[u64]) -> u64 {
        let mut ok = 1;
        for b in [2u64, 3, 5, 7, 11, 13, 17, 19] {
            ok &= small_base(ctx, w, b);
        }
        ok
    }

    fn mr_all(w: &[u64]) -> u64 {
        let ctx = Monty::new(w.to_vec()).unwrap();
        passes_fixed_bases(&ctx, w)
    }

    #[test]
    fn miller_rabin_known_values() {
        // Primes with various 2-adic valuations of p − 1.
        for p in [
            97u64,
            65537,
            (1u64 << 61) - 1,
            0xffff_ffff_0000_0001,
            0xffff_ffff_ffff_ffc5,
        ] {
            assert_eq!(mr_all(&[p]), 1, "{p} is prime");
        }
        // Composites, including strong pseudoprimes to base 2 and Carmichael numbers.
        for c in [
            2047u64,
            3215031751,
            561,
            1105,
            41041,
            25326001,
            1_000_000_007 * 998_244_353,
        ] {
            assert_eq!(mr_all(&[c]), 0, "{c} is composite");
        }
        // Two limbs: 2^127 − 1 is prime, 2^127 + 1 divisible by 3.
        assert_eq!(mr_all(&[u64::MAX, (1 << 63) - 1]), 1);
        assert_eq!(mr_all(&[1, 1 << 63]), 0);
        // A strong pseudoprime to every base up to 23 (Jaeschke): the old import check
        // accepted it.
        assert_eq!(mr_all(&[3_825_123_056_546_413_051]), 1);
    }

    #[test]
    fn fermat_base_two() {
        for (w, want) in [
            (65537u64, 1),
            (0xffff_ffff_ffff_ffc5, 1),
            (65539 * 65543, 0),
            (341, 1), // the smallest base-2 Fermat pseudoprime
        ] {
            let ctx = Monty::new(alloc::vec![w]).unwrap();
            assert_eq!(fermat2(&ctx, &[w]), want, "{w}");
        }
        // 2^127 − 1 with `new_large` (top limb ≥ 2^62).
        let w = alloc::vec![u64::MAX, (1 << 63) - 1];
        let ctx = Monty::new_large(w.clone()).unwrap();
        let slow = Monty::new(w.clone()).unwrap();
        assert_eq!(ctx.one, slow.one);
        assert_eq!(ctx.r2, slow.r2);
        assert_eq!(fermat2(&ctx, &w), 1);
    }

    /// The rounds of [`rounds_for_random`] against the Damgård–Landrock–Pomerance bound,
    /// recomputed in floating point: the count is enough, and one fewer is not.
    #[test]
    fn average_case_rounds() {
        fn log2_bound(k: f64, t: f64) -> f64 {
            1.5 * k.log2() + t - 0.5 * t.log2() + 2.0 * (2.0 - (t * k).sqrt())
        }
        for k in [1024usize, 1536, 2048] {
            let t = rounds_for_random(k);
            assert!(t >= 3 && (t as f64) <= k as f64 / 9.0);
            assert!(log2_bound(k as f64, t as f64) <= -129.0, "k = {k}, t = {t}");
            if t > 3 {
                assert!(log2_bound(k as f64, (t - 1) as f64) > -129.0, "k = {k}");
            }
        }
    }
}
