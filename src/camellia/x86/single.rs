//! The constant-time path for one to a few blocks: the Feistel network on 64-bit halves
//! kept in 128-bit registers, with the F-function of the backend ([`OneBlock`]) computing
//! the eight S-boxes of one half at once with GFNI or AES-NI and the P-function with byte
//! shuffles.
//!
//! A half `d` sits in both 64-bit lanes of a register, little-endian, so byte `t_j` of the
//! RFC (j = 0..8, `t_0` the most significant) is byte `7 - j` of lane 0 and `15 - j` of
//! lane 1; the two copies let one instruction apply two different affine maps (GFNI takes
//! one matrix per 64-bit lane) or give AES-NI room for two pre-filters. The S-layer leaves
//! each `y_j` at some byte of some register; the P-function's output byte `z_i` is the XOR
//! of the `y_j` that row `i` of P selects, gathered with `pshufb` (one shuffle per register
//! and per rank of an input among the row's inputs from that register; a control byte of
//! `0x80` yields zero). The shuffles write `z` into both lanes, ready for the next round.
//!
//! The round keys are folded into the halves ahead of time: the register of a half holds
//! `d ⊕ k` for the round that next takes it as F's input, so that F starts at once when the
//! other half is ready (the key change, `k_old ⊕ k_new`, is XORed in with the update,
//! which waits for F anyway). FL and FL⁻¹ (twice or three times per block) run on the
//! 64-bit halves in general registers. No step depends on data but the values themselves.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

use zeroize::Zeroize;

use super::super::key_schedule::{RoundKeys, fl, fl_inv};

/// The F-function of one backend on one 64-bit half held in both lanes.
pub(super) trait OneBlock: Copy {
    /// `d ⊕ P(S(x))`: `x` is the F-function's input (key included) in both lanes, `d`
    /// what the result is XORed into (ready early: it joins the XOR tree of P last);
    /// the result is in both lanes.
    fn f_into(self, x: __m128i, d: __m128i) -> __m128i;
}

/// The rows of P (RFC 3713 §2.4.1): bit `j` of `P_ROWS[i]` is set when `y_{j+1}` enters
/// `z_{i+1}` (z1 = y1 ⊕ y3 ⊕ y4 ⊕ y6 ⊕ y7 ⊕ y8, ...).
pub(super) const P_ROWS: [u8; 8] = [0xed, 0xdb, 0xb7, 0x7e, 0xe3, 0xd6, 0xbc, 0x79];

/// Which S-box (0..4 for s1..s4) the S-layer applies to `t_j`.
pub(super) const S_OF: [usize; 8] = [0, 1, 2, 3, 1, 2, 3, 0];

/// Where the S-layer leaves `y_j`: (register, byte).
pub(super) type Places = [(usize, u8); 8];

/// How many shuffles of register `r` the P-layer needs: the largest number of one row's
/// inputs that lie in `r`.
pub(super) const fn p_counts<const R: usize>(at: &Places) -> [usize; R] {
    let mut n = [0; R];
    let mut i = 0;
    while i < 8 {
        let mut per = [0; R];
        let mut j = 0;
        while j < 8 {
            if (P_ROWS[i] >> j) & 1 == 1 {
                per[at[j].0] += 1;
            }
            j += 1;
        }
        let mut r = 0;
        while r < R {
            if per[r] > n[r] {
                n[r] = per[r];
            }
            r += 1;
        }
        i += 1;
    }
    n
}

/// The `pshufb` controls of the P-layer: `ctrl[r][m]` moves, for each output byte `z_i`,
/// the `m`-th of row `i`'s inputs that lie in register `r` to bytes `7 - i` and
/// `15 - i`, or zero there if the row has fewer.
pub(super) const fn p_shuffles<const R: usize>(at: &Places) -> [[[u8; 16]; 4]; R] {
    let mut c = [[[0x80; 16]; 4]; R];
    let mut i = 0;
    while i < 8 {
        let mut rank = [0; R];
        let mut j = 0;
        while j < 8 {
            if (P_ROWS[i] >> j) & 1 == 1 {
                let (r, byte) = at[j];
                c[r][rank[r]][7 - i] = byte;
                c[r][rank[r]][15 - i] = byte;
                rank[r] += 1;
            }
            j += 1;
        }
        i += 1;
    }
    c
}

/// The 64-bit value in lane 0.
#[inline(always)]
fn get(x: __m128i) -> u64 {
    // SAFETY: SSE2, x86-64 baseline.
    unsafe { _mm_cvtsi128_si64(x) as u64 }
}

/// `v` in both lanes.
#[inline(always)]
fn set(v: u64) -> __m128i {
    // SAFETY: SSE2, x86-64 baseline.
    unsafe { _mm_set1_epi64x(v as i64) }
}

/// `a ⊕ b`.
#[inline(always)]
fn xor(a: __m128i, b: __m128i) -> __m128i {
    // SAFETY: SSE2, x86-64 baseline.
    unsafe { _mm_xor_si128(a, b) }
}

/// Encrypts (or, with an inverse schedule, decrypts) `L` blocks, their rounds
/// interleaved so that one block's F hides the latency of another's.
#[inline(always)]
pub(super) fn crypt_lanes<T: OneBlock, const L: usize>(
    t: T,
    rk: &RoundKeys,
    blocks: &mut [[u8; 16]],
) {
    debug_assert_eq!(blocks.len(), L);
    let n = rk.rounds;
    // `a` holds d1 ⊕ fa and `b` holds d2 ⊕ fb, fa and fb the keys folded in.
    let (mut fa, mut fb) = (rk.k[0], 0);
    let mut a = [set(0); L];
    let mut b = [set(0); L];
    for i in 0..L {
        let v = u128::from_be_bytes(blocks[i]);
        a[i] = set((v >> 64) as u64 ^ rk.kw[0] ^ fa);
        b[i] = set(v as u64 ^ rk.kw[1]);
    }
    let mut r = 0;
    while r < n {
        if let Some((ka, kb)) = rk.fl_keys(r) {
            for i in 0..L {
                a[i] = set(fl(get(a[i]) ^ fa, ka) ^ fa);
                b[i] = set(fl_inv(get(b[i]) ^ fb, kb) ^ fb);
            }
        }
        // Round r: d2 ^= F(d1 ⊕ k_r); b now folds k_{r+1}, for round r + 1.
        let change = set(fb ^ rk.k[r + 1]);
        fb = rk.k[r + 1];
        for i in 0..L {
            b[i] = t.f_into(a[i], xor(b[i], change));
        }
        // Round r + 1: d1 ^= F(d2 ⊕ k_{r+1}); a now folds k_{r+2} (none after the last).
        let next = if r + 2 < n { rk.k[r + 2] } else { 0 };
        let change = set(fa ^ next);
        fa = next;
        for i in 0..L {
            a[i] = t.f_into(b[i], xor(a[i], change));
        }
        r += 2;
    }
    for i in 0..L {
        let hi = get(b[i]) ^ fb ^ rk.kw[2];
        let lo = get(a[i]) ^ rk.kw[3];
        blocks[i] = ((u128::from(hi) << 64) | u128::from(lo)).to_be_bytes();
    }
    // As `key_schedule::crypt_lanes` does with its state.
    a.zeroize();
    b.zeroize();
    fb.zeroize();
}

/// The F-function alone, for the key schedule: `F(x, k)` on plain 64-bit values.
#[inline(always)]
pub(super) fn f_u64<T: OneBlock>(t: T, x: u64, k: u64) -> u64 {
    get(t.f_into(set(x ^ k), set(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_rows_are_rfc3713() {
        // RFC 3713 §2.4.1, 1-based.
        let rows: [&[usize]; 8] = [
            &[1, 3, 4, 6, 7, 8],
            &[1, 2, 4, 5, 7, 8],
            &[1, 2, 3, 5, 6, 8],
            &[2, 3, 4, 5, 6, 7],
            &[1, 2, 6, 7, 8],
            &[2, 3, 5, 7, 8],
            &[3, 4, 5, 6, 8],
            &[1, 4, 5, 6, 7],
        ];
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(P_ROWS[i], row.iter().fold(0u8, |m, &j| m | 1 << (j - 1)));
        }
    }
}
