//! Authenticated encryption with Camellia: GCM (NIST SP 800-38D; the Camellia suites of
//! RFC 6367), CCM (RFC 3610, NIST SP 800-38C), and STREAM (Hoang–Reyhanitabar–Rogaway–Vizár
//! 2015) over GCM for files of any length in constant memory.
//!
//! - [`CamelliaGcm`]: 128-, 192- and 256-bit keys, 96-bit nonces (other lengths through
//!   GHASH as SP 800-38D §7.1 says, with the `_with_iv` methods), 16-byte tags (12..16
//!   only through [`CamelliaGcm::new_with_tag_len`]); combined and detached in-place forms.
//!   The bulk path runs the backend's fused CTR 4 KiB at a time and hashes each
//!   piece while it is in the L1 cache; GHASH uses PCLMULQDQ/VPCLMULQDQ where the CPU
//!   has them.
//! - [`CamelliaCcm`]: nonces of 7..13 bytes, tags of 4..16 bytes (even).
//! - [`stream`]: chunked AEAD for files: 64 KiB chunks, a header, truncation, reordering
//!   and appending detected.
//!
//! Every tag check is constant-time (`subtle`); when it fails the output buffer is wiped
//! and [`Error::AuthenticationFailed`](crate::Error::AuthenticationFailed) returned: no
//! plaintext is ever released unauthenticated. Bad lengths and limits give typed errors.

mod ccm;
mod gcm;
pub(crate) mod ghash;
pub mod stream;

pub use ccm::CamelliaCcm;
#[cfg(feature = "aead")]
mod traits;
pub use gcm::{CamelliaGcm, Tag};
#[cfg(feature = "aead")]
pub use traits::Ccm;

use core::fmt;

use zeroize::ZeroizeOnDrop;

use super::key_schedule::RoundKeys;
use super::modes::{BlockCipher, CtrFlavor, ctr_xor_buffered};
use super::{Backend, crypt_block, crypt_blocks, ctr_xor_fused, expand};
use crate::Error;

/// Camellia with a key of any of the three sizes, chosen at run time: what the AEADs and
/// MACs hold. Both schedules and the backend; zeroized on drop.
pub(crate) struct Cipher {
    enc: RoundKeys,
    dec: RoundKeys,
    backend: Backend,
}

impl Cipher {
    /// Expands a 16-, 24- or 32-byte key for the backend `new` would pick, or `backend`.
    pub(crate) fn new(key: &[u8], backend: Option<Backend>) -> Result<Self, Error> {
        if !matches!(key.len(), 16 | 24 | 32) {
            return Err(Error::InvalidKeyLength { got: key.len() });
        }
        let backend = match backend {
            Some(b) if !b.is_available() => return Err(Error::BackendUnavailable),
            Some(b) => b,
            None => Backend::detect(),
        };
        let enc = expand(backend, key);
        let dec = enc.inverse();
        Ok(Cipher { enc, dec, backend })
    }

    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }
}

impl BlockCipher for Cipher {
    fn encrypt_block(&self, block: &mut [u8; 16]) {
        crypt_block(self.backend, &self.enc, block)
    }
    fn decrypt_block(&self, block: &mut [u8; 16]) {
        crypt_block(self.backend, &self.dec, block)
    }
    fn encrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        crypt_blocks(self.backend, &self.enc, blocks)
    }
    fn decrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        crypt_blocks(self.backend, &self.dec, blocks)
    }
    fn ctr_xor_blocks(&self, counter: &mut u128, flavor: CtrFlavor, blocks: &mut [[u8; 16]]) {
        if !ctr_xor_fused(self.backend, &self.enc, counter, flavor, blocks) {
            ctr_xor_buffered(self, counter, flavor, blocks)
        }
    }
}

impl ZeroizeOnDrop for Cipher {}

impl fmt::Debug for Cipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cipher")
            .field("rounds", &self.enc.rounds)
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// Wipes a buffer that held unauthenticated plaintext.
pub(crate) fn wipe(buf: &mut [u8]) {
    buf.fill(0);
    let _ = core::hint::black_box(&mut *buf);
}
