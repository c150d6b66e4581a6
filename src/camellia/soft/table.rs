//! The table backend: the classic SP-table formulation of Camellia.
//!
//! **Not cache-timing safe.** Every S-box lookup indexes a 2 KiB table with a byte of
//! (key ⊕ data); an attacker who shares a cache with this code can learn key bits from
//! which lines were touched (Tsunoo et al., "Cryptanalysis of block ciphers implemented on
//! computers with cache", 2002, attacked exactly this formulation of Camellia). It is
//! never chosen by `Camellia*::new`; use it only through `with_backend(.., Backend::Table)`
//! where every party that can time the process is trusted. See `SIDE-CHANNELS.md`.
//!
//! The F-function (RFC 3713 §2.4.1) folds the S-boxes and the P-function into eight
//! tables of 256 `u64` (16 KiB), generated at compile time from `SBOX1`: P is linear, so
//! F(x) is the XOR of what each of the eight bytes of `x ⊕ k` contributes on its own
//! (its S-box, then P). One load and one XOR per byte, and nothing to recombine after the
//! loads, which keeps the round's latency (what one block waits on) short. The classic
//! four-`u32`-table form (OpenSSL's) saves 12 KiB of cache but adds a rotate-and-merge
//! step to every round; it measured ~13% slower for one block here.
#![deny(unsafe_code)]

use super::super::consts::sbox_vartime;
use super::super::key_schedule::{RoundKeys, crypt_lanes};

/// Which S-box each input byte of F goes through (RFC 3713 §2.4.1): t1..t8.
const SBOX_OF_BYTE: [usize; 8] = [1, 2, 3, 4, 2, 3, 4, 1];

/// The P-function (RFC 3713 §2.4.1) on bytes `z[0]` (z1, most significant) to `z[7]`.
const fn p(z: [u8; 8]) -> u64 {
    let y = [
        z[0] ^ z[2] ^ z[3] ^ z[5] ^ z[6] ^ z[7],
        z[0] ^ z[1] ^ z[3] ^ z[4] ^ z[6] ^ z[7],
        z[0] ^ z[1] ^ z[2] ^ z[4] ^ z[5] ^ z[7],
        z[1] ^ z[2] ^ z[3] ^ z[4] ^ z[5] ^ z[6],
        z[0] ^ z[1] ^ z[5] ^ z[6] ^ z[7],
        z[1] ^ z[2] ^ z[4] ^ z[6] ^ z[7],
        z[2] ^ z[3] ^ z[4] ^ z[5] ^ z[7],
        z[0] ^ z[3] ^ z[4] ^ z[5] ^ z[6],
    ];
    u64::from_be_bytes(y)
}

/// `SP[i][x]`: what input byte `i` of F, equal to `x`, contributes to F's output — its
/// S-box, then P applied to a word that is zero elsewhere. P is linear, so F is the XOR
/// of the eight contributions. Eight tables of 256 `u64` (16 KiB, L1-resident): one load
/// and one XOR per byte, with no recombination step on the round's critical path.
const fn sp_tables() -> [[u64; 256]; 8] {
    let mut t = [[0u64; 256]; 8];
    let mut i = 0;
    while i < 8 {
        let mut x = 0;
        while x < 256 {
            let mut z = [0u8; 8];
            z[i] = sbox_vartime(SBOX_OF_BYTE[i], x as u8);
            t[i][x] = p(z);
            x += 1;
        }
        i += 1;
    }
    t
}

static SP: [[u64; 256]; 8] = sp_tables();

/// The F-function with table lookups indexed by secret bytes (variable-time).
#[inline(always)]
pub(crate) fn f_vartime(x: u64, k: u64) -> u64 {
    let b = (x ^ k).to_be_bytes();
    (SP[0][b[0] as usize] ^ SP[1][b[1] as usize])
        ^ (SP[2][b[2] as usize] ^ SP[3][b[3] as usize])
        ^ ((SP[4][b[4] as usize] ^ SP[5][b[5] as usize])
            ^ (SP[6][b[6] as usize] ^ SP[7][b[7] as usize]))
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
