//! The AEADs of the HPKE suites here (RFC 9180 §5.2, §7.3): Camellia-128-GCM and
//! Camellia-256-GCM (RFC 6367's Camellia in NIST SP 800-38D GCM, 12-byte nonces, 16-byte
//! tags) under identifiers from the unassigned part of the HPKE AEAD registry, and
//! export-only (0xFFFF).
//!
//! | AEAD                | `aead_id` | `Nk` | `Nn` | `Nt` |
//! |---------------------|-----------|------|------|------|
//! | Camellia-128-GCM    | 0xFF01    | 16   | 12   | 16   |
//! | Camellia-256-GCM    | 0xFF02    | 32   | 12   | 16   |
//! | Export-only         | 0xFFFF    | 0    | 0    | —    |
//!
//! The IANA "HPKE AEAD Identifiers" registry (RFC 9180 §11.3) has no private-use range:
//! every value but 0x0000 (reserved) and 0xFFFF (export-only) is assigned under
//! Specification Required, and 0x0004–0xFFFE are unassigned today. 0xFF01 and 0xFF02 are
//! taken from the top of that unassigned space, next to export-only and far from the low
//! values the registry hands out in order; they are **not registered**. Only peers that
//! configure the same two values (and Camellia-GCM) interoperate on them; any RFC 9180
//! implementation interoperates with tsubaki's key schedule through export-only.

use alloc::vec::Vec;

use super::Aead;
use super::kdf::Secret;
use crate::Error;
use crate::camellia::aead::{CamelliaGcm, Tag};

impl Aead {
    /// The `aead_id` (see the module table; the Camellia values are not IANA-registered).
    pub const fn id(self) -> u16 {
        match self {
            Aead::Camellia128Gcm => 0xFF01,
            Aead::Camellia256Gcm => 0xFF02,
            Aead::ExportOnly => 0xFFFF,
        }
    }

    /// `Nk`: the key length in bytes (0 for export-only).
    pub const fn key_len(self) -> usize {
        match self {
            Aead::Camellia128Gcm => 16,
            Aead::Camellia256Gcm => 32,
            Aead::ExportOnly => 0,
        }
    }

    /// `Nn`: the nonce length in bytes (0 for export-only).
    pub const fn nonce_len(self) -> usize {
        match self {
            Aead::Camellia128Gcm | Aead::Camellia256Gcm => 12,
            Aead::ExportOnly => 0,
        }
    }

    /// `Nt`: the tag length in bytes (0 for export-only, which seals nothing).
    pub const fn tag_len(self) -> usize {
        match self {
            Aead::Camellia128Gcm | Aead::Camellia256Gcm => 16,
            Aead::ExportOnly => 0,
        }
    }

    /// The AEAD with identifier `id`; `Error::UnsupportedAlgorithm` for any other value.
    pub const fn from_id(id: u16) -> Result<Self, Error> {
        match id {
            0xFF01 => Ok(Aead::Camellia128Gcm),
            0xFF02 => Ok(Aead::Camellia256Gcm),
            0xFFFF => Ok(Aead::ExportOnly),
            _ => Err(Error::UnsupportedAlgorithm),
        }
    }
}

/// A keyed AEAD of a context (none for export-only).
pub(super) enum AeadKey {
    /// Camellia-128-GCM or Camellia-256-GCM (16-byte tags); wipes its key schedule on drop.
    Camellia(CamelliaGcm),
    ExportOnly,
}

impl AeadKey {
    pub(super) fn new(aead: Aead, key: &Secret) -> Result<Self, Error> {
        match aead {
            Aead::Camellia128Gcm | Aead::Camellia256Gcm => {
                if key.as_bytes().len() != aead.key_len() {
                    return Err(Error::InvalidKeyLength {
                        got: key.as_bytes().len(),
                    });
                }
                Ok(AeadKey::Camellia(CamelliaGcm::new(key.as_bytes())?))
            }
            Aead::ExportOnly => Ok(AeadKey::ExportOnly),
        }
    }

    /// `Seal(key, nonce, aad, pt)`: `ct ‖ tag`. `Error::UnsupportedAlgorithm` for
    /// export-only, `Error::MessageTooLong` beyond GCM's 64 GiB.
    pub(super) fn seal(&self, nonce: &[u8; 12], aad: &[u8], pt: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            AeadKey::Camellia(gcm) => gcm.try_seal(nonce, aad, pt),
            AeadKey::ExportOnly => Err(Error::UnsupportedAlgorithm),
        }
    }

    /// `Open(key, nonce, aad, ct ‖ tag)`: the plaintext, or an error and nothing else
    /// (`Error::AuthenticationFailed` for any change, `Error::InvalidLength` for input
    /// shorter than a tag).
    pub(super) fn open(&self, nonce: &[u8; 12], aad: &[u8], ct: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            AeadKey::Camellia(gcm) => gcm.open(nonce, aad, ct),
            AeadKey::ExportOnly => Err(Error::UnsupportedAlgorithm),
        }
    }

    /// `Seal` in place, detached tag.
    pub(super) fn seal_in_place(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<Tag, Error> {
        match self {
            AeadKey::Camellia(gcm) => gcm.try_seal_in_place_detached(nonce, aad, buf),
            AeadKey::ExportOnly => Err(Error::UnsupportedAlgorithm),
        }
    }

    /// `Open` in place, detached tag; `buf` wiped on failure.
    pub(super) fn open_in_place(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
        tag: &Tag,
    ) -> Result<(), Error> {
        match self {
            AeadKey::Camellia(gcm) => gcm.open_in_place_detached(nonce, aad, buf, tag),
            AeadKey::ExportOnly => Err(Error::UnsupportedAlgorithm),
        }
    }
}
