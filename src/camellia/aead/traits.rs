//! The RustCrypto AEAD traits of the `aead` crate (0.6) for [`CamelliaGcm`] and
//! [`CamelliaCcm`] (feature `aead`): `AeadInOut`, and through the `aead` crate's blanket
//! impls `Aead` (with `alloc`) and the deprecated `AeadInPlace`.
//!
//! The traits fix the nonce and tag sizes in the type, ours choose them at run time:
//! - [`CamelliaGcm`] is a 12-byte-nonce, 16-byte-tag AEAD; an object built with
//!   [`CamelliaGcm::new_with_tag_len`] for a shorter tag refuses the trait calls
//!   (`aead::Error`) rather than produce or accept tags of another length.
//! - CCM's sizes are parameters: [`Ccm<N, T>`] wraps a [`CamelliaCcm`] built for an N-byte
//!   nonce and a T-byte tag.
//!
//! The behaviour is the inherent methods' (constant-time tag check; on failure the buffer
//! is wiped); the typed [`crate::Error`] becomes the trait's opaque `aead::Error`.

use core::marker::PhantomData;

use aead::array::{Array, ArraySize};
use aead::consts::{U12, U16};
use aead::inout::InOutBuf;
use aead::{AeadCore, AeadInOut, Nonce, Tag, TagPosition};

use super::{CamelliaCcm, CamelliaGcm};
use crate::Error;

impl AeadCore for CamelliaGcm {
    type NonceSize = U12;
    type TagSize = U16;
    const TAG_POSITION: TagPosition = TagPosition::Postfix;
}

/// The output half of an in/out buffer, holding a copy of the input.
fn in_place<'o>(buffer: InOutBuf<'_, 'o, u8>) -> &'o mut [u8] {
    buffer.into_out_with_copied_in()
}

impl AeadInOut for CamelliaGcm {
    fn encrypt_inout_detached(
        &self,
        nonce: &Nonce<Self>,
        associated_data: &[u8],
        buffer: InOutBuf<'_, '_, u8>,
    ) -> aead::Result<Tag<Self>> {
        if self.tag_len() != 16 {
            return Err(aead::Error);
        }
        let nonce: &[u8; 12] = nonce.as_ref();
        // Lengths are checked before the buffer is touched.
        if super::gcm::check_lengths(associated_data.len(), buffer.len()).is_err() {
            return Err(aead::Error);
        }
        let buf = in_place(buffer);
        let tag = self
            .try_seal_in_place_detached(nonce, associated_data, buf)
            .map_err(|_| aead::Error)?;
        Ok(tag.into())
    }

    fn decrypt_inout_detached(
        &self,
        nonce: &Nonce<Self>,
        associated_data: &[u8],
        buffer: InOutBuf<'_, '_, u8>,
        tag: &Tag<Self>,
    ) -> aead::Result<()> {
        if self.tag_len() != 16 {
            return Err(aead::Error);
        }
        let nonce: &[u8; 12] = nonce.as_ref();
        let tag: &[u8; 16] = tag.as_ref();
        let buf = in_place(buffer);
        self.open_in_place_detached(nonce, associated_data, buf, tag)
            .map_err(|_| aead::Error)
    }
}

/// Camellia-CCM with an `N`-byte nonce (7..=13) and a `T`-byte tag (4..=16, even), for the
/// `aead` traits: a [`CamelliaCcm`] whose sizes are in the type.
pub struct Ccm<N: ArraySize, T: ArraySize> {
    inner: CamelliaCcm,
    _sizes: PhantomData<(N, T)>,
}

impl<N: ArraySize, T: ArraySize> Ccm<N, T> {
    /// Expands a 16-, 24- or 32-byte key; the errors of [`CamelliaCcm::new`] for a bad key
    /// length or nonce or tag size.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        Ok(Ccm {
            inner: CamelliaCcm::new(key, N::USIZE, T::USIZE)?,
            _sizes: PhantomData,
        })
    }

    /// The CCM object inside (its inherent `seal`/`open` take slices).
    pub fn inner(&self) -> &CamelliaCcm {
        &self.inner
    }
}

impl<N: ArraySize, T: ArraySize> core::fmt::Debug for Ccm<N, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.inner, f)
    }
}

impl<N: ArraySize, T: ArraySize> AeadCore for Ccm<N, T> {
    type NonceSize = N;
    type TagSize = T;
    const TAG_POSITION: TagPosition = TagPosition::Postfix;
}

impl<N: ArraySize, T: ArraySize> AeadInOut for Ccm<N, T> {
    fn encrypt_inout_detached(
        &self,
        nonce: &Nonce<Self>,
        associated_data: &[u8],
        buffer: InOutBuf<'_, '_, u8>,
    ) -> aead::Result<Tag<Self>> {
        if (buffer.len() as u64) > self.inner.max_message_len() {
            return Err(aead::Error);
        }
        let buf = in_place(buffer);
        let mut tag: Array<u8, T> = Array::default();
        self.inner
            .seal_in_place_detached(nonce, associated_data, buf, &mut tag)
            .map_err(|_| aead::Error)?;
        Ok(tag)
    }

    fn decrypt_inout_detached(
        &self,
        nonce: &Nonce<Self>,
        associated_data: &[u8],
        buffer: InOutBuf<'_, '_, u8>,
        tag: &Tag<Self>,
    ) -> aead::Result<()> {
        let buf = in_place(buffer);
        self.inner
            .open_in_place_detached(nonce, associated_data, buf, tag)
            .map_err(|_| aead::Error)
    }
}
