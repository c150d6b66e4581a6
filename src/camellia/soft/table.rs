//! The table backend: the classic SP-table formulation of Camellia.
//!
//! **Not cache-timing safe.** Every S-box lookup indexes a 1 KiB table with a byte of
//! (key ⊕ data); an attacker who shares a cache with this code can learn key bits from
//! which lines were touched (Tsunoo et al., "Cryptanalysis of block ciphers implemented on
//! computers with cache", 2002, attacked exactly this formulation of Camellia). It is
//! never chosen by `Camellia*::new`; use it only through `with_backend(.., Backend::Table)`
//! where every party that can time the process is trusted. See `SIDE-CHANNELS.md`.
//!
//! The F-function (RFC 3713 §2.4.1) folds the S-boxes and the P-function into four tables
//! of 256 `u32`, generated at compile time from `SBOX1`. Writing the F input as bytes
//! `t1..t8` (t1 most significant) and the S-boxed bytes as `s(t)`:
//! - the left half of P's output is `V ⊕ U`, where `V` gathers `t1..t4` and `U` gathers
//!   `t5..t8`, each byte spread over the output bytes that P's matrix sends it to;
//! - the right half is the left half ⊕ `V >>> 8`, because the pattern with which `t1..t4`
//!   reach `y5..y8` is their pattern into `y1..y4` plus that pattern rotated by one byte.
#![deny(unsafe_code)]

use super::super::consts::sbox_vartime;
use super::super::key_schedule::{RoundKeys, crypt_lanes};

/// Builds `SP[x] = s_which(x) · pattern` (pattern: one bit set per output byte).
const fn sp(which: usize, pattern: u32) -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut x = 0;
    while x < 256 {
        t[x] = sbox_vartime(which, x as u8) as u32 * pattern;
        x += 1;
    }
    t
}

static SP1110: [u32; 256] = sp(1, 0x0101_0100);
static SP0222: [u32; 256] = sp(2, 0x0001_0101);
static SP3033: [u32; 256] = sp(3, 0x0100_0101);
static SP4404: [u32; 256] = sp(4, 0x0101_0001);

/// The F-function with table lookups indexed by secret bytes (variable-time).
#[inline(always)]
pub(crate) fn f_vartime(x: u64, k: u64) -> u64 {
    let x = x ^ k;
    let b = x.to_be_bytes();
    let v = SP1110[b[0] as usize]
        ^ SP0222[b[1] as usize]
        ^ SP3033[b[2] as usize]
        ^ SP4404[b[3] as usize];
    let u = SP0222[b[4] as usize]
        ^ SP3033[b[5] as usize]
        ^ SP4404[b[6] as usize]
        ^ SP1110[b[7] as usize];
    let left = v ^ u;
    let right = left ^ v.rotate_right(8);
    (u64::from(left) << 32) | u64::from(right)
}

/// Expands a key with the table F-function.
pub(crate) fn expand_vartime(key: &[u8]) -> RoundKeys {
    RoundKeys::expand(key, f_vartime)
}

/// Encrypts (or, with an inverse schedule, decrypts) one block.
pub(crate) fn crypt_block_vartime(rk: &RoundKeys, block: &mut [u8; 16]) {
    crypt_lanes::<1>(rk, core::slice::from_mut(block), f_vartime);
}

/// Bulk path: four blocks interleaved so that their table loads overlap.
pub(crate) fn crypt_blocks_vartime(rk: &RoundKeys, blocks: &mut [[u8; 16]]) {
    let mut chunks = blocks.chunks_exact_mut(4);
    for c in &mut chunks {
        crypt_lanes::<4>(rk, c, f_vartime);
    }
    for b in chunks.into_remainder() {
        crypt_block_vartime(rk, b);
    }
}
