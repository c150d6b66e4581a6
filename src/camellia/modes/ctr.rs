//! CTR (NIST SP 800-38A §6.5) with two counter layouts:
//! - [`CtrFlavor::Be128`]: the whole 16-byte block is a big-endian counter (OpenSSL's
//!   `Camellia_ctr128_encrypt`, `EVP_camellia_*_ctr`);
//! - [`CtrFlavor::Be32`]: only the last four bytes count, as in RFC 5528 (Camellia-CTR for
//!   IPsec: nonce ‖ IV ‖ 32-bit block counter starting at 1); the keystream ends after 2³²
//!   blocks rather than wrapping into a counter block already used.
//!
//! Keystream blocks are generated [`PAR_BLOCKS`] at a time through the bulk path.

use zeroize::Zeroize;

use super::{BlockCipher, PAR_BLOCKS, xor_in_place};
use crate::Error;

/// Which part of the counter block is incremented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CtrFlavor {
    /// The full 128-bit block, big-endian (OpenSSL).
    Be128,
    /// The last 32 bits, big-endian (RFC 5528 / RFC 3686 layout).
    Be32,
}

/// The counter after `c`: +1 over all 128 bits, or over the low 32 bits only.
#[inline(always)]
fn step(c: u128, flavor: CtrFlavor) -> u128 {
    match flavor {
        CtrFlavor::Be128 => c.wrapping_add(1),
        CtrFlavor::Be32 => (c & !0xFFFF_FFFF) | u128::from((c as u32).wrapping_add(1)),
    }
}

/// XORs keystream into `data`: `counter` is the next counter block, `ks` the current
/// keystream block and `num` how much of it is used.
fn ctr_apply<C: BlockCipher + ?Sized>(
    cipher: &C,
    counter: &mut [u8; 16],
    ks: &mut [u8; 16],
    num: &mut usize,
    data: &mut [u8],
    flavor: CtrFlavor,
) {
    let mut n = *num % 16;
    let mut used = 0;
    while n != 0 && used < data.len() {
        data[used] ^= ks[n];
        n = (n + 1) % 16;
        used += 1;
    }
    let mut rest = &mut data[used..];
    let mut batch = [[0u8; 16]; PAR_BLOCKS];
    let mut next = u128::from_be_bytes(*counter);
    let mut touched = 0;
    while !rest.is_empty() {
        let blocks = rest.len().div_ceil(16).min(PAR_BLOCKS);
        touched = touched.max(blocks);
        for b in &mut batch[..blocks] {
            *b = next.to_be_bytes();
            next = step(next, flavor);
        }
        cipher.encrypt_blocks(&mut batch[..blocks]);
        let take = rest.len().min(blocks * 16);
        let (now, later) = rest.split_at_mut(take);
        let (whole, tail) = now.as_chunks_mut::<16>();
        for (chunk, k) in whole.iter_mut().zip(&batch) {
            // One 128-bit XOR per block (the byte loop does not always vectorise).
            *chunk = (u128::from_ne_bytes(*chunk) ^ u128::from_ne_bytes(*k)).to_ne_bytes();
        }
        if !tail.is_empty() {
            // A partial last block: `whole.len() < blocks`, so its keystream is in the batch.
            xor_in_place(tail, &batch[whole.len()]);
        }
        *ks = batch[blocks - 1];
        n = take % 16;
        rest = later;
    }
    *counter = next.to_be_bytes();
    crate::ct::wipe_blocks(&mut batch[..touched]);
    *num = n;
}

/// OpenSSL's `Camellia_ctr128_encrypt`: full 128-bit big-endian counter in `counter`,
/// keystream block in `ks`, bytes of it used in `num`.
pub fn ctr128_apply<C: BlockCipher + ?Sized>(
    cipher: &C,
    counter: &mut [u8; 16],
    ks: &mut [u8; 16],
    num: &mut usize,
    data: &mut [u8],
) {
    ctr_apply(cipher, counter, ks, num, data, CtrFlavor::Be128)
}

/// Streaming CTR over an owned cipher.
#[derive(Debug)]
pub struct Ctr<C> {
    cipher: C,
    counter: [u8; 16],
    ks: [u8; 16],
    num: usize,
    flavor: CtrFlavor,
    /// Keystream bytes still available (2³² blocks for `Be32`, unbounded for `Be128`).
    remaining: u128,
}

impl<C: BlockCipher> Ctr<C> {
    /// CTR with a full 128-bit counter starting at `initial_counter` (OpenSSL's layout).
    pub fn new(cipher: C, initial_counter: &[u8; 16]) -> Self {
        Self::with_flavor(cipher, initial_counter, CtrFlavor::Be128)
    }

    /// RFC 5528 Camellia-CTR: counter block = `nonce` ‖ `iv` ‖ 00000001, 32-bit counter.
    pub fn rfc5528(cipher: C, nonce: &[u8; 4], iv: &[u8; 8]) -> Self {
        let mut block = [0u8; 16];
        block[..4].copy_from_slice(nonce);
        block[4..12].copy_from_slice(iv);
        block[15] = 1;
        Self::with_flavor(cipher, &block, CtrFlavor::Be32)
    }

    /// CTR with an explicit counter layout.
    pub fn with_flavor(cipher: C, initial_counter: &[u8; 16], flavor: CtrFlavor) -> Self {
        let remaining = match flavor {
            CtrFlavor::Be128 => u128::MAX,
            CtrFlavor::Be32 => 16u128 << 32,
        };
        Ctr {
            cipher,
            counter: *initial_counter,
            ks: [0; 16],
            num: 0,
            flavor,
            remaining,
        }
    }

    /// Encrypts or decrypts the next piece in place. Fails with
    /// [`Error::KeystreamExhausted`] (changing nothing) if a 32-bit counter would wrap.
    pub fn apply_keystream(&mut self, data: &mut [u8]) -> Result<(), Error> {
        let len = data.len() as u128;
        if len > self.remaining {
            return Err(Error::KeystreamExhausted);
        }
        self.remaining -= len;
        ctr_apply(
            &self.cipher,
            &mut self.counter,
            &mut self.ks,
            &mut self.num,
            data,
            self.flavor,
        );
        Ok(())
    }

    /// The next counter block.
    pub fn counter(&self) -> [u8; 16] {
        self.counter
    }
}

impl<C> Drop for Ctr<C> {
    fn drop(&mut self) {
        self.ks.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camellia::{Backend, Camellia128};

    #[test]
    fn ctr32_refuses_to_wrap_and_changes_nothing() {
        let c = Camellia128::with_backend(&[7; 16], Backend::Table).unwrap();
        let mut ctr = Ctr::rfc5528(&c, &[1; 4], &[2; 8]);
        assert_eq!(ctr.remaining, 16 << 32, "2^32 blocks for a 32-bit counter");
        // Pretend all but two blocks were used.
        ctr.remaining = 32;
        let mut buf = [0u8; 33];
        assert_eq!(
            ctr.apply_keystream(&mut buf),
            Err(Error::KeystreamExhausted)
        );
        assert_eq!(buf, [0; 33], "nothing encrypted on error");
        assert_eq!(ctr.counter()[15], 1, "counter unchanged on error");
        ctr.apply_keystream(&mut buf[..32]).unwrap();
        assert_eq!(
            ctr.apply_keystream(&mut buf[..1]),
            Err(Error::KeystreamExhausted)
        );
    }

    #[test]
    fn be32_increment_wraps_within_the_low_word_only() {
        let c = step(u128::MAX, CtrFlavor::Be32).to_be_bytes();
        assert_eq!(&c[..12], &[0xFF; 12]);
        assert_eq!(&c[12..], &[0; 4]);
        assert_eq!(step(u128::MAX, CtrFlavor::Be128), 0);
    }
}
