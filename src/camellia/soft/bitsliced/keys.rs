//! Key material of the sliced paths, with the cipher's constants folded in.
//!
//! The sliced paths do not add the whitening keys to the data, nor the constant each F
//! output carries (`S1_OUT` through the `s2`/`s3` rotations and P, [`F_CONST`]). They keep
//! the state as the RFC 3713 state ⊕ a per-key offset `δ`: the whitening keys start it,
//! every F output extends it by `F_CONST`, and FL/FL⁻¹ carry it along, being affine for a
//! fixed key (`FL(s ⊕ δ) = FL(s) ⊕ FL(δ) ⊕ FL(0)`, so FL of the stored state plus the
//! offset `FL(δ) ⊕ FL(0)` is FL of the true state). An F input is then the stored half ⊕
//! `k ⊕ δ ⊕ IN_CONST`, one word per round, and the output whitening removes the last
//! `δ`. All of this is plain word arithmetic on the key, without branches.

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::super::super::key_schedule::{RoundKeys, fl, fl_inv};
use super::bytes::{F_CONST, IN_CONST};

/// Per-round F input offsets and the output whitening, with `δ` folded in.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(super) struct Folded {
    /// `k_r ⊕ δ ⊕ IN_CONST` for round `r` (the first `rounds` entries).
    pub(super) keys: [u64; 24],
    /// XORed into the output halves, in output order (`D2`, then `D1`).
    pub(super) out: [u64; 2],
}

impl Folded {
    pub(super) fn new(rk: &RoundKeys) -> Folded {
        let mut keys = [0u64; 24];
        let (mut d1, mut d2) = (rk.kw[0], rk.kw[1]);
        let mut r = 0;
        while r < rk.rounds {
            if let Some((ka, kb)) = rk.fl_keys(r) {
                d1 = fl(d1, ka) ^ fl(0, ka);
                d2 = fl_inv(d2, kb) ^ fl_inv(0, kb);
            }
            keys[r] = rk.k[r] ^ d1 ^ IN_CONST;
            d2 ^= F_CONST;
            keys[r + 1] = rk.k[r + 1] ^ d2 ^ IN_CONST;
            d1 ^= F_CONST;
            r += 2;
        }
        let folded = Folded {
            keys,
            out: [d2 ^ rk.kw[2], d1 ^ rk.kw[3]],
        };
        keys.zeroize();
        d1.zeroize();
        d2.zeroize();
        folded
    }
}

/// An all-one word if bit `i` of `k` is set, else zero (no branch).
#[inline(always)]
pub(super) fn mask(k: u64, i: usize) -> u64 {
    0u64.wrapping_sub((k >> i) & 1)
}
