//! Modular inversion by the Bernstein–Yang "safegcd" algorithm (D. J. Bernstein,
//! B.-Y. Yang, "Fast constant-time gcd computation and modular inversion", TCHES 2019):
//! [`invert`] in constant time for secrets, [`invert_vartime`] for public values.
//!
//! Both batch the divsteps on the low bits of `f` and `g` and then apply the 2×2
//! transition matrix to the full-width values; the batching and the range argument for
//! `d`/`e` follow P. Wuille's "The safegcd implementation in libsecp256k1 explained".
//! Values are held in signed radix-2^62 limbs: every limb but the top one in `[0, 2^62)`,
//! the top one signed.
//!
//! # The constant-time variant: half-delta divsteps
//!
//! [`invert`] runs "hddivsteps", the divstep with δ starting at 1/2 instead of 1 (same
//! transitions, δ half-integral): `(δ, f, g) → (1 − δ, g, (g − f)/2)` if `δ > 0` and g is
//! odd, else `(1 + δ, f, (g + (g mod 2)·f)/2)`. Its worst case is about 20% shorter than
//! the original's. The step count is a machine-checked theorem: J. Harrison's HOL Light
//! proof `DIVSTEP_ENDTOEND_BITS_SIMPLE` (hol-light, `Divstep/divstep_bounds.ml`, the bounds
//! behind s2n-bignum's inversions) states that for odd `f` with `0 ≤ g ≤ f ≤ 2^b`, `n`
//! divsteps from δ = 1/2 reach `g = 0` whenever `9437·b + 1 ≤ 4096·n`. Our inputs fit:
//! `f = m` (the modulus, below `2^(64N)`), `0 ≤ g = a < m`. Hence
//! `n = ⌈(9437·b + 1)/4096⌉`:
//! - 256-bit moduli: ⌈589.8⌉ = **590**, the count libsecp256k1 uses (also proved in Coq by
//!   P. Wuille, github.com/sipa/safegcd-bounds, `coq/hddivsteps/hddivsteps590_proof.v`,
//!   whose convex-hull analysis introduced the variant);
//! - 384-bit moduli: ⌈884.7⌉ = **885** (that repository's closed form
//!   `⌊(3787·log₂M + 2166)/1644⌋`, checked by computation, gives the same 885).
//!
//! 590 = 10·59 and 885 = 15·59, so the steps run in batches of 59. Once g = 0, further
//! divsteps leave f and d unchanged (g stays 0, only δ grows), so running the bound for
//! every input is exact, and the running time does not depend on the input: every step is
//! mask arithmetic, with no data-dependent branch, index or loop bound.
//!
//! # The variable-time variant
//!
//! [`invert_vartime`] runs the original divsteps (δ = 1), but skips a run of trailing zeros
//! of g in one shift and clears up to six low bits of g per addition of a multiple of f; it
//! stops as soon as g = 0. Its time depends on the input: **public values only**.

const MASK62: u64 = (1 << 62) - 1;

/// Half-delta divsteps per batch of the constant-time variant (see the module docs).
const CT_BATCH: usize = 59;

/// A modulus prepared for inversion: `N` 64-bit limbs, `L` signed 62-bit limbs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SafegcdModulus<const N: usize, const L: usize> {
    m62: [i64; L],
    /// `m⁻¹ mod 2^62`.
    inv62: u64,
    /// Batches of [`CT_BATCH`] hddivsteps for the constant-time variant.
    batches: usize,
}

impl<const N: usize, const L: usize> SafegcdModulus<N, L> {
    /// For an odd modulus below `2^(64N)` with `62·L ≥ 64N + 2` (room for the sign).
    pub(crate) const fn new(m: &[u64; N]) -> Self {
        assert!(62 * L >= 64 * N + 2 && m[0] & 1 == 1);
        let inv = crate::ec::arith::field::inv_mod_2_64(m[0]);
        Self {
            m62: to_signed62(m),
            inv62: inv & MASK62,
            batches: hddivsteps_bound(64 * N).div_ceil(CT_BATCH),
        }
    }
}

/// Hddivsteps that bring g to 0 for every `0 ≤ g ≤ f ≤ 2^bits`, f odd: the least n with
/// `9437·bits + 1 ≤ 4096·n` (HOL Light, `DIVSTEP_ENDTOEND_BITS_SIMPLE`; module docs).
const fn hddivsteps_bound(bits: usize) -> usize {
    (9437 * bits + 1).div_ceil(4096)
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

/// `n ≤ 30` hddivsteps on the low bits of `f` (odd) and `g`, in place, from `zeta`
/// (δ held as `ζ = −(δ + 1/2)`, an integer: δ > 0 iff ζ < 0, so the sign mask of ζ is the
/// "δ > 0" mask in one shift). Returns the new ζ and the transition matrix packed two
/// entries a word, `uv = u + v·2^32`, `qr = q + r·2^32`, with
/// `2^n·(f', g') = (u·f + v·g, q·f + r·g)` on the full values.
///
/// One step runs the same masked instructions in both cases: with `s` = "δ > 0" and
/// `o` = "g odd", first `g += ±f` (sign by `s`, only if `o`), then, if `s ∧ o`, `f += g` —
/// which turns f into the old g because g now holds `g − f` — and finally `g /= 2`. ζ goes
/// to `−ζ − 2` (δ → 1 − δ) in the swap case and to `ζ − 1` (δ → 1 + δ) otherwise: both are
/// `(ζ ^ c) − 1` with `c` the swap mask. The matrix rows follow the same updates, with
/// `(u, v)` doubled for the common scale `2^n` instead of halving `(q, r)`.
///
/// Packing: the row operations (add, negate by xor-and-subtract, double, mask with an
/// all-or-nothing mask) are linear, so they act on `u + v·2^32` as on `(u, v)` separately
/// as long as the packed integer is exact. After `k ≤ n` steps `|u| + |v| ≤ 2^k` (each step
/// doubles a row or adds two rows of the previous bound), so `|u|, |v| ≤ 2^30`: u fits a
/// signed 32-bit field and `|uv| < 2^30 + 2^62` never wraps. This halves the matrix work
/// per step, which is what bounds the loop (about 20 single-cycle operations per step).
///
/// `f` and `g` are only their low bits (wrapping arithmetic): step `i` needs only bit 0 of
/// g, and a step loses at most the top one of its inputs' correct low bits (the halving
/// shifts one garbage bit in), so the 62 bits of one limb carry 59 steps with bits to spare.
#[inline(always)]
fn hddivsteps_packed(mut zeta: i64, f: &mut i64, g: &mut i64, n: usize) -> (i64, i64, i64) {
    debug_assert!(n <= 30); // a public constant
    let (mut uv, mut qr) = (1i64, 1i64 << 32);
    let (mut ff, mut gg) = (*f, *g);
    let mut step = || {
        let s = zeta >> 63; // all ones iff δ > 0
        let o = (gg & 1).wrapping_neg(); // all ones iff g is odd
        // g += (s ? −f : f) if g odd; the (q, r) row alike with (u, v).
        gg = gg.wrapping_add(((ff ^ s).wrapping_sub(s)) & o);
        qr = qr.wrapping_add(((uv ^ s).wrapping_sub(s)) & o);
        // The swap case proper: f ← f + (g − f) = old g, (u, v) ← old (q, r); δ ← 1 − δ.
        let c = s & o;
        zeta = (zeta ^ c).wrapping_sub(1);
        ff = ff.wrapping_add(gg & c);
        uv = uv.wrapping_add(qr & c);
        // g is even now: halve it (arithmetic shift keeps the low bits right); double (u, v).
        gg >>= 1;
        uv = uv.wrapping_shl(1);
    };
    // Two steps per iteration: about 4% faster than one (loop overhead and register
    // moves); unrolling further measured no better.
    for _ in 0..n / 2 {
        step();
        step();
    }
    if n % 2 == 1 {
        step();
    }
    (*f, *g) = (ff, gg);
    (zeta, uv, qr)
}

/// The two entries of a packed row `x + y·2^32` with `|x|, |y| ≤ 2^30`.
#[inline(always)]
fn unpack(w: i64) -> (i64, i64) {
    let x = i64::from(w as i32); // w ≡ x (mod 2^32) and x fits an i32
    (x, (w - x) >> 32)
}

/// 59 hddivsteps on the low bits of `f` (odd) and `g` from `zeta`. Returns the new ζ and
/// the transition matrix `[u, v, q, r]` scaled by 2^62 (not 2^59, so that [`update_fg`]
/// and [`update_de`] divide by the limb radix): `2^62·(f', g') = (u·f + v·g, q·f + r·g)`,
/// with `|u| + |v| ≤ 2^62` and `|q| + |r| ≤ 2^62`.
///
/// Two packed runs, 30 then 29 steps (the packing allows at most 30), whose matrices `A`
/// (scale 2^30) and `B` (scale 2^29) combine as `8·B·A`. A row `(b₁, b₂)` of B times A is
/// bounded entrywise, and in the sum of its two entries, by `(|b₁| + |b₂|)·2^30 ≤ 2^59`
/// (each row of A sums to at most 2^30), so the products and the final `·8` fit an i64
/// and the result keeps the 2^62 row bound that [`update_de`] needs.
#[inline(always)]
fn hddivsteps_59(zeta: i64, f0: u64, g0: u64) -> (i64, [i64; 4]) {
    let (mut f, mut g) = (f0 as i64, g0 as i64);
    let (zeta, uv, qr) = hddivsteps_packed(zeta, &mut f, &mut g, 30);
    let ((au, av), (aq, ar)) = (unpack(uv), unpack(qr));
    let (zeta, uv, qr) = hddivsteps_packed(zeta, &mut f, &mut g, 29);
    let ((bu, bv), (bq, br)) = (unpack(uv), unpack(qr));
    let t = [
        (bu * au + bv * aq) << 3,
        (bu * av + bv * ar) << 3,
        (bq * au + br * aq) << 3,
        (bq * av + br * ar) << 3,
    ];
    (zeta, t)
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
/// `e < 0`, which is what bounds the result (Wuille, §"Bounds on d and e"; the argument
/// needs only `|u| + |v| ≤ 2^62` and `|q| + |r| ≤ 2^62`, true for both variants).
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

/// The common ending: with g = 0, f = ±gcd(a, m) = ±1 (or f = m and d = 0 for a = 0), and
/// `d ∈ (−2m, m)` with `d·a ≡ f (mod m)`, so `a⁻¹ = d·sign(f)`, reduced to `[0, m)`.
/// Constant-time (masks only), so both variants share it.
fn finish<const N: usize, const L: usize>(
    f: &[i64; L],
    mut d: [i64; L],
    m: &SafegcdModulus<N, L>,
) -> [u64; N] {
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

/// The values both inversions carry, in signed-62 limbs: `f` and `g` (from the modulus and
/// the input) and the coefficients `d`, `e` with `d·a ≡ f`, `e·a ≡ g` (mod m). Each batch of
/// divsteps, constant-time or not, ends in the same matrix update; [`finish`] reads `f`, `d`.
struct State<const L: usize> {
    f: [i64; L],
    g: [i64; L],
    d: [i64; L],
    e: [i64; L],
}

impl<const L: usize> State<L> {
    /// `(f, g, d, e) = (m, a, 0, 1)`.
    #[inline(always)]
    fn start<const N: usize>(a: &[u64; N], m: &SafegcdModulus<N, L>) -> Self {
        let mut e = [0i64; L];
        e[0] = 1;
        Self {
            f: m.m62,
            g: to_signed62(a),
            d: [0; L],
            e,
        }
    }

    /// Applies one batch's transition matrix to `(f, g)` and to `(d, e)`.
    #[inline(always)]
    fn apply<const N: usize>(&mut self, t: &[i64; 4], m: &SafegcdModulus<N, L>) {
        update_fg(&mut self.f, &mut self.g, t);
        update_de(&mut self.d, &mut self.e, t, m);
    }
}

/// `a⁻¹ mod m` for `0 ≤ a < m` (0 for 0), constant-time. `a` and the result are plain
/// integers (no Montgomery factor is added or removed here).
pub(crate) fn invert<const N: usize, const L: usize>(
    a: &[u64; N],
    m: &SafegcdModulus<N, L>,
) -> [u64; N] {
    let mut s = State::start(a, m);
    let mut zeta = -1i64; // δ = 1/2
    for _ in 0..m.batches {
        let (nz, t) = hddivsteps_59(zeta, s.f[0] as u64, s.g[0] as u64);
        zeta = nz;
        s.apply(&t, m);
    }
    finish(&s.f, s.d, m)
}

/// 62 original divsteps on the low bits of `f` (odd) and `g`, in variable time, from
/// `eta = −δ`. Returns the new η and the matrix `[u, v, q, r]` scaled by 2^62 with the
/// same bounds as [`hddivsteps_59`]. As there, only the low bits matter: `left` is both the
/// steps still to run and a lower bound on the correct low bits of f and g, and every use
/// (the zero count, the `k ≤ left` bits of `w`) stays within it.
///
/// A run of `z` trailing zeros of g is `z` halving steps (δ += z, the (u, v) row doubles
/// `z` times). With g odd and δ > 0 the divstep swaps: `(f, g) ← (g, −f)` and δ ← −δ, after
/// which the next step is an addition step `g ← (g + f)/2`, δ ← δ + 1 — together exactly
/// `(1 − δ, g, (g − f)/2)`. With g odd and `δ ≤ 0` the next `1 − δ` steps cannot swap
/// (δ stays ≤ 0 before each of them), so each adds f to g if g is odd and halves: in all,
/// `g ← (g + w·f)/2^k` for the unique `w < 2^k` making the division exact,
/// `w ≡ −g·f⁻¹ (mod 2^k)`, with `k ≤ 1 − δ`. We take `k ≤ 6`, where
/// `f⁻¹ ≡ f·(2 − f²) (mod 64)` (one Newton step from `f⁻¹ ≡ f (mod 8)`, true for odd f),
/// and leave the halvings to the next zero run.
fn divsteps_62_vartime(mut eta: i64, f0: u64, g0: u64) -> (i64, [i64; 4]) {
    let (mut u, mut v, mut q, mut r) = (1i64, 0i64, 0i64, 1i64);
    let (mut f, mut g) = (f0, g0);
    let mut left = 62u32;
    loop {
        // Zeros of g, at most `left` (the sentinel bit stops the count there).
        let z = (g | (u64::MAX << left)).trailing_zeros();
        g >>= z;
        u <<= z;
        v <<= z;
        eta -= i64::from(z);
        left -= z;
        if left == 0 {
            break;
        }
        // g is odd.
        if eta < 0 {
            eta = -eta;
            (f, g) = (g, f.wrapping_neg());
            (u, v, q, r) = (q, r, -u, -v);
        }
        // η ≥ 0: k = min(η + 1, left, 6) addition-or-halving steps without a swap.
        let k = (eta + 1).min(i64::from(left)).min(6) as u32;
        let mask = (1u64 << k) - 1;
        let w = g
            .wrapping_mul(f)
            .wrapping_mul(f.wrapping_mul(f).wrapping_sub(2))
            & mask;
        g = g.wrapping_add(f.wrapping_mul(w));
        q += u * w as i64;
        r += v * w as i64;
    }
    (eta, [u, v, q, r])
}

/// `a⁻¹ mod m` for `0 ≤ a < m` (0 for 0), **variable-time**: for public `a` only.
pub(crate) fn invert_vartime<const N: usize, const L: usize>(
    a: &[u64; N],
    m: &SafegcdModulus<N, L>,
) -> [u64; N] {
    let mut s = State::start(a, m);
    let mut eta = -1i64; // δ = 1
    while s.g.iter().any(|&x| x != 0) {
        let (ne, t) = divsteps_62_vartime(eta, s.f[0] as u64, s.g[0] as u64);
        eta = ne;
        s.apply(&t, m);
    }
    finish(&s.f, s.d, m)
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

    /// One hddivstep at a time on exact values, δ held doubled (`h = 2δ`, odd).
    fn hddivsteps_reference(mut h: i64, f: i128, g: i128, n: usize) -> (i64, i128, i128) {
        let (mut f, mut g) = (f, g);
        for _ in 0..n {
            if h > 0 && g & 1 == 1 {
                (h, f, g) = (2 - h, g, (g - f) >> 1);
            } else {
                (h, f, g) = (h + 2, f, (g + (g & 1) * f) >> 1);
            }
        }
        (h, f, g)
    }

    #[test]
    fn step_counts() {
        assert_eq!(hddivsteps_bound(256), 590);
        assert_eq!(hddivsteps_bound(384), 885);
        assert_eq!(SafegcdModulus::<4, 5>::new(&P256).batches, 10);
        assert_eq!(SafegcdModulus::<6, 7>::new(&[u64::MAX; 6]).batches, 15);
    }

    proptest! {
        #[test]
        fn hddivsteps_match_one_at_a_time(zeta in -100i64..100, f in any::<u64>(), g in any::<u64>()) {
            let f = (f | 1) & MASK62;
            let g = g & MASK62;
            let (z, [u, v, q, r]) = hddivsteps_59(zeta, f, g);
            let (h, ff, gg) = hddivsteps_reference(-2 * zeta - 1, f as i128, g as i128, 59);
            prop_assert_eq!(z, -(h + 1) / 2);
            let (f, g) = (f as i128, g as i128);
            prop_assert_eq!(u as i128 * f + v as i128 * g, ff << 62);
            prop_assert_eq!(q as i128 * f + r as i128 * g, gg << 62);
            prop_assert!(u.unsigned_abs() + v.unsigned_abs() <= 1 << 62);
            prop_assert!(q.unsigned_abs() + r.unsigned_abs() <= 1 << 62);
        }

        #[test]
        fn vartime_divsteps_match_one_at_a_time(
            eta in -100i64..100,
            f in any::<u64>(),
            g in any::<u64>(),
            zeros in 0u32..64,
        ) {
            // Long zero runs in g are the interesting case for the vartime loop.
            let f = (f | 1) & MASK62;
            let g = (g << zeros) & MASK62;
            let (e, [u, v, q, r]) = divsteps_62_vartime(eta, f, g);
            // The original divstep is the hddivstep rule with integral δ: h = 2δ steps by 2.
            let (mut dd, mut ff, mut gg) = (-eta, f as i128, g as i128);
            for _ in 0..62 {
                if dd > 0 && gg & 1 == 1 {
                    (dd, ff, gg) = (1 - dd, gg, (gg - ff) >> 1);
                } else {
                    (dd, ff, gg) = (1 + dd, ff, (gg + (gg & 1) * ff) >> 1);
                }
            }
            prop_assert_eq!(e, -dd);
            let (f, g) = (f as i128, g as i128);
            prop_assert_eq!(u as i128 * f + v as i128 * g, ff << 62);
            prop_assert_eq!(q as i128 * f + r as i128 * g, gg << 62);
            prop_assert!(u.unsigned_abs() + v.unsigned_abs() <= 1 << 62);
            prop_assert!(q.unsigned_abs() + r.unsigned_abs() <= 1 << 62);
        }

        #[test]
        fn p256_inverse(a in any::<[u64; 4]>()) {
            let m = SafegcdModulus::<4, 5>::new(&P256);
            let mut a = a;
            a[3] &= 0x7fff_ffff_ffff_ffff; // below p
            let inv = invert(&a, &m);
            prop_assert_eq!(invert_vartime(&a, &m), inv);
            // Check a·inv = 1 through the Montgomery field: mont(a)·mont(inv) = mont(1).
            use crate::ec::arith::p256::FieldElement as Fe;
            let prod = Fe::from_canonical(&a).mul(&Fe::from_canonical(&inv));
            prop_assert!(prod == Fe::ONE);
        }
    }

    #[test]
    fn inverse_edges() {
        let m = SafegcdModulus::<4, 5>::new(&P256);
        let pm1 = [P256[0] - 1, P256[1], P256[2], P256[3]];
        // 0 has no inverse; both variants return 0 (g = 0 from the start, so d stays 0).
        for inv in [invert, invert_vartime] {
            assert_eq!(inv(&[0; 4], &m), [0; 4]);
            assert_eq!(inv(&[1, 0, 0, 0], &m), [1, 0, 0, 0]);
            assert_eq!(inv(&pm1, &m), pm1);
        }
    }
}
