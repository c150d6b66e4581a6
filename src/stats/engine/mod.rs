//! The seam between the round's rules and the cryptography that hides the slots.
//!
//! A round's roles (contributor, aggregator, committee member, combiner) and their rules
//! are written once, in `contribution`, `aggregate`, `partial` and `report`, against the
//! [`Engine`] trait; an engine says how a slot vector is sealed, how sealed vectors are
//! summed, what a committee member (or server) contributes to opening a sum, and how
//! enough of those parts open it — the way libprio's `vdaf` separates shard / prepare /
//! aggregate / unshard from the fields under them.
//!
//! - [`paillier`]: threshold Paillier (issue 12); the payload is packed ciphertexts, the
//!   sum their product, a part a member's decryption shares with proofs.
//! - The Shamir engine (issue 16) fits the same trait: the payload is one sealed share
//!   vector per server, the sum is the set of payloads an aggregate lists (the servers add
//!   the shares they open), a part is one server's sum share; `decrypt_part` then receives
//!   the verified contributions through [`Engine::Sum`].

pub mod paillier;

use alloc::vec::Vec;
use rand_core::CryptoRng;

use super::codec::{Reader, Writer};
use crate::Error;

/// What hides the slots of a round. See the module documentation.
pub trait Engine {
    /// One contributor's sealed slot vector.
    type Payload: Clone;
    /// The aggregator's running sum of payloads.
    type Sum: Clone + PartialEq;
    /// What one committee member (or server) holds to open sums.
    type MemberKey;
    /// One member's part of opening a sum (e.g. decryption shares with proofs).
    type Part: Clone;

    /// Number of slots a payload carries.
    fn slots(&self) -> usize;

    /// Seals `slots` (already checked against the schema's bounds).
    fn seal<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        slots: &[u64],
    ) -> Result<Self::Payload, Error>;
    /// Writes a payload in canonical form.
    fn write_payload(&self, p: &Self::Payload, w: &mut Writer);
    /// Reads a payload; sizes come from the engine's parameters, and every element is
    /// validated (a malformed ciphertext is refused here).
    fn read_payload(&self, r: &mut Reader<'_>) -> Result<Self::Payload, Error>;

    /// The sum of one payload.
    fn start_sum(&self, p: &Self::Payload) -> Self::Sum;
    /// Adds a payload to a sum.
    fn add(&self, sum: &mut Self::Sum, p: &Self::Payload) -> Result<(), Error>;
    /// Adds another sum (of a disjoint set of contributions) to a sum.
    fn merge(&self, sum: &mut Self::Sum, other: &Self::Sum) -> Result<(), Error>;
    /// Writes a sum in canonical form.
    fn write_sum(&self, s: &Self::Sum, w: &mut Writer);
    /// Reads a sum.
    fn read_sum(&self, r: &mut Reader<'_>) -> Result<Self::Sum, Error>;

    /// The committee index (1-based) a member key opens sums as.
    fn member_index(&self, key: &Self::MemberKey) -> Result<u8, Error>;
    /// A member's part of opening `sum`. The caller enforces the rules first (`partial`).
    fn open_part<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        key: &Self::MemberKey,
        sum: &Self::Sum,
    ) -> Result<Self::Part, Error>;
    /// The committee index a part claims.
    fn part_index(&self, part: &Self::Part) -> u8;
    /// Checks a part against `sum` (its proofs); [`Error::InvalidShare`] if it fails.
    fn verify_part(&self, sum: &Self::Sum, part: &Self::Part) -> Result<(), Error>;
    /// Writes a part in canonical form.
    fn write_part(&self, p: &Self::Part, w: &mut Writer);
    /// Reads a part.
    fn read_part(&self, r: &mut Reader<'_>) -> Result<Self::Part, Error>;
    /// How many valid parts open a sum.
    fn threshold(&self) -> usize;

    /// Opens `sum` of `contributions` contributions from exactly [`threshold`](Self::threshold)
    /// verified parts: the slot totals, or `Ok(None)` if the plaintext is not a sum of
    /// `contributions` vectors within the slot width (a contributor broke the encoding).
    fn open(
        &self,
        sum: &Self::Sum,
        parts: &[Self::Part],
        contributions: u64,
    ) -> Result<Option<Vec<u64>>, Error>;
}
