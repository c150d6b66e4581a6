//! Shamir secret sharing (Shamir 1979): a secret becomes `n` shares, any `t` of which
//! rebuild it while `t − 1` reveal nothing.
//!
//! - [`gf256`]: byte strings of any length over GF(2⁸), for keys split among officers.
//!   Table-free, constant-time arithmetic.
//! - [`prime`]: elements and vectors of a [`PrimeField`] — [`Goldilocks`]
//!   (p = 2⁶⁴ − 2³² + 1) for counters, [`P256Scalar`] for Feldman — with share-wise
//!   addition, so that aggregation servers can sum the shares of many contributions and
//!   rebuild only the sum.
//! - [`feldman`]: verifiable sharing over the P-256 scalar field (Feldman 1987): the
//!   dealer publishes `aⱼ·G` for each coefficient and every holder can check its share.
//!
//! Polynomials have degree `t − 1` with coefficients drawn uniformly from the whole field,
//! zero included (a dealer that excludes zero biases the shares; RUSTSEC-2024-0398).
//! Shares are evaluated at x = 1, …, n; reconstruction is Lagrange interpolation at 0.
//!
//! # Shares describe themselves
//! A [`Share`] carries, besides its index `x` and its value, the field, the threshold and a
//! 16-byte set identifier drawn at random when the secret is split. Reconstruction refuses
//! shares of different fields, sets, thresholds or lengths ([`Error::ShareMismatch`]),
//! duplicate indices ([`Error::DuplicateShareIndex`]) and fewer shares than the threshold
//! ([`Error::NotEnoughShares`]), and rebuilds nothing in those cases. [`Share::to_bytes`]
//! writes the versioned encoding below; [`Share::from_bytes`] parses it exactly and never
//! panics.
//!
//! **This metadata is not authenticated.** The threshold byte, the set identifier, the
//! field and the index travel in the clear and nothing binds them to the values: whoever
//! can alter shares in transit can lower the threshold of every share so that fewer than
//! t shares "reconstruct" — a wrong secret, returned without an error — or raise it so
//! that reconstruction is refused. Protect shares in transit (sealed to their holder and
//! signed by the dealer), or check them against commitments ([`feldman::verify_share`]);
//! the `stats` layer binds them under its signatures.
//!
//! ```text
//! offset  size  field
//!      0     1  version (1)
//!      1     1  field: 1 = GF(2⁸), 2 = Goldilocks, 3 = P-256 scalar
//!      2    16  set identifier
//!     18     1  threshold t (2 ≤ t)
//!     19     1  index x (1 ≤ x ≤ 255)
//!     20     4  payload length in bytes, big-endian (a non-zero multiple of the element size)
//!     24     …  payload: the share's values, each element big-endian (GF(2⁸): one byte
//!               per byte of the secret)
//! ```
//!
//! Indices are one byte in every field, so a split makes at most 255 shares.
//!
//! # Constant time
//! Splitting and combining are constant-time in the secret, the coefficients and the share
//! values: the indices, the threshold, the count, the lengths and the set identifier are
//! public (the set identifier is declassified when drawn). Lagrange coefficients are
//! computed from the public indices. See `SIDE-CHANNELS.md`.

#[cfg(feature = "alloc")]
pub mod feldman;
mod field;
#[cfg(feature = "alloc")]
pub mod gf256;
mod goldilocks;
mod p256_scalar;
#[cfg(feature = "alloc")]
pub mod prime;

pub use field::{MAX_DRAWS, PrimeField};
pub use goldilocks::Goldilocks;
pub use p256_scalar::P256Scalar;

#[cfg(feature = "alloc")]
pub use share::Share;

#[cfg(feature = "alloc")]
use crate::Error;

/// The field a share's values live in, as written in its encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldId {
    /// GF(2⁸) with the AES polynomial x⁸ + x⁴ + x³ + x + 1 ([`gf256`]).
    Gf256,
    /// GF(2⁶⁴ − 2³² + 1) ([`Goldilocks`]).
    Goldilocks,
    /// Integers modulo the P-256 group order ([`P256Scalar`]).
    P256Scalar,
}

impl FieldId {
    /// The byte of the encoding.
    pub const fn to_byte(self) -> u8 {
        match self {
            FieldId::Gf256 => 1,
            FieldId::Goldilocks => 2,
            FieldId::P256Scalar => 3,
        }
    }

    /// The field of an encoding byte, if known.
    pub const fn from_byte(b: u8) -> Option<Self> {
        match b {
            1 => Some(FieldId::Gf256),
            2 => Some(FieldId::Goldilocks),
            3 => Some(FieldId::P256Scalar),
            _ => None,
        }
    }

    /// Bytes per element in a payload.
    pub const fn element_bytes(self) -> usize {
        match self {
            FieldId::Gf256 => 1,
            FieldId::Goldilocks => 8,
            FieldId::P256Scalar => 32,
        }
    }
}

/// The largest number of shares of one split: indices are one byte, and 0 is the secret.
pub const MAX_SHARES: usize = 255;

/// Checks a (threshold, count) pair: 2 ≤ t ≤ n ≤ 255.
#[cfg(feature = "alloc")]
pub(crate) fn check_params(threshold: usize, count: usize) -> Result<(), Error> {
    if threshold < 2 || threshold > count || count > MAX_SHARES {
        return Err(Error::InvalidThreshold);
    }
    Ok(())
}

#[cfg(feature = "alloc")]
mod share {
    use alloc::vec::Vec;
    use core::borrow::Borrow;
    use core::fmt;

    use rand_core::CryptoRng;
    use zeroize::{Zeroize, ZeroizeOnDrop};

    use super::FieldId;
    use crate::Error;

    /// Version byte of the share encoding.
    pub(crate) const VERSION: u8 = 1;
    /// Bytes before the payload.
    pub(crate) const HEADER: usize = 24;

    /// One share of a secret: index, value(s), and what it belongs to (field, threshold,
    /// set identifier).
    ///
    /// The value is secret: it zeroizes on drop and `Debug` shows only the public
    /// metadata. `Clone` exists so that a dealer can hand copies out; each copy zeroizes
    /// on its own.
    #[derive(Clone)]
    pub struct Share {
        pub(crate) field: FieldId,
        pub(crate) set_id: [u8; 16],
        pub(crate) threshold: u8,
        pub(crate) index: u8,
        /// The values, each element big-endian, `field.element_bytes()` bytes each.
        pub(crate) payload: Vec<u8>,
    }

    impl Drop for Share {
        fn drop(&mut self) {
            self.payload.zeroize();
        }
    }

    impl ZeroizeOnDrop for Share {}

    impl fmt::Debug for Share {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Share")
                .field("field", &self.field)
                .field("threshold", &self.threshold)
                .field("index", &self.index)
                .field("len", &self.len())
                .finish_non_exhaustive()
        }
    }

    impl Share {
        /// The evaluation point x (1 ≤ x ≤ 255).
        pub fn index(&self) -> u8 {
            self.index
        }

        /// The threshold t of the split this share comes from, *as the share states it*:
        /// unauthenticated metadata (see the [module documentation](super)).
        pub fn threshold(&self) -> u8 {
            self.threshold
        }

        /// The field of the share's values.
        pub fn field(&self) -> FieldId {
            self.field
        }

        /// The identifier of the split (or, for sums, of the sum of the splits).
        pub fn set_id(&self) -> &[u8; 16] {
            &self.set_id
        }

        /// Number of values (bytes for GF(2⁸), elements for a prime field).
        pub fn len(&self) -> usize {
            self.payload.len() / self.field.element_bytes()
        }

        /// Never true for a share that was made or parsed by this crate.
        pub fn is_empty(&self) -> bool {
            self.payload.is_empty()
        }

        /// The versioned encoding (see the [module documentation](super)). The result
        /// holds the secret share value: treat it like the share.
        pub fn to_bytes(&self) -> Vec<u8> {
            let mut out = Vec::with_capacity(HEADER + self.payload.len());
            out.push(VERSION);
            out.push(self.field.to_byte());
            out.extend_from_slice(&self.set_id);
            out.push(self.threshold);
            out.push(self.index);
            // Payloads are built from in-range lengths; `from_bytes` enforces ≤ u32::MAX.
            let len = u32::try_from(self.payload.len()).unwrap_or(u32::MAX);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&self.payload);
            out
        }

        /// Parses the versioned encoding exactly: a version other than 1 is
        /// [`Error::UnsupportedVersion`]; a short or long buffer, an unknown field, a
        /// payload length that is zero or not a multiple of the element size, or a
        /// prime-field element not below p is [`Error::InvalidEncoding`]; a threshold
        /// below 2 is [`Error::InvalidThreshold`]; index 0 is
        /// [`Error::InvalidShareIndex`].
        pub fn from_bytes(bytes: &[u8]) -> Result<Share, Error> {
            let (&version, _) = bytes.split_first().ok_or(Error::InvalidEncoding)?;
            if version != VERSION {
                return Err(Error::UnsupportedVersion);
            }
            let Some((header, payload)) = bytes.split_at_checked(HEADER) else {
                return Err(Error::InvalidEncoding);
            };
            let field = FieldId::from_byte(header[1]).ok_or(Error::InvalidEncoding)?;
            let mut set_id = [0u8; 16];
            set_id.copy_from_slice(&header[2..18]);
            let threshold = header[18];
            let index = header[19];
            let len = u32::from_be_bytes([header[20], header[21], header[22], header[23]]);
            let len = usize::try_from(len).map_err(|_| Error::InvalidEncoding)?;
            if len != payload.len() || len == 0 || len % field.element_bytes() != 0 {
                return Err(Error::InvalidEncoding);
            }
            if threshold < 2 {
                return Err(Error::InvalidThreshold);
            }
            if index == 0 {
                return Err(Error::InvalidShareIndex);
            }
            let share = Share {
                field,
                set_id,
                threshold,
                index,
                payload: payload.to_vec(),
            };
            if !share.elements_canonical() {
                return Err(Error::InvalidEncoding);
            }
            Ok(share)
        }

        /// Every prime-field element of the payload is below p (constant-time per
        /// element; only the overall verdict is public).
        fn elements_canonical(&self) -> bool {
            use super::{Goldilocks, P256Scalar, PrimeField};
            fn all<F: PrimeField>(payload: &[u8]) -> bool {
                let mut ok = subtle::Choice::from(1);
                for chunk in payload.chunks_exact(F::BYTES) {
                    ok &= F::read_bytes(chunk).is_some();
                }
                crate::ct::declassify_choice(ok)
            }
            match self.field {
                FieldId::Gf256 => true,
                FieldId::Goldilocks => all::<Goldilocks>(&self.payload),
                FieldId::P256Scalar => all::<P256Scalar>(&self.payload),
            }
        }
    }

    /// A fresh random set identifier, public by nature (declassified for the valgrind
    /// check, since it comes from the same RNG as the coefficients).
    pub(crate) fn random_set_id<R: CryptoRng + ?Sized>(rng: &mut R) -> [u8; 16] {
        let mut id = [0u8; 16];
        rng.fill_bytes(&mut id);
        crate::ct::declassify(&id);
        let _ = core::hint::black_box(&mut id);
        id
    }

    /// What every reconstruction checks before computing anything; returns the first
    /// `t` shares' indices and the common payload length.
    ///
    /// Order of the checks: no shares → [`Error::NotEnoughShares`]; a share of another
    /// field than `field`, or of a different set, threshold or length than the first →
    /// [`Error::ShareMismatch`]; index 0 → [`Error::InvalidShareIndex`]; an index seen
    /// twice → [`Error::DuplicateShareIndex`]; fewer shares than the threshold →
    /// [`Error::NotEnoughShares`].
    pub(crate) fn check_shares<S: Borrow<Share>>(
        shares: &[S],
        field: FieldId,
    ) -> Result<(usize, usize), Error> {
        let first = shares.first().ok_or(Error::NotEnoughShares)?.borrow();
        let mut seen = [0u64; 4];
        for s in shares {
            let s = s.borrow();
            if s.field != field
                || s.set_id != first.set_id
                || s.threshold != first.threshold
                || s.payload.len() != first.payload.len()
            {
                return Err(Error::ShareMismatch);
            }
            if s.index == 0 {
                return Err(Error::InvalidShareIndex);
            }
            let (word, bit) = (usize::from(s.index / 64), s.index % 64);
            if seen[word] >> bit & 1 == 1 {
                return Err(Error::DuplicateShareIndex);
            }
            seen[word] |= 1 << bit;
        }
        let t = usize::from(first.threshold);
        if t < 2 {
            return Err(Error::InvalidThreshold);
        }
        if shares.len() < t {
            return Err(Error::NotEnoughShares);
        }
        Ok((t, first.payload.len()))
    }
}
