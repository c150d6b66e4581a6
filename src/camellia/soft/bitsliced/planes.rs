//! The bulk path: `64 * W` blocks at once as 128 bit-planes of `W` words.
//!
//! Plane layout: after the transposes, `s[h][q][w]` holds bit `q` (0 = least
//! significant) of half `h` (0 = the left 64 bits, `D1` in RFC 3713 §2.3.2; 1 = `D2`) of
//! blocks `64 w .. 64 w + 64`, block `64 w + b` in bit `b`. Byte t1 of a half (its most
//! significant byte) is planes 56..63, t8 is planes 0..7. The transposes are 64×64 bit
//! transposes, `W` of them side by side.
//!
//! In this form the whole cipher is plane-wise logic:
//! - the S-boxes run as the Boolean circuit of [`super::sbox`] on the eight planes of a
//!   byte; `s4`'s input rotation and `s2`/`s3`'s output rotations only relabel planes;
//! - the P-function is sixteen byte-XORs (eight plane XORs each) and its output lands in
//!   the other half by XOR;
//! - the key is added plane-wise with masks (all-zero or all-one words, one per key
//!   bit), and FL/FL⁻¹ are AND/OR with such masks and a relabelling for the rotation.
//!
//! Every key-dependent constant is folded into the masks ahead of time ([`Folded`]), so a
//! round costs 64 mask XORs, eight S-box circuits and 24 byte-XORs.

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::super::super::key_schedule::RoundKeys;
use super::keys::{Folded, mask};
use super::sbox::s1_core;

/// A bit-plane of `W` 64-bit words: one bit of each of `64 * W` blocks. Every plane
/// operation is a loop over the words with unit stride, which the compiler vectorizes
/// where the target has vector registers (SSE2 on every x86-64; the same loop vectorizer
/// targets NEON on AArch64); elsewhere the loops are plain word operations. (With `W = 2`
/// the loops are unrolled first and the circuit, deeper than the SLP vectorizer follows,
/// stays scalar; `W = 8` is the width that vectorizes well.)
type Plane<const W: usize> = [u64; W];

/// The masks and constants one key needs on the bulk path, computed once per call.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(super) struct BulkKey {
    /// Per round, the masks of the F input's offset (see [`Folded`]).
    round: [[u64; 64]; 24],
    /// Per FL/FL⁻¹ key, the masks of its bits.
    fl: [[u64; 64]; 6],
    /// XORed into the output halves (D2, D1 order, as the output is swapped).
    out: [u64; 2],
    rounds: usize,
}

impl BulkKey {
    pub(super) fn new(rk: &RoundKeys) -> BulkKey {
        let folded = Folded::new(rk);
        BulkKey {
            round: core::array::from_fn(|r| core::array::from_fn(|q| mask(folded.keys[r], q))),
            fl: core::array::from_fn(|i| core::array::from_fn(|q| mask(rk.ke[i], q))),
            out: folded.out,
            rounds: rk.rounds,
        }
    }
}

/// One level of [`transpose64`]: in each block of `2 * S` rows, swaps the high `S` bits
/// of the first `S` rows with the low `S` bits of the last `S` rows; every row is `W`
/// words, one per independent matrix.
#[inline(always)]
fn transpose_level<const W: usize, const S: usize>(a: &mut [[u64; W]; 64], m: u64) {
    for base in (0..64).step_by(2 * S) {
        for i in base..base + S {
            let (lo, hi) = a.split_at_mut(i + S);
            for (x, y) in lo[i].iter_mut().zip(hi[0].iter_mut()) {
                let t = ((*x >> S) ^ *y) & m;
                *y ^= t;
                *x ^= t << S;
            }
        }
    }
}

/// Transposes `W` 64×64 bit matrices at once, in place (`a[i][w]` bit `j` ↔ `a[j][w]` bit
/// `i`): six levels of swapping the off-diagonal blocks of 2×2 block matrices (Hacker's
/// Delight §7-3, with least-significant-first bit numbering). The loops over `w` are the
/// innermost, so they vectorize like the rest of the bulk path.
pub(super) fn transpose64<const W: usize>(a: &mut [[u64; W]; 64]) {
    transpose_level::<W, 32>(a, 0x0000_0000_FFFF_FFFF);
    transpose_level::<W, 16>(a, 0x0000_FFFF_0000_FFFF);
    transpose_level::<W, 8>(a, 0x00FF_00FF_00FF_00FF);
    transpose_level::<W, 4>(a, 0x0F0F_0F0F_0F0F_0F0F);
    transpose_level::<W, 2>(a, 0x3333_3333_3333_3333);
    transpose_level::<W, 1>(a, 0x5555_5555_5555_5555);
}

/// Which input plane of a byte feeds circuit input `j` for each byte t1..t8 (index 0 =
/// t1): `s4` (t4, t7) reads its input rotated left by one.
const IN_MAP: [[usize; 8]; 8] = {
    let mut m = [[0; 8]; 8];
    let mut p = 0;
    while p < 8 {
        let mut j = 0;
        while j < 8 {
            m[p][j] = if p == 3 || p == 6 { (j + 7) % 8 } else { j };
            j += 1;
        }
        p += 1;
    }
    m
};

/// Which circuit output becomes output bit `j` of each byte: `s2` (t2, t5) rotates left,
/// `s3` (t3, t6) right.
const OUT_MAP: [[usize; 8]; 8] = {
    let mut m = [[0; 8]; 8];
    let mut p = 0;
    while p < 8 {
        let mut j = 0;
        while j < 8 {
            m[p][j] = match p {
                1 | 4 => (j + 7) % 8,
                2 | 5 => (j + 1) % 8,
                _ => j,
            };
            j += 1;
        }
        p += 1;
    }
    m
};

/// The S-box of byte t(B+1) on the key-added planes of `src`, outputs relabelled for
/// `s2`/`s3` and inputs for `s4`. `B` is a const parameter, so every plane index is a
/// constant; the loop over the words has the whole circuit as its body.
#[inline(always)]
pub(super) fn sbox_byte<const W: usize, const B: usize>(
    src: &[Plane<W>; 64],
    km: &[u64; 64],
    z: &mut [Plane<W>; 8],
) {
    let base = 8 * (7 - B);
    for w in 0..W {
        let u = core::array::from_fn(|j| {
            let q = base + IN_MAP[B][j];
            src[q][w] ^ km[q]
        });
        let o = s1_core(u);
        for j in 0..8 {
            z[j][w] = o[OUT_MAP[B][j]];
        }
    }
}

/// `dst ^= F(src)` without F's constants (they are in the masks and `δ`). `z` is scratch
/// space, left for the caller to zeroize.
#[inline(always)]
fn f_into<const W: usize>(
    src: &[Plane<W>; 64],
    dst: &mut [Plane<W>; 64],
    km: &[u64; 64],
    z: &mut [[Plane<W>; 8]; 8],
) {
    // z[p]: the eight output planes of the S-box of byte t(p+1).
    sbox_byte::<W, 0>(src, km, &mut z[0]);
    sbox_byte::<W, 1>(src, km, &mut z[1]);
    sbox_byte::<W, 2>(src, km, &mut z[2]);
    sbox_byte::<W, 3>(src, km, &mut z[3]);
    sbox_byte::<W, 4>(src, km, &mut z[4]);
    sbox_byte::<W, 5>(src, km, &mut z[5]);
    sbox_byte::<W, 6>(src, km, &mut z[6]);
    sbox_byte::<W, 7>(src, km, &mut z[7]);
    // P (RFC 3713 §2.4.1) as sixteen byte-XORs (in registers, plane by plane), then
    // the XOR into the other half.
    for j in 0..8 {
        for w in 0..W {
            let mut y: [u64; 8] = core::array::from_fn(|p| z[p][j][w]);
            p_bytes(&mut y);
            for (i, yi) in y.iter().enumerate() {
                dst[8 * (7 - i) + j][w] ^= yi;
            }
        }
    }
}

/// The P-function on eight byte values `z[0]` = z1 .. `z[7]` = z8 (any width, here one
/// bit-plane word each), in place: sixteen XORs (the byte-oriented form in the Camellia
/// specification), then a swap of the halves.
#[inline(always)]
fn p_bytes(z: &mut [u64; 8]) {
    const STEPS: [(usize, usize); 16] = [
        (0, 5),
        (1, 6),
        (2, 7),
        (3, 4),
        (4, 2),
        (5, 3),
        (6, 0),
        (7, 1),
        (0, 7),
        (1, 4),
        (2, 5),
        (3, 6),
        (4, 3),
        (5, 0),
        (6, 1),
        (7, 2),
    ];
    for (a, b) in STEPS {
        z[a] ^= z[b];
    }
    // Now z[0..4] hold y5..y8 and z[4..8] hold y1..y4.
    z.rotate_left(4);
}

/// `a ^= b & m` (`and`) or `a ^= b | m` (`!and`) word by word; `m` is a key mask.
#[inline(always)]
fn mix<const W: usize>(a: &mut Plane<W>, b: Plane<W>, m: u64, and: bool) {
    for (x, y) in a.iter_mut().zip(b) {
        *x ^= if and { y & m } else { y | m };
    }
}

/// FL on the planes of a half (RFC 3713 §2.4.2): x2 ^= (x1 & k1) <<< 1; x1 ^= x2 | k2.
/// Planes 32..63 are x1, 0..31 are x2; rotating x1 & k1 left by one sends bit i to i+1.
#[inline(always)]
fn fl_planes<const W: usize>(x: &mut [Plane<W>; 64], km: &[u64; 64]) {
    for i in 0..32 {
        let s = 32 + (i + 31) % 32;
        let b = x[s];
        mix(&mut x[i], b, km[s], true);
    }
    for i in 0..32 {
        let b = x[i];
        mix(&mut x[32 + i], b, km[i], false);
    }
}

/// FL⁻¹ (RFC 3713 §2.4.3): y1 ^= y2 | k2; y2 ^= (y1 & k1) <<< 1.
#[inline(always)]
fn fl_inv_planes<const W: usize>(y: &mut [Plane<W>; 64], km: &[u64; 64]) {
    for i in 0..32 {
        let b = y[i];
        mix(&mut y[32 + i], b, km[i], false);
    }
    for i in 0..32 {
        let s = 32 + (i + 31) % 32;
        let b = y[s];
        mix(&mut y[i], b, km[s], true);
    }
}

/// Encrypts (or, with the inverse schedule, decrypts) a batch of `64 * W` blocks.
pub(super) fn crypt_batch<const W: usize>(bk: &BulkKey, blocks: &mut [[u8; 16]]) {
    assert_eq!(blocks.len(), 64 * W, "a batch is 64 * W blocks");
    // Block 64 w + i goes to row i, word w; after the transposes, plane q, word w.
    let mut s: [[[u64; W]; 64]; 2] = core::array::from_fn(|h| {
        core::array::from_fn(|i| {
            core::array::from_fn(|w| {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(&blocks[64 * w + i][8 * h..8 * h + 8]);
                u64::from_be_bytes(bytes)
            })
        })
    });
    for half in s.iter_mut() {
        transpose64(half);
    }
    let mut z = [[[0u64; W]; 8]; 8];
    let mut r = 0;
    while r < bk.rounds {
        let [s1, s2] = &mut s;
        if r > 0 && r % 6 == 0 {
            let i = (r / 6 - 1) * 2;
            fl_planes(s1, &bk.fl[i]);
            fl_inv_planes(s2, &bk.fl[i + 1]);
        }
        f_into(s1, s2, &bk.round[r], &mut z);
        f_into(s2, s1, &bk.round[r + 1], &mut z);
        r += 2;
    }
    // Output: D2 ‖ D1, each with the final offset and the output whitening removed.
    for (h, half) in s.iter_mut().rev().enumerate() {
        transpose64(half);
        for (w, group) in blocks.chunks_exact_mut(64).enumerate() {
            for (row, block) in half.iter().zip(group) {
                block[8 * h..8 * h + 8].copy_from_slice(&(row[w] ^ bk.out[h]).to_be_bytes());
            }
        }
    }
    s.zeroize();
    z.zeroize();
}
