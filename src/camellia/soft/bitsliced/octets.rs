//! The small-batch path: up to eight blocks in eight bit-planes of `u64` per half.
//!
//! Plane layout: bit `8 i + b` of plane `j` of a half is bit `j` of byte `i` of that half
//! of block `b` (byte 0 being t8, byte 7 t1, as in a big-endian word). In other words each
//! plane is a word laid out like a half of a block, whose byte `i` holds bit `j` of byte
//! `i` of eight blocks. Getting there is an 8×8 bit transpose inside every byte across
//! the eight words of the blocks (three levels of masked swaps).
//!
//! In this form one pass of the circuit computes all 64 S-boxes of eight blocks' F:
//! - the key is added with one mask word per plane (byte `i` all-one where bit `j` of key
//!   byte `i` is set);
//! - `s4` takes plane `j-1` as input `j` in its two bytes, `s2`/`s3` take output `j∓1`
//!   as bit `j` in theirs: masked selections between neighbouring planes;
//! - the P-function mixes bytes, which is exactly the word-level [`p_function`], once per
//!   plane;
//! - FL/FL⁻¹ rotate a 32-bit half by one bit: plane `j` moves to plane `j+1`, and plane 7
//!   to plane 0 rotated by a byte.
//!
//! Constants are folded into the keys as on the bulk path ([`Folded`]).

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::super::super::key_schedule::RoundKeys;
use super::bytes::p_function;
use super::keys::Folded;
use super::sbox::s1_core;

/// Blocks per batch.
pub(super) const OCTET: usize = 8;

/// Bytes of a half that go through `s4` (t4, t7), `s2` (t2, t5) and `s3` (t3, t6).
const S4_BYTES: u64 = 0x0000_00FF_0000_FF00;
const S2_BYTES: u64 = 0x00FF_0000_FF00_0000;
const S3_BYTES: u64 = 0x0000_FF00_00FF_0000;

/// The eight mask planes of a key word: byte `i` of plane `j` is all-one if bit `j` of
/// byte `i` of `k` is set. (With one bit per byte, `(x << 8) - x` is 0xFF per set byte:
/// each byte's borrow is paid by its own bit shifted into the next byte. No multiply, as
/// some small CPUs multiply in data-dependent time.)
fn masks(k: u64) -> [u64; 8] {
    core::array::from_fn(|j| {
        let x = (k >> j) & 0x0101_0101_0101_0101;
        (x << 8).wrapping_sub(x)
    })
}

/// The key material of this path, computed once per call.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(super) struct OctetKey {
    round: [[u64; 8]; 24],
    fl: [[u64; 8]; 6],
    out: [u64; 2],
    rounds: usize,
}

impl OctetKey {
    pub(super) fn new(rk: &RoundKeys) -> OctetKey {
        let folded = Folded::new(rk);
        OctetKey {
            round: core::array::from_fn(|r| masks(folded.keys[r])),
            fl: core::array::from_fn(|i| masks(rk.ke[i])),
            out: folded.out,
            rounds: rk.rounds,
        }
    }
}

/// Swaps bit `j` of word `b` with bit `b` of word `j` inside every byte: an 8×8 bit
/// transpose per byte lane, its own inverse.
#[inline(always)]
pub(super) fn transpose_lanes(d: &mut [u64; 8]) {
    for (s, m) in [
        (4, 0x0F0F_0F0F_0F0F_0F0F),
        (2, 0x3333_3333_3333_3333),
        (1, 0x5555_5555_5555_5555),
    ] {
        for b in (0..8).filter(|b| b & s == 0) {
            let t = ((d[b] >> s) ^ d[b + s]) & m;
            d[b + s] ^= t;
            d[b] ^= t << s;
        }
    }
}

/// The 64 S-boxes on key-added planes, without `S1_OUT`: `s4`'s input and `s2`/`s3`'s
/// output rotations as masked selections between neighbouring planes.
#[inline(always)]
pub(super) fn s_planes(u: [u64; 8]) -> [u64; 8] {
    let v = core::array::from_fn(|j| u[j] ^ ((u[j] ^ u[(j + 7) % 8]) & S4_BYTES));
    let o = s1_core(v);
    core::array::from_fn(|j| {
        o[j] ^ ((o[j] ^ o[(j + 7) % 8]) & S2_BYTES) ^ ((o[j] ^ o[(j + 1) % 8]) & S3_BYTES)
    })
}

/// `dst ^= F(src)` without F's constants (they are in the masks and `δ`).
#[inline(always)]
fn f_into(src: &[u64; 8], dst: &mut [u64; 8], km: &[u64; 8]) {
    let y = s_planes(core::array::from_fn(|j| src[j] ^ km[j]));
    for (d, y) in dst.iter_mut().zip(y) {
        *d ^= p_function(y);
    }
}

/// `x2 ^= (x1 & k1) <<< 1` on the planes of a half (x1 the high 32 bits of each).
#[inline(always)]
fn fl_and_step(x: &mut [u64; 8], km: &[u64; 8]) {
    let a: [u64; 8] = core::array::from_fn(|j| (x[j] & km[j]) >> 32);
    x[0] ^= u64::from((a[7] as u32).rotate_left(8));
    for j in 1..8 {
        x[j] ^= a[j - 1];
    }
}

/// `x1 ^= x2 | k2` on the planes of a half.
#[inline(always)]
fn fl_or_step(x: &mut [u64; 8], km: &[u64; 8]) {
    for (p, m) in x.iter_mut().zip(km) {
        *p ^= (*p | m) << 32;
    }
}

/// Encrypts (or, with the inverse schedule, decrypts) up to [`OCTET`] blocks.
pub(super) fn crypt_octet(ok: &OctetKey, blocks: &mut [[u8; 16]]) {
    debug_assert!(blocks.len() <= OCTET);
    let mut s = [[0u64; 8]; 2];
    for (h, half) in s.iter_mut().enumerate() {
        for (word, block) in half.iter_mut().zip(blocks.iter()) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&block[8 * h..8 * h + 8]);
            *word = u64::from_be_bytes(bytes);
        }
        transpose_lanes(half);
    }
    let mut r = 0;
    while r < ok.rounds {
        let [s1, s2] = &mut s;
        if r > 0 && r % 6 == 0 {
            let i = (r / 6 - 1) * 2;
            // FL on D1, FL⁻¹ on D2 (RFC 3713 §2.4.2–2.4.3).
            fl_and_step(s1, &ok.fl[i]);
            fl_or_step(s1, &ok.fl[i]);
            fl_or_step(s2, &ok.fl[i + 1]);
            fl_and_step(s2, &ok.fl[i + 1]);
        }
        f_into(s1, s2, &ok.round[r]);
        f_into(s2, s1, &ok.round[r + 1]);
        r += 2;
    }
    for (h, half) in s.iter_mut().rev().enumerate() {
        transpose_lanes(half);
        for (word, block) in half.iter().zip(blocks.iter_mut()) {
            block[8 * h..8 * h + 8].copy_from_slice(&(word ^ ok.out[h]).to_be_bytes());
        }
    }
    s.zeroize();
}
