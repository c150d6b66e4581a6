//! CMAC (NIST SP 800-38B) with Camellia: RFC 4493's algorithm, the block cipher swapped.
//!
//! Subkeys: `L = E(K, 0¹²⁸)`, `K1 = dbl(L)`, `K2 = dbl(K1)` with `dbl` the doubling in
//! GF(2¹²⁸) modulo x¹²⁸ + x⁷ + x² + x + 1 (branch-free). The message is CBC-MACed; its
//! last block is XORed with `K1` if it is complete and non-empty, else padded with
//! `10*` and XORed with `K2`.

use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::camellia::aead::Cipher;
use crate::camellia::modes::BlockCipher;

/// CMAC of `msg` under a 16-, 24- or 32-byte `key`.
///
/// ```
/// let tag = tsubaki::camellia::mac::cmac(&[0u8; 16], b"message")?;
/// assert_eq!(tag.len(), 16);
/// # Ok::<(), tsubaki::Error>(())
/// ```
pub fn cmac(key: &[u8], msg: &[u8]) -> Result<[u8; 16], Error> {
    let mut m = Cmac::new(key)?;
    m.update(msg);
    Ok(m.finalize())
}

/// Checks `tag` (16 bytes, or a truncation of at least 8) against the CMAC of `msg`, in
/// constant time: [`Error::AuthenticationFailed`] if it does not match,
/// [`Error::InvalidTagLength`] for a tag shorter than 8 or longer than 16 bytes.
pub fn cmac_verify(key: &[u8], msg: &[u8], tag: &[u8]) -> Result<(), Error> {
    let mut m = Cmac::new(key)?;
    m.update(msg);
    m.verify(tag)
}

/// An incremental CMAC: feed the message in pieces with [`update`](Self::update).
/// Zeroized on drop.
pub struct Cmac {
    cipher: Cipher,
    k1: [u8; 16],
    k2: [u8; 16],
    /// The chaining value.
    x: [u8; 16],
    /// The last block seen, held back until we know whether it is the last.
    buf: [u8; 16],
    used: usize,
}

/// Doubling in GF(2¹²⁸) (big-endian, reduction constant 0x87), without a branch.
fn dbl(b: &[u8; 16]) -> [u8; 16] {
    let v = u128::from_be_bytes(*b);
    let carry = 0u128.wrapping_sub(v >> 127);
    ((v << 1) ^ (carry & 0x87)).to_be_bytes()
}

impl Cmac {
    /// A CMAC for a 16-, 24- or 32-byte key ([`Error::InvalidKeyLength`] otherwise).
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        Self::build(key, None)
    }

    /// Like [`new`](Self::new) on the Camellia backend `backend` (tests, benches, the
    /// constant-time harness); [`Error::BackendUnavailable`] where this CPU cannot run it.
    pub fn with_backend(key: &[u8], backend: crate::camellia::Backend) -> Result<Self, Error> {
        Self::build(key, Some(backend))
    }

    fn build(key: &[u8], backend: Option<crate::camellia::Backend>) -> Result<Self, Error> {
        let cipher = Cipher::new(key, backend)?;
        let mut l = [0u8; 16];
        cipher.encrypt_block(&mut l);
        let k1 = dbl(&l);
        let k2 = dbl(&k1);
        l.zeroize();
        Ok(Cmac {
            cipher,
            k1,
            k2,
            x: [0; 16],
            buf: [0; 16],
            used: 0,
        })
    }

    /// Feeds more of the message.
    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.used == 16 {
                // A full block and more data: it is not the last one.
                for (x, b) in self.x.iter_mut().zip(&self.buf) {
                    *x ^= b;
                }
                self.cipher.encrypt_block(&mut self.x);
                self.used = 0;
            }
            let take = data.len().min(16 - self.used);
            self.buf[self.used..self.used + take].copy_from_slice(&data[..take]);
            self.used += take;
            data = &data[take..];
        }
    }

    /// The 16-byte tag.
    pub fn finalize(mut self) -> [u8; 16] {
        let mut last = [0u8; 16];
        last[..self.used].copy_from_slice(&self.buf[..self.used]);
        let k = if self.used == 16 {
            &self.k1
        } else {
            last[self.used] = 0x80;
            &self.k2
        };
        for ((x, l), k) in self.x.iter_mut().zip(&last).zip(k) {
            *x ^= l ^ k;
        }
        self.cipher.encrypt_block(&mut self.x);
        last.zeroize();
        self.x
    }

    /// Compares the tag with `tag` (8..=16 bytes: a prefix of the tag) in constant time.
    pub fn verify(self, tag: &[u8]) -> Result<(), Error> {
        if !(8..=16).contains(&tag.len()) {
            return Err(Error::InvalidTagLength { got: tag.len() });
        }
        let mut t = self.finalize();
        let ok = t[..tag.len()].ct_eq(tag);
        t.zeroize();
        if crate::ct::declassify_choice(ok) {
            Ok(())
        } else {
            Err(Error::AuthenticationFailed)
        }
    }
}

impl Drop for Cmac {
    fn drop(&mut self) {
        self.k1.zeroize();
        self.k2.zeroize();
        self.x.zeroize();
        self.buf.zeroize();
    }
}

impl ZeroizeOnDrop for Cmac {}

impl fmt::Debug for Cmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cmac")
            .field("cipher", &self.cipher)
            .finish_non_exhaustive()
    }
}
