//! Jacobian arithmetic: the variable-time formulas of signature verification (public
//! inputs only) and one branch-free, incomplete mixed addition for the fixed-base comb.
//!
//! A point `(X : Y : Z)` stands for `(X/Z², Y/Z³)`; `Z = 0` is the identity. The formulas
//! are the cheapest `a = −3` ones of the Explicit-Formulas Database (Bernstein–Lange):
//! `dbl-2001-b` (3M + 5S), `add-2007-bl` (11M + 5S), `madd-2007-bl` (7M + 4S) and
//! `madd-2004-hmv` (8M + 3S). None is complete: each fails for an identity operand, for
//! `P = Q` (which needs the doubling) and for `P = −Q` (whose sum is the identity).
//!
//! - The `_vartime` functions test for those inputs with branches. That is only acceptable
//!   because the values are public.
//! - `JacobianPoint::add_affine_incomplete` has no branch and no
//!   test: on an exceptional input it returns garbage. Its one caller, the fixed-base comb
//!   (`mul_base_jacobian` in [`mul`](super::mul)), masks out the identity cases and proves
//!   in a comment that `acc = ±p` never occurs for a scalar below n; the name says that
//!   the caller carries that burden.

/// Defines `JacobianPoint` over the field type `$fe` (in the module of
/// [`point_arith!`](super::point::point_arith)).
macro_rules! jacobian_arith {
    ($fe:ident) => {
        /// A point in Jacobian coordinates. Its `_vartime` methods are for public values
        /// only; the others are constant-time.
        #[derive(Clone, Copy)]
        pub(crate) struct JacobianPoint {
            pub(crate) x: $fe,
            pub(crate) y: $fe,
            pub(crate) z: $fe,
        }

        impl JacobianPoint {
            /// `(1 : 1 : 0)`.
            pub(crate) const IDENTITY: Self = Self {
                x: $fe::ONE,
                y: $fe::ONE,
                z: $fe::ZERO,
            };

            /// `(x : y : 1)`.
            pub(crate) const fn from_affine(p: &AffinePoint) -> Self {
                Self {
                    x: p.x,
                    y: p.y,
                    z: $fe::ONE,
                }
            }

            /// `−self`.
            pub(crate) const fn neg(&self) -> Self {
                Self {
                    x: self.x,
                    y: self.y.neg(),
                    z: self.z,
                }
            }

            /// dbl-2001-b (3M + 5S), constant-time and branch-free. No point of a
            /// prime-order curve has y = 0, so the formula is exact for every point but the
            /// identity, which it maps to a triple with Z = 0 (`Z3 = 2·Y·Z`): still the
            /// identity, with arbitrary X and Y. Callers that need the identity's canonical
            /// form select it.
            #[inline(always)]
            pub(crate) fn double(&self) -> Self {
                let delta = self.z.square();
                let gamma = self.y.square();
                let beta = self.x.mul(&gamma);
                let t = self.x.sub(&delta).mul(&self.x.add(&delta));
                let alpha = t.double().add(&t);
                let beta4 = beta.double().double();
                let x3 = alpha.square().sub(&beta4.double());
                let z3 = self.y.add(&self.z).square().sub(&gamma).sub(&delta);
                let gamma_sq8 = gamma.square().double().double().double();
                let y3 = alpha.mul(&beta4.sub(&x3)).sub(&gamma_sq8);
                Self {
                    x: x3,
                    y: y3,
                    z: z3,
                }
            }

            /// [`Self::double`] with the identity returned as it is (variable-time).
            pub(crate) fn double_vartime(&self) -> Self {
                if self.z.is_zero_vartime() {
                    return *self;
                }
                self.double()
            }

            /// add-2007-bl, with the exceptional cases handled.
            pub(crate) fn add_vartime(&self, q: &Self) -> Self {
                if self.z.is_zero_vartime() {
                    return *q;
                }
                if q.z.is_zero_vartime() {
                    return *self;
                }
                let z1z1 = self.z.square();
                let z2z2 = q.z.square();
                let u1 = self.x.mul(&z2z2);
                let u2 = q.x.mul(&z1z1);
                let s1 = self.y.mul(&q.z).mul(&z2z2);
                let s2 = q.y.mul(&self.z).mul(&z1z1);
                let h = u2.sub(&u1);
                let r = s2.sub(&s1).double();
                if h.is_zero_vartime() {
                    // Same x: P = Q (double) or P = −Q (identity).
                    return if r.is_zero_vartime() {
                        self.double_vartime()
                    } else {
                        Self::IDENTITY
                    };
                }
                let i = h.double().square();
                let j = h.mul(&i);
                let v = u1.mul(&i);
                let x3 = r.square().sub(&j).sub(&v.double());
                let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&j).double());
                let z3 = self.z.add(&q.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
                Self {
                    x: x3,
                    y: y3,
                    z: z3,
                }
            }

            /// madd-2007-bl (`q` affine, not the identity), with the exceptional cases
            /// handled.
            pub(crate) fn add_affine_vartime(&self, q: &AffinePoint) -> Self {
                if self.z.is_zero_vartime() {
                    return Self::from_affine(q);
                }
                let z1z1 = self.z.square();
                let u2 = q.x.mul(&z1z1);
                let s2 = q.y.mul(&self.z).mul(&z1z1);
                let h = u2.sub(&self.x);
                let r = s2.sub(&self.y).double();
                if h.is_zero_vartime() {
                    return if r.is_zero_vartime() {
                        self.double_vartime()
                    } else {
                        Self::IDENTITY
                    };
                }
                let hh = h.square();
                let i = hh.double().double();
                let j = h.mul(&i);
                let v = self.x.mul(&i);
                let x3 = r.square().sub(&j).sub(&v.double());
                let y3 = r.mul(&v.sub(&x3)).sub(&self.y.mul(&j).double());
                let z3 = self.z.add(&h).square().sub(&z1z1).sub(&hh);
                Self {
                    x: x3,
                    y: y3,
                    z: z3,
                }
            }

            /// `self + q` by madd-2004-hmv (from Hankerson–Menezes–Vanstone, *Guide to
            /// Elliptic Curve Cryptography*, 2004): 8M + 3S + 6a, constant-time, and
            /// *incomplete*. The caller must guarantee that `self` is not the identity and
            /// that `self ≠ ±q` (the result is then `(0 : 0 : 0)` or an identity with
            /// arbitrary X, Y — wrong either way); `q` must be a point of the curve.
            ///
            /// madd-2007-bl saves one multiplication by computing `2·Z1·H` as
            /// `(Z1 + H)² − Z1² − H²`; a square costs a multiplication here (the field code
            /// has no dedicated squaring worth the difference), so that trade would only
            /// add three additions and the doublings of `r` and `I`.
            ///
            /// With `x1 = X1/Z1²`, `y1 = Y1/Z1³`: `H = x2·Z1² − X1 = Z1²·(x2 − x1)` and
            /// `R = y2·Z1³ − Y1 = Z1³·(y2 − y1)`, so the chord slope is `λ = R/(Z1·H)` and,
            /// with `Z3 = Z1·H`, the affine sum `x3 = λ² − x1 − x2`,
            /// `y3 = λ·(x1 − x3) − y1` becomes `X3 = R² − H³ − 2·X1·H²` and
            /// `Y3 = R·(X1·H² − X3) − Y1·H³` (multiply through by `Z3²`, `Z3³`).
            /// `H = 0` exactly when `x1 = x2`, i.e. `self = ±q`; otherwise `Z3 ≠ 0`.
            #[inline(always)]
            pub(crate) fn add_affine_incomplete(&self, q: &AffinePoint) -> Self {
                let (x1, y1, z1) = (&self.x, &self.y, &self.z);
                let z1z1 = z1.square(); // S
                let u2 = q.x.mul(&z1z1); // M
                let s2 = q.y.mul(&z1z1.mul(z1)); // 2M
                let h = u2.sub(x1);
                let r = s2.sub(y1);
                let z3 = z1.mul(&h); // M
                let hh = h.square(); // S
                let hhh = hh.mul(&h); // M
                let v = x1.mul(&hh); // M
                let x3 = r.square().sub(&hhh).sub(&v.double()); // S
                let y3 = r.mul(&v.sub(&x3)).sub(&y1.mul(&hhh)); // 2M
                Self {
                    x: x3,
                    y: y3,
                    z: z3,
                }
            }

            /// Affine form, constant-time: one inversion of Z, then `x = X·Z⁻²`,
            /// `y = Y·Z⁻³` (1S + 3M). The identity (Z = 0, and `invert` maps 0 to 0) maps
            /// to the filler (0, 0); callers rule it out.
            pub(crate) fn to_affine(self) -> AffinePoint {
                let zinv = self.z.invert();
                let zinv2 = zinv.square();
                AffinePoint {
                    x: self.x.mul(&zinv2),
                    y: self.y.mul(&zinv2.mul(&zinv)),
                }
            }

            /// The same point in homogeneous projective coordinates, constant-time:
            /// `(X·Z : Y : Z³)`, since `X·Z/Z³ = X/Z²`. The identity `(X : Y : 0)` with
            /// `Y ≠ 0` maps to `(0 : Y : 0)`, the projective identity.
            pub(crate) fn to_projective(self) -> ProjectivePoint {
                ProjectivePoint {
                    x: self.x.mul(&self.z),
                    y: self.y,
                    z: self.z.square().mul(&self.z),
                }
            }
        }

        impl subtle::ConditionallySelectable for JacobianPoint {
            #[inline(always)]
            fn conditional_select(a: &Self, b: &Self, choice: subtle::Choice) -> Self {
                Self {
                    x: <$fe>::conditional_select(&a.x, &b.x, choice),
                    y: <$fe>::conditional_select(&a.y, &b.y, choice),
                    z: <$fe>::conditional_select(&a.z, &b.z, choice),
                }
            }
        }
    };
}

pub(crate) use jacobian_arith;
