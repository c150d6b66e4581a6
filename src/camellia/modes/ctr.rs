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

/// The counter `n` steps after `c` (as [`step`] `n` times).
#[cfg(any(target_arch = "x86_64", test))]
#[inline(always)]
pub(crate) fn step_by(c: u128, n: u64, flavor: CtrFlavor) -> u128 {
    match flavor {
        CtrFlavor::Be128 => c.wrapping_add(u128::from(n)),
        CtrFlavor::Be32 => (c & !0xFFFF_FFFF) | u128::from((c as u32).wrapping_add(n as u32)),
    }
}

/// How many counter blocks from `c` on (`c` included) differ from `c` only by an addition
/// to its low 64 bits that does not carry: up to 2⁶⁴ for `Be128` (past the low word's
/// wrap the whole 128 bits must carry), up to 2³² for `Be32` (past the 32-bit wrap only
/// the low word changes). The fused paths build these blocks with 64-bit lane additions.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn blocks_without_carry(c: u128, flavor: CtrFlavor) -> u64 {
    match flavor {
        CtrFlavor::Be128 => (u64::MAX - c as u64).saturating_add(1),
        CtrFlavor::Be32 => u64::from(u32::MAX - c as u32) + 1,
    }
}

/// The generic CTR path over whole blocks: counter blocks written into a stack batch of
/// [`PAR_BLOCKS`], encrypted through the bulk path, XORed into `blocks`. `counter` is the
/// next counter block (as a big-endian number) and is advanced past the blocks used.
/// Backends without a fused path ([`BlockCipher::ctr_xor_blocks`]) use this.
pub(crate) fn ctr_xor_buffered<C: BlockCipher + ?Sized>(
    cipher: &C,
    counter: &mut u128,
    flavor: CtrFlavor,
    blocks: &mut [[u8; 16]],
) {
    let mut batch = [[0u8; 16]; PAR_BLOCKS];
    let mut next = *counter;
    let mut touched = 0;
    for chunk in blocks.chunks_mut(PAR_BLOCKS) {
        touched = touched.max(chunk.len());
        for b in &mut batch[..chunk.len()] {
            *b = next.to_be_bytes();
            next = step(next, flavor);
        }
        cipher.encrypt_blocks(&mut batch[..chunk.len()]);
        for (d, k) in chunk.iter_mut().zip(&batch) {
            // One 128-bit XOR per block (the byte loop does not always vectorise).
            *d = (u128::from_ne_bytes(*d) ^ u128::from_ne_bytes(*k)).to_ne_bytes();
        }
    }
    *counter = next;
    crate::ct::wipe_blocks(&mut batch[..touched]);
}

/// XORs keystream into `data`: `counter` is the next counter block, `ks` the current
/// keystream block and `num` how much of it is used.
///
/// The whole blocks go through [`BlockCipher::ctr_xor_blocks`] (the backend's fused path
/// where it has one), which keeps no keystream: the last keystream block, which `ks`
/// holds afterwards as OpenSSL's state does, is recovered as input ⊕ output of the last
/// block. A partial last block takes one more counter block through `encrypt_block`.
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
    let (whole, tail) = data[used..].as_chunks_mut::<16>();
    let mut next = u128::from_be_bytes(*counter);
    if let Some(&last_in) = whole.last() {
        cipher.ctr_xor_blocks(&mut next, flavor, whole);
        let last_out = whole[whole.len() - 1];
        *ks = (u128::from_ne_bytes(last_in) ^ u128::from_ne_bytes(last_out)).to_ne_bytes();
        n = 0;
    }
    if !tail.is_empty() {
        let mut k = next.to_be_bytes();
        cipher.encrypt_block(&mut k);
        xor_in_place(tail, &k);
        *ks = k;
        k.zeroize();
        n = tail.len();
        next = step(next, flavor);
    }
    *counter = next.to_be_bytes();
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

debug_without_state!(Ctr);

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

    /// The backend's `ctr_xor_blocks` (fused on the SIMD backends) against the buffered
    /// path, on every backend, both flavors, 0..=200 blocks, from counters just below the
    /// 2³², 2⁶⁴ and 2¹²⁸ wraps (and far from them), with the counters left afterwards.
    #[test]
    fn fused_ctr_equals_buffered_ctr_near_every_wrap() {
        extern crate std;
        use std::vec::Vec;
        let data: Vec<[u8; 16]> = (0..200)
            .map(|i| core::array::from_fn(|j| (i * 29 + j * 13 + (i >> 2)) as u8))
            .collect();
        let high = 0x0123_4567_89ab_cdef_u128 << 64 | 0xfedc_ba98 << 32;
        let mut starts = Vec::new();
        for back in [1u128, 2, 3, 33, 63, 64, 65, 100, 130, 199, 200, 201] {
            starts.push((1u128 << 32).wrapping_sub(back)); // 32-bit wrap
            starts.push(high.wrapping_add(1 << 32).wrapping_sub(back)); // 32-bit wrap, high bits set
            starts.push((0x77u128 << 64).wrapping_add(1 << 64).wrapping_sub(back)); // 64-bit wrap
            starts.push(0u128.wrapping_sub(back)); // 128-bit wrap
        }
        // Far from the wraps; the last byte carrying into byte 14 within a batch
        // (0x1F0, 0xC1), or not (0xFFC0), with byte 14 = 0xFF (0xFFC1, 0xFFFF).
        for low in [5, 0x1F0, 0xC1, 0xFFC0, 0xFFC1, 0xFFFF] {
            starts.push(high | low);
        }
        for backend in Backend::available() {
            let c = Camellia128::with_backend(&[0x5a; 16], backend).unwrap();
            for flavor in [CtrFlavor::Be128, CtrFlavor::Be32] {
                for &start in &starts {
                    for n in 0..=200 {
                        let (mut want, mut got) = (data[..n].to_vec(), data[..n].to_vec());
                        let (mut cw, mut cg) = (start, start);
                        ctr_xor_buffered(&c, &mut cw, flavor, &mut want);
                        c.ctr_xor_blocks(&mut cg, flavor, &mut got);
                        assert!(
                            got == want && cg == cw,
                            "{backend}, {flavor:?}, counter {start:#x}, {n} blocks"
                        );
                        assert_eq!(cw, step_by(start, n as u64, flavor));
                    }
                }
            }
        }
    }

    #[test]
    fn buffered_ctr_is_counter_encryption() {
        let c = Camellia128::with_backend(&[3; 16], Backend::Table).unwrap();
        for flavor in [CtrFlavor::Be128, CtrFlavor::Be32] {
            let start = u128::MAX - 1;
            let mut blocks = [[0u8; 16]; 4];
            let mut next = start;
            ctr_xor_buffered(&c, &mut next, flavor, &mut blocks);
            let mut k = start;
            for b in blocks {
                let mut want = k.to_be_bytes();
                c.encrypt_block(&mut want);
                assert_eq!(b, want, "{flavor:?}");
                k = step(k, flavor);
            }
            assert_eq!(next, k);
        }
    }

    #[test]
    fn debug_shows_no_keystream() {
        let c = Camellia128::with_backend(&[7; 16], Backend::Table).unwrap();
        let mut ctr = Ctr::new(&c, &[0; 16]);
        let mut buf = [0u8; 5];
        ctr.apply_keystream(&mut buf).unwrap();
        let s = alloc::format!("{ctr:?}");
        assert_eq!(
            s,
            "Ctr { cipher: Camellia { key_bits: 128, backend: Table, .. }, .. }"
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
