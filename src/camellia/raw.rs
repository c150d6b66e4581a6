//! **Hazmat.** Camellia's expanded key in a fixed, C-compatible memory layout.
//!
//! **Warning: this module is for the OpenSSL-compatible C ABI (`ffi/`), not for Rust
//! programs.** Use [`Camellia128`](super::Camellia128) and its siblings instead: they keep
//! the expanded key private, hold the decryption schedule ready, and cannot be forged.
//!
//! OpenSSL's `CAMELLIA_KEY` is caller memory of 280 bytes, aligned to 8, that a C program
//! may declare anywhere, copy with `memcpy` or leave uninitialised. [`ExpandedKey`] gives
//! those 280 bytes a meaning:
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 272 | 34 native-endian `u64` subkeys: kw1..kw4, k1..k24, ke1..ke6 (RFC 3713 §2.2 names) |
//! | 272 | 4 | `grand_rounds` (an `i32`): 3 for 128-bit keys, 4 for 192/256-bit keys, the value OpenSSL stores there |
//! | 276 | 4 | backend code (a `u32`); OpenSSL leaves these 4 bytes as padding |
//!
//! Every bit pattern is a valid `ExpandedKey`: [`ExpandedKey::cipher`] checks the round
//! count (anything but 3 or 4 yields `None`) and the backend code (anything unknown, not
//! available on this CPU, or not constant-time falls back to the backend
//! [`Camellia128::new`](super::Camellia128::new) would pick). The subkeys themselves cannot
//! be checked: garbage subkeys make a garbage cipher, never a crash. The subkeys do not
//! depend on the backend, so a lost or changed backend code (C struct assignment need not
//! copy padding) changes the speed, never the result.

use core::cell::OnceCell;
use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::key_schedule::RoundKeys;
use super::modes::BlockCipher;
use super::modes::CtrFlavor;
use super::{Backend, crypt_block, crypt_block_parts, crypt_blocks, ctr_xor_fused, expand};
use crate::Error;

/// Number of `u64` subkey words: 4 whitening, 24 round, 6 FL keys.
const WORDS: usize = 34;

/// An expanded Camellia key laid out as OpenSSL's `CAMELLIA_KEY` (280 bytes, aligned to 8).
///
/// See the [module documentation](self) for the layout and for why this type exists.
/// It holds only the encryption schedule; [`cipher`](Self::cipher) derives the decryption
/// schedule when asked. Zeroized on drop; `Debug` prints nothing of the key.
#[repr(C)]
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct ExpandedKey {
    words: [u64; WORDS],
    grand_rounds: i32,
    backend: u32,
}

const _: () = {
    assert!(core::mem::size_of::<ExpandedKey>() == ExpandedKey::SIZE);
    assert!(core::mem::align_of::<ExpandedKey>() == 8);
};

impl ExpandedKey {
    /// The size in bytes, equal to `sizeof(CAMELLIA_KEY)` in OpenSSL on the targets where
    /// this module exists (64-bit, and 32-bit ARM, RISC-V and wasm: not 32-bit x86, where
    /// OpenSSL's struct is 276 bytes aligned to 4).
    pub const SIZE: usize = 280;

    /// An all-zero key: its round count is invalid, so [`cipher`](Self::cipher) returns
    /// `None` until [`set`](Self::set) succeeds.
    pub const fn zeroed() -> Self {
        ExpandedKey {
            words: [0; WORDS],
            grand_rounds: 0,
            backend: 0,
        }
    }

    /// Expands a 16-, 24- or 32-byte key for the constant-time backend
    /// [`Camellia128::new`](super::Camellia128::new) would pick.
    ///
    /// Fails with [`Error::InvalidKeyLength`] for any other length.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        let mut k = Self::zeroed();
        k.set(key)?;
        Ok(k)
    }

    /// Overwrites `self` with the expansion of `key` (16, 24 or 32 bytes); on
    /// [`Error::InvalidKeyLength`] `self` is left unchanged.
    pub fn set(&mut self, key: &[u8]) -> Result<(), Error> {
        if !matches!(key.len(), 16 | 24 | 32) {
            return Err(Error::InvalidKeyLength { got: key.len() });
        }
        let backend = Backend::detect();
        // `rk` is zeroized when it goes out of scope.
        let rk = expand(backend, key);
        // Three block copies (a chained iterator here cost a fifth of `Camellia_set_key`).
        let (kw, rest) = self.words.split_at_mut(4);
        let (k, ke) = rest.split_at_mut(24);
        kw.copy_from_slice(&rk.kw);
        k.copy_from_slice(&rk.k);
        ke.copy_from_slice(&rk.ke);
        // 18 → 3, 24 → 4: OpenSSL's "grand rounds" (6-round groups).
        self.grand_rounds = if rk.rounds == 18 { 3 } else { 4 };
        self.backend = backend_code(backend);
        Ok(())
    }

    /// Encrypts one block in place with this key, reading it where it is (no copy of the
    /// schedule, no cipher object): the per-call path of `Camellia_encrypt`. Returns
    /// `false`, leaving `block` unchanged, if the round count is not 3 or 4.
    pub fn encrypt_block(&self, block: &mut [u8; 16]) -> bool {
        self.one_block(block, false)
    }

    /// Decrypts one block in place with this key (the encryption schedule walked
    /// backwards, without deriving the inverse schedule where the backend allows). Returns
    /// `false`, leaving `block` unchanged, if the round count is not 3 or 4.
    pub fn decrypt_block(&self, block: &mut [u8; 16]) -> bool {
        self.one_block(block, true)
    }

    fn one_block(&self, block: &mut [u8; 16], dec: bool) -> bool {
        let rounds = match self.grand_rounds {
            3 => 18,
            4 => 24,
            _ => return false,
        };
        let (kw, rest) = self.words.split_at(4);
        let (k, ke) = rest.split_at(24);
        let (Ok(kw), Ok(k), Ok(ke)) = (kw.try_into(), k.try_into(), ke.try_into()) else {
            return false;
        };
        crypt_block_parts(
            backend_from_code(self.backend),
            kw,
            k,
            ke,
            rounds,
            dec,
            block,
        );
        true
    }

    /// The cipher this key describes, or `None` if its round count is not 3 or 4 (an
    /// all-zero, never-set or corrupted key).
    pub fn cipher(&self) -> Option<ExpandedCipher> {
        let rounds = match self.grand_rounds {
            3 => 18,
            4 => 24,
            _ => return None,
        };
        let mut enc = RoundKeys {
            kw: [0; 4],
            k: [0; 24],
            ke: [0; 6],
            rounds,
        };
        let (kw, rest) = self.words.split_at(4);
        let (k, ke) = rest.split_at(24);
        enc.kw.copy_from_slice(kw);
        enc.k.copy_from_slice(k);
        enc.ke.copy_from_slice(ke);
        Some(ExpandedCipher {
            enc,
            dec: OnceCell::new(),
            backend: backend_from_code(self.backend),
        })
    }
}

impl Default for ExpandedKey {
    fn default() -> Self {
        Self::zeroed()
    }
}

impl fmt::Debug for ExpandedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExpandedKey")
            .field("grand_rounds", &self.grand_rounds)
            .finish_non_exhaustive()
    }
}

/// The code stored for `b`: its position in [`Backend::ALL`] plus one (0 is "none").
/// Only ever read back by the same build, and checked when read.
fn backend_code(b: Backend) -> u32 {
    Backend::ALL
        .iter()
        .position(|&x| x == b)
        .map_or(0, |i| i as u32 + 1)
}

/// The backend a stored code names, if it is one this build knows, runs on this CPU, and
/// is constant-time (or is the one `new` picks in this build); otherwise the default.
fn backend_from_code(code: u32) -> Backend {
    (code as usize)
        .checked_sub(1)
        .and_then(|i| Backend::ALL.get(i).copied())
        .filter(|b| b.is_available() && (b.is_constant_time() || *b == Backend::detect()))
        .unwrap_or_else(Backend::detect)
}

/// A cipher rebuilt from an [`ExpandedKey`]: the schedules and the backend, usable with
/// every function of [`modes`](super::modes). Zeroized on drop.
///
/// The decryption schedule is derived on first use: most C ABI calls (CTR, CFB, OFB,
/// encryption) never need it, and each call rebuilds its cipher.
pub struct ExpandedCipher {
    enc: RoundKeys,
    dec: OnceCell<RoundKeys>,
    backend: Backend,
}

impl ExpandedCipher {
    /// The backend this cipher runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn dec(&self) -> &RoundKeys {
        self.dec.get_or_init(|| self.enc.inverse())
    }
}

impl BlockCipher for ExpandedCipher {
    fn encrypt_block(&self, block: &mut [u8; 16]) {
        crypt_block(self.backend, &self.enc, block)
    }
    fn decrypt_block(&self, block: &mut [u8; 16]) {
        crypt_block(self.backend, self.dec(), block)
    }
    fn encrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        crypt_blocks(self.backend, &self.enc, blocks)
    }
    fn decrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        crypt_blocks(self.backend, self.dec(), blocks)
    }
    fn ctr_xor_blocks(&self, counter: &mut u128, flavor: CtrFlavor, blocks: &mut [[u8; 16]]) {
        if !ctr_xor_fused(self.backend, &self.enc, counter, flavor, blocks) {
            super::modes::ctr::ctr_xor_buffered(self, counter, flavor, blocks)
        }
    }
}

impl ZeroizeOnDrop for ExpandedCipher {}

impl fmt::Debug for ExpandedCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExpandedCipher")
            .field("rounds", &self.enc.rounds)
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camellia::{Camellia128, Camellia192, Camellia256};

    #[test]
    fn agrees_with_the_cipher_objects() {
        let key: [u8; 32] = core::array::from_fn(|i| (i * 7 + 1) as u8);
        let blocks: [[u8; 16]; 70] = core::array::from_fn(|i| [i as u8; 16]);
        let check = |len: usize, reference: &dyn BlockCipher| {
            let c = ExpandedKey::new(&key[..len]).unwrap().cipher().unwrap();
            let mut a = blocks;
            let mut b = blocks;
            c.encrypt_blocks(&mut a);
            reference.encrypt_blocks(&mut b);
            assert_eq!(a, b, "{len}");
            c.encrypt_block(&mut a[0]);
            reference.encrypt_block(&mut b[0]);
            assert_eq!(a, b, "{len}");
            c.decrypt_block(&mut a[0]);
            c.decrypt_blocks(&mut a);
            assert_eq!(a, blocks, "{len}");
        };
        check(16, &Camellia128::new(key[..16].try_into().unwrap()));
        check(24, &Camellia192::new(key[..24].try_into().unwrap()));
        check(32, &Camellia256::new(&key));
    }

    /// The in-place one-block calls (the AES-NI path walks the schedule backwards to
    /// decrypt) against the table backend, every key size, every stored backend code.
    #[test]
    fn one_block_in_place_equals_the_table_backend() {
        use crate::camellia::soft::table;
        for len in [16, 24, 32] {
            for seed in 0..4u8 {
                let key: alloc::vec::Vec<u8> = (0..len)
                    .map(|i| (i as u8).wrapping_mul(29) ^ seed.wrapping_mul(101))
                    .collect();
                let reference = table::expand_vartime(&key);
                let inverse = reference.inverse();
                let mut k = ExpandedKey::new(&key).unwrap();
                let codes = 0..=Backend::ALL.len() as u32;
                for code in codes {
                    k.backend = code;
                    let mut block: [u8; 16] = core::array::from_fn(|i| (i as u8) ^ seed);
                    for _ in 0..50 {
                        let mut want = block;
                        table::crypt_block_vartime(&reference, &mut want);
                        assert!(k.encrypt_block(&mut block), "{len} {code}");
                        assert_eq!(block, want, "encrypt, {len}-byte key, code {code}");
                        let mut back = block;
                        assert!(k.decrypt_block(&mut back));
                        let mut want_back = block;
                        table::crypt_block_vartime(&inverse, &mut want_back);
                        assert_eq!(back, want_back, "decrypt, {len}-byte key, code {code}");
                    }
                }
            }
        }
        let mut b = [7u8; 16];
        assert!(!ExpandedKey::zeroed().encrypt_block(&mut b));
        assert!(!ExpandedKey::zeroed().decrypt_block(&mut b));
        assert_eq!(b, [7u8; 16]);
    }

    #[test]
    fn bad_lengths_leave_the_key_unchanged() {
        let mut k = ExpandedKey::new(&[1; 16]).unwrap();
        assert_eq!(
            k.set(&[0; 20]).unwrap_err(),
            Error::InvalidKeyLength { got: 20 }
        );
        assert_eq!(k.grand_rounds, 3);
        assert!(ExpandedKey::new(&[]).is_err());
    }

    #[test]
    fn garbage_is_rejected_or_harmless() {
        assert!(ExpandedKey::zeroed().cipher().is_none());
        let mut k = ExpandedKey::new(&[9; 24]).unwrap();
        assert_eq!(k.grand_rounds, 4);
        let reference = k.cipher().unwrap();
        for (gr, code) in [(-1, 0), (5, 1), (0, 0), (i32::MAX, u32::MAX)] {
            k.grand_rounds = gr;
            k.backend = code;
            assert!(k.cipher().is_none(), "{gr}");
        }
        k.grand_rounds = 4;
        let codes = (0..=Backend::ALL.len() as u32 + 1).chain([1000, u32::MAX]);
        for code in codes {
            k.backend = code;
            let c = k.cipher().unwrap();
            assert!(c.backend().is_available());
            assert!(
                c.backend().is_constant_time() || c.backend() == Backend::detect(),
                "a stored code never selects a variable-time backend `new` would not pick"
            );
            let (mut a, mut b) = ([3u8; 16], [3u8; 16]);
            c.encrypt_block(&mut a);
            reference.encrypt_block(&mut b);
            assert_eq!(a, b, "the backend code never changes the result");
        }
    }

    #[test]
    fn debug_is_opaque() {
        let k = ExpandedKey::new(&[0xA5; 16]).unwrap();
        let s = alloc::format!("{k:?} {:?}", k.cipher().unwrap());
        assert!(!s.to_lowercase().contains("a5"), "{s}");
    }
}
