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
//! - [`shamir`]: Shamir shares held by aggregation servers (issue 16); the payload is one
//!   HPKE-sealed share vector per server, the sum is empty (an aggregate is the list of
//!   contributions; the servers add the shares they open), a part is one server's sum share.
//!
//! The roles use [`RoundEngine`], which dispatches to the engine the manifest names. The
//! Shamir engine does not implement [`Engine`]: sealing needs the organization's key
//! (HPKE auth mode) and a server's part needs the contributions themselves, not a sum,
//! so its seal and open steps have their own signatures ([`shamir::ShamirEngine`]).

pub mod paillier;
pub mod shamir;

use alloc::vec::Vec;
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};

use super::codec::{Reader, Writer};
use crate::Error;
use crate::ec::p256::SigningKey;
use crate::paillier::Ciphertext;
use crate::paillier::threshold::DecryptionShare;
use paillier::PaillierEngine;
use shamir::{SealedShare, ShamirEngine, ShareContext, SumShare};

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

/// The engine a round runs, as its manifest names it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum RoundEngine {
    /// Threshold Paillier.
    Paillier(PaillierEngine),
    /// Shamir shares held by servers.
    Shamir(ShamirEngine),
}

/// A contribution's sealed slots.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Payload {
    /// Paillier: the packed ciphertexts.
    Paillier(Vec<Ciphertext>),
    /// Shamir: one sealed share vector per server, in the manifest's order.
    Shamir(Vec<SealedShare>),
}

/// An aggregate's sum.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Sum {
    /// Paillier: the product of the ciphertexts.
    Paillier(Vec<Ciphertext>),
    /// Shamir: nothing (the aggregate's list of contributions is what the servers add).
    Shamir,
}

/// One committee member's (or server's) part of opening a sum.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Part {
    /// Paillier: decryption shares with proofs, one per ciphertext.
    Paillier(Vec<DecryptionShare>),
    /// Shamir: the server's sum share.
    Shamir(SumShare),
}

impl RoundEngine {
    /// The engine's name in files (`"paillier"`, `"shamir"`).
    pub fn name(&self) -> &'static str {
        match self {
            RoundEngine::Paillier(_) => "paillier",
            RoundEngine::Shamir(_) => "shamir",
        }
    }

    /// Slots per contribution.
    pub fn slots(&self) -> usize {
        match self {
            RoundEngine::Paillier(e) => e.slots(),
            RoundEngine::Shamir(e) => e.slots(),
        }
    }

    /// Parts needed to open a sum.
    pub fn threshold(&self) -> usize {
        match self {
            RoundEngine::Paillier(e) => e.threshold(),
            RoundEngine::Shamir(e) => e.threshold(),
        }
    }

    /// How many hex strings a contribution's JSON form carries (ciphertexts or sealed
    /// shares).
    pub fn payload_items(&self) -> usize {
        match self {
            RoundEngine::Paillier(e) => e.ciphertexts(),
            RoundEngine::Shamir(e) => e.servers(),
        }
    }

    /// Seals `slots` for the organization `ctx.org`, holding `key`.
    pub fn seal<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        ctx: &ShareContext<'_>,
        key: &SigningKey,
        slots: &[u64],
    ) -> Result<Payload, Error> {
        match self {
            RoundEngine::Paillier(e) => e.seal(rng, slots).map(Payload::Paillier),
            RoundEngine::Shamir(e) => e.seal(rng, ctx, key, slots).map(Payload::Shamir),
        }
    }

    /// The hash of a payload that the organization's signature covers: SHA-256 of the
    /// canonical form (Paillier), or of the sealed shares' hashes (Shamir).
    pub fn payload_hash(&self, p: &Payload) -> [u8; 32] {
        match (self, p) {
            (RoundEngine::Shamir(e), Payload::Shamir(s)) => e.payload_hash(s),
            _ => {
                let mut w = Writer::new(b"");
                self.write_payload(p, &mut w);
                Sha256::digest(w.finish()).into()
            }
        }
    }

    /// Writes a payload in canonical form.
    pub fn write_payload(&self, p: &Payload, w: &mut Writer) {
        match (self, p) {
            (RoundEngine::Paillier(e), Payload::Paillier(c)) => e.write_payload(c, w),
            (RoundEngine::Shamir(e), Payload::Shamir(s)) => e.write_payload(s, w),
            // Payloads are only made or read under their round's engine.
            _ => {}
        }
    }

    /// Reads a payload (lengths from the round; every element validated).
    pub fn read_payload(&self, r: &mut Reader<'_>) -> Result<Payload, Error> {
        match self {
            RoundEngine::Paillier(e) => e.read_payload(r).map(Payload::Paillier),
            RoundEngine::Shamir(e) => e.read_payload(r).map(Payload::Shamir),
        }
    }

    /// The payload's items as bytes (one per ciphertext or sealed share): the JSON form.
    pub fn payload_items_bytes(&self, p: &Payload) -> Vec<Vec<u8>> {
        match p {
            Payload::Paillier(c) => c.iter().map(Ciphertext::to_bytes).collect(),
            Payload::Shamir(s) => s
                .iter()
                .map(|s| [s.enc.as_slice(), &s.ct].concat())
                .collect(),
        }
    }

    /// A payload from its items' bytes ([`Error::InvalidCiphertext`] for a wrong count or
    /// length, or an invalid element).
    pub fn payload_from_items(&self, items: &[Vec<u8>]) -> Result<Payload, Error> {
        if items.len() != self.payload_items() {
            return Err(Error::InvalidCiphertext);
        }
        match self {
            RoundEngine::Paillier(e) => {
                let len = e.threshold_key().public_key().ciphertext_len();
                let mut w = Writer::new(b"");
                for b in items {
                    if b.len() != len {
                        return Err(Error::InvalidCiphertext);
                    }
                    w.fixed(b);
                }
                let bytes = w.finish();
                let mut r = Reader::new(&bytes, b"")?;
                let p = e.read_payload(&mut r)?;
                r.finish()?;
                Ok(Payload::Paillier(p))
            }
            RoundEngine::Shamir(e) => items
                .iter()
                .map(|b| e.sealed_from_bytes(b))
                .collect::<Result<Vec<_>, _>>()
                .map(Payload::Shamir),
        }
    }

    /// The sum of one payload.
    pub fn start_sum(&self, p: &Payload) -> Result<Sum, Error> {
        match (self, p) {
            (RoundEngine::Paillier(e), Payload::Paillier(c)) => Ok(Sum::Paillier(e.start_sum(c))),
            (RoundEngine::Shamir(_), Payload::Shamir(_)) => Ok(Sum::Shamir),
            _ => Err(Error::InvalidCiphertext),
        }
    }

    /// Adds a payload to a sum.
    pub fn add(&self, sum: &mut Sum, p: &Payload) -> Result<(), Error> {
        match (self, sum, p) {
            (RoundEngine::Paillier(e), Sum::Paillier(s), Payload::Paillier(c)) => e.add(s, c),
            (RoundEngine::Shamir(_), Sum::Shamir, Payload::Shamir(_)) => Ok(()),
            _ => Err(Error::InvalidCiphertext),
        }
    }

    /// Adds the sum of a disjoint set of contributions.
    pub fn merge(&self, sum: &mut Sum, other: &Sum) -> Result<(), Error> {
        match (self, sum, other) {
            (RoundEngine::Paillier(e), Sum::Paillier(s), Sum::Paillier(o)) => e.merge(s, o),
            (RoundEngine::Shamir(_), Sum::Shamir, Sum::Shamir) => Ok(()),
            _ => Err(Error::InvalidCiphertext),
        }
    }

    /// Writes a sum in canonical form (nothing for Shamir).
    pub fn write_sum(&self, s: &Sum, w: &mut Writer) {
        if let (RoundEngine::Paillier(e), Sum::Paillier(c)) = (self, s) {
            e.write_sum(c, w);
        }
    }

    /// Reads a sum.
    pub fn read_sum(&self, r: &mut Reader<'_>) -> Result<Sum, Error> {
        match self {
            RoundEngine::Paillier(e) => e.read_sum(r).map(Sum::Paillier),
            RoundEngine::Shamir(_) => Ok(Sum::Shamir),
        }
    }

    /// The sum's ciphertexts as bytes (the JSON form; none for Shamir).
    pub fn sum_items_bytes(&self, s: &Sum) -> Vec<Vec<u8>> {
        match s {
            Sum::Paillier(c) => c.iter().map(Ciphertext::to_bytes).collect(),
            Sum::Shamir => Vec::new(),
        }
    }

    /// A sum from its items' bytes.
    pub fn sum_from_items(&self, items: &[Vec<u8>]) -> Result<Sum, Error> {
        match self {
            RoundEngine::Paillier(_) => match self.payload_from_items(items)? {
                Payload::Paillier(c) => Ok(Sum::Paillier(c)),
                Payload::Shamir(_) => Err(Error::InvalidCiphertext),
            },
            RoundEngine::Shamir(_) if items.is_empty() => Ok(Sum::Shamir),
            RoundEngine::Shamir(_) => Err(Error::InvalidCiphertext),
        }
    }

    /// The committee index a part claims.
    pub fn part_index(&self, part: &Part) -> u8 {
        match (self, part) {
            (RoundEngine::Paillier(e), Part::Paillier(p)) => e.part_index(p),
            (RoundEngine::Shamir(_), Part::Shamir(p)) => p.index(),
            _ => 0,
        }
    }

    /// Checks a part against `sum`: proofs (Paillier), shape (Shamir: a sum share cannot
    /// be checked alone; its signature binds it to the aggregate). [`Error::InvalidShare`].
    pub fn verify_part(&self, sum: &Sum, part: &Part) -> Result<(), Error> {
        match (self, sum, part) {
            (RoundEngine::Paillier(e), Sum::Paillier(s), Part::Paillier(p)) => e.verify_part(s, p),
            (RoundEngine::Shamir(e), Sum::Shamir, Part::Shamir(p)) => e.verify_part(p),
            _ => Err(Error::InvalidShare),
        }
    }

    /// Writes a part in canonical form.
    pub fn write_part(&self, p: &Part, w: &mut Writer) {
        match (self, p) {
            (RoundEngine::Paillier(e), Part::Paillier(s)) => e.write_part(s, w),
            (RoundEngine::Shamir(e), Part::Shamir(s)) => e.write_part(s, w),
            _ => {}
        }
    }

    /// Reads a part.
    pub fn read_part(&self, r: &mut Reader<'_>) -> Result<Part, Error> {
        match self {
            RoundEngine::Paillier(e) => e.read_part(r).map(Part::Paillier),
            RoundEngine::Shamir(e) => e.read_part(r).map(Part::Shamir),
        }
    }

    /// Opens `sum` of `contributions` contributions from exactly t verified parts: the
    /// slot totals, or `Ok(None)` if they cannot be unpacked (Paillier).
    pub fn open(
        &self,
        sum: &Sum,
        parts: &[&Part],
        contributions: u64,
    ) -> Result<Option<Vec<u64>>, Error> {
        match (self, sum) {
            (RoundEngine::Paillier(e), Sum::Paillier(s)) => {
                let ps: Vec<Vec<DecryptionShare>> = parts
                    .iter()
                    .map(|p| match p {
                        Part::Paillier(x) => Ok(x.clone()),
                        Part::Shamir(_) => Err(Error::InvalidShare),
                    })
                    .collect::<Result<_, _>>()?;
                e.open(s, &ps, contributions)
            }
            (RoundEngine::Shamir(e), Sum::Shamir) => {
                let ps: Vec<&SumShare> = parts
                    .iter()
                    .map(|p| match p {
                        Part::Shamir(x) => Ok(x),
                        Part::Paillier(_) => Err(Error::InvalidShare),
                    })
                    .collect::<Result<_, _>>()?;
                e.open(&ps).map(Some)
            }
            _ => Err(Error::InvalidCiphertext),
        }
    }
}
