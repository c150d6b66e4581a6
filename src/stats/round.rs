//! The round's manifest, signed by its coordinator: who may contribute, who decrypts,
//! what is measured, under which key, and how many contributors must take part.
//!
//! Every other message names the round by its 128-bit random id and binds the manifest's
//! digest ([`Round::digest`]), so a message made for one manifest is refused under any other.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};

use super::codec::{Reader, Writer};
use super::engine::RoundEngine;
use super::engine::paillier::PaillierEngine;
use super::engine::shamir::ShamirEngine;
use super::schema::Schema;
use super::{codec, rules};
use crate::Error;
use crate::ec::p256::{Signature, SigningKey, VerifyingKey};
use crate::paillier::threshold::ThresholdPublicKey;

/// Domain separation of the manifest's signed body.
pub const ROUND_DOMAIN: &[u8] = b"tsubaki/stats/v1/round";
/// Most contributors on a roster.
pub const MAX_ROSTER: usize = 1 << 20;
/// Most committee members.
pub const MAX_COMMITTEE: usize = 255;
/// Longest round title, in bytes.
pub const MAX_TITLE: usize = 1024;
/// Longest encoded threshold public key accepted in a manifest.
const MAX_KEY_BYTES: usize = 1 << 16;

/// A party of the round: an organization on the roster or a committee member, named by its
/// id and holding a P-256 key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    /// Its id (unique within the roster or committee).
    pub id: String,
    /// Its ECDSA P-256 public key.
    pub public_key: VerifyingKey,
}

/// The engine a round runs and its public parameters.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum EngineParams {
    /// Threshold Paillier: the threshold public key dealt at setup.
    Paillier(ThresholdPublicKey),
    /// Shamir shares held by servers (issue 16): the committee are the servers, each
    /// holding its own key (no dealer); any `threshold` of them rebuild the totals.
    Shamir {
        /// t: servers needed to rebuild the totals.
        threshold: usize,
    },
}

/// The signed manifest of a round. Built by [`Round::create`] (the coordinator) or read
/// with [`Round::from_bytes`], which checks the coordinator's signature.
#[derive(Clone, Debug)]
pub struct Round {
    id: [u8; 16],
    title: String,
    schema: Schema,
    params: EngineParams,
    roster: Vec<Party>,
    committee: Vec<Party>,
    quorum: u32,
    coordinator: VerifyingKey,
    signature: Signature,
    engine: RoundEngine,
    digest: [u8; 32],
    /// Roster position by org id: [`contributor`](Self::contributor) is called for every
    /// contribution and aggregate entry, so it must not scan the roster (up to 2²⁰).
    by_org: BTreeMap<String, usize>,
}

impl Round {
    /// The coordinator's step: a new round with a random id, signed with `coordinator`.
    ///
    /// Refused unless the parameters protect the contributors
    /// ([`rules::check_round_parameters`], [`rules::check_majority`]): distinct ids, a
    /// committee of exactly the key's parties, a threshold that is a majority of it,
    /// 2 ≤ quorum ≤ roster size, and slots that fit the key for the whole roster.
    #[allow(clippy::too_many_arguments)]
    pub fn create<R: CryptoRng + ?Sized>(
        rng: &mut R,
        title: &str,
        schema: Schema,
        params: EngineParams,
        roster: Vec<Party>,
        committee: Vec<Party>,
        quorum: u32,
        coordinator: &SigningKey,
    ) -> Result<Self, Error> {
        let mut id = [0u8; 16];
        rng.fill_bytes(&mut id);
        let coordinator_pub = coordinator.verifying_key();
        let body = body_bytes(
            &id,
            title,
            &schema,
            &params,
            &roster,
            &committee,
            quorum,
            &coordinator_pub,
        );
        let signature = coordinator.sign(&body);
        Self::assemble(
            id,
            title.into(),
            schema,
            params,
            roster,
            committee,
            quorum,
            coordinator_pub,
            signature,
            &body,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        id: [u8; 16],
        title: String,
        schema: Schema,
        params: EngineParams,
        roster: Vec<Party>,
        committee: Vec<Party>,
        quorum: u32,
        coordinator: VerifyingKey,
        signature: Signature,
        body: &[u8],
    ) -> Result<Self, Error> {
        if title.len() > MAX_TITLE || title.chars().any(char::is_control) {
            return Err(Error::InvalidEncoding);
        }
        let (threshold, parties) = match &params {
            EngineParams::Paillier(tpk) => (tpk.threshold(), tpk.parties()),
            EngineParams::Shamir { threshold } => (*threshold, committee.len()),
        };
        rules::check_round_parameters(&roster, &committee, quorum, parties)?;
        rules::check_majority(threshold, parties)?;
        coordinator.verify(body, &signature)?;
        let engine = match &params {
            EngineParams::Paillier(tpk) => RoundEngine::Paillier(PaillierEngine::new(
                tpk.clone(),
                schema.slot_count(),
                schema.max_slot_bound(),
                roster.len() as u64,
            )?),
            EngineParams::Shamir { threshold } => {
                let keys: Vec<VerifyingKey> = committee.iter().map(|p| p.public_key).collect();
                RoundEngine::Shamir(ShamirEngine::new(
                    *threshold,
                    &keys,
                    schema.slot_count(),
                    schema.max_slot_bound(),
                    roster.len() as u64,
                )?)
            }
        };
        let digest: [u8; 32] = Sha256::digest(body).into();
        let by_org = roster
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Ok(Round {
            id,
            title,
            schema,
            params,
            roster,
            committee,
            quorum,
            coordinator,
            signature,
            engine,
            digest,
            by_org,
        })
    }

    /// The round's random id.
    pub fn id(&self) -> &[u8; 16] {
        &self.id
    }

    /// The round id in hex, as files show it.
    pub fn id_hex(&self) -> String {
        codec::hex(&self.id)
    }

    /// SHA-256 of the signed manifest body: what every other message binds.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The engine's public parameters.
    pub fn params(&self) -> &EngineParams {
        &self.params
    }

    /// The engine (Paillier: packing and threshold key; Shamir: the servers' keys).
    pub fn engine(&self) -> &RoundEngine {
        &self.engine
    }

    /// The roster of contributors.
    pub fn roster(&self) -> &[Party] {
        &self.roster
    }

    /// The committee, in share-index order (member i holds key share i + 1).
    pub fn committee(&self) -> &[Party] {
        &self.committee
    }

    /// How many committee members must take part in a decryption.
    pub fn threshold(&self) -> usize {
        self.engine.threshold()
    }

    /// The least number of distinct roster organizations an aggregate must hold before any
    /// committee member decrypts it.
    pub fn quorum(&self) -> u32 {
        self.quorum
    }

    /// The coordinator's public key (pin it out of band: compare with what you expect).
    pub fn coordinator(&self) -> &VerifyingKey {
        &self.coordinator
    }

    /// The roster entry of `org`.
    pub fn contributor(&self, org: &str) -> Option<&Party> {
        self.by_org.get(org).map(|&i| &self.roster[i])
    }

    /// The committee entry of `member` and its share index (1-based).
    pub fn member(&self, member: &str) -> Option<(u8, &Party)> {
        self.committee
            .iter()
            .position(|p| p.id == member)
            .map(|i| ((i + 1) as u8, &self.committee[i]))
    }

    /// The canonical form: signed body, then the 64-byte signature.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = body_bytes(
            &self.id,
            &self.title,
            &self.schema,
            &self.params,
            &self.roster,
            &self.committee,
            self.quorum,
            &self.coordinator,
        );
        out.extend_from_slice(self.signature.to_bytes().as_ref());
        out
    }

    /// Parses the canonical form and checks the coordinator's signature (against the key
    /// the manifest names: compare [`coordinator`](Self::coordinator) with the pinned one).
    pub fn from_bytes(input: &[u8]) -> Result<Self, Error> {
        if input.len() < 64 {
            return Err(Error::InvalidEncoding);
        }
        let (body, sig) = input.split_at(input.len() - 64);
        let signature = Signature::from_slice(sig)?;
        let mut r = Reader::new(body, ROUND_DOMAIN)?;
        let id = r.array::<16>()?;
        let title = r.str_max(MAX_TITLE)?;
        let schema = Schema::read(&mut r)?;
        let params = match r.u8()? {
            1 => EngineParams::Paillier(ThresholdPublicKey::from_bytes(r.var(MAX_KEY_BYTES)?)?),
            2 => EngineParams::Shamir {
                threshold: usize::from(r.u8()?),
            },
            _ => return Err(Error::UnsupportedAlgorithm),
        };
        let roster = read_parties(&mut r, MAX_ROSTER)?;
        let committee = read_parties(&mut r, MAX_COMMITTEE)?;
        let quorum = r.u32()?;
        let coordinator = read_key(&mut r)?;
        r.finish()?;
        Self::assemble(
            id,
            title,
            schema,
            params,
            roster,
            committee,
            quorum,
            coordinator,
            signature,
            body,
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn body_bytes(
    id: &[u8; 16],
    title: &str,
    schema: &Schema,
    params: &EngineParams,
    roster: &[Party],
    committee: &[Party],
    quorum: u32,
    coordinator: &VerifyingKey,
) -> Vec<u8> {
    let mut w = Writer::new(ROUND_DOMAIN);
    w.fixed(id);
    w.var_str(title);
    schema.write(&mut w);
    match params {
        EngineParams::Paillier(tpk) => {
            w.u8(1);
            w.var(&tpk.to_bytes());
        }
        EngineParams::Shamir { threshold } => {
            w.u8(2);
            // `ShamirEngine::new` refuses t > 255 before anything is signed or kept.
            w.u8(u8::try_from(*threshold).unwrap_or(0));
        }
    }
    write_parties(&mut w, roster);
    write_parties(&mut w, committee);
    w.u32(quorum);
    write_key(&mut w, coordinator);
    w.finish()
}

fn write_parties(w: &mut Writer, parties: &[Party]) {
    w.u32(parties.len() as u32);
    for p in parties {
        w.str(&p.id);
        write_key(w, &p.public_key);
    }
}

fn read_parties(r: &mut Reader<'_>, max: usize) -> Result<Vec<Party>, Error> {
    let n = r.count(max)?;
    let mut out = Vec::new();
    for _ in 0..n {
        let id = r.str()?;
        out.push(Party {
            id,
            public_key: read_key(r)?,
        });
    }
    Ok(out)
}

/// A P-256 public key in the canonical form: SEC 1 uncompressed, 65 bytes.
pub(crate) fn write_key(w: &mut Writer, k: &VerifyingKey) {
    w.fixed(&k.to_sec1_bytes(false));
}

pub(crate) fn read_key(r: &mut Reader<'_>) -> Result<VerifyingKey, Error> {
    VerifyingKey::from_sec1_bytes(r.fixed(65)?)
}

#[cfg(feature = "serde")]
mod serde_impl {
    //! `round.json`: the manifest in readable form, keys as PEM, the threshold key and
    //! the signature in hex. Reading it checks the signature.
    use super::*;
    use alloc::string::ToString;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(crate) struct PartyJson {
        pub(crate) id: String,
        pub(crate) public_key: String,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RosterJson {
        contributors: Vec<PartyJson>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CommitteeJson {
        members: Vec<PartyJson>,
        threshold: usize,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RoundJson {
        version: u32,
        id: String,
        title: String,
        engine: String,
        schema: Schema,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        threshold_key: Option<String>,
        roster: RosterJson,
        committee: CommitteeJson,
        quorum: u32,
        coordinator: String,
        signature: String,
    }

    pub(crate) fn party_to_json(p: &Party) -> PartyJson {
        PartyJson {
            id: p.id.clone(),
            public_key: p.public_key.to_public_key_pem(),
        }
    }

    pub(crate) fn party_from_json(p: PartyJson) -> Result<Party, String> {
        let public_key = VerifyingKey::from_public_key_pem(&p.public_key).map_err(|e| {
            alloc::format!("\"{}\": public_key is not a P-256 SPKI PEM key ({e})", p.id)
        })?;
        Ok(Party {
            id: p.id,
            public_key,
        })
    }

    impl Serialize for Round {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let threshold_key = match &self.params {
                EngineParams::Paillier(tpk) => Some(codec::hex(&tpk.to_bytes())),
                EngineParams::Shamir { .. } => None,
            };
            RoundJson {
                version: 1,
                id: self.id_hex(),
                title: self.title.clone(),
                engine: self.engine.name().to_string(),
                schema: self.schema.clone(),
                threshold_key,
                roster: RosterJson {
                    contributors: self.roster.iter().map(party_to_json).collect(),
                },
                committee: CommitteeJson {
                    members: self.committee.iter().map(party_to_json).collect(),
                    threshold: self.threshold(),
                },
                quorum: self.quorum,
                coordinator: self.coordinator.to_public_key_pem(),
                signature: codec::hex(self.signature.to_bytes().as_ref()),
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for Round {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            use serde::de::Error as _;
            let j = RoundJson::deserialize(d)?;
            let e = |what: &str, err: Error| D::Error::custom(alloc::format!("{what}: {err}"));
            if j.version != 1 {
                return Err(D::Error::custom(alloc::format!(
                    "round version {} is not supported by this build (1); upgrade tsubaki",
                    j.version
                )));
            }
            let id = codec::unhex_array::<16>(&j.id).map_err(|x| e("id", x))?;
            let params = match (j.engine.as_str(), &j.threshold_key) {
                ("paillier", Some(hex)) => {
                    let tpk_bytes = codec::unhex(hex).map_err(|x| e("threshold_key", x))?;
                    let tpk = ThresholdPublicKey::from_bytes(&tpk_bytes)
                        .map_err(|x| e("threshold_key", x))?;
                    if tpk.threshold() != j.committee.threshold {
                        return Err(D::Error::custom(
                            "committee threshold differs from the threshold key's",
                        ));
                    }
                    EngineParams::Paillier(tpk)
                }
                ("paillier", None) => {
                    return Err(D::Error::custom("a paillier round needs its threshold_key"));
                }
                ("shamir", None) => EngineParams::Shamir {
                    threshold: j.committee.threshold,
                },
                ("shamir", Some(_)) => {
                    return Err(D::Error::custom(
                        "a shamir round has no threshold_key (the servers hold their own keys)",
                    ));
                }
                (other, _) => {
                    return Err(D::Error::custom(alloc::format!(
                        "engine \"{other}\" is not supported by this build"
                    )));
                }
            };
            let parties = |v: Vec<PartyJson>| -> Result<Vec<Party>, D::Error> {
                v.into_iter()
                    .map(|p| party_from_json(p).map_err(D::Error::custom))
                    .collect()
            };
            let roster = parties(j.roster.contributors)?;
            let committee = parties(j.committee.members)?;
            let coordinator = VerifyingKey::from_public_key_pem(&j.coordinator)
                .map_err(|x| e("coordinator", x))?;
            let sig = codec::unhex(&j.signature).map_err(|x| e("signature", x))?;
            let signature = Signature::from_slice(&sig).map_err(|x| e("signature", x))?;
            let body = body_bytes(
                &id,
                &j.title,
                &j.schema,
                &params,
                &roster,
                &committee,
                j.quorum,
                &coordinator,
            );
            Round::assemble(
                id,
                j.title,
                j.schema,
                params,
                roster,
                committee,
                j.quorum,
                coordinator,
                signature,
                &body,
            )
            .map_err(|x| match x {
                Error::InvalidSignature => D::Error::custom(
                    "the coordinator's signature does not verify (tampered manifest)",
                ),
                other => e("invalid round", other),
            })
        }
    }
}
