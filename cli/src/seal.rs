//! Sealing a key share to its committee member (`keyshare-<member>.sealed`): an HPKE
//! sealed file (`tsubaki::hpke::file`, RFC 9180 DHKEM(P-256, HKDF-SHA256) with
//! Camellia-128-GCM) in **auth** mode, so that the member knows the share came from the
//! round's coordinator; the HPKE `info` binds the round id and the member id, so a share
//! sealed for one round or member does not open as another's.

use tsubaki::Error;
use tsubaki::ec::p256::{SigningKey, VerifyingKey};
use tsubaki::hpke::file::{open_to_vec, seal_to_vec};
use tsubaki::hpke::{Keypair, Suite};
use zeroize::Zeroizing;

const SUITE: Suite = Suite::P256_SHA256_CAMELLIA128_GCM;
const INFO: &[u8] = b"tsubaki/stats/v1/keyshare";

fn info(round: &[u8; 16], member: &str) -> Vec<u8> {
    [INFO, round.as_slice(), member.as_bytes()].concat()
}

fn keypair(key: &SigningKey) -> Result<Keypair, Error> {
    Keypair::from_private_key_bytes(SUITE, key.to_bytes().as_ref())
}

/// Seals `share` for `member` (public key `recipient`) of `round`, from `coordinator`.
pub fn seal(
    coordinator: &SigningKey,
    recipient: &VerifyingKey,
    round: &[u8; 16],
    member: &str,
    share: &[u8],
) -> Result<Vec<u8>, Error> {
    seal_to_vec(
        SUITE,
        &mut tsubaki::OsRng,
        &recipient.to_sec1_bytes(false),
        Some(&keypair(coordinator)?),
        &info(round, member),
        share,
    )
}

/// Opens a sealed key share with the member's key, checking it came from `coordinator`.
pub fn open(
    key: &SigningKey,
    coordinator: &VerifyingKey,
    round: &[u8; 16],
    member: &str,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, String> {
    open_to_vec(
        &keypair(key).map_err(|e| e.to_string())?,
        Some(&coordinator.to_sec1_bytes(false)),
        &info(round, member),
        sealed,
    )
    .map_err(|e| match e {
        Error::InvalidEncoding | Error::UnsupportedVersion => {
            format!("not a sealed key share ({e})")
        }
        _ => "does not open: sealed to another key, for another member or round, not by this \
              round's coordinator, or tampered (check --key and --share)"
            .to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_to_one_member_of_one_round_only() {
        let c = SigningKey::random(&mut tsubaki::OsRng);
        let m = SigningKey::random(&mut tsubaki::OsRng);
        let other = SigningKey::random(&mut tsubaki::OsRng);
        let sealed = seal(&c, &m.verifying_key(), &[1; 16], "m1", b"key share bytes").unwrap();
        let cv = c.verifying_key();
        assert_eq!(
            open(&m, &cv, &[1; 16], "m1", &sealed).unwrap().as_slice(),
            b"key share bytes"
        );
        assert!(open(&other, &cv, &[1; 16], "m1", &sealed).is_err());
        assert!(open(&m, &cv, &[2; 16], "m1", &sealed).is_err());
        assert!(open(&m, &cv, &[1; 16], "m2", &sealed).is_err());
        assert!(open(&m, &other.verifying_key(), &[1; 16], "m1", &sealed).is_err());
        let mut bad = sealed.clone();
        let last = bad.len() - 20;
        bad[last] ^= 1;
        assert!(open(&m, &cv, &[1; 16], "m1", &bad).is_err());
        assert!(open(&m, &cv, &[1; 16], "m1", &sealed[..sealed.len() - 1]).is_err());
    }
}
