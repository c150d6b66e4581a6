//! Sealing a committee member's threshold key share (the `keyshare-<member>.sealed` file of
//! a Paillier round): an HPKE sealed file ([`crate::hpke::file`], RFC 9180 DHKEM(P-256,
//! HKDF-SHA256) with Camellia-128-GCM) in **auth** mode, so that the member knows the share
//! came from the round's coordinator; the HPKE `info` is
//! `b"tsubaki/stats/v1/keyshare" ‖ round id ‖ member id`, so a share sealed for one round or
//! member does not open as another's.
//!
//! The coordinator seals with [`seal_key_share`] at setup; the member opens with
//! [`open_key_share`] (the CLI and the C ABI both call these).

use alloc::vec::Vec;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::Error;
use crate::ec::p256::{SigningKey, VerifyingKey};
use crate::hpke::file::{open_to_vec, seal_to_vec};
use crate::hpke::{Keypair, Suite};

/// The HPKE suite of sealed key shares.
pub const KEYSHARE_SUITE: Suite = Suite::P256_SHA256_CAMELLIA128_GCM;
/// Domain separation of the HPKE `info` of a sealed key share.
pub const KEYSHARE_DOMAIN: &[u8] = b"tsubaki/stats/v1/keyshare";

fn info(round: &[u8; 16], member: &str) -> Vec<u8> {
    [KEYSHARE_DOMAIN, round.as_slice(), member.as_bytes()].concat()
}

fn keypair(key: &SigningKey) -> Result<Keypair, Error> {
    Keypair::from_private_key_bytes(KEYSHARE_SUITE, key.to_bytes().as_ref())
}

/// Seals `share` (a key share's binary form) for `member` (public key `recipient`) of round
/// `round`, authenticated by the coordinator's key.
pub fn seal_key_share<R: CryptoRng + ?Sized>(
    rng: &mut R,
    coordinator: &SigningKey,
    recipient: &VerifyingKey,
    round: &[u8; 16],
    member: &str,
    share: &[u8],
) -> Result<Vec<u8>, Error> {
    seal_to_vec(
        KEYSHARE_SUITE,
        rng,
        &recipient.to_sec1_bytes(false),
        Some(&keypair(coordinator)?),
        &info(round, member),
        share,
    )
}

/// Opens a sealed key share with the member's key, checking it came from `coordinator`
/// for this round and member. Errors: [`Error::InvalidEncoding`] or
/// [`Error::UnsupportedVersion`] for a file that is not a sealed share; any other error
/// (normally [`Error::AuthenticationFailed`]) when it does not open: sealed to another key,
/// for another member or round, not by this coordinator, or altered.
pub fn open_key_share(
    key: &SigningKey,
    coordinator: &VerifyingKey,
    round: &[u8; 16],
    member: &str,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    open_to_vec(
        &keypair(key)?,
        Some(&coordinator.to_sec1_bytes(false)),
        &info(round, member),
        sealed,
    )
}
