//! Camellia-CCM: Counter with CBC-MAC (RFC 3610, NIST SP 800-38C), the mode of the
//! Camellia-CCM suites (RFC 5528 for IPsec, RFC 6367 for TLS).
//!
//! Parameters: a nonce of 7..=13 bytes, so a length field of `L = 15 − nonce_len` bytes
//! (the message must be shorter than 2^(8L) bytes), and a tag of `M` = 4, 6, …, 16 bytes.
//! - CBC-MAC over `B₀ = flags ‖ nonce ‖ [len(m)]_L`, the encoded AAD length and the AAD
//!   (zero-padded to a block), and the message (zero-padded): `T = MSB_M(X_last)`;
//! - CTR with `Aᵢ = (L − 1) ‖ nonce ‖ [i]_L`: `S₀` masks the tag, `S₁, S₂, …` the
//!   message.
//!
//! The CBC-MAC is serial (one block through the cipher's short path at a time); the CTR
//! part takes the backend's bulk path. Opening decrypts, then MACs the plaintext, and
//! wipes it if the tag does not match (constant-time comparison).

#[cfg(feature = "alloc")]
use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{Cipher, wipe};
use crate::Error;
use crate::camellia::Backend;
use crate::camellia::modes::{BlockCipher, CtrFlavor};

/// Camellia-CCM with a fixed nonce length and tag length, for a 128-, 192- or 256-bit key.
///
/// ```
/// use tsubaki::camellia::aead::CamelliaCcm;
///
/// let ccm = CamelliaCcm::new(&[7u8; 16], 13, 16)?;
/// let sealed = ccm.seal(&[1u8; 13], b"header", b"incident report")?;
/// assert_eq!(ccm.open(&[1u8; 13], b"header", &sealed)?, b"incident report");
/// # Ok::<(), tsubaki::Error>(())
/// ```
///
/// Zeroized on drop; `Debug` prints no key material.
pub struct CamelliaCcm {
    cipher: Cipher,
    nonce_len: usize,
    tag_len: usize,
}

impl CamelliaCcm {
    /// CCM for a 16-, 24- or 32-byte key with `nonce_len`-byte nonces (7..=13) and
    /// `tag_len`-byte tags (4, 6, …, 16). [`Error::InvalidKeyLength`],
    /// [`Error::InvalidNonceLength`] or [`Error::InvalidTagLength`] otherwise.
    pub fn new(key: &[u8], nonce_len: usize, tag_len: usize) -> Result<Self, Error> {
        Self::build(key, nonce_len, tag_len, None)
    }

    /// Like [`new`](Self::new) on the Camellia backend `backend` (tests, benches).
    pub fn with_backend(
        key: &[u8],
        nonce_len: usize,
        tag_len: usize,
        backend: Backend,
    ) -> Result<Self, Error> {
        Self::build(key, nonce_len, tag_len, Some(backend))
    }

    fn build(
        key: &[u8],
        nonce_len: usize,
        tag_len: usize,
        backend: Option<Backend>,
    ) -> Result<Self, Error> {
        let cipher = Cipher::new(key, backend)?;
        if !(7..=13).contains(&nonce_len) {
            return Err(Error::InvalidNonceLength { got: nonce_len });
        }
        if !(4..=16).contains(&tag_len) || tag_len % 2 != 0 {
            return Err(Error::InvalidTagLength { got: tag_len });
        }
        Ok(CamelliaCcm {
            cipher,
            nonce_len,
            tag_len,
        })
    }

    /// The nonce length in bytes.
    pub fn nonce_len(&self) -> usize {
        self.nonce_len
    }

    /// The tag length in bytes.
    pub fn tag_len(&self) -> usize {
        self.tag_len
    }

    /// The longest message this object takes: 2^(8L) − 1 bytes, L = 15 − nonce length.
    pub fn max_message_len(&self) -> u64 {
        let l = 15 - self.nonce_len;
        if l >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * l)) - 1
        }
    }

    /// Encrypts `plaintext` and returns ciphertext ‖ tag.
    #[cfg(feature = "alloc")]
    pub fn seal(&self, nonce: &[u8], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
        self.check(nonce, plaintext.len())?;
        let mut out = Vec::with_capacity(plaintext.len() + self.tag_len);
        out.extend_from_slice(plaintext);
        let mut tag = [0u8; 16];
        self.seal_in_place_detached(nonce, aad, &mut out, &mut tag[..self.tag_len])?;
        out.extend_from_slice(&tag[..self.tag_len]);
        Ok(out)
    }

    /// Decrypts ciphertext ‖ tag: [`Error::InvalidLength`] if shorter than a tag,
    /// [`Error::AuthenticationFailed`] if the tag does not match.
    #[cfg(feature = "alloc")]
    pub fn open(&self, nonce: &[u8], aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
        let ct_len = sealed
            .len()
            .checked_sub(self.tag_len)
            .ok_or(Error::InvalidLength)?;
        let (ct, tag) = sealed.split_at(ct_len);
        let mut out = ct.to_vec();
        self.open_in_place_detached(nonce, aad, &mut out, tag)?;
        Ok(out)
    }

    /// Encrypts `buf` in place and writes the tag into `tag` (exactly
    /// [`tag_len`](Self::tag_len) bytes).
    pub fn seal_in_place_detached(
        &self,
        nonce: &[u8],
        aad: &[u8],
        buf: &mut [u8],
        tag: &mut [u8],
    ) -> Result<(), Error> {
        self.check(nonce, buf.len())?;
        if tag.len() != self.tag_len {
            return Err(Error::InvalidTagLength { got: tag.len() });
        }
        let mut t = self.cbc_mac(nonce, aad, buf);
        self.ctr(nonce, &mut t, buf);
        tag.copy_from_slice(&t[..self.tag_len]);
        t.zeroize();
        Ok(())
    }

    /// Decrypts `buf` in place if `tag` authenticates it; on
    /// [`Error::AuthenticationFailed`] `buf` is wiped.
    pub fn open_in_place_detached(
        &self,
        nonce: &[u8],
        aad: &[u8],
        buf: &mut [u8],
        tag: &[u8],
    ) -> Result<(), Error> {
        self.check(nonce, buf.len())?;
        if tag.len() != self.tag_len {
            return Err(Error::InvalidTagLength { got: tag.len() });
        }
        let mut s0 = [0u8; 16];
        self.ctr(nonce, &mut s0, buf);
        let mut t = self.cbc_mac(nonce, aad, buf);
        for (t, s) in t.iter_mut().zip(&s0) {
            *t ^= s;
        }
        let ok = t[..self.tag_len].ct_eq(tag);
        t.zeroize();
        s0.zeroize();
        if crate::ct::declassify_choice(ok) {
            Ok(())
        } else {
            wipe(buf);
            Err(Error::AuthenticationFailed)
        }
    }

    fn check(&self, nonce: &[u8], len: usize) -> Result<(), Error> {
        if nonce.len() != self.nonce_len {
            return Err(Error::InvalidNonceLength { got: nonce.len() });
        }
        if len as u64 > self.max_message_len() {
            return Err(Error::MessageTooLong);
        }
        Ok(())
    }

    /// `Aᵢ` for `i` as a big-endian number.
    fn counter_block(&self, nonce: &[u8], i: u64) -> u128 {
        let l = 15 - self.nonce_len;
        let mut a = [0u8; 16];
        a[0] = (l - 1) as u8;
        a[1..1 + self.nonce_len].copy_from_slice(nonce);
        let i = i.to_be_bytes();
        // The counter field is L bytes; i is small enough to fit (checked lengths).
        let n = l.min(8);
        a[16 - n..].copy_from_slice(&i[8 - n..]);
        u128::from_be_bytes(a)
    }

    /// XORs `S₀` into `s0` and `S₁, S₂, …` into `buf`.
    fn ctr(&self, nonce: &[u8], s0: &mut [u8; 16], buf: &mut [u8]) {
        let mut k = self.counter_block(nonce, 0).to_be_bytes();
        self.cipher.encrypt_block(&mut k);
        for (t, k) in s0.iter_mut().zip(&k) {
            *t ^= k;
        }
        // The message is shorter than 2^(8L) bytes, so the counter never carries out of
        // its L-byte field: a full 128-bit increment is the same.
        let mut counter = self.counter_block(nonce, 1);
        let (blocks, tail) = buf.as_chunks_mut::<16>();
        self.cipher
            .ctr_xor_blocks(&mut counter, CtrFlavor::Be128, blocks);
        if !tail.is_empty() {
            k = counter.to_be_bytes();
            self.cipher.encrypt_block(&mut k);
            for (d, k) in tail.iter_mut().zip(&k) {
                *d ^= k;
            }
        }
        k.zeroize();
    }

    /// The CBC-MAC `T` (all 16 bytes) over `B₀`, the AAD and the plaintext `msg`.
    fn cbc_mac(&self, nonce: &[u8], aad: &[u8], msg: &[u8]) -> [u8; 16] {
        let l = 15 - self.nonce_len;
        let mut b0 = self.counter_block(nonce, msg.len() as u64).to_be_bytes();
        b0[0] = (u8::from(!aad.is_empty()) << 6)
            | (((self.tag_len - 2) / 2) as u8) << 3
            | (l - 1) as u8;
        let mut x = b0;
        self.cipher.encrypt_block(&mut x);
        if !aad.is_empty() {
            // The AAD length encoding, then the AAD, zero-padded as one string.
            let mut head = [0u8; 10];
            let a = aad.len() as u64;
            let hl = if a < 0xFF00 {
                head[..2].copy_from_slice(&(a as u16).to_be_bytes());
                2
            } else if a <= u64::from(u32::MAX) {
                head[..2].copy_from_slice(&[0xFF, 0xFE]);
                head[2..6].copy_from_slice(&(a as u32).to_be_bytes());
                6
            } else {
                head[..2].copy_from_slice(&[0xFF, 0xFF]);
                head[2..10].copy_from_slice(&a.to_be_bytes());
                10
            };
            let mut mac = Mac::new(&self.cipher, &mut x);
            mac.absorb(&head[..hl]);
            mac.absorb(aad);
            mac.pad();
        }
        let mut mac = Mac::new(&self.cipher, &mut x);
        mac.absorb(msg);
        mac.pad();
        x
    }
}

/// A CBC-MAC over a byte string fed in pieces, zero-padding at `pad`.
struct Mac<'a> {
    cipher: &'a Cipher,
    x: &'a mut [u8; 16],
    used: usize,
}

impl<'a> Mac<'a> {
    fn new(cipher: &'a Cipher, x: &'a mut [u8; 16]) -> Self {
        Mac { cipher, x, used: 0 }
    }

    fn absorb(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.used == 16 {
                self.cipher.encrypt_block(self.x);
                self.used = 0;
            }
            let take = data.len().min(16 - self.used);
            for (x, d) in self.x[self.used..].iter_mut().zip(&data[..take]) {
                *x ^= d;
            }
            self.used += take;
            data = &data[take..];
        }
    }

    /// Ends the string: encrypts the last (zero-padded) block if one was started.
    fn pad(self) {
        if self.used > 0 {
            self.cipher.encrypt_block(self.x);
        }
    }
}

impl ZeroizeOnDrop for CamelliaCcm {}

impl fmt::Debug for CamelliaCcm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CamelliaCcm")
            .field("cipher", &self.cipher)
            .field("nonce_len", &self.nonce_len)
            .field("tag_len", &self.tag_len)
            .finish_non_exhaustive()
    }
}
