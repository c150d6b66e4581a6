//! Camellia, the 128-bit block cipher of RFC 3713 (also ISO/IEC 18033-3, CRYPTREC, NESSIE).
//!
//! [`Camellia128`], [`Camellia192`] and [`Camellia256`] take 16-, 24- and 32-byte keys.
//! A cipher object expands its key once, picks its [`Backend`] once, and dispatches every
//! call on that choice:
//!
//! | backend | constant-time | chosen by `new` | notes |
//! |---|---|---|---|
//! | [`Backend::GfniAvx512`] | yes | yes (x86-64 with AVX-512 and GFNI) | byte-sliced, 64 blocks in zmm registers, S-boxes by GFNI affine/inverse |
//! | [`Backend::GfniAvx2`] | yes | yes (x86-64 with GFNI, no AVX-512) | the same, 32 blocks in ymm registers |
//! | [`Backend::AesniAvx2`] | yes | yes (x86-64 with AES-NI and AVX2, no GFNI) | byte-sliced, 32 blocks in ymm registers, S-boxes by `aesenclast` between affine filters |
//! | [`Backend::Bitsliced`] | yes | yes (the portable default) | 512 blocks at once in bit-planes (x86-64, AArch64), 8 at once for short inputs and other targets, a transposed one-block path |
//! | [`Backend::Table`] | **no** | never | SP tables indexed by key⊕data bytes: fast, but leaks through the cache |
//!
//! The SIMD backends take one to four blocks through a constant-time path of their own
//! (GFNI or AES-NI on one 128-bit register), so `new` never uses a table, whatever the
//! input length.
//!
//! ```
//! use tsubaki::camellia::{Backend, Camellia128};
//!
//! let cipher = Camellia128::new(&[0x2b; 16]);
//! assert!(cipher.backend().is_constant_time());
//! let mut block = *b"sixteen byte msg";
//! cipher.encrypt_block(&mut block);
//! cipher.decrypt_block(&mut block);
//! assert_eq!(&block, b"sixteen byte msg");
//! ```
//!
//! This module is the raw block cipher: encrypting more than one block with it directly is
//! ECB. Use it through a mode.

pub mod aead;
mod consts;
mod key_schedule;
pub mod mac;
pub mod modes;
// OpenSSL's `CAMELLIA_KEY` (a union with a `double`, then an `int`) is 280 bytes aligned to
// 8 only where `double` and `u64` are 8-aligned: every 64-bit target, and the 32-bit ARM,
// RISC-V and wasm ABIs. On 32-bit x86 (System V i386) both are 4-aligned and the struct
// is 276 bytes, so `raw` (and `ffi/`'s `Camellia_*`, under the same cfg) do not exist
// there (issue 18); other 32-bit targets can join the list once their layout is checked.
#[cfg(any(
    target_pointer_width = "64",
    target_arch = "arm",
    target_arch = "riscv32",
    target_arch = "wasm32"
))]
pub mod raw;
mod soft;
#[cfg(feature = "cipher")]
mod traits;
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod x86;

use core::fmt;

use crate::Error;
use key_schedule::RoundKeys;
use soft::{bitsliced, table};

/// The implementation a cipher object runs on, chosen once when the key is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// x86-64 with AVX-512 (F, BW, VL) and GFNI: byte-sliced, 64 blocks per batch in zmm
    /// registers, each S-box two GFNI instructions (`vgf2p8affineqb`,
    /// `vgf2p8affineinvqb`). Constant-time. The fastest backend where it runs.
    GfniAvx512,
    /// x86-64 with AVX2 and GFNI: the GFNI backend on ymm registers, 32 blocks per batch,
    /// for CPUs with GFNI but without AVX-512. Constant-time.
    GfniAvx2,
    /// x86-64 with AVX2 and AES-NI: byte-sliced, 32 blocks per batch in ymm registers,
    /// each S-box computed by `aesenclast` between two affine filters (VAES's
    /// `vaesenclast ymm` where the CPU has it). Constant-time; the SIMD backend that runs
    /// under valgrind, which hides AVX-512, GFNI and VAES.
    AesniAvx2,
    /// Portable bitsliced code: constant-time (no secret-dependent branch or memory
    /// index): 512 blocks per bit-sliced batch for bulk data (x86-64 and AArch64, where
    /// it vectorises), 8 per batch for short inputs and elsewhere. The default where no
    /// SIMD backend applies.
    Bitsliced,
    /// Portable SP-table code. **Not cache-timing safe**: S-box lookups are memory loads
    /// at addresses derived from key and data. Opt-in only, never chosen by `new`.
    Table,
}

impl Backend {
    /// Every backend this build knows of, available on this CPU or not.
    /// Listed fastest first.
    pub const ALL: &'static [Backend] = &[
        Backend::GfniAvx512,
        Backend::GfniAvx2,
        Backend::AesniAvx2,
        Backend::Bitsliced,
        Backend::Table,
    ];

    /// Whether this backend keeps secrets out of branches and memory addresses.
    pub const fn is_constant_time(self) -> bool {
        match self {
            Backend::GfniAvx512 | Backend::GfniAvx2 | Backend::AesniAvx2 => true,
            Backend::Bitsliced => true,
            Backend::Table => false,
        }
    }

    /// Whether this backend can run on this CPU (the portable ones always can; the x86
    /// ones where the CPU and OS support their instructions, detected with CPUID).
    pub fn is_available(self) -> bool {
        match self {
            Backend::Bitsliced | Backend::Table => true,
            #[cfg(target_arch = "x86_64")]
            Backend::GfniAvx512 | Backend::GfniAvx2 | Backend::AesniAvx2 => {
                x86::Simd::new(self).is_some()
            }
            #[cfg(not(target_arch = "x86_64"))]
            Backend::GfniAvx512 | Backend::GfniAvx2 | Backend::AesniAvx2 => false,
        }
    }

    /// The backends that can run here, best constant-time first.
    pub fn available() -> impl Iterator<Item = Backend> {
        Self::ALL.iter().copied().filter(|b| b.is_available())
    }

    /// A short stable name (`"gfni_avx512"`, `"gfni_avx2"`, `"aesni_avx2"`,
    /// `"bitsliced"`, `"table"`), as used by the `tsubaki_backend` cfg.
    pub const fn name(self) -> &'static str {
        match self {
            Backend::GfniAvx512 => "gfni_avx512",
            Backend::GfniAvx2 => "gfni_avx2",
            Backend::AesniAvx2 => "aesni_avx2",
            Backend::Bitsliced => "bitsliced",
            Backend::Table => "table",
        }
    }

    /// The backend `new` picks: the fastest constant-time backend this CPU supports,
    /// unless the build forces one with `--cfg tsubaki_backend="..."` (a forced backend
    /// this CPU cannot run is ignored).
    fn detect() -> Backend {
        let forced = if cfg!(tsubaki_backend = "table") {
            Some(Backend::Table)
        } else if cfg!(tsubaki_backend = "bitsliced") {
            Some(Backend::Bitsliced)
        } else if cfg!(tsubaki_backend = "gfni_avx512") {
            Some(Backend::GfniAvx512)
        } else if cfg!(tsubaki_backend = "gfni_avx2") {
            Some(Backend::GfniAvx2)
        } else if cfg!(tsubaki_backend = "aesni_avx2") {
            Some(Backend::AesniAvx2)
        } else {
            None
        };
        match forced {
            Some(b) if b.is_available() => b,
            _ => Self::available()
                .find(|b| b.is_constant_time())
                .unwrap_or(Backend::Bitsliced),
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Camellia with a `KEY_LEN`-byte key: use the aliases [`Camellia128`], [`Camellia192`]
/// and [`Camellia256`].
///
/// The expanded key is zeroized on drop, and `Debug` prints only the key size and
/// the backend.
pub struct Camellia<const KEY_LEN: usize> {
    enc: RoundKeys,
    dec: RoundKeys,
    backend: Backend,
}

/// Camellia with a 128-bit key (18 rounds).
pub type Camellia128 = Camellia<16>;
/// Camellia with a 192-bit key (24 rounds).
pub type Camellia192 = Camellia<24>;
/// Camellia with a 256-bit key (24 rounds).
pub type Camellia256 = Camellia<32>;

impl<const KEY_LEN: usize> Camellia<KEY_LEN> {
    /// The block size in bytes.
    pub const BLOCK_SIZE: usize = 16;
    /// The key size in bytes.
    pub const KEY_SIZE: usize = KEY_LEN;

    /// Expands `key` for the best constant-time backend of this CPU.
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        Self::build(key, Backend::detect())
    }

    /// Expands `key` for the backend `backend`, or fails with
    /// [`Error::BackendUnavailable`] if this CPU cannot run it.
    pub fn with_backend(key: &[u8; KEY_LEN], backend: Backend) -> Result<Self, Error> {
        if !backend.is_available() {
            return Err(Error::BackendUnavailable);
        }
        Ok(Self::build(key, backend))
    }

    /// Like [`new`](Self::new), from a slice: fails with [`Error::InvalidKeyLength`]
    /// unless `key` is exactly `KEY_LEN` bytes long.
    pub fn new_from_slice(key: &[u8]) -> Result<Self, Error> {
        let key: &[u8; KEY_LEN] = key
            .try_into()
            .map_err(|_| Error::InvalidKeyLength { got: key.len() })?;
        Ok(Self::new(key))
    }

    /// Like [`with_backend`](Self::with_backend), from a slice.
    pub fn with_backend_from_slice(key: &[u8], backend: Backend) -> Result<Self, Error> {
        let key: &[u8; KEY_LEN] = key
            .try_into()
            .map_err(|_| Error::InvalidKeyLength { got: key.len() })?;
        Self::with_backend(key, backend)
    }

    fn build(key: &[u8; KEY_LEN], backend: Backend) -> Self {
        const {
            assert!(
                KEY_LEN == 16 || KEY_LEN == 24 || KEY_LEN == 32,
                "Camellia keys are 16, 24 or 32 bytes"
            )
        };
        let enc = expand(backend, key);
        let dec = enc.inverse();
        Camellia { enc, dec, backend }
    }

    /// The backend this object runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Encrypts one block in place.
    pub fn encrypt_block(&self, block: &mut [u8; 16]) {
        self.crypt_block(&self.enc, block);
    }

    /// Decrypts one block in place.
    pub fn decrypt_block(&self, block: &mut [u8; 16]) {
        self.crypt_block(&self.dec, block);
    }

    /// Encrypts blocks in place, each independently (this is ECB), using the backend's
    /// parallel path.
    pub fn encrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        self.crypt_blocks(&self.enc, blocks);
    }

    /// Decrypts blocks in place, each independently.
    pub fn decrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        self.crypt_blocks(&self.dec, blocks);
    }

    fn crypt_block(&self, rk: &RoundKeys, block: &mut [u8; 16]) {
        crypt_block(self.backend, rk, block)
    }

    fn crypt_blocks(&self, rk: &RoundKeys, blocks: &mut [[u8; 16]]) {
        crypt_blocks(self.backend, rk, blocks)
    }

    /// CTR encryption of whole blocks through the backend's fused path (counter blocks
    /// built in registers, keystream XORed into `blocks` without a buffer), as
    /// [`BlockCipher::ctr_xor_blocks`](modes::BlockCipher::ctr_xor_blocks) describes.
    /// Returns `false`, changing nothing, where the backend has no such path.
    fn ctr_xor_fused(
        &self,
        counter: &mut u128,
        flavor: modes::CtrFlavor,
        blocks: &mut [[u8; 16]],
    ) -> bool {
        ctr_xor_fused(self.backend, &self.enc, counter, flavor, blocks)
    }
}

// Dispatch on (backend, schedule), shared by `Camellia` and `raw::ExpandedCipher`.

/// CTR over whole blocks with the backend's fused path (counters built in registers, the
/// keystream XORed straight into `blocks`), with the encryption schedule `enc`. Returns
/// `false`, changing nothing, where the backend has no such path.
fn ctr_xor_fused(
    backend: Backend,
    enc: &RoundKeys,
    counter: &mut u128,
    flavor: modes::CtrFlavor,
    blocks: &mut [[u8; 16]],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if let Some(s) = x86::Simd::new(backend) {
        s.ctr_xor(enc, counter, flavor, blocks);
        return true;
    }
    let _ = (backend, enc, counter, flavor, blocks);
    false
}

/// Expands a 16-, 24- or 32-byte key (checked by the caller) with `backend`'s F-function.
/// The subkeys are the same whichever backend computes them.
fn expand(backend: Backend, key: &[u8]) -> RoundKeys {
    match backend {
        Backend::Bitsliced => bitsliced::expand(key),
        Backend::Table => table::expand_vartime(key),
        // A SIMD backend this CPU does not run cannot get here through the public API
        // (`is_available` guards it); were it to, the bitsliced code computes the same.
        #[cfg(target_arch = "x86_64")]
        Backend::GfniAvx512 | Backend::GfniAvx2 | Backend::AesniAvx2 => {
            match x86::Simd::new(backend) {
                Some(s) => s.expand(key),
                None => bitsliced::expand(key),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        Backend::GfniAvx512 | Backend::GfniAvx2 | Backend::AesniAvx2 => bitsliced::expand(key),
    }
}

/// Runs the network on one block with schedule `rk` on `backend`.
fn crypt_block(backend: Backend, rk: &RoundKeys, block: &mut [u8; 16]) {
    match backend {
        Backend::Bitsliced => bitsliced::crypt_block(rk, block),
        Backend::Table => table::crypt_block_vartime(rk, block),
        #[cfg(target_arch = "x86_64")]
        Backend::GfniAvx512 | Backend::GfniAvx2 | Backend::AesniAvx2 => {
            match x86::Simd::new(backend) {
                Some(s) => s.crypt_block(rk, block),
                None => bitsliced::crypt_block(rk, block),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        Backend::GfniAvx512 | Backend::GfniAvx2 | Backend::AesniAvx2 => {
            bitsliced::crypt_block(rk, block)
        }
    }
}

/// Runs the network on one block with an encryption schedule given as its parts,
/// encrypting, or decrypting (`dec`), on `backend`: the C ABI's per-call path, which reads
/// the caller's `CAMELLIA_KEY` in place. `AesniAvx2` walks the schedule backwards to
/// decrypt; the other backends build the schedule (and its inverse) first.
fn crypt_block_parts(
    backend: Backend,
    kw: &[u64; 4],
    k: &[u64; 24],
    ke: &[u64; 6],
    rounds: usize,
    dec: bool,
    block: &mut [u8; 16],
) {
    #[cfg(target_arch = "x86_64")]
    if let Some(x86::Simd::AesniAvx2(b)) = x86::Simd::new(backend) {
        b.crypt_block_parts(kw, k, ke, rounds, dec, block);
        return;
    }
    let enc = RoundKeys {
        kw: *kw,
        k: *k,
        ke: *ke,
        rounds,
    };
    if dec {
        crypt_block(backend, &enc.inverse(), block)
    } else {
        crypt_block(backend, &enc, block)
    }
}

/// Runs the network on independent blocks with schedule `rk` on `backend`'s bulk path.
fn crypt_blocks(backend: Backend, rk: &RoundKeys, blocks: &mut [[u8; 16]]) {
    match backend {
        Backend::Bitsliced => bitsliced::crypt_blocks(rk, blocks),
        Backend::Table => table::crypt_blocks_vartime(rk, blocks),
        #[cfg(target_arch = "x86_64")]
        Backend::GfniAvx512 | Backend::GfniAvx2 | Backend::AesniAvx2 => {
            match x86::Simd::new(backend) {
                Some(s) => s.crypt_blocks(rk, blocks),
                None => bitsliced::crypt_blocks(rk, blocks),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        Backend::GfniAvx512 | Backend::GfniAvx2 | Backend::AesniAvx2 => {
            bitsliced::crypt_blocks(rk, blocks)
        }
    }
}

impl<const KEY_LEN: usize> fmt::Debug for Camellia<KEY_LEN> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Camellia")
            .field("key_bits", &(KEY_LEN * 8))
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl<const KEY_LEN: usize> zeroize::ZeroizeOnDrop for Camellia<KEY_LEN> {}

/// A hint that `bytes` will be read soon (one prefetch per 64-byte line on x86-64; nothing
/// elsewhere). Reads nothing and cannot fault; the addresses are the caller's (public)
/// buffer positions.
#[inline]
pub(crate) fn prefetch(bytes: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    for line in bytes.chunks(64) {
        // SAFETY: PREFETCHT0 (SSE, part of x86-64) is a hint on a valid address.
        #[allow(unsafe_code)]
        unsafe {
            core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
                line.as_ptr().cast(),
            )
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> alloc::vec::Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 3713 Appendix A, on every backend, both directions, one block and bulk.
    #[test]
    fn rfc3713_appendix_a_every_backend() {
        let cases = consts::RFC3713_APPENDIX_A;
        let pt: [u8; 16] = hex(consts::RFC3713_PLAINTEXT).try_into().unwrap();
        for b in Backend::available() {
            for (k, c) in cases {
                let key = hex(k);
                let ct: [u8; 16] = hex(c).try_into().unwrap();
                let check = |enc: &dyn Fn(&mut [u8; 16]),
                             dec: &dyn Fn(&mut [u8; 16]),
                             bulk: &dyn Fn(&mut [[u8; 16]], bool)| {
                    let mut x = pt;
                    enc(&mut x);
                    assert_eq!(x, ct, "{b} key {k}");
                    dec(&mut x);
                    assert_eq!(x, pt, "{b} key {k}");
                    let mut many = [pt; 67];
                    bulk(&mut many, true);
                    assert!(many.iter().all(|x| *x == ct), "{b} bulk key {k}");
                    bulk(&mut many, false);
                    assert!(many.iter().all(|x| *x == pt), "{b} bulk key {k}");
                };
                match key.len() {
                    16 => {
                        let c = Camellia128::with_backend_from_slice(&key, b).unwrap();
                        check(&|x| c.encrypt_block(x), &|x| c.decrypt_block(x), &|m, e| {
                            if e {
                                c.encrypt_blocks(m)
                            } else {
                                c.decrypt_blocks(m)
                            }
                        });
                    }
                    24 => {
                        let c = Camellia192::with_backend_from_slice(&key, b).unwrap();
                        check(&|x| c.encrypt_block(x), &|x| c.decrypt_block(x), &|m, e| {
                            if e {
                                c.encrypt_blocks(m)
                            } else {
                                c.decrypt_blocks(m)
                            }
                        });
                    }
                    _ => {
                        let c = Camellia256::with_backend_from_slice(&key, b).unwrap();
                        check(&|x| c.encrypt_block(x), &|x| c.decrypt_block(x), &|m, e| {
                            if e {
                                c.encrypt_blocks(m)
                            } else {
                                c.decrypt_blocks(m)
                            }
                        });
                    }
                }
            }
        }
    }

    #[test]
    fn wrong_key_length_is_a_typed_error() {
        assert_eq!(
            Camellia128::new_from_slice(&[0; 15]).unwrap_err(),
            Error::InvalidKeyLength { got: 15 }
        );
        assert_eq!(
            Camellia192::new_from_slice(&[0; 32]).unwrap_err(),
            Error::InvalidKeyLength { got: 32 }
        );
        assert!(Camellia256::new_from_slice(&[]).is_err());
    }

    #[test]
    fn debug_prints_no_key_material() {
        let c = Camellia128::new(&[0xA5; 16]);
        let s = alloc::format!("{c:?}");
        assert!(
            !s.to_lowercase().contains("a5") && !s.contains("165"),
            "{s}"
        );
    }
}
