//! The scalar field of P-256 (integers modulo the group order n) as a [`PrimeField`], a thin
//! adapter over the ECDSA arithmetic (`ec::arith::p256::Scalar`: fiat-crypto Montgomery
//! multiplication, safegcd inversion, all constant-time).

use core::fmt;

use rand_core::CryptoRng;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, CtOption};
use zeroize::Zeroize;

use super::FieldId;
use super::field::{MAX_DRAWS, PrimeField, sealed};
use crate::ec::arith::p256::Scalar;

/// An integer modulo n, the order of the P-256 group: the field of Feldman-verifiable
/// sharing ([`feldman`](super::feldman)).
///
/// Constant-time arithmetic; zeroizes on request; `Debug` prints nothing of the value.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct P256Scalar(pub(crate) Scalar);

impl P256Scalar {
    /// From 32 big-endian bytes, which must encode an integer below n (constant-time
    /// check; `None` otherwise).
    pub fn from_be_bytes(bytes: &[u8; 32]) -> CtOption<Self> {
        Scalar::from_be_bytes(bytes).map(Self)
    }

    /// The canonical integer, 32 big-endian bytes.
    pub fn to_be_bytes(&self) -> [u8; 32] {
        self.0.to_be_bytes()
    }
}

impl fmt::Debug for P256Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P256Scalar(..)")
    }
}

impl ConditionallySelectable for P256Scalar {
    #[inline(always)]
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self(Scalar::conditional_select(&a.0, &b.0, choice))
    }
}

impl ConstantTimeEq for P256Scalar {
    #[inline]
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

impl Zeroize for P256Scalar {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl sealed::Sealed for P256Scalar {}

impl PrimeField for P256Scalar {
    const ID: FieldId = FieldId::P256Scalar;
    const BYTES: usize = 32;
    const ZERO: Self = Self(Scalar::ZERO);
    const ONE: Self = Self(Scalar::ONE);

    fn from_u64(v: u64) -> Self {
        // v < 2⁶⁴ < n: already canonical.
        Self(Scalar::from_canonical(&[v, 0, 0, 0]))
    }

    #[inline]
    fn add(&self, rhs: &Self) -> Self {
        Self(self.0.add(&rhs.0))
    }

    #[inline]
    fn sub(&self, rhs: &Self) -> Self {
        Self(self.0.sub(&rhs.0))
    }

    #[inline]
    fn mul(&self, rhs: &Self) -> Self {
        Self(self.0.mul(&rhs.0))
    }

    #[inline]
    fn neg(&self) -> Self {
        Self(self.0.neg())
    }

    fn invert(&self) -> Self {
        Self(self.0.invert())
    }

    fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Result<Self, crate::Error> {
        for _ in 0..MAX_DRAWS {
            let mut buf = [0u8; 32];
            rng.fill_bytes(&mut buf);
            let candidate = Scalar::from_be_bytes(&buf);
            buf.zeroize();
            // n > 2²⁵⁶ − 2²²⁴: a draw is rejected with probability below 2⁻³²; only the
            // verdict is public.
            if crate::ct::declassify_choice(candidate.is_some()) {
                return Ok(Self(candidate.unwrap_or(Scalar::ZERO)));
            }
        }
        Err(crate::Error::RngFailure)
    }

    fn write_bytes(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.0.to_be_bytes());
    }

    fn read_bytes(bytes: &[u8]) -> CtOption<Self> {
        match <&[u8; 32]>::try_from(bytes) {
            Ok(b) => Self::from_be_bytes(b),
            Err(_) => CtOption::new(Self::ZERO, Choice::from(0)),
        }
    }
}
