//! Encryption contexts (RFC 9180 §5.2, §5.3): a sender's context seals, a receiver's
//! opens, both export. Each message's nonce is `base_nonce XOR I2OSP(seq, Nn)`; the
//! sequence number advances after each successful seal or open (a failed open leaves it
//! where it was), and a context refuses to run past 2⁶⁴ − 1 messages
//! (`Error::KeystreamExhausted`, the `MessageLimitReachedError` of §5.2) rather than repeat
//! a nonce.
//!
//! The role is a type parameter, so a receiver's context cannot seal: [`Context`] is
//! `Context<Receiver>` (what `setup_receiver` returns), `Context<Sender>` comes from
//! `setup_sender`.

use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::Suite;
use super::aead::AeadKey;
use super::kdf::Secret;
use super::key_schedule::{self, Schedule, SuiteIds};
use crate::Error;
use crate::camellia::aead::Tag;

mod sealed {
    pub trait Sealed {}
}

/// The role of a context: [`Sender`] or [`Receiver`].
pub trait Role: sealed::Sealed {}

/// The sender's role: its context seals (and exports).
#[derive(Clone, Copy, Debug)]
pub struct Sender;

/// The receiver's role: its context opens (and exports).
#[derive(Clone, Copy, Debug)]
pub struct Receiver;

impl sealed::Sealed for Sender {}
impl sealed::Sealed for Receiver {}
impl Role for Sender {}
impl Role for Receiver {}

/// An HPKE encryption context (RFC 9180 §5.2): the AEAD key, the base nonce, the sequence
/// number and the exporter secret of one setup. Every secret is wiped on drop; `Debug`
/// shows the suite and the sequence number only.
pub struct Context<R: Role = Receiver> {
    suite: Suite,
    ids: SuiteIds,
    aead: AeadKey,
    base_nonce: [u8; 12],
    seq: u64,
    exporter_secret: Secret,
    role: PhantomData<R>,
}

impl<R: Role> Context<R> {
    pub(super) fn new(suite: Suite, ids: SuiteIds, schedule: &Schedule) -> Result<Self, Error> {
        Ok(Context {
            suite,
            ids,
            aead: AeadKey::new(suite.aead(), &schedule.key)?,
            base_nonce: schedule.base_nonce,
            seq: 0,
            exporter_secret: schedule.exporter_secret.clone(),
            role: PhantomData,
        })
    }

    /// The suite the context was set up with.
    pub fn suite(&self) -> Suite {
        self.suite
    }

    /// The sequence number of the next message (0 for a fresh context).
    pub fn sequence_number(&self) -> u64 {
        self.seq
    }

    /// `Context.Export(exporter_context, L)` (§5.3): `len` bytes of secret derived from the
    /// context, bound to `exporter_context`. `Error::InvalidLength` if `len` > 255·Nh
    /// (8160 bytes for SHA-256, 12240 for SHA-384). The caller owns the returned secret:
    /// wrap it in `zeroize::Zeroizing` to have it wiped.
    pub fn export(&self, exporter_context: &[u8], len: usize) -> Result<Vec<u8>, Error> {
        if len > 255 * self.ids.kdf.hash_len() {
            return Err(Error::InvalidLength);
        }
        let mut out = alloc::vec![0u8; len];
        self.export_into(exporter_context, &mut out)?;
        Ok(out)
    }

    /// [`Self::export`] into a caller's buffer (`L` = `out.len()`).
    pub fn export_into(&self, exporter_context: &[u8], out: &mut [u8]) -> Result<(), Error> {
        key_schedule::export(&self.ids, &self.exporter_secret, exporter_context, out)
    }

    /// `ComputeNonce(seq)` for the current sequence number, or the message-limit error.
    fn nonce(&self) -> Result<[u8; 12], Error> {
        if self.seq == u64::MAX {
            return Err(Error::KeystreamExhausted);
        }
        Ok(compute_nonce(&self.base_nonce, self.seq))
    }
}

/// `ComputeNonce(seq)` = `base_nonce XOR I2OSP(seq, Nn)` for `Nn` = 12 (the sequence number
/// is at most 64 bits here, so it touches the last 8 bytes).
pub(super) fn compute_nonce(base_nonce: &[u8; 12], seq: u64) -> [u8; 12] {
    let mut nonce = *base_nonce;
    for (n, s) in nonce[4..].iter_mut().zip(seq.to_be_bytes()) {
        *n ^= s;
    }
    nonce
}

impl Context<Sender> {
    /// `ContextS.Seal(aad, pt)`: `ct ‖ tag` under the next nonce. `Error::UnsupportedAlgorithm`
    /// for an export-only suite.
    pub fn seal(&mut self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
        let mut nonce = self.nonce()?;
        let sealed = self.aead.seal(&nonce, aad, plaintext);
        nonce.zeroize();
        let sealed = sealed?;
        self.seq += 1;
        Ok(sealed)
    }

    /// [`Self::seal`] in place: encrypts `buf` and returns the 16-byte tag.
    pub fn seal_in_place_detached(&mut self, aad: &[u8], buf: &mut [u8]) -> Result<Tag, Error> {
        let mut nonce = self.nonce()?;
        let tag = self.aead.seal_in_place(&nonce, aad, buf);
        nonce.zeroize();
        let tag = tag?;
        self.seq += 1;
        Ok(tag)
    }
}

impl Context<Receiver> {
    /// `ContextR.Open(aad, ct)`: the plaintext, or an error and no plaintext at all (the
    /// sequence number then stays where it was). `Error::UnsupportedAlgorithm` for an
    /// export-only suite.
    pub fn open(&mut self, aad: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, Error> {
        let mut nonce = self.nonce()?;
        let opened = self.aead.open(&nonce, aad, ciphertext);
        nonce.zeroize();
        let opened = opened?;
        self.seq += 1;
        Ok(opened)
    }

    /// [`Self::open`] in place: decrypts `buf` if `tag` authenticates it; on failure `buf`
    /// is wiped and the sequence number stays.
    pub fn open_in_place_detached(
        &mut self,
        aad: &[u8],
        buf: &mut [u8],
        tag: &Tag,
    ) -> Result<(), Error> {
        let mut nonce = self.nonce()?;
        let opened = self.aead.open_in_place(&nonce, aad, buf, tag);
        nonce.zeroize();
        opened?;
        self.seq += 1;
        Ok(())
    }
}

impl<R: Role> Drop for Context<R> {
    fn drop(&mut self) {
        self.base_nonce.zeroize();
    }
}

impl<R: Role> ZeroizeOnDrop for Context<R> {}

impl<R: Role> fmt::Debug for Context<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("hpke::Context")
            .field("suite", &self.suite)
            .field("seq", &self.seq)
            .finish_non_exhaustive()
    }
}
