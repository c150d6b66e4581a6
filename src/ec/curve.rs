//! The seam between the ECDSA layer and the curve arithmetic.
//!
//! [`Curve`] is sealed: it is implemented for [`NistP256`](super::NistP256) and
//! [`NistP384`](super::NistP384) only, and its items are reachable from inside the crate
//! alone (the trait is public so that the generic key and signature types can name it, but
//! it lives in a private module). Everything that touches a secret here is constant-time;
//! the one variable-time function says so in its name.

use core::fmt::Debug;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, CtOption};
use zeroize::Zeroize;

use crate::Error;

/// Field and scalar arithmetic of one short-Weierstrass prime-order curve, with the
/// operations ECDSA needs. Scalars are integers modulo the group order `n`; points are
/// affine, validated and never the identity.
pub trait Curve: Copy + Debug + Default + Eq + Send + Sync + 'static {
    /// "P-256" / "P-384".
    const NAME: &'static str;
    /// Length in bytes of a field element and of a scalar (32 / 48).
    const BYTES: usize;
    /// DER contents (no tag, no length) of the curve's `namedCurve` object identifier.
    const OID: &'static [u8];

    /// `[u8; BYTES]`: a big-endian field element or scalar.
    type Bytes: Copy + Debug + Eq + AsRef<[u8]> + AsMut<[u8]> + Zeroize + Send + Sync + 'static;
    /// `[u8; 2 * BYTES]`: a fixed-length `r ‖ s` signature.
    type SigBytes: Copy + Debug + Eq + AsRef<[u8]> + AsMut<[u8]> + Send + Sync + 'static;
    /// All-zero values of the two byte arrays (arrays above 32 have no `Default`).
    const ZERO_BYTES: Self::Bytes;
    /// See [`Self::ZERO_BYTES`].
    const ZERO_SIG_BYTES: Self::SigBytes;

    /// An integer modulo n, fully reduced.
    type Scalar: Copy + Debug + Default + ConditionallySelectable + ConstantTimeEq + Zeroize;
    /// An affine point on the curve, not the identity. Public data.
    type Point: Copy + Debug + Eq + Send + Sync + ConditionallySelectable;

    // --- scalars: all constant-time ---------------------------------------------------

    /// `Some(s)` if `0 <= s < n` (zero allowed), in constant time.
    fn scalar_from_bytes(bytes: &Self::Bytes) -> CtOption<Self::Scalar>;
    /// The big-endian integer reduced modulo n (any input value; for digests and x(R)).
    fn scalar_reduce_bytes(bytes: &Self::Bytes) -> Self::Scalar;
    /// Big-endian, `BYTES` long.
    fn scalar_to_bytes(s: &Self::Scalar) -> Self::Bytes;
    /// a + b mod n.
    fn scalar_add(a: &Self::Scalar, b: &Self::Scalar) -> Self::Scalar;
    /// a · b mod n.
    fn scalar_mul(a: &Self::Scalar, b: &Self::Scalar) -> Self::Scalar;
    /// −a mod n.
    fn scalar_neg(a: &Self::Scalar) -> Self::Scalar;
    /// a⁻¹ mod n in constant time (Fermat or safegcd); 0 maps to 0.
    fn scalar_invert(a: &Self::Scalar) -> Self::Scalar;
    /// a⁻¹ mod n in **variable time**, for public `a` only (a signature's s during
    /// verification); 0 maps to 0.
    fn scalar_invert_vartime(a: &Self::Scalar) -> Self::Scalar;
    /// a = 0.
    fn scalar_is_zero(a: &Self::Scalar) -> Choice;
    /// a > (n − 1) / 2, i.e. the "high-S" half.
    fn scalar_is_high(a: &Self::Scalar) -> Choice;

    // --- points ----------------------------------------------------------------------

    /// k·G in constant time (fixed-base table built at compile time). `k` must not be zero
    /// (callers check); the result is then never the identity because n is prime.
    fn mul_base(k: &Self::Scalar) -> Self::Point;
    /// k·P in constant time; `None` only if k = 0 (n is prime, P is not the identity).
    fn mul(k: &Self::Scalar, p: &Self::Point) -> CtOption<Self::Point>;
    /// Validates affine coordinates: both below p and on the curve.
    fn point_from_coordinates(x: &Self::Bytes, y: &Self::Bytes) -> Result<Self::Point, Error>;
    /// SEC 1 decompression: x below p, x³ + ax + b a square; picks the root whose parity
    /// is `y_is_odd`.
    fn point_decompress(x: &Self::Bytes, y_is_odd: bool) -> Result<Self::Point, Error>;
    /// Affine (x, y), big-endian.
    fn point_to_coordinates(p: &Self::Point) -> (Self::Bytes, Self::Bytes);

    /// ECDSA's check, variable-time (public inputs only): with R = u1·G + u2·Q, true iff R
    /// is not the identity and x(R) mod n = r. Compares x in projective form, without an
    /// inversion (also trying r + n when r + n < p).
    fn verify_vartime(
        u1: &Self::Scalar,
        u2: &Self::Scalar,
        q: &Self::Point,
        r: &Self::Scalar,
    ) -> bool;
}
