//! Hybrid Public Key Encryption, RFC 9180: sealing to a recipient's public key.
//!
//! The suites combine DHKEM(P-256, HKDF-SHA256) or DHKEM(P-384, HKDF-SHA384) ([`Kem`],
//! §4.1, §7.1), HKDF-SHA256/384 ([`Kdf`], §7.2) and Camellia-GCM or export-only ([`Aead`],
//! §7.3). The modes are base (anyone can seal to the recipient), auth (the recipient also
//! learns that the holder of a given sender key sealed it: how a committee member knows
//! which organization a file came from), psk and auth_psk (a pre-shared key mixed in).
//!
//! | Suite constant                        | `kem_id` | `kdf_id` | `aead_id` |
//! |---------------------------------------|----------|----------|-----------|
//! | [`Suite::P256_SHA256_CAMELLIA128_GCM`] | 0x0010   | 0x0001   | 0xFF01    |
//! | [`Suite::P384_SHA384_CAMELLIA256_GCM`] | 0x0011   | 0x0002   | 0xFF02    |
//! | [`Suite::P256_SHA256_EXPORT_ONLY`]     | 0x0010   | 0x0001   | 0xFFFF    |
//! | [`Suite::P384_SHA384_EXPORT_ONLY`]     | 0x0011   | 0x0002   | 0xFFFF    |
//!
//! **AEAD identifiers.** Camellia-GCM has no HPKE identifier, and the IANA registry has no
//! private-use range (every value other than 0x0000 and 0xFFFF is "Specification
//! Required"). tsubaki uses **0xFF01 for Camellia-128-GCM and 0xFF02 for
//! Camellia-256-GCM**, unassigned values at the top of the space next to export-only; they
//! are not registered, so only peers configured with the same values interoperate on them.
//! Everything below the AEAD (KEM, key schedule, export) is plain RFC 9180: export-only
//! contexts interoperate with any implementation.
//!
//! ```
//! use tsubaki::hpke::{self, Keypair, Suite};
//!
//! let suite = Suite::P256_SHA256_EXPORT_ONLY;
//! let team = Keypair::generate(suite, &mut tsubaki::OsRng);
//! let (enc, sender) = hpke::setup_sender(suite, &mut tsubaki::OsRng, &team.public_key_bytes(), b"round 7")?;
//! let receiver = hpke::setup_receiver(suite, &team, &enc, b"round 7")?;
//! assert_eq!(sender.export(b"file key", 32)?, receiver.export(b"file key", 32)?);
//! # Ok::<(), tsubaki::Error>(())
//! ```
//!
//! Layers: `kdf` (labeled HKDF), `kem` (DHKEM), `key_schedule`, `context`
//! (seal/open/export), `aead` (the AEAD seam); this file holds the suites, keys and the
//! setup functions of §5.1. [`file`] (feature `std`) seals files of any size in constant
//! memory: a versioned header (magic `tsubakiH`, suite, key ids, `enc`) and a STREAM body
//! under a key exported from the HPKE context.
//!
//! # Constant time and secrets
//! Private keys, ephemeral keys, DH outputs, shared secrets, the key schedule's secrets
//! and the AEAD keys are never branched on or used as indices, and live in types that wipe
//! themselves on drop. Public keys and encapsulated keys are public and parsed in variable
//! time.

use alloc::vec::Vec;
use core::fmt;

use rand_core::CryptoRng;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use crate::Error;

mod aead;
mod context;
#[cfg(feature = "std")]
pub mod file;
mod kdf;
mod kem;
mod key_schedule;
#[cfg(test)]
mod tests;

pub use context::{Context, Receiver, Role, Sender};

use kem::KemKey;
use key_schedule::{Mode, SuiteIds};

/// A KEM of RFC 9180 §7.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kem {
    /// DHKEM(P-256, HKDF-SHA256), `kem_id` 0x0010.
    P256HkdfSha256,
    /// DHKEM(P-384, HKDF-SHA384), `kem_id` 0x0011.
    P384HkdfSha384,
}

/// A KDF of RFC 9180 §7.2 (HKDF, RFC 5869).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kdf {
    /// HKDF-SHA256, `kdf_id` 0x0001.
    HkdfSha256,
    /// HKDF-SHA384, `kdf_id` 0x0002.
    HkdfSha384,
    /// HKDF-SHA512, `kdf_id` 0x0003.
    HkdfSha512,
}

/// An AEAD of the suites here: Camellia-GCM under tsubaki's (unregistered) identifiers, or
/// export-only (RFC 9180 §7.3). See the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Aead {
    /// Camellia-128-GCM, `aead_id` 0xFF01 (not IANA-registered).
    Camellia128Gcm,
    /// Camellia-256-GCM, `aead_id` 0xFF02 (not IANA-registered).
    Camellia256Gcm,
    /// Export-only, `aead_id` 0xFFFF: the context exports secrets and seals nothing.
    ExportOnly,
}

impl Kdf {
    /// The `kdf_id` of RFC 9180 §7.2.
    pub const fn id(self) -> u16 {
        match self {
            Kdf::HkdfSha256 => 0x0001,
            Kdf::HkdfSha384 => 0x0002,
            Kdf::HkdfSha512 => 0x0003,
        }
    }
}

/// An HPKE ciphersuite: KEM, KDF and AEAD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Suite {
    kem: Kem,
    kdf: Kdf,
    aead: Aead,
}

impl Suite {
    /// DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, Camellia-128-GCM.
    pub const P256_SHA256_CAMELLIA128_GCM: Suite =
        Suite::new(Kem::P256HkdfSha256, Kdf::HkdfSha256, Aead::Camellia128Gcm);
    /// DHKEM(P-384, HKDF-SHA384), HKDF-SHA384, Camellia-256-GCM.
    pub const P384_SHA384_CAMELLIA256_GCM: Suite =
        Suite::new(Kem::P384HkdfSha384, Kdf::HkdfSha384, Aead::Camellia256Gcm);
    /// DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, export-only.
    pub const P256_SHA256_EXPORT_ONLY: Suite =
        Suite::new(Kem::P256HkdfSha256, Kdf::HkdfSha256, Aead::ExportOnly);
    /// DHKEM(P-384, HKDF-SHA384), HKDF-SHA384, export-only.
    pub const P384_SHA384_EXPORT_ONLY: Suite =
        Suite::new(Kem::P384HkdfSha384, Kdf::HkdfSha384, Aead::ExportOnly);

    /// Any combination (RFC 9180 allows every one).
    pub const fn new(kem: Kem, kdf: Kdf, aead: Aead) -> Suite {
        Suite { kem, kdf, aead }
    }

    /// The suite with these identifiers; `Error::UnsupportedAlgorithm` if one is unknown.
    pub fn from_ids(kem_id: u16, kdf_id: u16, aead_id: u16) -> Result<Suite, Error> {
        let kem = match kem_id {
            0x0010 => Kem::P256HkdfSha256,
            0x0011 => Kem::P384HkdfSha384,
            _ => return Err(Error::UnsupportedAlgorithm),
        };
        let kdf = match kdf_id {
            0x0001 => Kdf::HkdfSha256,
            0x0002 => Kdf::HkdfSha384,
            0x0003 => Kdf::HkdfSha512,
            _ => return Err(Error::UnsupportedAlgorithm),
        };
        Ok(Suite::new(kem, kdf, Aead::from_id(aead_id)?))
    }

    /// The KEM.
    pub const fn kem(self) -> Kem {
        self.kem
    }

    /// The KDF of the key schedule.
    pub const fn kdf(self) -> Kdf {
        self.kdf
    }

    /// The AEAD.
    pub const fn aead(self) -> Aead {
        self.aead
    }

    /// (`kem_id`, `kdf_id`, `aead_id`).
    pub const fn ids(self) -> (u16, u16, u16) {
        (self.kem.id(), self.kdf.id(), self.aead.id())
    }

    fn schedule_ids(self) -> SuiteIds {
        SuiteIds {
            kem_id: self.kem.id(),
            kdf: self.kdf,
            aead_id: self.aead.id(),
            nk: self.aead.key_len(),
            nn: self.aead.nonce_len(),
        }
    }
}

/// A pre-shared key and its identifier, for the psk and auth_psk modes (RFC 9180 §5.1.2).
/// The key must be at least 32 bytes and the identifier non-empty (`Error::InvalidLength`).
#[derive(Clone, Copy)]
pub struct Psk<'a> {
    /// The pre-shared key (secret).
    pub key: &'a [u8],
    /// Its identifier (public, binds the key to the context).
    pub id: &'a [u8],
}

impl fmt::Debug for Psk<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Psk")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// An HPKE key pair of one KEM: a recipient's key, or a sender's key for the auth modes.
///
/// The private scalar is wiped on drop; `Debug` shows the KEM and the public key only.
pub struct Keypair {
    key: KemKey,
}

impl Keypair {
    /// `GenerateKeyPair()` for the suite's KEM.
    pub fn generate<R: CryptoRng + ?Sized>(suite: Suite, rng: &mut R) -> Keypair {
        Keypair {
            key: KemKey::generate(suite.kem, rng),
        }
    }

    /// `DeriveKeyPair(ikm)` (RFC 9180 §7.1.3) for the suite's KEM: the same `ikm` always
    /// gives the same key. `ikm` should hold at least `Nsk` bytes of entropy.
    /// `Error::InvalidSecretKey` in the (probability 2⁻⁸¹⁹²) case that 256 candidates fail.
    pub fn derive(suite: Suite, ikm: &[u8]) -> Result<Keypair, Error> {
        Ok(Keypair {
            key: KemKey::derive(suite.kem, ikm)?,
        })
    }

    /// `DeserializePrivateKey(skm)`: the big-endian scalar of `Nsk` bytes
    /// (`Error::InvalidLength` for another length, `Error::InvalidSecretKey` unless in
    /// 1..n−1).
    pub fn from_private_key_bytes(suite: Suite, skm: &[u8]) -> Result<Keypair, Error> {
        Ok(Keypair {
            key: KemKey::from_private_bytes(suite.kem, skm)?,
        })
    }

    /// `SerializePrivateKey(sk)`, in a buffer that wipes itself.
    pub fn private_key_bytes(&self) -> Zeroizing<Vec<u8>> {
        self.key.private_key_bytes()
    }

    /// `SerializePublicKey(pk)`: uncompressed SEC 1 (`04 ‖ x ‖ y`, 65 or 97 bytes).
    pub fn public_key_bytes(&self) -> Vec<u8> {
        self.key.public_key_bytes()
    }

    /// The KEM the key belongs to.
    pub fn kem(&self) -> Kem {
        self.key.kem()
    }

    fn for_suite(&self, suite: Suite) -> Result<&KemKey, Error> {
        if self.key.kem() != suite.kem {
            return Err(Error::KeyMismatch);
        }
        Ok(&self.key)
    }
}

impl ZeroizeOnDrop for Keypair {}

impl fmt::Debug for Keypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("hpke::Keypair")
            .field("kem", &self.kem())
            .field("public", &HexBytes(&self.public_key_bytes()))
            .finish_non_exhaustive()
    }
}

struct HexBytes<'a>(&'a [u8]);

impl fmt::Debug for HexBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

// --- setup (§5.1.1–5.1.4) -------------------------------------------------------------------

fn mode_of(psk: Option<Psk<'_>>, auth: bool) -> Mode {
    match (psk.is_some(), auth) {
        (false, false) => Mode::Base,
        (true, false) => Mode::Psk,
        (false, true) => Mode::Auth,
        (true, true) => Mode::AuthPsk,
    }
}

/// `SetupXS` with a given ephemeral key (the known-answer tests pass the RFC's).
fn setup_sender_with(
    suite: Suite,
    ephemeral: &KemKey,
    pk_r: &[u8],
    info: &[u8],
    psk: Option<Psk<'_>>,
    sender: Option<&Keypair>,
) -> Result<(Vec<u8>, Context<Sender>), Error> {
    let sender = sender.map(|s| s.for_suite(suite)).transpose()?;
    let (enc, shared) = kem::encap(ephemeral, pk_r, sender)?;
    let mode = mode_of(psk, sender.is_some());
    let (psk_key, psk_id) = psk.map_or((&[][..], &[][..]), |p| (p.key, p.id));
    let ids = suite.schedule_ids();
    let schedule =
        key_schedule::key_schedule(&ids, mode, shared.as_bytes(), info, psk_key, psk_id)?;
    Ok((enc, Context::new(suite, ids, &schedule)?))
}

fn setup_sender_any<R: CryptoRng + ?Sized>(
    suite: Suite,
    rng: &mut R,
    pk_r: &[u8],
    info: &[u8],
    psk: Option<Psk<'_>>,
    sender: Option<&Keypair>,
) -> Result<(Vec<u8>, Context<Sender>), Error> {
    let ephemeral = KemKey::generate(suite.kem, rng);
    setup_sender_with(suite, &ephemeral, pk_r, info, psk, sender)
}

fn setup_receiver_any(
    suite: Suite,
    recipient: &Keypair,
    enc: &[u8],
    info: &[u8],
    psk: Option<Psk<'_>>,
    pk_s: Option<&[u8]>,
) -> Result<Context<Receiver>, Error> {
    let shared = kem::decap(recipient.for_suite(suite)?, enc, pk_s)?;
    let mode = mode_of(psk, pk_s.is_some());
    let (psk_key, psk_id) = psk.map_or((&[][..], &[][..]), |p| (p.key, p.id));
    let ids = suite.schedule_ids();
    let schedule =
        key_schedule::key_schedule(&ids, mode, shared.as_bytes(), info, psk_key, psk_id)?;
    Context::new(suite, ids, &schedule)
}

/// `SetupBaseS(pkR, info)`: the encapsulated key `enc` to send along, and the sender's
/// context. `pk_r` is the recipient's serialized public key (uncompressed SEC 1):
/// `Error::InvalidEncoding` for a wrong length or form, `Error::InvalidPublicKey` for a
/// point that is off the curve or the identity.
pub fn setup_sender<R: CryptoRng + ?Sized>(
    suite: Suite,
    rng: &mut R,
    pk_r: &[u8],
    info: &[u8],
) -> Result<(Vec<u8>, Context<Sender>), Error> {
    setup_sender_any(suite, rng, pk_r, info, None, None)
}

/// `SetupBaseR(enc, skR, info)`: the receiver's context. `Error::KeyMismatch` if the key
/// is for another KEM than the suite's; `enc` is parsed like a public key.
pub fn setup_receiver(
    suite: Suite,
    recipient: &Keypair,
    enc: &[u8],
    info: &[u8],
) -> Result<Context<Receiver>, Error> {
    setup_receiver_any(suite, recipient, enc, info, None, None)
}

/// `SetupAuthS(pkR, info, skS)`: as [`setup_sender`], authenticated with the sender's key.
pub fn setup_sender_auth<R: CryptoRng + ?Sized>(
    suite: Suite,
    rng: &mut R,
    pk_r: &[u8],
    info: &[u8],
    sender: &Keypair,
) -> Result<(Vec<u8>, Context<Sender>), Error> {
    setup_sender_any(suite, rng, pk_r, info, None, Some(sender))
}

/// `SetupAuthR(enc, skR, info, pkS)`: succeeds only with the public key of the sender
/// that set up the context (any other key gives a context whose opens all fail and whose
/// exports differ).
pub fn setup_receiver_auth(
    suite: Suite,
    recipient: &Keypair,
    enc: &[u8],
    info: &[u8],
    pk_s: &[u8],
) -> Result<Context<Receiver>, Error> {
    setup_receiver_any(suite, recipient, enc, info, None, Some(pk_s))
}

/// `SetupPSKS(pkR, info, psk, psk_id)`.
pub fn setup_sender_psk<R: CryptoRng + ?Sized>(
    suite: Suite,
    rng: &mut R,
    pk_r: &[u8],
    info: &[u8],
    psk: Psk<'_>,
) -> Result<(Vec<u8>, Context<Sender>), Error> {
    setup_sender_any(suite, rng, pk_r, info, Some(psk), None)
}

/// `SetupPSKR(enc, skR, info, psk, psk_id)`.
pub fn setup_receiver_psk(
    suite: Suite,
    recipient: &Keypair,
    enc: &[u8],
    info: &[u8],
    psk: Psk<'_>,
) -> Result<Context<Receiver>, Error> {
    setup_receiver_any(suite, recipient, enc, info, Some(psk), None)
}

/// `SetupAuthPSKS(pkR, info, psk, psk_id, skS)`.
pub fn setup_sender_auth_psk<R: CryptoRng + ?Sized>(
    suite: Suite,
    rng: &mut R,
    pk_r: &[u8],
    info: &[u8],
    psk: Psk<'_>,
    sender: &Keypair,
) -> Result<(Vec<u8>, Context<Sender>), Error> {
    setup_sender_any(suite, rng, pk_r, info, Some(psk), Some(sender))
}

/// `SetupAuthPSKR(enc, skR, info, psk, psk_id, pkS)`.
pub fn setup_receiver_auth_psk(
    suite: Suite,
    recipient: &Keypair,
    enc: &[u8],
    info: &[u8],
    psk: Psk<'_>,
    pk_s: &[u8],
) -> Result<Context<Receiver>, Error> {
    setup_receiver_any(suite, recipient, enc, info, Some(psk), Some(pk_s))
}

// --- single-shot (§6.1) -------------------------------------------------------------------

/// Single-shot `Seal` in base mode (§6.1): (`enc`, `ct ‖ tag`).
pub fn seal<R: CryptoRng + ?Sized>(
    suite: Suite,
    rng: &mut R,
    recipient_pk: &[u8],
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let (enc, mut ctx) = setup_sender(suite, rng, recipient_pk, info)?;
    Ok((enc, ctx.seal(aad, plaintext)?))
}

/// Single-shot `Open` in base mode (§6.1): the plaintext, or an error and nothing else.
pub fn open(
    suite: Suite,
    recipient: &Keypair,
    enc: &[u8],
    info: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, Error> {
    setup_receiver(suite, recipient, enc, info)?.open(aad, ciphertext)
}

/// Single-shot `Seal` in auth mode: as [`seal`], and the recipient learns that the holder
/// of `sender` sealed it.
pub fn seal_auth<R: CryptoRng + ?Sized>(
    suite: Suite,
    rng: &mut R,
    recipient_pk: &[u8],
    sender: &Keypair,
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let (enc, mut ctx) = setup_sender_auth(suite, rng, recipient_pk, info, sender)?;
    Ok((enc, ctx.seal(aad, plaintext)?))
}

/// Single-shot `Open` in auth mode: fails unless the message was sealed by the holder of
/// the private key of `sender_pk`.
pub fn open_auth(
    suite: Suite,
    recipient: &Keypair,
    sender_pk: &[u8],
    enc: &[u8],
    info: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, Error> {
    setup_receiver_auth(suite, recipient, enc, info, sender_pk)?.open(aad, ciphertext)
}
