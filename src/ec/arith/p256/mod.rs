//! P-256 (secp256r1; FIPS 186-5 and SP 800-186 §3.2.1.3): field, scalars, points and the
//! compile-time tables.

mod field;
mod scalar;

pub use field::FieldElement;
#[cfg(test)]
pub(crate) use field::{mont_add, mont_mul, mont_square, mont_sub};
pub use scalar::Scalar;

use subtle::ConditionallySelectable;

use super::mul::scalar_mul;
use super::point::point_arith;

point_arith!(
    FieldElement,
    b: FieldElement::from_hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b")
);

scalar_mul!(
    fe: FieldElement,
    scalar: Scalar,
    generator: AffinePoint {
        x: FieldElement::from_hex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
        y: FieldElement::from_hex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
    },
    // 37 windows × 64 affine entries × 64 bytes ≈ 148 KiB; 37 mixed additions per k·G.
    base_window: 7,
    base_windows: 37,
    base_rows: [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36],
    var_windows: 52,
    g_wnaf_window: 8,
    var_mul_fast: mul_jacobian_adx,
);

/// k·P on BMI2/ADX (`None` without them): the window loop of `mul_jacobian` over the
/// doubling and mixed addition of `x86::p256_point`, whose field operations are the
/// assembly itself, with no run-time switch per operation.
#[inline(always)]
fn mul_jacobian_adx(k: &Scalar, p: &AffinePoint) -> Option<JacobianPoint> {
    #[cfg(target_arch = "x86_64")]
    if let Some(adx) = super::x86::adx() {
        return Some(mul_jacobian_with(
            k,
            p,
            |a| JacobianPoint::from_limbs(adx.p256_double_n(&a.limbs(), VAR_W as usize)),
            |a, q| {
                let q = [*q.x.mont_limbs(), *q.y.mont_limbs()];
                JacobianPoint::from_limbs(adx.p256_add_affine_incomplete(&a.limbs(), &q))
            },
        ));
    }
    let _ = (k, p);
    None
}

#[cfg(target_arch = "x86_64")]
impl JacobianPoint {
    /// X, Y, Z as Montgomery limbs.
    #[inline(always)]
    fn limbs(&self) -> [[u64; 4]; 3] {
        [
            *self.x.mont_limbs(),
            *self.y.mont_limbs(),
            *self.z.mont_limbs(),
        ]
    }

    /// From Montgomery limbs below p.
    #[inline(always)]
    fn from_limbs([x, y, z]: [[u64; 4]; 3]) -> Self {
        Self {
            x: FieldElement::from_mont_limbs(x),
            y: FieldElement::from_mont_limbs(y),
            z: FieldElement::from_mont_limbs(z),
        }
    }
}
