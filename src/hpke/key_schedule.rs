//! The HPKE key schedule (RFC 9180 §5.1): from the KEM's shared secret, the `info` string
//! and an optional pre-shared key, the AEAD `key`, the `base_nonce` and the
//! `exporter_secret` of an encryption context, for the modes base (0x00), psk (0x01), auth
//! (0x02) and auth_psk (0x03).
//!
//! The schedule is written once over the identifiers (`kem_id`, `kdf_id`, `aead_id`) and
//! the AEAD's `Nk`/`Nn`, so the tests run it with the RFC vectors' own AEAD ids (AES-GCM,
//! ChaCha20-Poly1305) although tsubaki seals with Camellia-GCM. Export-only (`aead_id`
//! 0xFFFF) has `Nk` = `Nn` = 0: no key and no nonce are derived (§5.3).

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::Kdf;
use super::kdf::{MAX_NH, Secret};
use crate::Error;

/// The HPKE modes of §5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    Base = 0x00,
    Psk = 0x01,
    Auth = 0x02,
    AuthPsk = 0x03,
}

/// The smallest pre-shared key accepted: RFC 9180 §5.1.2 asks for at least 32 bytes of
/// entropy.
pub(super) const MIN_PSK_LEN: usize = 32;

/// Largest `Nn` (12 for every GCM here).
pub(super) const MAX_NN: usize = 12;

/// Everything the schedule needs to know about the suite.
#[derive(Clone, Copy, Debug)]
pub(super) struct SuiteIds {
    pub(super) kem_id: u16,
    pub(super) kdf: Kdf,
    pub(super) aead_id: u16,
    /// `Nk`: AEAD key length (0 for export-only).
    pub(super) nk: usize,
    /// `Nn`: AEAD nonce length (0 for export-only).
    pub(super) nn: usize,
}

impl SuiteIds {
    /// `suite_id = "HPKE" ‖ I2OSP(kem_id, 2) ‖ I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2)`.
    pub(super) fn suite_id(&self) -> [u8; 10] {
        let k = self.kem_id.to_be_bytes();
        let f = self.kdf.id().to_be_bytes();
        let a = self.aead_id.to_be_bytes();
        [b'H', b'P', b'K', b'E', k[0], k[1], f[0], f[1], a[0], a[1]]
    }
}

/// The outputs of `KeySchedule<ROLE>` and, for the tests, its intermediates.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(super) struct Schedule {
    /// `key`, `Nk` bytes.
    pub(super) key: Secret,
    /// `base_nonce`, `Nn` bytes (zero-padded to 12).
    pub(super) base_nonce: [u8; MAX_NN],
    /// `exporter_secret`, `Nh` bytes.
    pub(super) exporter_secret: Secret,
    /// `secret` (kept for the known-answer tests only; wiped with the rest).
    pub(super) secret: Secret,
    /// `key_schedule_context = mode ‖ psk_id_hash ‖ info_hash` (public).
    pub(super) context: [u8; 1 + 2 * MAX_NH],
    pub(super) context_len: usize,
}

/// `VerifyPSKInputs(mode, psk, psk_id)` (§5.1), with the 32-byte floor of §5.1.2.
fn verify_psk_inputs(mode: Mode, psk: &[u8], psk_id: &[u8]) -> Result<(), Error> {
    let got_psk = !psk.is_empty();
    let got_psk_id = !psk_id.is_empty();
    if got_psk != got_psk_id {
        return Err(Error::InvalidLength);
    }
    match mode {
        Mode::Base | Mode::Auth if got_psk => Err(Error::InvalidLength),
        Mode::Psk | Mode::AuthPsk if !got_psk || psk.len() < MIN_PSK_LEN => {
            Err(Error::InvalidLength)
        }
        _ => Ok(()),
    }
}

/// `KeySchedule<ROLE>(mode, shared_secret, info, psk, psk_id)`.
pub(super) fn key_schedule(
    ids: &SuiteIds,
    mode: Mode,
    shared_secret: &[u8],
    info: &[u8],
    psk: &[u8],
    psk_id: &[u8],
) -> Result<Schedule, Error> {
    verify_psk_inputs(mode, psk, psk_id)?;
    let suite_id = ids.suite_id();
    let kdf = ids.kdf;
    let nh = kdf.hash_len();

    let psk_id_hash = kdf.labeled_extract(&suite_id, b"", b"psk_id_hash", &[psk_id]);
    let info_hash = kdf.labeled_extract(&suite_id, b"", b"info_hash", &[info]);
    let mut context = [0u8; 1 + 2 * MAX_NH];
    context[0] = mode as u8;
    context[1..1 + nh].copy_from_slice(psk_id_hash.as_bytes());
    context[1 + nh..1 + 2 * nh].copy_from_slice(info_hash.as_bytes());
    let context_len = 1 + 2 * nh;
    let ksc = &context[..context_len];

    let secret = kdf.labeled_extract(&suite_id, shared_secret, b"secret", &[psk]);

    let mut key = Secret::zero(ids.nk);
    let mut base_nonce = [0u8; MAX_NN];
    if ids.nk > 0 {
        kdf.labeled_expand(
            &suite_id,
            secret.as_bytes(),
            b"key",
            &[ksc],
            key.as_mut_bytes(),
        )?;
        kdf.labeled_expand(
            &suite_id,
            secret.as_bytes(),
            b"base_nonce",
            &[ksc],
            &mut base_nonce[..ids.nn.min(MAX_NN)],
        )?;
    }
    let mut exporter_secret = Secret::zero(nh);
    kdf.labeled_expand(
        &suite_id,
        secret.as_bytes(),
        b"exp",
        &[ksc],
        exporter_secret.as_mut_bytes(),
    )?;
    Ok(Schedule {
        key,
        base_nonce,
        exporter_secret,
        secret,
        context,
        context_len,
    })
}

/// `Context.Export(exporter_context, L)` = `LabeledExpand(exporter_secret, "sec",
/// exporter_context, L)` (§5.3); `Error::InvalidLength` if L > 255·Nh.
pub(super) fn export(
    ids: &SuiteIds,
    exporter_secret: &Secret,
    exporter_context: &[u8],
    out: &mut [u8],
) -> Result<(), Error> {
    ids.kdf.labeled_expand(
        &ids.suite_id(),
        exporter_secret.as_bytes(),
        b"sec",
        &[exporter_context],
        out,
    )
}
