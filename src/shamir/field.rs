//! The [`PrimeField`] trait: what Shamir sharing over a prime field needs of its field.
//!
//! Two implementations, both constant-time for every operation on a secret element:
//! [`Goldilocks`](super::Goldilocks) (p = 2⁶⁴ − 2³² + 1, fast vector sharing) and
//! [`P256Scalar`](super::P256Scalar) (the order n of the P-256 group, for Feldman
//! verification). The trait is sealed: the field identifier written into every share must
//! stay unambiguous.

use core::fmt::Debug;

use rand_core::CryptoRng;
use subtle::{ConditionallySelectable, ConstantTimeEq, CtOption};
use zeroize::Zeroize;

use super::FieldId;

/// The bound on draws of [`PrimeField::random`] (issue 18: an RNG with constant output
/// made it spin forever).
pub const MAX_DRAWS: usize = 8;

pub(crate) mod sealed {
    /// Only the crate's fields implement [`PrimeField`](super::PrimeField).
    pub trait Sealed {}
}

/// A prime field GF(p) whose elements can be shared with [`prime`](super::prime).
///
/// Every method is constant-time in the value of its secret operands: no branch, memory
/// index or division depends on an element. Elements zeroize and print opaquely.
pub trait PrimeField:
    sealed::Sealed
    + Copy
    + Default
    + Debug
    + ConditionallySelectable
    + ConstantTimeEq
    + Zeroize
    + Send
    + Sync
    + 'static
{
    /// The identifier written into the encoding of shares over this field.
    const ID: FieldId;
    /// Length of the canonical big-endian encoding of an element.
    const BYTES: usize;
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;

    /// `v mod p`.
    fn from_u64(v: u64) -> Self;
    /// `self + rhs`.
    fn add(&self, rhs: &Self) -> Self;
    /// `self − rhs`.
    fn sub(&self, rhs: &Self) -> Self;
    /// `self · rhs`.
    fn mul(&self, rhs: &Self) -> Self;
    /// `−self`.
    fn neg(&self) -> Self;
    /// `self · x + c` for a *public* small integer `x` (an evaluation point): one Horner
    /// step. Constant-time in `self` and `c`; fields may use the smallness of `x`.
    #[inline]
    fn mul_small_add(&self, x: u32, c: &Self) -> Self {
        self.mul(&Self::from_u64(u64::from(x))).add(c)
    }
    /// `self⁻¹`, constant-time; 0 maps to 0.
    fn invert(&self) -> Self;
    /// A uniformly random element (zero included), by rejection sampling: only the
    /// accept/reject verdict of each draw is made public (DESIGN §9). At most
    /// [`MAX_DRAWS`] draws (each rejected with probability below 2⁻³² in both fields, so
    /// a working RNG needs more with probability below 2⁻²⁵⁶); then
    /// [`Error::RngFailure`](crate::Error::RngFailure) instead of spinning forever on an
    /// RNG with constant output.
    fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Result<Self, crate::Error>;
    /// Writes the canonical big-endian encoding into `out` (`BYTES` long).
    fn write_bytes(&self, out: &mut [u8]);
    /// Reads a canonical big-endian encoding of `BYTES` bytes: `None` (in constant time)
    /// if the integer is not below p. A slice of another length is a caller bug and gives
    /// `None` too.
    fn read_bytes(bytes: &[u8]) -> CtOption<Self>;
}
