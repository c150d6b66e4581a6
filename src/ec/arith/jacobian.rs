//! Variable-time Jacobian arithmetic for signature verification (public inputs only).
//!
//! A point `(X : Y : Z)` stands for `(X/Z², Y/Z³)`; `Z = 0` is the identity. The formulas
//! are the cheapest `a = −3` ones of the Explicit-Formulas Database (Bernstein–Lange):
//! `dbl-2001-b` (3M + 5S), `add-2007-bl` (11M + 5S) and `madd-2007-bl` (7M + 4S). They are
//! not complete, so every function here tests for the exceptional inputs — an identity
//! operand, `P = Q` (double instead) and `P = −Q` (identity) — with branches. That is
//! only acceptable because the values are public, hence the `_vartime` names.

/// Defines `JacobianPoint` over the field type `$fe` (in the module of
/// [`point_arith!`](super::point::point_arith)).
macro_rules! jacobian_vartime {
    ($fe:ident) => {
        /// A point in Jacobian coordinates, for variable-time code only.
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

            /// dbl-2001-b. No point of a prime-order curve has y = 0, so only the
            /// identity is special.
            pub(crate) fn double_vartime(&self) -> Self {
                if self.z.is_zero_vartime() {
                    return *self;
                }
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
        }
    };
}

pub(crate) use jacobian_vartime;
