//! HPKE's labeled key derivation (RFC 9180 §4): `LabeledExtract` and `LabeledExpand` over
//! HKDF (RFC 5869) with SHA-256, SHA-384 or SHA-512, from the `hkdf` crate.
//!
//! Every call builds its labeled input from parts (`"HPKE-v1" ‖ suite_id ‖ label ‖ ikm`,
//! `I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info`) fed to HMAC one after another, so
//! no secret is ever copied into a concatenation buffer. Outputs land in [`Secret`], which
//! wipes itself; the HMAC states are wiped by `hmac`'s `zeroize` feature.

use hkdf::{Hkdf, HkdfExtract, HmacImpl};
use sha2::{Sha256, Sha384, Sha512};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::Kdf;
use crate::Error;

/// The version label every labeled input starts with (RFC 9180 §4).
const VERSION_LABEL: &[u8] = b"HPKE-v1";

/// The largest `Nh` of the KDFs here (HKDF-SHA512).
pub(super) const MAX_NH: usize = 64;

/// Up to 64 secret bytes (a PRK, a shared secret, an exporter secret), wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(super) struct Secret {
    bytes: [u8; MAX_NH],
    len: usize,
}

impl Secret {
    /// `len` zero bytes (`len` ≤ 64; callers pass `Nh`, `Nsecret` or `Nk`).
    pub(super) fn zero(len: usize) -> Self {
        debug_assert!(len <= MAX_NH);
        Secret {
            bytes: [0; MAX_NH],
            len: len.min(MAX_NH),
        }
    }

    /// A copy of `bytes` (at most 64 of them).
    pub(super) fn from_slice(bytes: &[u8]) -> Self {
        let mut s = Self::zero(bytes.len());
        let len = s.len;
        s.bytes[..len].copy_from_slice(&bytes[..len]);
        s
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    pub(super) fn as_mut_bytes(&mut self) -> &mut [u8] {
        &mut self.bytes[..self.len]
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Kdf {
    /// `Nh`: the output length of the hash, in bytes.
    pub const fn hash_len(self) -> usize {
        match self {
            Kdf::HkdfSha256 => 32,
            Kdf::HkdfSha384 => 48,
            Kdf::HkdfSha512 => 64,
        }
    }

    /// `LabeledExtract(salt, label, ikm)` with `ikm` given as consecutive parts.
    pub(super) fn labeled_extract(
        self,
        suite_id: &[u8],
        salt: &[u8],
        label: &[u8],
        ikm: &[&[u8]],
    ) -> Secret {
        match self {
            Kdf::HkdfSha256 => extract::<Sha256>(suite_id, salt, label, ikm),
            Kdf::HkdfSha384 => extract::<Sha384>(suite_id, salt, label, ikm),
            Kdf::HkdfSha512 => extract::<Sha512>(suite_id, salt, label, ikm),
        }
    }

    /// `LabeledExpand(prk, label, info, L)` into `out` (L = `out.len()`), with `info` given
    /// as consecutive parts. `Error::InvalidLength` if L > 255·Nh (HKDF's limit; it is also
    /// below the 2¹⁶ that `I2OSP(L, 2)` can hold) or `prk` is shorter than Nh.
    pub(super) fn labeled_expand(
        self,
        suite_id: &[u8],
        prk: &[u8],
        label: &[u8],
        info: &[&[u8]],
        out: &mut [u8],
    ) -> Result<(), Error> {
        match self {
            Kdf::HkdfSha256 => expand::<Sha256>(suite_id, prk, label, info, out),
            Kdf::HkdfSha384 => expand::<Sha384>(suite_id, prk, label, info, out),
            Kdf::HkdfSha512 => expand::<Sha512>(suite_id, prk, label, info, out),
        }
    }
}

fn extract<H>(suite_id: &[u8], salt: &[u8], label: &[u8], ikm: &[&[u8]]) -> Secret
where
    H: hmac::EagerHash,
    hmac::Hmac<H>: HmacImpl,
{
    // An empty salt is HMAC's all-zero key, exactly RFC 5869's "not provided" salt.
    let mut ctx = HkdfExtract::<H>::new(Some(salt));
    ctx.input_ikm(VERSION_LABEL);
    ctx.input_ikm(suite_id);
    ctx.input_ikm(label);
    for part in ikm {
        ctx.input_ikm(part);
    }
    let (mut prk, _) = ctx.finalize();
    let out = Secret::from_slice(&prk);
    prk.as_mut_slice().zeroize();
    out
}

fn expand<H>(
    suite_id: &[u8],
    prk: &[u8],
    label: &[u8],
    info: &[&[u8]],
    out: &mut [u8],
) -> Result<(), Error>
where
    H: hmac::EagerHash,
    hmac::Hmac<H>: HmacImpl,
{
    let hk = Hkdf::<H>::from_prk(prk).map_err(|_| Error::InvalidLength)?;
    let len = u16::try_from(out.len()).map_err(|_| Error::InvalidLength)?;
    let len = len.to_be_bytes();
    // At most 4 parts of `info` are passed by the callers in this module tree.
    let mut parts: [&[u8]; 8] = [&[]; 8];
    if info.len() > parts.len() - 4 {
        return Err(Error::InvalidLength);
    }
    parts[0] = &len;
    parts[1] = VERSION_LABEL;
    parts[2] = suite_id;
    parts[3] = label;
    parts[4..4 + info.len()].copy_from_slice(info);
    hk.expand_multi_info(&parts[..4 + info.len()], out)
        .map_err(|_| Error::InvalidLength)
}
