//! P-256 point formulas written directly on the BMI2/ADX field code of [`super::p256`],
//! for the variable-base k·P (`p256::mul_jacobian`), which checks for BMI2/ADX once and then
//! runs 51 runs of five doublings and 51 mixed additions through these two functions.
//!
//! Why a second copy of the formulas of `ec::arith::jacobian`: there, every field
//! operation goes through the run-time switch of `p256::field` (a load of the cached CPUID
//! answer, a branch, and an out-of-line portable fallback on the cold side). Each switch is
//! cheap alone, but a doubling has 8 multiplications and ~15 additions, and the cold
//! calls at every one of them constrain LLVM's register allocation and code layout
//! around the hot path. Here the check is made once per k·P (the [`Adx`] token is the
//! proof) and the formulas are straight-line assembly blocks that LLVM schedules freely.
//!
//! The formulas (points `(X : Y : Z)` = `(X/Z², Y/Z³)`, a = −3), both constant-time and
//! branch-free:
//! - doubling, 4M + 4S: the a = −3 doubling in the arrangement of Gueron–Krasnov (J.
//!   Cryptogr. Eng. 2015, the "nistz256" code of OpenSSL and BoringSSL): with `S = (2Y)²`,
//!   `M = 3·(X − Z²)·(X + Z²)`, `X3 = M² − 2·S·X`, `Y3 = M·(S·X − X3) − S²/2`,
//!   `Z3 = 2·Y·Z`. It is dbl-2001-b (`jacobian.rs`) with `4β = S·X` and `8γ² = S²/2`,
//!   and `Z3` as one product instead of `(Y + Z)² − Y² − Z²`: one squaring becomes a
//!   multiplication (the same cost here) and it needs ten additions, subtractions and
//!   halvings instead of fifteen. Exact for every point but the identity (no point of
//!   P-256 has y = 0), which it maps to a triple with Z = 0.
//! - mixed addition, madd-2004-hmv (8M + 3S), exactly as
//!   `JacobianPoint::add_affine_incomplete`, and incomplete in the same way: the caller
//!   must rule out `self` = identity and `self = ±q` (see the proof in `mul.rs`).
//!
//! Tested through `p256::mul_jacobian` against the complete formulas
//! (`tests::p256_var_mul_matches_complete`, the exceptional-case scalars included) and by
//! `tests::p256_adx_point_formulas_match_generic` against the generic formulas.

use super::Adx;
use super::p256::{add, half, mont_mul_rb, mont_square, sub};

/// A field element as Montgomery limbs below p.
type Fe = [u64; 4];

impl Adx {
    /// `2^n·(X : Y : Z)` by n doublings of the module docs, on Montgomery limbs.
    ///
    /// Between doublings the point is carried as `(X, W = 2Y, Z)`: then `S = W²`,
    /// `Z3 = W·Z` and `W3 = 2·Y3 = 2M·(S·X − X3) − S²`, which drops the additions `2Y`
    /// and `2·(Y·Z)` and the halving `S²/2` of every doubling for one addition `2M` (off
    /// the critical path), and takes one addition off the chain that runs from one
    /// doubling's Y to the next one's. One addition before the run and one halving after
    /// it convert.
    #[inline(always)]
    pub(crate) fn p256_double_n(self, p: &[Fe; 3], n: usize) -> [Fe; 3] {
        let [mut x, y, mut z] = *p;
        let mut w = add(&y, &y);
        for _ in 0..n {
            [x, w, z] = self.p256_double_w(&[x, w, z]);
        }
        [x, half(&w), z]
    }

    /// One doubling in the `(X, W = 2Y, Z)` form of [`Self::p256_double_n`].
    #[inline(always)]
    fn p256_double_w(self, p: &[Fe; 3]) -> [Fe; 3] {
        let [x, w, z] = p;
        // SAFETY (each `unsafe` below): `self` exists only if `adx()` found BMI2 and ADX.
        // Source order = issue order: the W chain (W → S → S·X → X3 → W3) is the longest
        // from one doubling to the next, so it starts first; S², W·Z sit where the
        // chains wait.
        let s = unsafe { mont_square(w) }; // S = 4Y²
        let zz = unsafe { mont_square(z) }; // Z²
        let xm = sub(x, &zz); // X − Z²
        let xp = add(x, &zz); // X + Z²
        let sx = unsafe { mont_mul_rb(x, &s) }; // 4XY²
        let t = unsafe { mont_mul_rb(&xp, &xm) }; // X² − Z⁴
        let s4 = unsafe { mont_square(&s) }; // 16Y⁴ = 2·8Y⁴
        let sx2 = add(&sx, &sx); // 8XY²
        let m = add(&add(&t, &t), &t); // M = 3(X² − Z⁴)
        let mm = unsafe { mont_square(&m) };
        let m2 = add(&m, &m); // 2M
        let z3 = unsafe { mont_mul_rb(z, w) }; // 2YZ
        let x3 = sub(&mm, &sx2);
        let w3 = sub(&unsafe { mont_mul_rb(&m2, &sub(&sx, &x3)) }, &s4); // 2·Y3
        [x3, w3, z3]
    }

    /// `(X1 : Y1 : Z1) + (x2, y2)` by madd-2004-hmv (8M + 3S), incomplete: the same
    /// contract as `JacobianPoint::add_affine_incomplete` (not the identity, not `±q`).
    #[inline(always)]
    pub(crate) fn p256_add_affine_incomplete(self, p: &[Fe; 3], q: &[Fe; 2]) -> [Fe; 3] {
        let [x1, y1, z1] = p;
        let [x2, y2] = q;
        // SAFETY (each `unsafe` below): as in `p256_double`.
        let z1z1 = unsafe { mont_square(z1) };
        let u2 = unsafe { mont_mul_rb(x2, &z1z1) };
        let z1c = unsafe { mont_mul_rb(z1, &z1z1) };
        let s2 = unsafe { mont_mul_rb(y2, &z1c) };
        let h = sub(&u2, x1);
        let r = sub(&s2, y1);
        let z3 = unsafe { mont_mul_rb(z1, &h) };
        let hh = unsafe { mont_square(&h) };
        let rr = unsafe { mont_square(&r) };
        let hhh = unsafe { mont_mul_rb(&h, &hh) };
        let v = unsafe { mont_mul_rb(x1, &hh) };
        let y1h = unsafe { mont_mul_rb(y1, &hhh) };
        let v2 = add(&v, &v);
        let x3 = sub(&sub(&rr, &hhh), &v2);
        let y3 = sub(&unsafe { mont_mul_rb(&r, &sub(&v, &x3)) }, &y1h);
        [x3, y3, z3]
    }
}
