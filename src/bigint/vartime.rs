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

/// Whether gcd(a, m) = 1 for odd m and public a < m.
pub(crate) fn coprime_vartime(a: &[u64], m: &[u64]) -> bool {
    inv_mod_vartime(a, m).is_some()
}
