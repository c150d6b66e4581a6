//! Compile-time construction of the fixed-base tables.
//!
//! The tables are computed by `const fn` so that a `no_std` build needs no run-time
//! initialisation. fiat-crypto's functions are `const fn` too, but the const evaluator
//! interprets their hundreds of small calls per multiplication slowly (measured: ≈1 ms per
//! P-256 multiplication, several minutes for the tables). This module therefore carries a
//! second, deliberately plain implementation used only by the compiler:
//!
//! - Montgomery multiplication in the CIOS form (Koç, Acar, Kaliski, "Analyzing and
//!   comparing Montgomery multiplication algorithms", IEEE Micro 1996) over `N` limbs,
//!   with the same `R = 2^(64·N)` as fiat-crypto and a final conditional subtraction, so
//!   results are fully reduced and bit-identical to fiat's representation;
//! - Jacobian coordinates with the `a = −3` doubling `dbl-2001-b` and the mixed addition
//!   `madd-2007-bl` of the Explicit-Formulas Database (Bernstein–Lange). These formulas
//!   are *not* complete; the table builders only add `j·B + B` for `2 ≤ j < 2^(W−1)` and
//!   double non-identity points, far from the exceptional cases `P = ±B` (the group
//!   order is ~2^256).
//!
//! Nothing here runs on secrets (the base point is public) and nothing here runs at run
//! time except in the tests, which rebuild the tables natively and compare them with
//! points computed by the fiat-based complete formulas.

use crate::ec::arith::field::{adc_limbs, inv_mod_2_64, sbb_limbs};

/// A Montgomery modulus: `m`, `−m⁻¹ mod 2^64`, `R mod m` and `R³ mod m`.
#[derive(Clone, Copy)]
pub(crate) struct ConstModulus<const N: usize> {
    m: [u64; N],
    m_inv: u64,
    one: [u64; N],
    r_cubed: [u64; N],
}

/// An affine point as raw Montgomery limbs `(x, y)`.
pub(crate) type RawAffine<const N: usize> = ([u64; N], [u64; N]);

/// A Jacobian point `(X, Y, Z)`, `x = X/Z²`, `y = Y/Z³`.
type Jacobian<const N: usize> = ([u64; N], [u64; N], [u64; N]);

impl<const N: usize> ConstModulus<N> {
    /// From the modulus limbs (odd, top limb non-zero).
    pub(crate) const fn new(m: [u64; N]) -> Self {
        let inv = inv_mod_2_64(m[0]);
        // R mod m = 2^(64N) − m (as m > 2^(64N−1)).
        let mut one = [0u64; N];
        let mut borrow = 0u64;
        let mut i = 0;
        while i < N {
            let d = 0u128.wrapping_sub(m[i] as u128 + borrow as u128);
            one[i] = d as u64;
            borrow = ((d >> 64) as u64) & 1;
            i += 1;
        }
        assert!(m[N - 1] >> 63 == 1);
        let mut this = Self {
            m,
            m_inv: inv.wrapping_neg(),
            one,
            r_cubed: [0; N],
        };
        // R² mod m by doubling R mod m 64·N times; then R³ = R²·R²/R.
        let mut r2 = one;
        let mut i = 0;
        while i < 64 * N {
            r2 = this.add(&r2, &r2);
            i += 1;
        }
        this.r_cubed = this.mul(&r2, &r2);
        this
    }

    /// `a·b·R⁻¹ mod m`, inputs below m, output below m.
    const fn mul(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        // t has N + 2 limbs; after each outer step t < 2m.
        let mut t = [0u64; 8];
        let mut i = 0;
        while i < N {
            // t += a · b[i]
            let mut carry = 0u128;
            let mut j = 0;
            while j < N {
                let s = t[j] as u128 + (a[j] as u128) * (b[i] as u128) + carry;
                t[j] = s as u64;
                carry = s >> 64;
                j += 1;
            }
            let s = t[N] as u128 + carry;
            t[N] = s as u64;
            t[N + 1] = (s >> 64) as u64;
            // t = (t + q·m) / 2^64 with q chosen so the low limb vanishes
            let q = t[0].wrapping_mul(self.m_inv);
            let s = t[0] as u128 + (q as u128) * (self.m[0] as u128);
            let mut carry = s >> 64;
            let mut j = 1;
            while j < N {
                let s = t[j] as u128 + (q as u128) * (self.m[j] as u128) + carry;
                t[j - 1] = s as u64;
                carry = s >> 64;
                j += 1;
            }
            let s = t[N] as u128 + carry;
            t[N - 1] = s as u64;
            t[N] = t[N + 1] + (s >> 64) as u64;
            i += 1;
        }
        let mut out = [0u64; N];
        let mut j = 0;
        while j < N {
            out[j] = t[j];
            j += 1;
        }
        self.reduce_once(out, t[N])
    }

    /// `v + hi·2^(64N)` (below 2m) reduced below m.
    const fn reduce_once(&self, v: [u64; N], hi: u64) -> [u64; N] {
        let mut d = [0u64; N];
        let mut borrow = 0u64;
        let mut i = 0;
        while i < N {
            let s = (v[i] as u128).wrapping_sub(self.m[i] as u128 + borrow as u128);
            d[i] = s as u64;
            borrow = ((s >> 64) as u64) & 1;
            i += 1;
        }
        // v − m is negative only if there was no high limb and the subtraction borrowed.
        if hi == 0 && borrow == 1 { v } else { d }
    }

    const fn add(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let (s, carry) = adc_limbs(a, b);
        self.reduce_once(s, carry)
    }

    const fn sub(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let (d, borrow) = sbb_limbs(a, b);
        if borrow == 0 {
            return d;
        }
        // Negative: add m back.
        adc_limbs(&d, &self.m).0
    }

    const fn sqr(&self, a: &[u64; N]) -> [u64; N] {
        self.mul(a, a)
    }

    /// The inverse of a Montgomery-form element (limbs `x·R`, not 0), as limbs `x⁻¹·R`.
    ///
    /// The binary extended Euclidean algorithm (Menezes–van Oorschot–Vanstone, *Handbook
    /// of Applied Cryptography*, Alg. 14.61 in its modular form) on the raw integer gives
    /// `(x·R)⁻¹ mod m`; a Montgomery multiplication by `R³` turns that into `x⁻¹·R`.
    /// Variable-time, which is fine here: it only ever sees the public base point's
    /// multiples, at compile time. (It replaces Fermat's `a^(m−2)`, which cost as much as
    /// a whole table row under the const evaluator.)
    const fn invert(&self, a: &[u64; N]) -> [u64; N] {
        assert!(!is_zero(a));
        // Invariants: x1·a ≡ u and x2·a ≡ v (mod m).
        let (mut u, mut v) = (*a, self.m);
        let (mut x1, mut x2) = ([0u64; N], [0u64; N]);
        x1[0] = 1;
        while !is_one(&u) && !is_one(&v) {
            while u[0] & 1 == 0 {
                u = shr1(&u, 0);
                x1 = self.half(&x1);
            }
            while v[0] & 1 == 0 {
                v = shr1(&v, 0);
                x2 = self.half(&x2);
            }
            let (d, borrow) = sbb_limbs(&u, &v);
            if borrow == 0 {
                u = d;
                x1 = self.sub(&x1, &x2);
            } else {
                v = sbb_limbs(&v, &u).0;
                x2 = self.sub(&x2, &x1);
            }
        }
        let inv = if is_one(&u) { x1 } else { x2 };
        self.mul(&inv, &self.r_cubed)
    }

    /// `x/2 mod m` for `x < m`.
    const fn half(&self, x: &[u64; N]) -> [u64; N] {
        if x[0] & 1 == 0 {
            shr1(x, 0)
        } else {
            let (s, carry) = adc_limbs(x, &self.m);
            shr1(&s, carry)
        }
    }

    /// dbl-2001-b (a = −3): 3M + 5S.
    const fn double(&self, p: &Jacobian<N>) -> Jacobian<N> {
        let (x, y, z) = p;
        let delta = self.sqr(z);
        let gamma = self.sqr(y);
        let beta = self.mul(x, &gamma);
        let t = self.mul(&self.sub(x, &delta), &self.add(x, &delta));
        let alpha = self.add(&self.add(&t, &t), &t);
        let beta4 = self.add(&self.add(&beta, &beta), &self.add(&beta, &beta));
        let x3 = self.sub(&self.sqr(&alpha), &self.add(&beta4, &beta4));
        let z3 = self.sub(&self.sub(&self.sqr(&self.add(y, z)), &gamma), &delta);
        let g2 = self.sqr(&gamma);
        let g2x2 = self.add(&g2, &g2);
        let g2x4 = self.add(&g2x2, &g2x2);
        let g2x8 = self.add(&g2x4, &g2x4);
        let y3 = self.sub(&self.mul(&alpha, &self.sub(&beta4, &x3)), &g2x8);
        (x3, y3, z3)
    }

    /// madd-2007-bl: 7M + 4S. Requires `p ≠ ±q` and `p` not the identity.
    const fn add_affine(&self, p: &Jacobian<N>, q: &RawAffine<N>) -> Jacobian<N> {
        let (x1, y1, z1) = p;
        let (x2, y2) = q;
        let z1z1 = self.sqr(z1);
        let u2 = self.mul(x2, &z1z1);
        let s2 = self.mul(y2, &self.mul(z1, &z1z1));
        let h = self.sub(&u2, x1);
        let hh = self.sqr(&h);
        let i = self.add(&self.add(&hh, &hh), &self.add(&hh, &hh));
        let j = self.mul(&h, &i);
        let r = {
            let d = self.sub(&s2, y1);
            self.add(&d, &d)
        };
        let v = self.mul(x1, &i);
        let x3 = self.sub(&self.sub(&self.sqr(&r), &j), &self.add(&v, &v));
        let y1j = self.mul(y1, &j);
        let y3 = self.sub(&self.mul(&r, &self.sub(&v, &x3)), &self.add(&y1j, &y1j));
        let z3 = self.sub(&self.sub(&self.sqr(&self.add(z1, &h)), &z1z1), &hh);
        (x3, y3, z3)
    }

    /// Affine forms of Jacobian points (none the identity) with one inversion.
    const fn batch_to_affine<const E: usize>(&self, pts: &[Jacobian<N>; E]) -> [RawAffine<N>; E] {
        let mut prefix = [[0u64; N]; E];
        let mut acc = self.one;
        let mut i = 0;
        while i < E {
            acc = self.mul(&acc, &pts[i].2);
            prefix[i] = acc;
            i += 1;
        }
        let mut inv = self.invert(&acc);
        let mut out = [([0u64; N], [0u64; N]); E];
        let mut i = E;
        while i > 0 {
            i -= 1;
            let zinv = if i == 0 {
                inv
            } else {
                self.mul(&inv, &prefix[i - 1])
            };
            inv = self.mul(&inv, &pts[i].2);
            let zinv2 = self.sqr(&zinv);
            let zinv3 = self.mul(&zinv2, &zinv);
            out[i] = (self.mul(&pts[i].0, &zinv2), self.mul(&pts[i].1, &zinv3));
        }
        out
    }

    /// `[2^(w·i)·g for i in 0..WINDOWS]`, affine.
    pub(crate) const fn window_bases<const WINDOWS: usize>(
        &self,
        g: &RawAffine<N>,
        w: u32,
    ) -> [RawAffine<N>; WINDOWS] {
        let mut pts = [(self.one, self.one, self.one); WINDOWS];
        let mut p = (g.0, g.1, self.one);
        let mut i = 0;
        while i < WINDOWS {
            pts[i] = p;
            let mut k = 0;
            while k < w {
                p = self.double(&p);
                k += 1;
            }
            i += 1;
        }
        self.batch_to_affine(&pts)
    }

    /// `[(j + 1)·b for j in 0..E]`, affine (E ≥ 2).
    pub(crate) const fn multiples<const E: usize>(&self, b: &RawAffine<N>) -> [RawAffine<N>; E] {
        let mut pts = [(self.one, self.one, self.one); E];
        pts[0] = (b.0, b.1, self.one);
        pts[1] = self.double(&pts[0]);
        let mut j = 2;
        while j < E {
            pts[j] = self.add_affine(&pts[j - 1], b);
            j += 1;
        }
        self.batch_to_affine(&pts)
    }

    /// `[(2j + 1)·g for j in 0..E]`, affine (E ≥ 2).
    pub(crate) const fn odd_multiples<const E: usize>(
        &self,
        g: &RawAffine<N>,
    ) -> [RawAffine<N>; E] {
        let g2 = self.batch_to_affine(&[self.double(&(g.0, g.1, self.one))])[0];
        let mut pts = [(self.one, self.one, self.one); E];
        pts[0] = (g.0, g.1, self.one);
        let mut j = 1;
        while j < E {
            pts[j] = self.add_affine(&pts[j - 1], &g2);
            j += 1;
        }
        self.batch_to_affine(&pts)
    }
}

/// `(top·2^(64N) + x) >> 1`.
const fn shr1<const N: usize>(x: &[u64; N], top: u64) -> [u64; N] {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        let hi = if i + 1 < N { x[i + 1] } else { top };
        out[i] = (x[i] >> 1) | (hi << 63);
        i += 1;
    }
    out
}

const fn is_one<const N: usize>(x: &[u64; N]) -> bool {
    let mut acc = x[0] ^ 1;
    let mut i = 1;
    while i < N {
        acc |= x[i];
        i += 1;
    }
    acc == 0
}

const fn is_zero<const N: usize>(x: &[u64; N]) -> bool {
    let mut acc = 0;
    let mut i = 0;
    while i < N {
        acc |= x[i];
        i += 1;
    }
    acc == 0
}
