//! Constant-time modular inversion by the Bernstein–Yang "safegcd" algorithm
//! (D. J. Bernstein, B.-Y. Yang, "Fast constant-time gcd computation and modular
//! inversion", TCHES 2019), with the divsteps batched 62 at a time on the low bits and
//! the 2×2 transition matrix applied to the full-width values afterwards (the batching and
//! the `d`/`e` range argument follow P. Wuille's analysis of the libsecp256k1
//! implementation, "The safegcd implementation in libsecp256k1 explained").
//!
//! Values are held in signed radix-2^62 limbs: every limb but the top one in `[0, 2^62)`,
//! the top one signed. The number of divsteps is fixed (Theorem 11.2 of the paper: 741
//! for 256-bit and 1110 for 384-bit inputs suffice; we run 744 and 1116, whole batches),
//! every step is mask arithmetic, and so the running time does not depend on the input.

const MASK62: u64 = (1 << 62) - 1;

/// A modulus prepared for inversion: `N` 64-bit limbs, `L` signed 62-bit limbs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SafegcdModulus<const N: usize, const L: usize> {
    m62: [i64; L],
    /// `m⁻¹ mod 2^62`.
    inv62: u64,
    /// Batches of 62 divsteps.
    batches: usize,
}

impl<const N: usize, const L: usize> SafegcdModulus<N, L> {
    /// For an odd modulus below `2^(64N)` with `62·L ≥ 64N + 2` (room for the sign).
    pub(crate) const fn new(m: &[u64; N]) -> Self {
        assert!(62 * L >= 64 * N + 2 && m[0] & 1 == 1);
        let inv = crate::ec::arith::field::inv_mod_2_64(m[0]);
        // Divstep bound of Bernstein–Yang Thm 11.2 for d-bit inputs, d = 64N ≥ 46.
        let d = 64 * N;
        let steps = (49 * d + 57) / 17;
        Self {
            m62: to_signed62(m),
            inv62: inv & MASK62,
            batches: steps / 62 + 1,
        }
    }
}

/// Signed-62 limbs of a non-negative integer.
const fn to_signed62<const N: usize, const L: usize>(a: &[u64; N]) -> [i64; L] {
    let mut out = [0i64; L];
    let mut i = 0;
    while i < L {
        let bit = 62 * i;
        let (limb, shift) = (bit / 64, bit % 64);
        let mut v = if limb < N { a[limb] >> shift } else { 0 };
        if shift > 2 && limb + 1 < N {
            v |= a[limb + 1] << (64 - shift);
        }
        out[i] = (v & MASK62) as i64;
        i += 1;
    }
    out
}

/// 64-bit limbs of a value in `[0, 2^(64N))` held in normalised signed-62 limbs.
fn from_signed62<const N: usize, const L: usize>(a: &[i64; L]) -> [u64; N] {
    let mut out = [0u64; N];
    for (i, o) in out.iter_mut().enumerate() {
        let bit = 64 * i;
        let (limb, shift) = (bit / 62, bit % 62);
        let mut v = (a[limb] as u64) >> shift;
        if limb + 1 < L {
            v |= (a[limb + 1] as u64) << (62 - shift);
        }
        if shift > 60 && limb + 2 < L {
            // 62 − shift < 2 bits came from the next limb; the rest from the one after.
            v |= (a[limb + 2] as u64) << (124 - shift);
        }
        *o = v;
    }
    out
}

/// 62 divsteps on the low 62 bits of `f` (odd) and `g`, from `delta`. Returns the new
/// `delta` and the transition matrix `[u, v, q, r]` with
/// `2^62·(f', g') = (u·f + v·g, q·f + r·g)`; `|u| + |v| ≤ 2^62` and `|q| + |r| ≤ 2^62`.
///
/// One divstep is `(δ, f, g) → (1 − δ, g, (g − f)/2)` if `δ > 0` and g is odd, else
/// `(1 + δ, f, (g + (g mod 2)·f)/2)`. Both cases run the same masked instructions: with
/// `s` = "δ > 0" and `o` = "g odd", first `g += ±f` (sign by `s`, only if `o`), then, if
/// `s ∧ o`, `f += g` — which turns f into the old g because g now holds `g − f` — and
/// finally `g /= 2`. The matrix rows follow the same updates, with `(u, v)` doubled for
/// the common scale instead of halving `(q, r)`.
#[inline(always)]
fn divsteps_62(mut delta: i64, f0: u64, g0: u64) -> (i64, [i64; 4]) {
    let (mut u, mut v, mut q, mut r) = (1i64, 0i64, 0i64, 1i64);
    let (mut f, mut g) = (f0 as i64, g0 as i64);
    for _ in 0..62 {
        let s = delta.wrapping_neg() >> 63; // all ones iff δ > 0
        let o = (g & 1).wrapping_neg(); // all ones iff g is odd
        // g += (s ? −f : f) if g odd; q, r alike with u, v.
        g = g.wrapping_add(((f ^ s).wrapping_sub(s)) & o);
        q = q.wrapping_add(((u ^ s).wrapping_sub(s)) & o);
        r = r.wrapping_add(((v ^ s).wrapping_sub(s)) & o);
        // The swap case proper: f ← f + (g − f) = old g, u ← q_old, v ← r_old; δ ← −δ.
        let c = s & o;
        f = f.wrapping_add(g & c);
        u = u.wrapping_add(q & c);
        v = v.wrapping_add(r & c);
        delta = (delta ^ c).wrapping_sub(c).wrapping_add(1);
        // g is even now: halve it (arithmetic shift keeps the low bits right); double u, v.
        g >>= 1;
        u = u.wrapping_shl(1);
        v = v.wrapping_shl(1);
    }
    (delta, [u, v, q, r])
}

/// `(f, g) ← (u·f + v·g, q·f + r·g) / 2^62`, exact.
#[inline(always)]
fn update_fg<const L: usize>(f: &mut [i64; L], g: &mut [i64; L], t: &[i64; 4]) {
    let [u, v, q, r] = t.map(i128::from);
    let mut cf = u * f[0] as i128 + v * g[0] as i128;
    let mut cg = q * f[0] as i128 + r * g[0] as i128;
    // The low 62 bits of both sums are zero by construction of the matrix. (No
    // debug_assert: it would branch on secret data in debug builds.)
    cf >>= 62;
    cg >>= 62;
    for i in 1..L {
        cf += u * f[i] as i128 + v * g[i] as i128;
        cg += q * f[i] as i128 + r * g[i] as i128;
        f[i - 1] = (cf as u64 & MASK62) as i64;
        g[i - 1] = (cg as u64 & MASK62) as i64;
        cf >>= 62;
        cg >>= 62;
    }
    f[L - 1] = cf as i64;
    g[L - 1] = cg as i64;
}

/// `(d, e) ← (u·d + v·e, q·d + r·e) / 2^62 mod m`, keeping both in `(−2m, m)`.
///
/// A multiple of m is added to each sum to clear its low 62 bits, so the division is
/// exact. The multiple starts from `u` (resp. `q`) if `d < 0` and `v` (resp. `r`) if
/// `e < 0`, which is what bounds the result (Wuille, §"Bounds on d and e").
#[inline(always)]
fn update_de<const N: usize, const L: usize>(
    d: &mut [i64; L],
    e: &mut [i64; L],
    t: &[i64; 4],
    m: &SafegcdModulus<N, L>,
) {
    let [u, v, q, r] = *t;
    // Sign masks, opaque to the optimiser (no conditional moves; see `recode::eq_mask`).
    let sd = core::hint::black_box(d[L - 1] >> 63);
    let se = core::hint::black_box(e[L - 1] >> 63);
    let mut md = (u & sd).wrapping_add(v & se);
    let mut me = (q & sd).wrapping_add(r & se);
    let (u, v, q, r) = (u as i128, v as i128, q as i128, r as i128);
    let mut cd = u * d[0] as i128 + v * e[0] as i128;
    let mut ce = q * d[0] as i128 + r * e[0] as i128;
    // md ≡ −cd·m⁻¹ (mod 2^62), ditto me.
    md = md
        .wrapping_sub(((m.inv62.wrapping_mul(cd as u64).wrapping_add(md as u64)) & MASK62) as i64);
    me = me
        .wrapping_sub(((m.inv62.wrapping_mul(ce as u64).wrapping_add(me as u64)) & MASK62) as i64);
    let (mdw, mew) = (md as i128, me as i128);
    cd += mdw * m.m62[0] as i128;
    ce += mew * m.m62[0] as i128;
    // Both low 62-bit parts are now zero.
    cd >>= 62;
    ce >>= 62;
    for i in 1..L {
        cd += u * d[i] as i128 + v * e[i] as i128 + mdw * m.m62[i] as i128;
        ce += q * d[i] as i128 + r * e[i] as i128 + mew * m.m62[i] as i128;
        d[i - 1] = (cd as u64 & MASK62) as i64;
        e[i - 1] = (ce as u64 & MASK62) as i64;
        cd >>= 62;
        ce >>= 62;
    }
    d[L - 1] = cd as i64;
    e[L - 1] = ce as i64;
}

/// `a + (m & mask)` limb-wise, then renormalised (every limb but the top in `[0, 2^62)`).
#[inline(always)]
fn add_m_masked<const N: usize, const L: usize>(
    a: &mut [i64; L],
    mask: i64,
    m: &SafegcdModulus<N, L>,
) {
    for (ai, mi) in a.iter_mut().zip(m.m62.iter()) {
        *ai += mi & mask;
    }
    renormalise(a);
}

/// Carries every limb's excess over 62 bits into the next one (arithmetic shifts).
#[inline(always)]
fn renormalise<const L: usize>(a: &mut [i64; L]) {
    let mut carry = 0i64;
    for (i, ai) in a.iter_mut().enumerate() {
        let x = *ai + carry;
        if i + 1 < L {
            *ai = x & MASK62 as i64;
            carry = x >> 62;
        } else {
            *ai = x;
        }
    }
}

/// `a⁻¹ mod m` for `0 ≤ a < m` (0 for 0), constant-time. `a` and the result are plain
/// integers (no Montgomery factor is added or removed here).
pub(crate) fn invert<const N: usize, const L: usize>(
    a: &[u64; N],
    m: &SafegcdModulus<N, L>,
) -> [u64; N] {
    let mut f = m.m62;
    let mut g: [i64; L] = to_signed62(a);
    let mut d = [0i64; L];
    let mut e = [0i64; L];
    e[0] = 1;
    let mut delta = 1i64;
    for _ in 0..m.batches {
        let (nd, t) = divsteps_62(delta, f[0] as u64, g[0] as u64);
        delta = nd;
        update_fg(&mut f, &mut g, &t);
        update_de(&mut d, &mut e, &t, m);
    }
    // Now g = 0 and f = ±gcd = ±1 (or f = m for a = 0, with d = 0); a⁻¹ = d·sign(f).
    let f_neg = core::hint::black_box(f[L - 1] >> 63);
    // d ∈ (−2m, m): add m if negative, so d ∈ (−m, m).
    let d_neg = core::hint::black_box(d[L - 1] >> 63);
    add_m_masked(&mut d, d_neg, m);
    // Negate if f < 0 (limb by limb, then renormalise): still in (−m, m).
    for di in d.iter_mut() {
        *di = (*di ^ f_neg).wrapping_sub(f_neg);
    }
    renormalise(&mut d);
    // d ∈ (−m, m): add m once more if negative.
    let d_neg = core::hint::black_box(d[L - 1] >> 63);
    add_m_masked(&mut d, d_neg, m);
    from_signed62(&d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const P256: [u64; 4] = crate::ec::arith::field::hex_limbs(
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    );

    #[test]
    fn signed62_round_trip() {
        let x = [
            0x0123_4567_89ab_cdef,
            0xfedc_ba98_7654_3210,
            u64::MAX,
            0x8000_0000_0000_0001,
        ];
        let y: [i64; 5] = to_signed62(&x);
        assert_eq!(from_signed62::<4, 5>(&y), x);
        let x6 = [u64::MAX; 6];
        let y6: [i64; 7] = to_signed62(&x6);
        assert_eq!(from_signed62::<6, 7>(&y6), x6);
    }

    proptest! {
        #[test]
        fn divsteps_match_one_at_a_time(delta in -100i64..100, f in any::<u64>(), g in any::<u64>()) {
            let f = (f | 1) & MASK62;
            let g = g & MASK62;
            let (d, [u, v, q, r]) = divsteps_62(delta, f, g);
            // Reference: 62 plain divsteps on exact i128 values, tracking 2^62·(f', g').
            let (mut dd, mut ff, mut gg) = (delta, f as i128, g as i128);
            for _ in 0..62 {
                if dd > 0 && gg & 1 == 1 {
                    (dd, ff, gg) = (1 - dd, gg, (gg - ff) >> 1);
                } else {
                    (dd, ff, gg) = (1 + dd, ff, (gg + (gg & 1) * ff) >> 1);
                }
            }
            prop_assert_eq!(d, dd);
            let (f, g) = (f as i128, g as i128);
            prop_assert_eq!(u as i128 * f + v as i128 * g, ff << 62);
            prop_assert_eq!(q as i128 * f + r as i128 * g, gg << 62);
        }

        #[test]
        fn p256_inverse(a in any::<[u64; 4]>()) {
            let m = SafegcdModulus::<4, 5>::new(&P256);
            let mut a = a;
            a[3] &= 0x7fff_ffff_ffff_ffff; // below p
            let inv = invert(&a, &m);
            // Check a·inv = 1 through the Montgomery field: mont(a)·mont(inv) = mont(1).
            use crate::ec::arith::p256::FieldElement as Fe;
            let prod = Fe::from_canonical(&a).mul(&Fe::from_canonical(&inv));
            prop_assert!(prod == Fe::ONE);
        }
    }

    #[test]
    fn inverse_edges() {
        let m = SafegcdModulus::<4, 5>::new(&P256);
        assert_eq!(invert(&[0; 4], &m), [0; 4]);
        assert_eq!(invert(&[1, 0, 0, 0], &m), [1, 0, 0, 0]);
        let pm1 = [P256[0] - 1, P256[1], P256[2], P256[3]];
        assert_eq!(invert(&pm1, &m), pm1);
    }
}
