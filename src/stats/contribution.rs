//! A contributor's message: its slots sealed by the round's engine and signed by the
//! organization.
//!
//! The organization signs (ECDSA P-256, SHA-256) the digest
//! `SHA-256(b"tsubaki/stats/v1/contribution-signed" ‖ round id ‖ round digest ‖ org id ‖
//! payload hash)`, the payload hash being SHA-256 of the ciphertexts (Paillier) or of the
//! sealed shares' hashes (Shamir: `RoundEngine::payload_hash`); that digest is also the contribution's hash, the value aggregates
//! list. The signature is not part of the hash (ECDSA signatures are malleable).

use alloc::string::String;
use alloc::vec::Vec;
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};

#[cfg(feature = "serde")]
use super::codec;
use super::codec::{Reader, Writer};
use super::engine::shamir::ShareContext;
use super::round::Round;
use super::rules;
use crate::Error;
use crate::ec::p256::{Signature, SigningKey};

/// Domain separation of a contribution's canonical form.
pub const CONTRIBUTION_DOMAIN: &[u8] = b"tsubaki/stats/v1/contribution";
/// Domain separation of what the organization signs (and the contribution's hash).
pub const CONTRIBUTION_SIGNED_DOMAIN: &[u8] = b"tsubaki/stats/v1/contribution-signed";

pub use super::engine::Payload;

/// One organization's signed, sealed values for one round.
#[derive(Clone, Debug)]
pub struct Contribution {
    round: [u8; 16],
    org: String,
    payload: Payload,
    signature: Signature,
    hash: [u8; 32],
}

impl Contribution {
    /// The contributor's step: seals `slots` (from [`Schema::encode`](super::Schema::encode),
    /// which checked every bound) and signs them as `org` with `key`.
    ///
    /// Refused ([`Error::NotOnRoster`]) unless `org` is on the roster with exactly `key`'s
    /// public key, so a contribution that every aggregator would drop is never made.
    pub fn create<R: CryptoRng + ?Sized>(
        rng: &mut R,
        round: &Round,
        org: &str,
        key: &SigningKey,
        slots: &[u64],
    ) -> Result<Self, Error> {
        let party = rules::check_on_roster(round, org)?;
        if party.public_key != key.verifying_key() {
            return Err(Error::KeyMismatch);
        }
        let ctx = ShareContext {
            round: round.id(),
            digest: round.digest(),
            org,
        };
        let payload = round.engine().seal(rng, &ctx, key, slots)?;
        let hash = signed_digest(round, org, &payload);
        let signature = key.sign_prehash(&hash)?;
        Ok(Contribution {
            round: *round.id(),
            org: org.into(),
            payload,
            signature,
            hash,
        })
    }

    /// The round id it claims.
    pub fn round_id(&self) -> &[u8; 16] {
        &self.round
    }

    /// The organization it claims to come from.
    pub fn org(&self) -> &str {
        &self.org
    }

    /// Its hash (what the organization signed; what aggregates list).
    pub fn hash(&self) -> &[u8; 32] {
        &self.hash
    }

    /// The sealed payload.
    pub fn payload(&self) -> &Payload {
        &self.payload
    }

    /// The organization's signature over [`hash`](Self::hash).
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The canonical form.
    pub fn to_bytes(&self, round: &Round) -> Vec<u8> {
        let mut w = Writer::new(CONTRIBUTION_DOMAIN);
        w.fixed(&self.round);
        w.str(&self.org);
        round.engine().write_payload(&self.payload, &mut w);
        w.fixed(self.signature.to_bytes().as_ref());
        w.finish()
    }

    /// Parses the canonical form under `round` (whose parameters give every length):
    /// [`Error::WrongRound`] if it names another round, [`Error::InvalidCiphertext`] if a
    /// ciphertext is malformed. The signature is checked by the aggregator
    /// ([`rules::verify_contribution_signature`]), not here.
    pub fn from_bytes(round: &Round, input: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(input, CONTRIBUTION_DOMAIN)?;
        let id = r.array::<16>()?;
        rules::check_round(round, &id)?;
        let org = r.str()?;
        let payload = round.engine().read_payload(&mut r)?;
        let signature = Signature::from_slice(r.fixed(64)?)?;
        r.finish()?;
        Ok(Self::assemble(round, org, payload, signature))
    }

    fn assemble(round: &Round, org: String, payload: Payload, signature: Signature) -> Self {
        let hash = signed_digest(round, &org, &payload);
        Contribution {
            round: *round.id(),
            org,
            payload,
            signature,
            hash,
        }
    }
}

/// The digest an organization signs for `payload` in `round`.
pub(crate) fn signed_digest(round: &Round, org: &str, payload: &Payload) -> [u8; 32] {
    let payload_hash = round.engine().payload_hash(payload);
    let mut h = Sha256::new();
    h.update(CONTRIBUTION_SIGNED_DOMAIN);
    h.update(round.id());
    h.update(round.digest());
    h.update((org.len() as u16).to_be_bytes());
    h.update(org.as_bytes());
    h.update(payload_hash);
    h.finalize().into()
}

/// The JSON form of a contribution (what `tsubaki stats contribute` writes).
#[cfg(feature = "serde")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionJson {
    /// Format version (1).
    pub version: u32,
    /// Round id, hex.
    pub round: String,
    /// Organization id.
    pub org: String,
    /// The ciphertexts (Paillier) or the sealed shares, one per server, `enc ‖ ct`
    /// (Shamir), hex.
    pub ciphertexts: Vec<String>,
    /// The organization's signature (r ‖ s), hex.
    pub signature: String,
}

#[cfg(feature = "serde")]
impl Contribution {
    /// The JSON form.
    pub fn to_json(&self) -> ContributionJson {
        ContributionJson {
            version: 1,
            round: codec::hex(&self.round),
            org: self.org.clone(),
            ciphertexts: round_items_hex(&self.payload),
            signature: codec::hex(self.signature.to_bytes().as_ref()),
        }
    }

    /// Reads the JSON form under `round`, with the checks of [`from_bytes`](Self::from_bytes).
    pub fn from_json(round: &Round, j: &ContributionJson) -> Result<Self, Error> {
        if j.version != 1 {
            return Err(Error::UnsupportedVersion);
        }
        rules::check_round(round, &codec::unhex_array::<16>(&j.round)?)?;
        codec::check_name(&j.org)?;
        let payload = read_items_hex(round, &j.ciphertexts)
            .and_then(|items| round.engine().payload_from_items(&items))?;
        let signature = Signature::from_slice(&codec::unhex(&j.signature)?)?;
        Ok(Self::assemble(round, j.org.clone(), payload, signature))
    }
}

/// The payload's items in hex (the engine is implied by the payload's kind).
#[cfg(feature = "serde")]
fn round_items_hex(p: &Payload) -> Vec<String> {
    match p {
        Payload::Paillier(c) => c.iter().map(|c| codec::hex(&c.to_bytes())).collect(),
        Payload::Shamir(s) => s
            .iter()
            .map(|s| codec::hex(&[s.enc.as_slice(), &s.ct].concat()))
            .collect(),
    }
}

/// Hex items (ciphertexts or sealed shares) as bytes: at most as many as the round's
/// payload carries, each valid hex ([`Error::InvalidCiphertext`] otherwise).
#[cfg(feature = "serde")]
pub(crate) fn read_items_hex(round: &Round, hex: &[String]) -> Result<Vec<Vec<u8>>, Error> {
    if hex.len() > round.engine().payload_items() {
        return Err(Error::InvalidCiphertext);
    }
    hex.iter()
        .map(|c| codec::unhex(c).map_err(|_| Error::InvalidCiphertext))
        .collect()
}
