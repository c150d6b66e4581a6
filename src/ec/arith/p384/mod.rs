//! P-384 (secp384r1; FIPS 186-5 and SP 800-186 §3.2.1.4): field, scalars, points and the
//! compile-time tables.

mod field;
mod scalar;

pub use field::FieldElement;
#[cfg(test)]
pub(crate) use field::mont_mul;
pub use scalar::Scalar;

use subtle::ConditionallySelectable;

use super::mul::scalar_mul;
use super::point::point_arith;

point_arith!(
    FieldElement,
    b: FieldElement::from_hex(
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"
    )
);

scalar_mul!(
    fe: FieldElement,
    scalar: Scalar,
    generator: AffinePoint {
        x: FieldElement::from_hex(
            "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"
        ),
        y: FieldElement::from_hex(
            "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"
        ),
    },
    // 65 windows × 32 affine entries × 96 bytes ≈ 195 KiB; 65 mixed additions per k·G.
    base_window: 6,
    base_windows: 65,
    base_rows: [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64],
    var_windows: 77,
    g_wnaf_window: 8,
);
