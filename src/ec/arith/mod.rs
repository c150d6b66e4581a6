//! Curve arithmetic for ECDSA over P-256 and P-384 (FIPS 186-5, SEC 1 v2): the two
//! [`Curve`] implementations.
//!
//! Layers, bottom up:
//! - [`field`]: Montgomery residues over fiat-crypto, one macro for the two base fields and
//!   the two group orders; the P-256 and P-384 base-field multiplications are our own
//!   (faster here, tested against fiat), everything else is fiat's.
//! - [`safegcd`]: constant-time inversion (Bernstein–Yang 2019) for all four moduli, and a
//!   variable-time one for public values (the signature's s in verification).
//! - [`point`]: complete projective formulas of Renes–Costello–Batina 2016, now the tests'
//!   reference; [`jacobian`]: cheaper, non-complete formulas, for verification
//!   (variable-time, exceptional cases branched on public data) and, a branch-free
//!   doubling and mixed addition, for the fixed-base comb and the variable-base k·P,
//!   whose exceptional cases are masked (identity) or proved unreachable (`P = ±Q`) in
//!   `mul`.
//! - [`recode`]: branch-free Booth digits, variable-time wNAF.
//! - [`mul`]: fixed-base comb (compile-time tables, masked full-table lookups), variable-base
//!   signed windows, Shamir's trick for verification; [`table`] builds the tables in
//!   `const fn`.
//! - `p256/`, `p384/`: the curve constants and table sizes.
//! - `x86` (x86-64 only, the one module here with `unsafe`): the P-256 field
//!   multiplication in `mulx`/`adcx`/`adox` assembly (and the P-256 doubling and mixed
//!   addition of the variable-base k·P written on it), the AVX2 scan of the comb tables,
//!   chosen at run time (CPUID, cached) with the portable code as the fallback;
//!   `--cfg tsubaki_ec_backend="portable"` forces the fallback.
//!
//! Measured on the shared development machine (by-hand `tests::timing`, best of 9 rounds,
//! ±10 %), P-256 / P-384. Portable Rust before the x86 paths: field multiplication 17 /
//! 51 ns, inversion 2.9 / 4.6 µs, k·G with its affine conversion 18 / 63 µs, verification's
//! u1·G + u2·Q and check 73 / 295 µs. Now, on this CPU's paths (P-256: ADX multiplication
//! and squaring, `adc`/`sbb` addition, AVX2 scan; Jacobian comb; half-delta safegcd):
//! multiplication 15 / 52 ns, P-256 squaring 11 ns, inversion 1.6 / 2.6 µs (variable-time
//! 1.15 / 1.8 µs), k·G with its affine conversion 9.7 / 47 µs, verification 50 / 300 µs.
//! The compile-time tables add about
//! 45 s of CPU time to a non-incremental build of the crate. `tests::ct_taint`, run under
//! valgrind with the `ct-valgrind` feature, finds no secret-dependent branch, conditional
//! move or index in the constant-time paths.

pub(crate) mod field;
mod jacobian;
mod mul;
mod point;
mod recode;
mod safegcd;
mod table;
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
pub(crate) mod x86;

pub(crate) mod p256;
pub(crate) mod p384;

#[cfg(test)]
mod tests;

use subtle::{Choice, CtOption};

use crate::Error;
use crate::ec::curve::Curve;

/// The NIST curve P-256 (secp256r1, prime256v1) with generator G and prime order n.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NistP256;

/// The NIST curve P-384 (secp384r1) with generator G and prime order n.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NistP384;

/// Implements [`Curve`] for a marker type over one curve module.
macro_rules! impl_curve {
    ($marker:ident, $m:ident, name: $name:literal, bytes: $bytes:literal, oid: $oid:expr) => {
        impl Curve for $marker {
            const NAME: &'static str = $name;
            const BYTES: usize = $bytes;
            const OID: &'static [u8] = $oid;

            type Bytes = [u8; $bytes];
            type SigBytes = [u8; 2 * $bytes];
            const ZERO_BYTES: Self::Bytes = [0; $bytes];
            const ZERO_SIG_BYTES: Self::SigBytes = [0; 2 * $bytes];

            type Scalar = $m::Scalar;
            type Point = $m::AffinePoint;

            fn scalar_from_bytes(bytes: &Self::Bytes) -> CtOption<Self::Scalar> {
                $m::Scalar::from_be_bytes(bytes)
            }

            fn scalar_reduce_bytes(bytes: &Self::Bytes) -> Self::Scalar {
                $m::Scalar::from_be_bytes_reduced(bytes)
            }

            fn scalar_to_bytes(s: &Self::Scalar) -> Self::Bytes {
                s.to_be_bytes()
            }

            fn scalar_add(a: &Self::Scalar, b: &Self::Scalar) -> Self::Scalar {
                a.add(b)
            }

            fn scalar_mul(a: &Self::Scalar, b: &Self::Scalar) -> Self::Scalar {
                a.mul(b)
            }

            fn scalar_neg(a: &Self::Scalar) -> Self::Scalar {
                a.neg()
            }

            fn scalar_invert(a: &Self::Scalar) -> Self::Scalar {
                a.invert()
            }

            fn scalar_invert_vartime(a: &Self::Scalar) -> Self::Scalar {
                a.invert_vartime()
            }

            fn scalar_is_zero(a: &Self::Scalar) -> Choice {
                a.is_zero()
            }

            fn scalar_is_high(a: &Self::Scalar) -> Choice {
                // (n − 1)/2 = n >> 1 as n is odd; a > (n − 1)/2 iff (n − 1)/2 − a borrows.
                const N: usize = $m::Scalar::LIMBS;
                let n = $m::Scalar::MODULUS;
                let mut half = [0u64; N];
                for i in 0..N {
                    half[i] = (n[i] >> 1) | if i + 1 < N { n[i + 1] << 63 } else { 0 };
                }
                let (_, borrow) = field::sbb_limbs(&half, &a.to_canonical());
                Choice::from(borrow as u8)
            }

            fn mul_base(k: &Self::Scalar) -> Self::Point {
                $m::mul_base_jacobian(k).to_affine()
            }

            fn mul(k: &Self::Scalar, p: &Self::Point) -> CtOption<Self::Point> {
                CtOption::new($m::mul_jacobian(k, p).to_affine(), !k.is_zero())
            }

            fn point_from_coordinates(
                x: &Self::Bytes,
                y: &Self::Bytes,
            ) -> Result<Self::Point, Error> {
                // Public data: variable-time checks are fine.
                let x = Option::from($m::FieldElement::from_be_bytes(x))
                    .ok_or(Error::InvalidPublicKey)?;
                let y = Option::from($m::FieldElement::from_be_bytes(y))
                    .ok_or(Error::InvalidPublicKey)?;
                let p = $m::AffinePoint { x, y };
                if bool::from(p.is_on_curve()) {
                    Ok(p)
                } else {
                    Err(Error::InvalidPublicKey)
                }
            }

            fn point_decompress(x: &Self::Bytes, y_is_odd: bool) -> Result<Self::Point, Error> {
                let x = Option::from($m::FieldElement::from_be_bytes(x))
                    .ok_or(Error::InvalidPublicKey)?;
                let y: $m::FieldElement =
                    Option::from($m::AffinePoint::rhs(&x).sqrt()).ok_or(Error::InvalidPublicKey)?;
                let y = if bool::from(y.is_odd()) == y_is_odd {
                    y
                } else {
                    y.neg()
                };
                // y = 0 has one root only, even; asking for the odd one must fail. (Both
                // curves have prime order, so no point has y = 0; kept for completeness.)
                if bool::from(y.is_odd()) != y_is_odd {
                    return Err(Error::InvalidPublicKey);
                }
                Ok($m::AffinePoint { x, y })
            }

            fn point_to_coordinates(p: &Self::Point) -> (Self::Bytes, Self::Bytes) {
                (p.x.to_be_bytes(), p.y.to_be_bytes())
            }

            fn verify_vartime(
                u1: &Self::Scalar,
                u2: &Self::Scalar,
                q: &Self::Point,
                r: &Self::Scalar,
            ) -> bool {
                $m::verify_vartime(u1, u2, q, r)
            }
        }
    };
}

impl_curve!(NistP256, p256, name: "P-256", bytes: 32, oid: crate::ec::pkcs::OID_P256);
impl_curve!(NistP384, p384, name: "P-384", bytes: 48, oid: crate::ec::pkcs::OID_P384);
