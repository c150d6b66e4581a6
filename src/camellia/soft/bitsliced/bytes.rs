//! The one-block path: each half of the block is kept transposed, as eight 8-bit planes
//! of its eight bytes, so the S-box circuit runs once per F for all eight bytes.
//!
//! `transpose8` turns a half `D` (bytes t1..t8, t1 most significant) into `T(D)`, whose
//! byte `j` is plane `j`: its bit `i` is bit `j` of byte `i` of `D` (byte 0 being t8), so
//! lane `i` of every plane is byte t(8-i). In this form:
//! - the round key is added as `T(k)`, computed alongside;
//! - `s4`'s input rotation and `s2`/`s3`'s output rotations move a lane from one plane to
//!   the next: a rotation of the word by 8 bits, kept in the lanes concerned by a mask;
//! - the P-function mixes lanes, i.e. bits within each byte of the word: the word-level
//!   formula of [`p_function`] becomes rotations within nibbles (lanes 7..4 are t1..t4,
//!   lanes 3..0 are t5..t8), done for all eight planes at once by masked shifts;
//! - FL and FL⁻¹ work on bits across bytes, so the halves are transposed back around them
//!   (twice or three times per block).

use super::super::super::key_schedule::{RoundKeys, fl, fl_inv};
use super::sbox::{S1_IN, S1_OUT, s1_core};

/// A byte repeated in all eight lanes of a word.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// Bytes of a half (big-endian: t1 is bits 56..63, t8 bits 0..7) that go through `s4`
/// (t4, t7), `s2` (t2, t5) and `s3` (t3, t6).
const S4_BYTES: u64 = 0x0000_00FF_0000_FF00;
const S2_BYTES: u64 = 0x00FF_0000_FF00_0000;
const S3_BYTES: u64 = 0x0000_FF00_00FF_0000;

/// The same lanes in the transposed form: t(8-i) is bit `i` of every byte.
const S4_LANES: u64 = splat(0b0001_0010);
const S2_LANES: u64 = splat(0b0100_1000);
const S3_LANES: u64 = splat(0b0010_0100);

/// XORed into the F input so the circuit sees `s1`'s input with `S1_IN` removed; for the
/// `s4` bytes the constant is rotated right by one because their input is rotated left
/// afterwards.
pub(super) const IN_CONST: u64 =
    splat(S1_IN) ^ ((splat(S1_IN) ^ splat(S1_IN.rotate_right(1))) & S4_BYTES);

/// What the eight S-boxes add on top of the circuit: `S1_OUT` through the `s2`/`s3`
/// rotations.
pub(super) const S_CONST: u64 = (splat(S1_OUT) & !(S2_BYTES | S3_BYTES))
    | (splat(S1_OUT.rotate_left(1)) & S2_BYTES)
    | (splat(S1_OUT.rotate_right(1)) & S3_BYTES);

/// What the F-function adds on top of its linear part and the circuit:
/// F(x, k) = P(rotations(C(x ⊕ k ⊕ IN_CONST))) ⊕ F_CONST.
pub(super) const F_CONST: u64 = p_function(S_CONST);

/// Transposes a word seen as an 8×8 bit matrix (byte `i` = row `i`, bit `j` = column
/// `j`): afterwards bit `i` of byte `j` is what bit `j` of byte `i` was. Its own inverse.
#[inline(always)]
pub(super) const fn transpose8(mut x: u64) -> u64 {
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
pub(super) const fn p_function(z: u64) -> u64 {
    const fn all(w: u32) -> u32 {
        let s = w ^ w.rotate_left(8);
        s ^ s.rotate_left(16)
    }
    let zl = (z >> 32) as u32;
    let zr = z as u32;
    let v = all(zl) ^ zl.rotate_left(8);
    let u = all(zr) ^ zr;
    let left = v ^ u;
    let right = left ^ v.rotate_right(8);
    ((left as u64) << 32) | right as u64
}

/// Rotates every nibble of a word left (towards its top bit) by `k` in 1..=3.
#[inline(always)]
const fn nibble_rotl(x: u64, k: u32) -> u64 {
    // The bits that stay in their nibble when shifted left by k.
    let keep = splat((((0xF0 << k) & 0xF0) | ((0x0F << k) & 0x0F)) as u8);
    ((x << k) & keep) | ((x >> (4 - k)) & !keep)
}

/// [`p_function`] in the transposed form. A 32-bit rotation by a byte of z1..z4 (or
/// z5..z8) is a rotation by a bit of the high (or low) nibble of every plane. With
/// `rₖ` the nibbles rotated left by `k`: `V = z ⊕ r₂ ⊕ r₃` on the high nibbles,
/// `U = r₁ ⊕ r₂ ⊕ r₃` on the low ones, and since rotating `V` right by one gives
/// `r₁ ⊕ r₂ ⊕ r₃` again, the right half is `(z ⊕ r₁)` (high nibbles) ⊕ `U`.
#[inline(always)]
const fn p_planes(z: u64) -> u64 {
    let r1 = nibble_rotl(z, 1);
    let r2 = nibble_rotl(z, 2);
    let r3 = nibble_rotl(z, 3);
    let u = r1 ^ r2 ^ r3;
    let v = z ^ r2 ^ r3;
    let left = (v ^ (u << 4)) & splat(0xF0);
    let right = (((z ^ r1) >> 4) ^ u) & splat(0x0F);
    left | right
}

/// The eight S-boxes in the transposed form, without their constant: given
/// `T(y ⊕ IN_CONST)`, returns `T(s(y) ⊕ S_CONST)`, `s` being s1, s2, s3, s4, s2, s3, s4,
/// s1 on bytes t1..t8.
#[inline(always)]
fn s_planes(v: u64) -> u64 {
    // s4's lanes read plane j-1 as input j.
    let v = v ^ ((v ^ v.rotate_left(8)) & S4_LANES);
    let planes: [u64; 8] = core::array::from_fn(|j| v >> (8 * j));
    let out = s1_core(planes);
    let mut w = 0u64;
    for (j, plane) in out.iter().enumerate() {
        w |= (plane & 0xFF) << (8 * j);
    }
    // s2's lanes take output j-1 as bit j, s3's take output j+1.
    w ^ ((w ^ w.rotate_left(8)) & S2_LANES) ^ ((w ^ w.rotate_right(8)) & S3_LANES)
}

/// The F-function in the transposed form, without its constant: given
/// `T(x ⊕ k ⊕ IN_CONST)`, returns `T(F(x, k) ⊕ F_CONST)`.
#[inline(always)]
fn f_planes(v: u64) -> u64 {
    p_planes(s_planes(v))
}

/// The eight S-boxes of F on the bytes of `y` (t1 most significant), through the same
/// code as the one-block path.
#[cfg(test)]
pub(super) fn s_layer(y: u64) -> u64 {
    transpose8(s_planes(transpose8(y ^ IN_CONST))) ^ S_CONST
}

/// The F-function (RFC 3713 §2.4.1), constant-time; the F of the key schedule.
#[inline(always)]
pub(super) fn f(x: u64, k: u64) -> u64 {
    transpose8(f_planes(transpose8(x ^ k ^ IN_CONST))) ^ F_CONST
}

/// Encrypts (or, with the inverse schedule, decrypts) one block (RFC 3713 §2.3.2) with
/// both halves transposed between the FL layers.
pub(super) fn crypt_block(rk: &RoundKeys, block: &mut [u8; 16]) {
    const T_F_CONST: u64 = transpose8(F_CONST);
    let v = u128::from_be_bytes(*block);
    let mut d1 = transpose8((v >> 64) as u64 ^ rk.kw[0]);
    let mut d2 = transpose8(v as u64 ^ rk.kw[1]);
    let mut r = 0;
    while r < rk.rounds {
        if let Some((ka, kb)) = rk.fl_keys(r) {
            d1 = transpose8(fl(transpose8(d1), ka));
            d2 = transpose8(fl_inv(transpose8(d2), kb));
        }
        d2 ^= f_planes(d1 ^ transpose8(rk.k[r] ^ IN_CONST)) ^ T_F_CONST;
        d1 ^= f_planes(d2 ^ transpose8(rk.k[r + 1] ^ IN_CONST)) ^ T_F_CONST;
        r += 2;
    }
    let d2 = transpose8(d2) ^ rk.kw[2];
    let d1 = transpose8(d1) ^ rk.kw[3];
    *block = ((u128::from(d2) << 64) | u128::from(d1)).to_be_bytes();
}
