//! CBC (NIST SP 800-38A §6.2) and PKCS#7 padding (RFC 5652 §6.3).

use subtle::{ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};

use super::{BlockCipher, PAR_BLOCKS, xor_in_place};
use crate::Error;

/// CBC-encrypts whole blocks in place; `iv` is the chaining value and ends as the last
/// ciphertext block (OpenSSL's "next IV"). Inherently sequential.
pub fn cbc_encrypt<C: BlockCipher + ?Sized>(
    cipher: &C,
    iv: &mut [u8; 16],
    blocks: &mut [[u8; 16]],
) {
    for b in blocks {
        xor_in_place(b, iv);
        cipher.encrypt_block(b);
        *iv = *b;
    }
}

/// CBC-decrypts whole blocks in place, [`PAR_BLOCKS`] at a time through the bulk path;
/// `iv` ends as the last ciphertext block.
pub fn cbc_decrypt<C: BlockCipher + ?Sized>(
    cipher: &C,
    iv: &mut [u8; 16],
    blocks: &mut [[u8; 16]],
) {
    let mut prev = [[0u8; 16]; PAR_BLOCKS];
    for chunk in blocks.chunks_mut(PAR_BLOCKS) {
        let n = chunk.len();
        prev[0] = *iv;
        prev[1..n].copy_from_slice(&chunk[..n - 1]);
        *iv = chunk[n - 1];
        cipher.decrypt_blocks(chunk);
        for (b, p) in chunk.iter_mut().zip(&prev) {
            xor_in_place(b, p);
        }
    }
}

/// Writes PKCS#7 padding after the first `msg_len` bytes of `buf` and returns the padded
/// message (1 to 16 bytes longer than `msg_len`, a multiple of 16).
///
/// Fails with [`Error::BufferTooSmall`] if `buf` cannot hold it.
pub fn pkcs7_pad(buf: &mut [u8], msg_len: usize) -> Result<&mut [u8], Error> {
    let pad = 16 - msg_len % 16;
    let total = msg_len.checked_add(pad).ok_or(Error::BufferTooSmall)?;
    if buf.len() < total {
        return Err(Error::BufferTooSmall);
    }
    buf[msg_len..total].fill(pad as u8);
    Ok(&mut buf[..total])
}

/// Checks and strips PKCS#7 padding in constant time: the whole last block is examined
/// with masks whatever its content, and the verdict is the only branch.
///
/// Fails with [`Error::InvalidPadding`] if `data` is empty, not a multiple of 16 bytes, or
/// does not end in valid padding; no information about *how* it is invalid is returned.
pub fn pkcs7_unpad(data: &[u8]) -> Result<&[u8], Error> {
    if data.is_empty() || !data.len().is_multiple_of(16) {
        return Err(Error::InvalidPadding);
    }
    let last: &[u8; 16] = data[data.len() - 16..]
        .try_into()
        .map_err(|_| Error::InvalidPadding)?;
    let pad = last[15];
    // valid ⇔ 1 ≤ pad ≤ 16 and the last `pad` bytes all equal pad.
    let mut ok = !pad.ct_eq(&0) & pad.ct_lt(&17);
    for (i, &b) in last.iter().rev().enumerate() {
        let in_pad = (i as u8).ct_lt(&pad);
        ok &= !in_pad | b.ct_eq(&pad);
    }
    let pad_len = u64::conditional_select(&0, &u64::from(pad), ok) as usize;
    // The verdict and, when valid, the message length become public here on purpose.
    let verdict: bool = ok.into();
    crate::ct::declassify(&verdict);
    if verdict {
        crate::ct::declassify(&pad_len);
        Ok(&data[..data.len() - pad_len])
    } else {
        Err(Error::InvalidPadding)
    }
}

/// Streaming CBC over an owned cipher: feed whole blocks in any number of calls, or use the
/// one-shot PKCS#7 encryption. PKCS#7 *decryption* is in
/// [`hazmat`](super::hazmat) (unauthenticated padded CBC is a padding oracle).
pub struct Cbc<C> {
    cipher: C,
    iv: [u8; 16],
}

impl<C: BlockCipher> Cbc<C> {
    /// Starts CBC with `iv` (must be unpredictable for each message, e.g. random).
    pub fn new(cipher: C, iv: &[u8; 16]) -> Self {
        Cbc { cipher, iv: *iv }
    }

    /// The current chaining value: the last ciphertext block processed (the IV at first).
    pub fn iv(&self) -> [u8; 16] {
        self.iv
    }

    /// Encrypts the next whole blocks.
    pub fn encrypt_blocks(&mut self, blocks: &mut [[u8; 16]]) {
        cbc_encrypt(&self.cipher, &mut self.iv, blocks)
    }

    /// Decrypts the next whole blocks.
    pub fn decrypt_blocks(&mut self, blocks: &mut [[u8; 16]]) {
        cbc_decrypt(&self.cipher, &mut self.iv, blocks)
    }

    /// Pads the first `msg_len` bytes of `buf` (PKCS#7) and encrypts them in place; returns
    /// the ciphertext. `buf` needs room for up to 16 more bytes.
    pub fn encrypt_padded(mut self, buf: &mut [u8], msg_len: usize) -> Result<&[u8], Error> {
        let padded = pkcs7_pad(buf, msg_len)?;
        self.encrypt_blocks(super::as_blocks_mut(padded));
        Ok(padded)
    }

    /// Behind [`super::hazmat::DecryptPadded::decrypt_padded`] (a padding oracle in the
    /// making: see there).
    pub(crate) fn decrypt_padded_impl(mut self, buf: &mut [u8]) -> Result<&[u8], Error> {
        if buf.is_empty() || !buf.len().is_multiple_of(16) {
            return Err(Error::InvalidPadding);
        }
        self.decrypt_blocks(super::as_blocks_mut(buf));
        match pkcs7_unpad(buf).map(<[u8]>::len) {
            Ok(n) => Ok(&buf[..n]),
            Err(e) => {
                zeroize::Zeroize::zeroize(buf);
                Err(e)
            }
        }
    }

    /// [`encrypt_padded`](Self::encrypt_padded) into a new vector.
    #[cfg(feature = "alloc")]
    pub fn encrypt_padded_vec(self, msg: &[u8]) -> alloc::vec::Vec<u8> {
        let mut buf = alloc::vec![0u8; msg.len() + 16 - msg.len() % 16];
        buf[..msg.len()].copy_from_slice(msg);
        let n = match self.encrypt_padded(&mut buf, msg.len()) {
            Ok(ct) => ct.len(),
            Err(_) => unreachable!("buffer sized for the padding"),
        };
        buf.truncate(n);
        buf
    }

    /// Behind [`super::hazmat::DecryptPadded::decrypt_padded_vec`].
    #[cfg(feature = "alloc")]
    pub(crate) fn decrypt_padded_vec_impl(self, ct: &[u8]) -> Result<alloc::vec::Vec<u8>, Error> {
        let mut buf = zeroize::Zeroizing::new(ct.to_vec());
        let n = self.decrypt_padded_impl(&mut buf)?.len();
        let mut out = core::mem::take(&mut *buf);
        out.truncate(n);
        Ok(out)
    }
}

debug_without_state!(Cbc);
