//! Prime generation and primality testing for Paillier keys, constant-time on the primes
//! that are kept.
//!
//! Candidates are drawn **fresh** from the RNG each time (no incremental search), so a
//! rejected candidate says nothing about the prime finally kept; the verdict on each
//! candidate ("has a small factor", "failed a Miller–Rabin round") is declassified with
//! [`crate::ct::declassify`] and the candidate discarded (DESIGN §9). The arithmetic on a
//! candidate — residues modulo small primes (multiplication by a reciprocal, no `%`),
//! the Montgomery context, the Miller–Rabin exponentiations and comparisons — is
//! constant-time, so the prime that is kept went through the same code paths as any other.
//!
//! Primality: a sieve by the odd primes below 4096, then Miller–Rabin with uniformly random
//! bases. Rounds: [`MR_ROUNDS_GENERATE`] = 64, so that even the worst-case bound of
//! Rabin (1980) — a composite passes one round with probability at most 1/4, whatever
//! its distribution — gives at most 2⁻¹²⁸; the cost falls on the accepted primes only (a
//! composite almost always fails its first round). This is more than FIPS 186-5
//! Appendix B.3 asks for random candidates of these sizes. No Lucas test.
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

use alloc::vec;
use alloc::vec::Vec;
use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use super::KeyGenProgress;
use crate::bigint::Monty;
use crate::bigint::limbs::{self, eq_bit, is_zero_bit, mask_from_bit, select_assign};
use crate::ct;

/// Miller–Rabin rounds (random bases) for generated primes: 4⁻⁶⁴ = 2⁻¹²⁸ worst case.
pub(crate) const MR_ROUNDS_GENERATE: usize = 64;

/// Fixed Miller–Rabin bases for imported primes (`from_primes`): a check against
/// accidents (a wrong file, a typo), not against composites built to pass these bases.
pub(crate) const MR_BASES_IMPORT: [u64; 8] = [2, 3, 5, 7, 11, 13, 17, 19];

/// Odd primes below 4096, computed at compile time.
const SMALL_PRIMES: [u16; 563] = small_primes();

const fn small_primes() -> [u16; 563] {
    let mut out = [0u16; 563];
    let mut count = 0;
    let mut n = 3u32;
    while n < 4096 {
        let mut d = 3u32;
        let mut prime = true;
        while d * d <= n {
            if n.is_multiple_of(d) {
                prime = false;
                break;
            }
            d += 2;
        }
        if prime {
            out[count] = n as u16;
            count += 1;
        }
        n += 2;
    }
    assert!(count == 563);
    out
}

/// x mod s for a secret `x`, public small prime s < 4096, without division: 16-bit chunks
/// from the top, each step reducing v = r·2¹⁶ + chunk < 2²⁸ by a Barrett quotient with
/// μ = ⌊2³²/s⌋ (the estimate is low by at most 2, fixed by two masked subtractions).
fn residue(x: &[u64], s: u64) -> u64 {
    let mu = (1u64 << 32) / s; // s is public
    let mut r = 0u64;
    for &limb in x.iter().rev() {
        for c in (0..4).rev() {
            let v = (r << 16) | ((limb >> (16 * c)) & 0xffff);
            let q = (v * mu) >> 32;
            let mut t = v - q * s;
            for _ in 0..2 {
                let ge = ((t.wrapping_sub(s)) >> 63) ^ 1; // t ≥ s (t < 3s < 2^63)
                t -= s & mask_from_bit(ge);
            }
            r = t;
        }
    }
    r
}

/// 1 if `x` (odd, large) has no factor among the small primes; for `safe`, also 2x + 1.
fn sieve_bit(x: &[u64], safe: bool) -> u64 {
    let mut ok = 1u64;
    for &s in SMALL_PRIMES.iter() {
        let s = s as u64;
        let r = residue(x, s);
        ok &= is_zero_bit(r) ^ 1;
        if safe {
            // 2x + 1 ≡ 0 (mod s) ⇔ 2r + 1 ∈ {s, 2s}... with r < s: 2r + 1 = s.
            ok &= is_zero_bit((2 * r + 1) ^ s) ^ 1;
        }
    }
    ok
}

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

/// Random odd `bits`-bit value with its top two bits set (so that the product of two
/// such has exactly 2·bits bits), `bits` a multiple of 64.
fn random_candidate<R: CryptoRng + ?Sized>(rng: &mut R, bits: usize) -> Zeroizing<Vec<u64>> {
    let k = bits / 64;
    let mut bytes = Zeroizing::new(vec![0u8; 8 * k]);
    rng.fill_bytes(&mut bytes);
    let mut x = Zeroizing::new(vec![0u64; k]);
    for (limb, chunk) in x.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *limb = u64::from_le_bytes(b);
        b.zeroize();
    }
    x[k - 1] |= 0b11 << 62;
    x[0] |= 1;
    x
}

/// Miller–Rabin with `rounds` uniformly random bases; declassifies each round's verdict
/// and stops at the first failure (the candidate is then discarded).
fn probably_prime<R: CryptoRng + ?Sized>(rng: &mut R, w: &[u64], rounds: usize) -> bool {
    let k = w.len();
    let Some(ctx) = Monty::new(w.to_vec()) else {
        return false;
    };
    let mut wm1 = Zeroizing::new(w.to_vec());
    let _ = limbs::sub_assign(&mut wm1, &[1]);
    for _ in 0..rounds {
        let mut raw = Zeroizing::new(vec![0u8; 8 * k]);
        rng.fill_bytes(&mut raw);
        let a = Zeroizing::new(limbs::from_be_bytes(&raw, k).unwrap_or_default());
        // a·R mod w: the Montgomery form of a mod w, a uniformly random base.
        let base = Zeroizing::new(ctx.to_mont(&a));
        if !ct::declassify_choice(subtle::Choice::from(
            miller_rabin_round(&ctx, &wm1, &base) as u8
        )) {
            return false;
        }
    }
    true
}

/// Miller–Rabin with the fixed bases [`MR_BASES_IMPORT`] (constant-time; one verdict).
pub(crate) fn passes_fixed_bases(ctx: &Monty, w: &[u64]) -> u64 {
    let k = w.len();
    let mut wm1 = Zeroizing::new(w.to_vec());
    let _ = limbs::sub_assign(&mut wm1, &[1]);
    let mut ok = 1;
    for b in MR_BASES_IMPORT {
        let mut a = vec![0u64; k];
        a[0] = b;
        let base = ctx.to_mont(&a);
        ok &= miller_rabin_round(ctx, &wm1, &base);
    }
    ok
}

/// A random prime of exactly `bits` bits (top two bits set); with `safe`, a safe prime
/// p = 2p' + 1 with p' prime too. `index` (0 or 1) is passed to the progress callback.
pub(crate) fn random_prime<R: CryptoRng + ?Sized>(
    rng: &mut R,
    bits: usize,
    safe: bool,
    index: u8,
    progress: &mut dyn FnMut(KeyGenProgress),
) -> Zeroizing<Vec<u64>> {
    let mut candidates = 0u64;
    loop {
        candidates += 1;
        progress(KeyGenProgress::Candidate {
            prime: index,
            candidates,
        });
        let p = if safe {
            // p' of bits − 1 bits with its top two bits set gives p = 2p' + 1 with its
            // top two bits set. Draw `bits` bits and shift right by one.
            let mut pp = random_candidate(rng, bits);
            let mut carry = 0;
            for limb in pp.iter_mut().rev() {
                let low = *limb & 1;
                *limb = (*limb >> 1) | (carry << 63);
                carry = low;
            }
            let k = pp.len();
            pp[k - 1] |= 0b11 << 61;
            pp[0] |= 1;
            if !ct::declassify_choice(subtle::Choice::from(sieve_bit(&pp, true) as u8)) {
                continue;
            }
            // p = 2p' + 1.
            let mut p = Zeroizing::new(pp.to_vec());
            let mut carry = 0;
            for limb in p.iter_mut() {
                let top = *limb >> 63;
                *limb = (*limb << 1) | carry;
                carry = top;
            }
            p[0] |= 1;
            if !probably_prime(rng, &pp, 1) || !probably_prime(rng, &p, 1) {
                continue;
            }
            if !probably_prime(rng, &pp, MR_ROUNDS_GENERATE - 1)
                || !probably_prime(rng, &p, MR_ROUNDS_GENERATE - 1)
            {
                continue;
            }
            p
        } else {
            let p = random_candidate(rng, bits);
            if !ct::declassify_choice(subtle::Choice::from(sieve_bit(&p, false) as u8)) {
                continue;
            }
            if !probably_prime(rng, &p, MR_ROUNDS_GENERATE) {
                continue;
            }
            p
        };
        progress(KeyGenProgress::PrimeFound {
            prime: index,
            candidates,
        });
        return p;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residues_match_remainder() {
        let x = [
            0x1234_5678_9abc_def1u64,
            0xfedc_ba98_7654_3210,
            0xffff_ffff_ffff_ffff,
        ];
        for &s in SMALL_PRIMES.iter() {
            let want = ((((x[2] as u128 % s as u128) << 64 | x[1] as u128) % s as u128) << 64
                | x[0] as u128)
                % s as u128;
            assert_eq!(residue(&x, s as u64), want as u64, "s = {s}");
        }
    }

    fn mr_all(w: &[u64]) -> u64 {
        let ctx = Monty::new(w.to_vec()).unwrap();
        passes_fixed_bases(&ctx, w)
    }

    #[test]
    fn miller_rabin_known_values() {
        // Primes with various 2-adic valuations of p − 1.
        for p in [
            3u64,
            5,
            17,
            97,
            65537,
            (1u64 << 61) - 1,
            0xffff_ffff_0000_0001,
            0xffff_ffff_ffff_ffc5,
        ] {
            if p <= 19 {
                continue; // bases must be below w
            }
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
    }
}
