//! Sealing a key share to its committee member (`keyshare-<member>.sealed`), through the
//! library's `tsubaki::stats::{seal_key_share, open_key_share}`: an HPKE
//! sealed file (`tsubaki::hpke::file`, RFC 9180 DHKEM(P-256, HKDF-SHA256) with
//! Camellia-128-GCM) in **auth** mode, so that the member knows the share came from the
//! round's coordinator; the HPKE `info` binds the round id and the member id, so a share
//! sealed for one round or member does not open as another's.

use tsubaki::Error;
use tsubaki::ec::p256::{SigningKey, VerifyingKey};
use tsubaki::stats::{open_key_share, seal_key_share};
use zeroize::Zeroizing;

/// Seals `share` for `member` (public key `recipient`) of `round`, from `coordinator`.
pub fn seal(
    coordinator: &SigningKey,
    recipient: &VerifyingKey,
    round: &[u8; 16],
    member: &str,
    share: &[u8],
) -> Result<Vec<u8>, Error> {
    seal_key_share(
        &mut tsubaki::OsRng,
        coordinator,
        recipient,
        round,
        member,
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
    open_key_share(key, coordinator, round, member, sealed).map_err(|e| match e {
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
