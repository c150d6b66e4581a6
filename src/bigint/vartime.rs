//! Variable-time algorithms for **public** values only (ciphertexts, public moduli):
//! binary extended GCD for modular inversion and coprimality tests. Their running time
//! depends on the values; never call them with a secret.
#![deny(unsafe_code)]

use alloc::vec::Vec;

use super::limbs::{add_assign, lt_bit, sub_assign};

fn is_zero(a: &[u64]) -> bool {
    a.iter().all(|&x| x == 0)
}

fn is_one(a: &[u64]) -> bool {
    a.first() == Some(&1) && a.iter().skip(1).all(|&x| x == 0)
}

fn shr1(a: &mut [u64], top: u64) {
    let mut carry = top;
    for x in a.iter_mut().rev() {
        let low = *x & 1;
        *x = (*x >> 1) | (carry << 63);
        carry = low;
    }
}

/// x/2 mod m for odd m (x < m).
fn half_mod(x: &mut [u64], m: &[u64]) {
    if x[0] & 1 == 1 {
        let c = add_assign(x, m);
        shr1(x, c);
    } else {
        shr1(x, 0);
    }
}

/// (x − y) mod m for x, y < m.
fn sub_mod(x: &mut [u64], y: &[u64], m: &[u64]) {
    if sub_assign(x, y) != 0 {
        let _ = add_assign(x, m);
    }
}

/// a⁻¹ mod m for odd m and public a < m (same limb count), or `None` if gcd(a, m) ≠ 1.
/// Binary extended Euclid (variable-time).
pub(crate) fn inv_mod_vartime(a: &[u64], m: &[u64]) -> Option<Vec<u64>> {
    debug_assert_eq!(a.len(), m.len());
    let k = m.len();
    let mut u = a.to_vec();
    let mut v = m.to_vec();
    let mut x1 = alloc::vec![0u64; k];
    x1[0] = 1;
    let mut x2 = alloc::vec![0u64; k];
    loop {
        if is_zero(&u) {
            break;
        }
        while u[0] & 1 == 0 {
            shr1(&mut u, 0);
            half_mod(&mut x1, m);
        }
        while v[0] & 1 == 0 {
            shr1(&mut v, 0);
            half_mod(&mut x2, m);
        }
        if lt_bit(&u, &v) == 0 {
            let _ = sub_assign(&mut u, &v);
            sub_mod(&mut x1, &x2, m);
        } else {
            let _ = sub_assign(&mut v, &u);
            sub_mod(&mut x2, &x1, m);
        }
    }
    is_one(&v).then_some(x2)
}

/// Whether gcd(a, m) = 1 for odd m and public a < m (same limb count).
///
/// A binary GCD driven by 64-bit approximations, 31 steps at a time (T. Pornin,
/// "Optimized Binary GCD for Modular Inversion", eprint 2020/972, here variable-time and
/// without Bézout coefficients): the 31 steps run on one word holding the top 33 and the
/// low 31 bits of each value, then one linear combination (f·a + g·b)/2³¹ updates the
/// whole numbers. It keeps b odd and the gcd unchanged (the combination's matrix has
/// determinant ±2³¹ and the gcd is odd); a wrong comparison on the approximations only makes
/// a value negative, which is then negated. About 15× faster than the bit-at-a-time
/// extended Euclid at 2048 bits (it is what checks that every received Paillier ciphertext
/// is a unit). Should the approximation ever fail to make progress, the bit-at-a-time
/// algorithm answers instead.
pub(crate) fn coprime_vartime(a: &[u64], m: &[u64]) -> bool {
    debug_assert_eq!(a.len(), m.len());
    debug_assert!(m.first().is_some_and(|w| w & 1 == 1));
    let k = m.len();
    if k == 0 {
        return false;
    }
    let (a0, mut a, mut b) = (a, a.to_vec(), m.to_vec());
    let (mut na, mut nb) = (alloc::vec![0u64; k], alloc::vec![0u64; k]);
    // Each round removes about 31 bits from len(a) + len(b) ≤ 128·k; twice that is ample.
    for _ in 0..(256 * k) / 31 + 64 {
        let n = bit_len(&a).max(bit_len(&b));
        if n <= 64 {
            return gcd_u64(a[0], b[0]) == 1;
        }
        let (xa0, xb0) = (approx(&a, n), approx(&b, n));
        let (mut xa, mut xb) = (xa0, xb0);
        let (mut f0, mut g0, mut f1, mut g1) = (1i64, 0i64, 0i64, 1i64);
        for _ in 0..31 {
            if xa & 1 == 1 {
                if xa < xb {
                    core::mem::swap(&mut xa, &mut xb);
                    core::mem::swap(&mut f0, &mut f1);
                    core::mem::swap(&mut g0, &mut g1);
                }
                xa -= xb;
                f0 -= f1;
                g0 -= g1;
            }
            xa >>= 1;
            f1 <<= 1;
            g1 <<= 1;
        }
        if !comb_shr31(&a, &b, f0, g0, &mut na) || !comb_shr31(&a, &b, f1, g1, &mut nb) {
            break;
        }
        core::mem::swap(&mut a, &mut na);
        core::mem::swap(&mut b, &mut nb);
        if is_zero(&a) {
            return is_one(&b);
        }
    }
    // Not reached for any input tried; kept so that the answer never depends on it.
    inv_mod_vartime(a0, m).is_some()
}

fn bit_len(a: &[u64]) -> usize {
    a.iter()
        .rposition(|&w| w != 0)
        .map_or(0, |i| 64 * i + 64 - a[i].leading_zeros() as usize)
}

/// The top 33 bits of the n-bit window of `a` (n ≥ 65), then its low 31 bits, in one word.
fn approx(a: &[u64], n: usize) -> u64 {
    let s = n - 64;
    let (i, sh) = (s / 64, s % 64);
    let mut w = a[i] >> sh;
    if sh != 0 && i + 1 < a.len() {
        w |= a[i + 1] << (64 - sh);
    }
    (w & !0x7fff_ffff) | (a[0] & 0x7fff_ffff)
}

/// |f·a + g·b| / 2³¹ into `out` (|f|, |g| ≤ 2³¹); `false` if the division is not exact or
/// the result does not fit (neither happens when the factors come from the 31 steps).
fn comb_shr31(a: &[u64], b: &[u64], f: i64, g: i64, out: &mut [u64]) -> bool {
    let k = a.len();
    let mut carry: i128 = 0;
    for i in 0..k {
        let t = i128::from(a[i]) * i128::from(f) + i128::from(b[i]) * i128::from(g) + carry;
        out[i] = t as u64;
        carry = t >> 64;
    }
    let mut top = carry as i64 as u64;
    if (carry as i64) < 0 {
        // Two's complement negation of the (k + 1)-word value.
        let mut c = 1u64;
        for w in out.iter_mut() {
            let (v, o) = (!*w).overflowing_add(c);
            *w = v;
            c = u64::from(o);
        }
        top = (!top).wrapping_add(c);
    }
    if out[0] & 0x7fff_ffff != 0 || top >> 31 != 0 {
        return false;
    }
    for i in 0..k {
        let hi = if i + 1 < k { out[i + 1] } else { top };
        out[i] = (out[i] >> 31) | (hi << 33);
    }
    true
}

fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    while a != 0 {
        let t = b % a;
        b = a;
        a = t;
    }
    b
}
