//! The committee member's role: decrypt only the round's aggregate, once, after checking
//! it; and the signed [`PartialDecryption`] it writes.
//!
//! [`PartialDecryption::create`] enforces, in order: the aggregate is of this round
//! (`check_round`); the member is on the committee with this signing key and key share
//! (`check_member`); the aggregate is exactly the product of the signed contributions it
//! lists (`verify_against_contributions`: one signature check and one multiplication
//! each); at least the quorum of distinct roster organizations is in it (`check_quorum`);
//! this member has not decrypted in this round before (`decrypt_once`, through a
//! [`Journal`] that records the round before any share leaves). Together these stop an
//! aggregator from getting one contribution, or the difference of two aggregates,
//! decrypted.
//!
//! With the Shamir engine the committee are the aggregation servers and
//! [`PartialDecryption::create_server`] is a server's step: the same rules in the same
//! order, then it opens its own HPKE-sealed share of every listed contribution (each must
//! open, sealed by the listed organization's key for this server and round) and adds them;
//! its part is the sum share. The aggregate's digest it signs binds the set of
//! organizations and their contributions' hashes, so the combiner can tell which set each
//! server summed.
//!
//! The member signs `SHA-256(b"tsubaki/stats/v1/partial-signed" ‖ round id ‖ round digest
//! ‖ member id ‖ index ‖ aggregate digest ‖ SHA-256(shares))`.

use alloc::collections::BTreeSet;
use alloc::string::String;
use alloc::vec::Vec;
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};

use super::aggregate::Aggregate;
#[cfg(feature = "serde")]
use super::codec;
use super::codec::{Reader, Writer};
use super::contribution::Contribution;
use super::engine::{Engine, RoundEngine};
use super::round::Round;
use super::rules;
use crate::Error;
use crate::ec::p256::{Signature, SigningKey};
use crate::paillier::threshold::KeyShare;

/// Domain separation of a partial decryption's canonical form.
pub const PARTIAL_DOMAIN: &[u8] = b"tsubaki/stats/v1/partial";
/// Domain separation of what the member signs.
pub const PARTIAL_SIGNED_DOMAIN: &[u8] = b"tsubaki/stats/v1/partial-signed";

pub use super::engine::Part;

/// A committee member's record of the rounds it has decrypted in.
///
/// `record_once` must durably record `(round, member)` before returning `Ok`, and return
/// [`Error::AlreadyDecrypted`] if it was recorded before ([`Error::JournalFailure`] if the
/// record cannot be read or written: then nothing is decrypted).
pub trait Journal {
    /// Records that `member` decrypts in `round`, refusing a second time.
    fn record_once(&mut self, round: &[u8; 16], member: &str) -> Result<(), Error>;
}

/// A journal in memory (tests, a long-running service that persists it itself).
#[derive(Clone, Debug, Default)]
pub struct MemoryJournal {
    seen: BTreeSet<([u8; 16], String)>,
}

impl Journal for MemoryJournal {
    fn record_once(&mut self, round: &[u8; 16], member: &str) -> Result<(), Error> {
        if !self.seen.insert((*round, member.into())) {
            return Err(Error::AlreadyDecrypted);
        }
        Ok(())
    }
}

/// A member's decryption shares (with proofs) of one aggregate, signed.
#[derive(Clone, Debug)]
pub struct PartialDecryption {
    round: [u8; 16],
    member: String,
    index: u8,
    aggregate: [u8; 32],
    part: Part,
    signature: Signature,
}

impl PartialDecryption {
    /// The member's step; see the module documentation for the rules enforced.
    #[allow(clippy::too_many_arguments)]
    pub fn create<R: CryptoRng + ?Sized>(
        rng: &mut R,
        round: &Round,
        member: &str,
        key: &SigningKey,
        share: &KeyShare,
        aggregate: &Aggregate,
        contributions: &[Contribution],
        journal: &mut dyn Journal,
    ) -> Result<Self, Error> {
        let RoundEngine::Paillier(engine) = round.engine() else {
            return Err(Error::UnsupportedAlgorithm);
        };
        let super::aggregate::Sum::Paillier(sum) = aggregate.sum() else {
            return Err(Error::AggregateMismatch);
        };
        rules::check_round(round, aggregate.round_id())?;
        let index = engine.member_index(share)?;
        rules::check_member(round, member, &key.verifying_key(), index)?;
        rules::verify_against_contributions(round, aggregate, contributions)?;
        rules::check_quorum(round, aggregate)?;
        rules::decrypt_once(journal, round, member)?;
        let part = Part::Paillier(engine.open_part(rng, share, sum)?);
        Self::sign(round, member, key, index, aggregate, part)
    }

    /// A server's step with the Shamir engine: the rules of [`create`](Self::create) —
    /// round, membership with this key, the aggregate re-checked against the signed
    /// contributions it lists (signature, roster, round, one per org), quorum — then every
    /// listed contribution's share for this server is opened
    /// ([`rules::open_own_shares`]: [`Error::AuthenticationFailed`] if one does not open;
    /// nothing is journaled then), the round is journaled (once per round) and the sum
    /// share is signed. [`Error::UnsupportedAlgorithm`] for a Paillier round.
    pub fn create_server(
        round: &Round,
        member: &str,
        key: &SigningKey,
        aggregate: &Aggregate,
        contributions: &[Contribution],
        journal: &mut dyn Journal,
    ) -> Result<Self, Error> {
        if !matches!(round.engine(), RoundEngine::Shamir(_)) {
            return Err(Error::UnsupportedAlgorithm);
        }
        rules::check_round(round, aggregate.round_id())?;
        let (index, _) = round.member(member).ok_or(Error::NotOnRoster)?;
        rules::check_member(round, member, &key.verifying_key(), index)?;
        rules::verify_against_contributions(round, aggregate, contributions)?;
        rules::check_quorum(round, aggregate)?;
        let sum = rules::open_own_shares(round, index, key, aggregate, contributions)
            .map_err(|(_, e)| e)?;
        rules::decrypt_once(journal, round, member)?;
        Self::sign(round, member, key, index, aggregate, Part::Shamir(sum))
    }

    fn sign(
        round: &Round,
        member: &str,
        key: &SigningKey,
        index: u8,
        aggregate: &Aggregate,
        part: Part,
    ) -> Result<Self, Error> {
        let aggregate_digest = aggregate.digest(round);
        let digest = signed_digest(round, member, index, &aggregate_digest, &part);
        Ok(PartialDecryption {
            round: *round.id(),
            member: member.into(),
            index,
            aggregate: aggregate_digest,
            part,
            signature: key.sign_prehash(&digest)?,
        })
    }

    /// The round id.
    pub fn round_id(&self) -> &[u8; 16] {
        &self.round
    }

    /// The member id.
    pub fn member(&self) -> &str {
        &self.member
    }

    /// The member's share index.
    pub fn index(&self) -> u8 {
        self.index
    }

    /// The digest of the aggregate it decrypts.
    pub fn aggregate_digest(&self) -> &[u8; 32] {
        &self.aggregate
    }

    /// The decryption shares with proofs (Paillier) or the sum share (Shamir).
    pub fn part(&self) -> &Part {
        &self.part
    }

    /// The member's signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// What the member signs.
    pub fn signed_digest(&self, round: &Round) -> [u8; 32] {
        signed_digest(round, &self.member, self.index, &self.aggregate, &self.part)
    }

    /// The canonical form.
    pub fn to_bytes(&self, round: &Round) -> Vec<u8> {
        let mut w = Writer::new(PARTIAL_DOMAIN);
        w.fixed(&self.round);
        w.str(&self.member);
        w.u8(self.index);
        w.fixed(&self.aggregate);
        round.engine().write_part(&self.part, &mut w);
        w.fixed(self.signature.to_bytes().as_ref());
        w.finish()
    }

    /// Parses the canonical form under `round`. Proofs and signature are checked by the
    /// combiner ([`rules::verify_partial`]).
    pub fn from_bytes(round: &Round, input: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(input, PARTIAL_DOMAIN)?;
        let id = r.array::<16>()?;
        rules::check_round(round, &id)?;
        let member = r.str()?;
        let index = r.u8()?;
        let aggregate = r.array::<32>()?;
        let part = round.engine().read_part(&mut r)?;
        let signature = Signature::from_slice(r.fixed(64)?)?;
        r.finish()?;
        Ok(PartialDecryption {
            round: id,
            member,
            index,
            aggregate,
            part,
            signature,
        })
    }
}

fn signed_digest(
    round: &Round,
    member: &str,
    index: u8,
    aggregate: &[u8; 32],
    part: &Part,
) -> [u8; 32] {
    let mut w = Writer::new(b"");
    round.engine().write_part(part, &mut w);
    let part_hash: [u8; 32] = Sha256::digest(w.finish()).into();
    let mut h = Sha256::new();
    h.update(PARTIAL_SIGNED_DOMAIN);
    h.update(round.id());
    h.update(round.digest());
    h.update((member.len() as u16).to_be_bytes());
    h.update(member.as_bytes());
    h.update([index]);
    h.update(aggregate);
    h.update(part_hash);
    h.finalize().into()
}

/// The JSON form of a partial decryption (what `tsubaki stats partial` writes).
#[cfg(feature = "serde")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialJson {
    /// Format version (1).
    pub version: u32,
    /// Round id, hex.
    pub round: String,
    /// Member id.
    pub member: String,
    /// The member's share index.
    pub index: u8,
    /// Digest of the aggregate decrypted, hex.
    pub aggregate: String,
    /// Organizations in that aggregate (for reading; the digest binds them).
    pub orgs: Vec<String>,
    /// Decryption shares with proofs, one per ciphertext (Paillier), or the sum share's
    /// values, 8 bytes each (Shamir), hex.
    pub shares: Vec<String>,
    /// The member's signature, hex.
    pub signature: String,
}

#[cfg(feature = "serde")]
impl PartialDecryption {
    /// The JSON form; `orgs` are the aggregate's organizations.
    pub fn to_json(&self, orgs: Vec<String>) -> PartialJson {
        use crate::paillier::threshold::DecryptionShare;
        let shares = match &self.part {
            Part::Paillier(p) => p
                .iter()
                .map(|s: &DecryptionShare| codec::hex(&s.to_bytes()))
                .collect(),
            Part::Shamir(s) => alloc::vec![codec::hex(
                &s.values()
                    .iter()
                    .flat_map(|v| v.to_be_bytes())
                    .collect::<Vec<u8>>()
            )],
        };
        PartialJson {
            version: 1,
            round: codec::hex(&self.round),
            member: self.member.clone(),
            index: self.index,
            aggregate: codec::hex(&self.aggregate),
            orgs,
            shares,
            signature: codec::hex(self.signature.to_bytes().as_ref()),
        }
    }

    /// Reads the JSON form under `round`.
    pub fn from_json(round: &Round, j: &PartialJson) -> Result<Self, Error> {
        if j.version != 1 {
            return Err(Error::UnsupportedVersion);
        }
        let id = codec::unhex_array::<16>(&j.round)?;
        rules::check_round(round, &id)?;
        codec::check_name(&j.member)?;
        let part = match round.engine() {
            RoundEngine::Paillier(e) => {
                let mut w = Writer::new(b"");
                if j.shares.len() != e.ciphertexts() {
                    return Err(Error::InvalidShare);
                }
                for s in &j.shares {
                    w.var(&codec::unhex(s)?);
                }
                let bytes = w.finish();
                let mut r = Reader::new(&bytes, b"")?;
                let part = round.engine().read_part(&mut r)?;
                r.finish()?;
                part
            }
            RoundEngine::Shamir(e) => {
                let [values] = j.shares.as_slice() else {
                    return Err(Error::InvalidShare);
                };
                let b = codec::unhex(values).map_err(|_| Error::InvalidShare)?;
                Part::Shamir(e.part_from_bytes(j.index, &b)?)
            }
        };
        Ok(PartialDecryption {
            round: id,
            member: j.member.clone(),
            index: j.index,
            aggregate: codec::unhex_array::<32>(&j.aggregate)?,
            part,
            signature: Signature::from_slice(&codec::unhex(&j.signature)?)?,
        })
    }
}
