//! Points of a short-Weierstrass curve `y² = x³ − 3x + b` in homogeneous projective
//! coordinates `(X : Y : Z)`, `x = X/Z`, `y = Y/Z`, identity `(0 : 1 : 0)`.
//!
//! Addition and doubling are the *complete* formulas of Renes, Costello and Batina,
//! "Complete addition formulas for prime order elliptic curves" (EUROCRYPT 2016),
//! Algorithms 4 (addition), 5 (mixed addition, second point affine) and 6 (doubling) for
//! `a = −3`. They are correct for every pair of inputs — identity, equal points, inverse
//! points — with no branch. The scalar multiplications now use cheaper, incomplete
//! Jacobian formulas, safe there by the proofs in `mul.rs`; these complete ones remain as
//! the reference the tests compare them with (`mul_base_complete`, `mul_projective`).
//! The one restriction is Algorithm 5's: its affine operand cannot be the identity, so the
//! callers mask the result of an addition with a zero digit instead.
//!
//! [`point_arith!`] defines the types and formulas for one curve over its field type; the
//! formulas are `const fn` so the same code builds the compile-time tables.

/// Defines `AffinePoint` and `ProjectivePoint` over the field type `$fe` with curve
/// constant `b = $b` (in the calling module).
macro_rules! point_arith {
    ($fe:ident, b: $b:expr) => {
        /// The curve constant `b` of `y² = x³ − 3x + b`.
        pub(crate) const B: $fe = $b;

        /// An affine point `(x, y)`. Never the identity when it comes from outside (the
        /// [`Curve`](crate::ec::curve::Curve) contract); tables may hold a zero filler.
        #[derive(Clone, Copy, PartialEq, Eq)]
        pub struct AffinePoint {
            pub(crate) x: $fe,
            pub(crate) y: $fe,
        }

        /// A point in homogeneous projective coordinates.
        #[derive(Clone, Copy)]
        pub(crate) struct ProjectivePoint {
            pub(crate) x: $fe,
            pub(crate) y: $fe,
            pub(crate) z: $fe,
        }

        impl core::fmt::Debug for AffinePoint {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                // Points are public data: print the coordinates.
                f.write_str("AffinePoint { x: ")?;
                for b in self.x.to_be_bytes() {
                    write!(f, "{b:02x}")?;
                }
                f.write_str(", y: ")?;
                for b in self.y.to_be_bytes() {
                    write!(f, "{b:02x}")?;
                }
                f.write_str(" }")
            }
        }

        #[allow(dead_code)]
        impl AffinePoint {
            /// The all-zero filler for table slots before they are written (not on the
            /// curve, since b ≠ 0).
            pub(crate) const FILLER: Self = Self {
                x: $fe::ZERO,
                y: $fe::ZERO,
            };

            /// `y² = x³ − 3x + b`, constant-time.
            pub(crate) fn is_on_curve(&self) -> subtle::Choice {
                subtle::ConstantTimeEq::ct_eq(&self.y.square(), &Self::rhs(&self.x))
            }

            /// `x³ − 3x + b`.
            pub(crate) fn rhs(x: &$fe) -> $fe {
                let x3 = x.square().mul(x);
                let three_x = x.double().add(x);
                x3.sub(&three_x).add(&B)
            }

            /// `(x, −y)`.
            pub(crate) const fn neg(&self) -> Self {
                Self {
                    x: self.x,
                    y: self.y.neg(),
                }
            }
        }

        impl subtle::ConditionallySelectable for AffinePoint {
            #[inline(always)]
            fn conditional_select(a: &Self, b: &Self, choice: subtle::Choice) -> Self {
                Self {
                    x: <$fe>::conditional_select(&a.x, &b.x, choice),
                    y: <$fe>::conditional_select(&a.y, &b.y, choice),
                }
            }
        }

        impl subtle::ConditionallySelectable for ProjectivePoint {
            #[inline(always)]
            fn conditional_select(a: &Self, b: &Self, choice: subtle::Choice) -> Self {
                Self {
                    x: <$fe>::conditional_select(&a.x, &b.x, choice),
                    y: <$fe>::conditional_select(&a.y, &b.y, choice),
                    z: <$fe>::conditional_select(&a.z, &b.z, choice),
                }
            }
        }

        #[allow(dead_code)]
        impl ProjectivePoint {
            /// The point at infinity `(0 : 1 : 0)`.
            pub(crate) const IDENTITY: Self = Self {
                x: $fe::ZERO,
                y: $fe::ONE,
                z: $fe::ZERO,
            };

            /// `(x : y : 1)`.
            #[inline(always)]
            pub(crate) const fn from_affine(p: &AffinePoint) -> Self {
                Self {
                    x: p.x,
                    y: p.y,
                    z: $fe::ONE,
                }
            }

            /// `−self`.
            #[inline(always)]
            pub(crate) const fn neg(&self) -> Self {
                Self {
                    x: self.x,
                    y: self.y.neg(),
                    z: self.z,
                }
            }

            /// Complete addition, RCB16 Algorithm 4 (a = −3): 12M + 2·b + 29a.
            #[inline]
            pub(crate) fn add(&self, q: &Self) -> Self {
                let (x1, y1, z1) = (&self.x, &self.y, &self.z);
                let (x2, y2, z2) = (&q.x, &q.y, &q.z);
                let t0 = x1.mul(x2); // 1
                let t1 = y1.mul(y2); // 2
                let t2 = z1.mul(z2); // 3
                let t3 = x1.add(y1); // 4
                let t4 = x2.add(y2); // 5
                let t3 = t3.mul(&t4); // 6
                let t4 = t0.add(&t1); // 7
                let t3 = t3.sub(&t4); // 8
                let t4 = y1.add(z1); // 9
                let x3 = y2.add(z2); // 10
                let t4 = t4.mul(&x3); // 11
                let x3 = t1.add(&t2); // 12
                let t4 = t4.sub(&x3); // 13
                let x3 = x1.add(z1); // 14
                let y3 = x2.add(z2); // 15
                let x3 = x3.mul(&y3); // 16
                let y3 = t0.add(&t2); // 17
                let y3 = x3.sub(&y3); // 18
                let z3 = B.mul(&t2); // 19
                let x3 = y3.sub(&z3); // 20
                let z3 = x3.double(); // 21
                let x3 = x3.add(&z3); // 22
                let z3 = t1.sub(&x3); // 23
                let x3 = t1.add(&x3); // 24
                let y3 = B.mul(&y3); // 25
                let t1 = t2.double(); // 26
                let t2 = t1.add(&t2); // 27
                let y3 = y3.sub(&t2); // 28
                let y3 = y3.sub(&t0); // 29
                let t1 = y3.double(); // 30
                let y3 = t1.add(&y3); // 31
                let t1 = t0.double(); // 32
                let t0 = t1.add(&t0); // 33
                let t0 = t0.sub(&t2); // 34
                let t1 = t4.mul(&y3); // 35
                let t2 = t0.mul(&y3); // 36
                let y3 = x3.mul(&z3); // 37
                let y3 = y3.add(&t2); // 38
                let x3 = t3.mul(&x3); // 39
                let x3 = x3.sub(&t1); // 40
                let z3 = t4.mul(&z3); // 41
                let t1 = t3.mul(&t0); // 42
                let z3 = z3.add(&t1); // 43
                Self {
                    x: x3,
                    y: y3,
                    z: z3,
                }
            }

            /// Complete mixed addition, RCB16 Algorithm 5 (a = −3): 11M + 2·b + 23a. `q`
            /// must not be the identity (it cannot be written in affine form anyway).
            #[inline]
            pub(crate) fn add_affine(&self, q: &AffinePoint) -> Self {
                let (x1, y1, z1) = (&self.x, &self.y, &self.z);
                let (x2, y2) = (&q.x, &q.y);
                let t0 = x1.mul(x2); // 1
                let t1 = y1.mul(y2); // 2
                let t3 = x2.add(y2); // 3
                let t4 = x1.add(y1); // 4
                let t3 = t3.mul(&t4); // 5
                let t4 = t0.add(&t1); // 6
                let t3 = t3.sub(&t4); // 7
                let t4 = y2.mul(z1); // 8
                let t4 = t4.add(y1); // 9
                let y3 = x2.mul(z1); // 10
                let y3 = y3.add(x1); // 11
                let z3 = B.mul(z1); // 12
                let x3 = y3.sub(&z3); // 13
                let z3 = x3.double(); // 14
                let x3 = x3.add(&z3); // 15
                let z3 = t1.sub(&x3); // 16
                let x3 = t1.add(&x3); // 17
                let y3 = B.mul(&y3); // 18
                let t1 = z1.double(); // 19
                let t2 = t1.add(z1); // 20
                let y3 = y3.sub(&t2); // 21
                let y3 = y3.sub(&t0); // 22
                let t1 = y3.double(); // 23
                let y3 = t1.add(&y3); // 24
                let t1 = t0.double(); // 25
                let t0 = t1.add(&t0); // 26
                let t0 = t0.sub(&t2); // 27
                let t1 = t4.mul(&y3); // 28
                let t2 = t0.mul(&y3); // 29
                let y3 = x3.mul(&z3); // 30
                let y3 = y3.add(&t2); // 31
                let x3 = t3.mul(&x3); // 32
                let x3 = x3.sub(&t1); // 33
                let z3 = t4.mul(&z3); // 34
                let t1 = t3.mul(&t0); // 35
                let z3 = z3.add(&t1); // 36
                Self {
                    x: x3,
                    y: y3,
                    z: z3,
                }
            }

            /// Complete doubling, RCB16 Algorithm 6 (a = −3): 8M + 3S + 2·b + 21a.
            #[inline]
            pub(crate) fn double(&self) -> Self {
                let (x, y, z) = (&self.x, &self.y, &self.z);
                let t0 = x.square(); // 1
                let t1 = y.square(); // 2
                let t2 = z.square(); // 3
                let t3 = x.mul(y); // 4
                let t3 = t3.double(); // 5
                let z3 = x.mul(z); // 6
                let z3 = z3.double(); // 7
                let y3 = B.mul(&t2); // 8
                let y3 = y3.sub(&z3); // 9
                let x3 = y3.double(); // 10
                let y3 = x3.add(&y3); // 11
                let x3 = t1.sub(&y3); // 12
                let y3 = t1.add(&y3); // 13
                let y3 = x3.mul(&y3); // 14
                let x3 = x3.mul(&t3); // 15
                let t3 = t2.double(); // 16
                let t2 = t2.add(&t3); // 17
                let z3 = B.mul(&z3); // 18
                let z3 = z3.sub(&t2); // 19
                let z3 = z3.sub(&t0); // 20
                let t3 = z3.double(); // 21
                let z3 = z3.add(&t3); // 22
                let t3 = t0.double(); // 23
                let t0 = t3.add(&t0); // 24
                let t0 = t0.sub(&t2); // 25
                let t0 = t0.mul(&z3); // 26
                let y3 = y3.add(&t0); // 27
                let t0 = y.mul(z); // 28
                let t0 = t0.double(); // 29
                let z3 = t0.mul(&z3); // 30
                let x3 = x3.sub(&z3); // 31
                let z3 = t0.mul(&t1); // 32
                let z3 = z3.double(); // 33
                let z3 = z3.double(); // 34
                Self {
                    x: x3,
                    y: y3,
                    z: z3,
                }
            }

            /// `2^k · self`.
            #[inline]
            pub(crate) fn double_n(&self, k: u32) -> Self {
                let mut p = *self;
                let mut i = 0;
                while i < k {
                    p = p.double();
                    i += 1;
                }
                p
            }

            /// Z = 0, constant-time.
            pub(crate) fn is_identity(&self) -> subtle::Choice {
                self.z.is_zero()
            }

            /// Affine form with one constant-time inversion of Z. The identity maps to
            /// the filler (0, 0); callers rule it out.
            pub(crate) fn to_affine(self) -> AffinePoint {
                let zinv = self.z.invert();
                AffinePoint {
                    x: self.x.mul(&zinv),
                    y: self.y.mul(&zinv),
                }
            }

            /// Variable-time equality of the points two projective triples denote.
            pub(crate) fn eq_vartime(&self, other: &Self) -> bool {
                let (a_inf, b_inf) = (self.z.is_zero_vartime(), other.z.is_zero_vartime());
                if a_inf || b_inf {
                    return a_inf == b_inf;
                }
                self.x.mul(&other.z).eq_vartime(&other.x.mul(&self.z))
                    && self.y.mul(&other.z).eq_vartime(&other.y.mul(&self.z))
            }
        }

        /// Affine forms of `N` projective points, none the identity, with one inversion
        /// (Montgomery's simultaneous-inversion trick). Used by the tests that rebuild the
        /// compile-time tables with these (independent, complete) formulas.
        #[cfg(test)]
        pub(crate) fn batch_to_affine<const N: usize>(
            points: &[ProjectivePoint; N],
        ) -> [AffinePoint; N] {
            // prefix[i] = z_0 · … · z_i
            let mut prefix = [$fe::ONE; N];
            let mut acc = $fe::ONE;
            let mut i = 0;
            while i < N {
                acc = acc.mul(&points[i].z);
                prefix[i] = acc;
                i += 1;
            }
            let mut inv = acc.invert_fermat(); // (z_0 · … · z_{N−1})⁻¹
            let mut out = [AffinePoint::FILLER; N];
            let mut i = N;
            while i > 0 {
                i -= 1;
                // inv = (z_0 · … · z_i)⁻¹ here
                let zinv = if i == 0 { inv } else { inv.mul(&prefix[i - 1]) };
                inv = inv.mul(&points[i].z);
                out[i] = AffinePoint {
                    x: points[i].x.mul(&zinv),
                    y: points[i].y.mul(&zinv),
                };
            }
            out
        }
    };
}

pub(crate) use point_arith;
