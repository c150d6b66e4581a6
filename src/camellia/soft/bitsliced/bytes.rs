//! The F-function of one block, byte-sliced: the eight bytes of the F input become eight
//! lanes of eight 8-bit planes (an 8×8 bit transpose), the S-box circuit runs once on
//! those planes for all eight bytes, and a second transpose brings the bytes back for the
//! P-function, which is done with word operations.
//!
//! The four S-boxes differ only by fixed rotations (RFC 3713 §2.4.4): `s4` rotates its
//! input left by one, `s2` and `s3` rotate the output of `s1` left and right by one. They
//! are applied to the bytes concerned with masks, before and after the transposes, so the
//! circuit itself is always `s1`.

use super::sbox::{S1_IN, S1_OUT, s1_core};

/// A byte repeated in all eight lanes of a word.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The F input is read big-endian: byte t1 is bits 56..63, ..., t8 is bits 0..7.
/// Bytes that go through `s4` (t4, t7), `s2` (t2, t5) and `s3` (t3, t6).
pub(super) const S4_LANES: u64 = 0x0000_00FF_0000_FF00;
pub(super) const S2_LANES: u64 = 0x00FF_0000_FF00_0000;
pub(super) const S3_LANES: u64 = 0x0000_FF00_00FF_0000;

/// XORed into the F input so the circuit sees `s1`'s input with `S1_IN` removed; for the
/// `s4` lanes the constant is rotated right by one because their input is rotated left
/// afterwards.
pub(super) const IN_CONST: u64 =
    splat(S1_IN) ^ ((splat(S1_IN) ^ splat(S1_IN.rotate_right(1))) & S4_LANES);

/// Rotates every byte of a word left by one bit.
#[inline(always)]
pub(super) fn rotl1_lanes(v: u64) -> u64 {
    ((v << 1) & splat(0xFE)) | ((v >> 7) & splat(0x01))
}

/// Rotates every byte of a word right by one bit.
#[inline(always)]
pub(super) fn rotr1_lanes(v: u64) -> u64 {
    ((v >> 1) & splat(0x7F)) | ((v << 7) & splat(0x80))
}

/// Transposes a word seen as an 8×8 bit matrix (byte `i` = row `i`, bit `j` = column
/// `j`): afterwards bit `i` of byte `j` is what bit `j` of byte `i` was. Its own inverse.
#[inline(always)]
pub(super) fn transpose8(mut x: u64) -> u64 {
    let t = (x ^ (x >> 7)) & 0x00AA_00AA_00AA_00AA;
    x ^= t ^ (t << 7);
    let t = (x ^ (x >> 14)) & 0x0000_CCCC_0000_CCCC;
    x ^= t ^ (t << 14);
    let t = (x ^ (x >> 28)) & 0x0000_0000_F0F0_F0F0;
    x ^= t ^ (t << 28);
    x
}

/// The P-function (RFC 3713 §2.4.1) on the S-box outputs `z` (t1 most significant),
/// as in the table backend: with `V` gathering z1..z4 into the left half with the
/// pattern of P's matrix and `U` gathering z5..z8, the left half is `V ⊕ U` and the right
/// half is the left half ⊕ `V >>> 8`. Each byte of `V` is the XOR of three of z1..z4
/// (all but one, in rotation), so `V` is the XOR of all four, broadcast, ⊕ `z1..z4 <<< 8`;
/// likewise `U` is the broadcast XOR of z5..z8 ⊕ `z5..z8`.
#[inline(always)]
pub(super) fn p_function(z: u64) -> u64 {
    let zl = (z >> 32) as u32;
    let zr = z as u32;
    let all = |w: u32| {
        let s = w ^ w.rotate_left(8);
        s ^ s.rotate_left(16)
    };
    let v = all(zl) ^ zl.rotate_left(8);
    let u = all(zr) ^ zr;
    let left = v ^ u;
    let right = left ^ v.rotate_right(8);
    (u64::from(left) << 32) | u64::from(right)
}

/// The S-function of F (the eight S-boxes, without P) on a word of eight bytes, after
/// the round key is added. Constant-time: masks, shifts and the circuit only.
#[inline(always)]
pub(super) fn s_layer(v: u64) -> u64 {
    let v = v ^ IN_CONST;
    let v = (v & !S4_LANES) | (rotl1_lanes(v) & S4_LANES);
    let t = transpose8(v);
    let planes: [u8; 8] = core::array::from_fn(|j| (t >> (8 * j)) as u8);
    let out = s1_core(planes);
    let mut w = 0u64;
    for (j, plane) in out.iter().enumerate() {
        w |= u64::from(*plane) << (8 * j);
    }
    let w = transpose8(w) ^ splat(S1_OUT);
    (w & !(S2_LANES | S3_LANES)) | (rotl1_lanes(w) & S2_LANES) | (rotr1_lanes(w) & S3_LANES)
}

/// The F-function (RFC 3713 §2.4.1), constant-time.
#[inline(always)]
pub(super) fn f(x: u64, k: u64) -> u64 {
    p_function(s_layer(x ^ k))
}
