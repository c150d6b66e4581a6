//! The one-block AES-NI path for single calls (`Camellia_encrypt`, `encrypt_block`, CBC
//! encryption): the whole network written out for one block, with the Feistel halves kept
//! in the S-boxes' input basis between the FL layers so that a round has no pre-filter.
//!
//! **The basis.** Camellia's `s1`..`s4` are `post_s(inv(pre_s(x)))` with affine `pre_s`,
//! `post_s` and the AES-field inversion `inv` that `aesenclast` computes (`sbox.rs`). The
//! pre-filters' linear parts are one matrix `A` for `s1`, `s2`, `s3` and `A·R` for `s4`
//! (`R` a rotation). Between FL layers a half `d` is held as `Mx(d)`: byte `j` multiplied by
//! the linear part of the pre-filter of the S-box that byte `j` of an F-input meets. Then:
//!
//! - F's S-layer input is `Mx(d ⊕ k) ⊕ c = Mx(d) ⊕ (Mx(k) ⊕ c)`: the register of the half
//!   XOR a per-round key value computed from the subkey (`kin`), straight into
//!   `aesenclast`;
//! - the update `d' = d ⊕ P(y)` becomes `Mx(d') = Mx(d) ⊕ Mx(P(y))`; P only XORs bytes, so
//!   output byte `i` is the XOR over row `i`'s inputs `j` of `M_i·Lpost_{s(j)}(w_j)` (`w` the
//!   `aesenclast` output, `Lpost` the post-filters' linear parts) plus a constant that
//!   folds into the key values. `M_i·Lpost_s` takes four distinct values over all `(i, j)`
//!   (`R·Lpost_1 = Lpost_2`, `R·Lpost_3 = Lpost_1`), so a round is `aesenclast`, four
//!   nibble filters, ten byte shuffles and their XOR tree — the pre-filter of the plain
//!   network (two filters and a blend on the dependency chain of every round) is gone.
//! - FL and FL⁻¹ are bitwise and need the plain halves: the round before an FL layer (and
//!   the last) writes its output plainly (the three plain post-filters and eight shuffles),
//!   the other half is converted back with `Mx⁻¹` while that round runs, and after FL the
//!   first round converts with `Mx` again: one filter pair per six rounds on the chain.
//!
//! **Registers.** The half `d1` sits in 64-bit lane `L` of its register, `d2` in lane
//! `1 − L` (`L = 0` when encrypting, `1` when walking the encryption schedule backwards to
//! decrypt), each little-endian (RFC byte `t_j` at byte `7 − j` of its lane). The round
//! keys are loaded two at a time from the schedule (`k[2m], k[2m+1]`, or reversed pairs for
//! decryption), which puts each key in the lane of the half that meets it, and so are the
//! FL keys and the whitening keys: no key is moved between lanes on the chain. The other
//! lane of a register carries values nobody reads (they go through the same instructions;
//! the shuffles never select them).
//!
//! Constant time: vector logic, `pshufb` with data as the selector inside a register,
//! `aesenclast`, shifts by constants; no branch or address depends on the key or the
//! data, and the instruction sequence depends on the round count only.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

use super::sbox::{Matrix, SBOXES, SHIFT_ROWS_DEST, apply, mul, nibbles};
use super::single::{P_ROWS, S_OF};

/// An 8×8 matrix's inverse, by solving `M·x = e_j` over all 256 `x` (compile time).
const fn inverse(m: &Matrix) -> Matrix {
    let mut inv = [0u8; 8];
    let mut x = 0;
    while x < 256 {
        let y = apply(m, x as u8);
        let mut j = 0;
        while j < 8 {
            if y == 1 << j {
                inv[j] = x as u8;
            }
            j += 1;
        }
        x += 1;
    }
    inv
}

/// The linear part of the post-filter of S-box `s` (0..4) after `aesenclast`, and its
/// constant: `post_s(w) = POST_LIN[s]·w ⊕ POST_C[s]`.
const POST_LIN: [Matrix; 4] = {
    let mut m = [[0; 8]; 4];
    let mut s = 0;
    while s < 4 {
        m[s] = mul(&SBOXES[s].post, &super::sbox::MAES_INV);
        s += 1;
    }
    m
};
const POST_C: [u8; 4] = {
    let mut c = [0; 4];
    let mut s = 0;
    while s < 4 {
        c[s] = apply(&POST_LIN[s], 0x63) ^ SBOXES[s].post_c;
        s += 1;
    }
    c
};

/// The basis of byte `j` (0 = RFC's most significant byte of a half): the pre-filter's
/// linear part for the S-box it meets.
const fn basis(j: usize) -> Matrix {
    SBOXES[S_OF[j]].pre
}

/// The pre-filters' constant (one value for all four S-boxes, asserted below).
const PRE_C: u8 = SBOXES[0].pre_c;

const _: () = {
    let mut s = 0;
    while s < 4 {
        assert!(SBOXES[s].pre_c == PRE_C);
        s += 1;
    }
    // s1, s2, s3 share a pre-filter; s4's is another.
    let mut b = 0;
    while b < 8 {
        assert!(SBOXES[1].pre[b] == SBOXES[0].pre[b] && SBOXES[2].pre[b] == SBOXES[0].pre[b]);
        b += 1;
    }
};

/// The map output byte `i` applies to input `j`'s `aesenclast` byte: `M_i·Lpost_{s(j)}` in
/// a basis round, `Lpost_{s(j)}` in a plain one.
const fn term_map(i: usize, j: usize, plain: bool) -> Matrix {
    if plain {
        POST_LIN[S_OF[j]]
    } else {
        mul(&basis(i), &POST_LIN[S_OF[j]])
    }
}

const fn same(a: &Matrix, b: &Matrix) -> bool {
    let mut k = 0;
    while k < 8 {
        if a[k] != b[k] {
            return false;
        }
        k += 1;
    }
    true
}

/// The distinct term maps of a round kind, in first-use order, and how many there are.
const fn maps(plain: bool) -> ([Matrix; 8], usize) {
    let mut list = [[0u8; 8]; 8];
    let mut n = 0;
    let mut i = 0;
    while i < 8 {
        let mut j = 0;
        while j < 8 {
            if (P_ROWS[i] >> j) & 1 == 1 {
                let m = term_map(i, j, plain);
                let mut found = false;
                let mut r = 0;
                while r < n {
                    if same(&list[r], &m) {
                        found = true;
                    }
                    r += 1;
                }
                if !found {
                    list[n] = m;
                    n += 1;
                }
            }
            j += 1;
        }
        i += 1;
    }
    (list, n)
}

const fn reg_of(m: &Matrix, list: &[Matrix; 8]) -> usize {
    let mut r = 0;
    while r < 8 {
        if same(&list[r], m) {
            return r;
        }
        r += 1;
    }
    panic!("map not in the list")
}

/// Number of distinct term maps: 4 in a basis round, 3 in a plain one.
const NB: usize = maps(false).1;
const NP: usize = maps(true).1;
const _: () = assert!(NB == 4 && NP == 3);

/// The nibble tables (`lo`, `hi`) of each term map.
const fn tables<const N: usize>(plain: bool) -> [[[u8; 16]; 2]; N] {
    let list = maps(plain).0;
    let mut t = [[[0; 16]; 2]; N];
    let mut r = 0;
    while r < N {
        let n = nibbles(&list[r], 0);
        t[r] = [n.lo, n.hi];
        r += 1;
    }
    t
}

/// One shuffle of the P-layer: which map register it reads and its `pshufb` control.
type Shuffle = (usize, [u8; 16]);

/// How many shuffles a round kind needs: per map register, the largest number of one
/// row's terms through it.
const fn shuffle_count(plain: bool) -> usize {
    let list = maps(plain).0;
    let mut total = 0;
    let mut r = 0;
    while r < 8 {
        let mut most = 0;
        let mut i = 0;
        while i < 8 {
            let mut here = 0;
            let mut j = 0;
            while j < 8 {
                if (P_ROWS[i] >> j) & 1 == 1 && reg_of(&term_map(i, j, plain), &list) == r {
                    here += 1;
                }
                j += 1;
            }
            if here > most {
                most = here;
            }
            i += 1;
        }
        total += most;
        r += 1;
    }
    total
}

const SB: usize = shuffle_count(false);
const SP: usize = shuffle_count(true);
const _: () = assert!(SB == 10 && SP == 8);

/// The P-layer shuffles of a round whose input half is in lane `lin` (its output goes to
/// lane `1 − lin`): shuffle `(r, c)` moves, for each output byte `z_i`, the next of row
/// `i`'s terms through map `r` from where `aesenclast` left `w_j` to byte `7 − i` of the
/// output lane, or writes zero.
const fn shuffles<const S: usize>(plain: bool, lin: usize) -> [Shuffle; S] {
    let list = maps(plain).0;
    let n = maps(plain).1;
    let mut out = [(0usize, [0x80u8; 16]); S];
    let mut at = 0;
    let mut r = 0;
    while r < n {
        // `taken[i]`: how many of row i's terms through r are placed already.
        let mut taken = [0usize; 8];
        let mut more = true;
        while more {
            more = false;
            let mut ctrl = [0x80u8; 16];
            let mut i = 0;
            while i < 8 {
                let mut seen = 0;
                let mut j = 0;
                while j < 8 {
                    if (P_ROWS[i] >> j) & 1 == 1 && reg_of(&term_map(i, j, plain), &list) == r {
                        if seen == taken[i] {
                            ctrl[8 * (1 - lin) + 7 - i] = SHIFT_ROWS_DEST[8 * lin + 7 - j];
                            taken[i] += 1;
                            more = true;
                            j = 8;
                            continue;
                        }
                        seen += 1;
                    }
                    j += 1;
                }
                i += 1;
            }
            if more {
                out[at] = (r, ctrl);
                at += 1;
            }
        }
        r += 1;
    }
    assert!(at == S);
    out
}

/// The constant part of a round's output, in both lanes: per output byte `i`, the XOR of
/// its terms' post-filter constants, times `M_i` in a basis round.
const fn round_const(plain: bool) -> [u8; 16] {
    let mut c = [0u8; 16];
    let mut i = 0;
    while i < 8 {
        let mut v = 0u8;
        let mut j = 0;
        while j < 8 {
            if (P_ROWS[i] >> j) & 1 == 1 {
                v ^= POST_C[S_OF[j]];
            }
            j += 1;
        }
        if !plain {
            v = apply(&basis(i), v);
        }
        c[7 - i] = v;
        c[15 - i] = v;
        i += 1;
    }
    c
}

/// `Mx` and `Mx⁻¹` as two filters each (the basis of `s1`..`s3` bytes and of `s4` bytes)
/// and the blend mask selecting the `s4` bytes (`t_3`, `t_6`) in both lanes.
const MX_A: [[u8; 16]; 2] = {
    let n = nibbles(&SBOXES[0].pre, 0);
    [n.lo, n.hi]
};
const MX_R: [[u8; 16]; 2] = {
    let n = nibbles(&SBOXES[3].pre, 0);
    [n.lo, n.hi]
};
const MXI_A: [[u8; 16]; 2] = {
    let n = nibbles(&inverse(&SBOXES[0].pre), 0);
    [n.lo, n.hi]
};
const MXI_R: [[u8; 16]; 2] = {
    let n = nibbles(&inverse(&SBOXES[3].pre), 0);
    [n.lo, n.hi]
};
const S4_BYTES: [u8; 16] = {
    let mut m = [0u8; 16];
    let mut j = 0;
    while j < 8 {
        if S_OF[j] == 3 {
            m[7 - j] = 0x80;
            m[15 - j] = 0x80;
        }
        j += 1;
    }
    m
};

/// Everything a call needs, as `static`s so that the code loads them (no per-call setup).
struct Consts {
    tb: [[[u8; 16]; 2]; NB],
    tp: [[[u8; 16]; 2]; NP],
    /// P-layer shuffles: `[input lane]`.
    sb: [[Shuffle; SB]; 2],
    sp: [[Shuffle; SP]; 2],
    cb: [u8; 16],
    cp: [u8; 16],
    pre_c: [u8; 16],
}

static C: Consts = Consts {
    tb: tables::<NB>(false),
    tp: tables::<NP>(true),
    sb: [shuffles::<SB>(false, 0), shuffles::<SB>(false, 1)],
    sp: [shuffles::<SP>(true, 0), shuffles::<SP>(true, 1)],
    cb: round_const(false),
    cp: round_const(true),
    pre_c: [PRE_C; 16],
};

/// Byte orders of the block: each 64-bit half reversed (`REV64`), or the whole block
/// reversed (`REV128`: halves reversed and swapped).
const REV64: [u8; 16] = [7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8];
const REV128: [u8; 16] = [15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];

#[inline(always)]
fn ld(b: &[u8; 16]) -> __m128i {
    // SAFETY: SSE2 (x86-64 baseline); 16 readable bytes.
    unsafe { _mm_loadu_si128(b.as_ptr().cast()) }
}

#[inline(always)]
fn x(a: __m128i, b: __m128i) -> __m128i {
    // SAFETY: SSE2.
    unsafe { _mm_xor_si128(a, b) }
}

/// `lo[v & 15] ⊕ hi[v >> 4]` on every byte, with the nibbles already split.
///
/// # Safety
/// SSSE3.
#[inline(always)]
unsafe fn look(t: &[[u8; 16]; 2], lo: __m128i, hi: __m128i) -> __m128i {
    // SAFETY: by the caller.
    unsafe {
        x(
            _mm_shuffle_epi8(ld(&t[0]), lo),
            _mm_shuffle_epi8(ld(&t[1]), hi),
        )
    }
}

/// The low and high nibbles of every byte.
///
/// # Safety
/// SSE2.
#[inline(always)]
unsafe fn split(v: __m128i) -> (__m128i, __m128i) {
    // SAFETY: by the caller.
    unsafe {
        let m = _mm_set1_epi8(0x0f);
        (
            _mm_and_si128(v, m),
            _mm_and_si128(_mm_srli_epi16::<4>(v), m),
        )
    }
}

/// A per-byte linear map: `a` on the `s1`..`s3` bytes, `r` on the `s4` bytes.
///
/// # Safety
/// SSE4.1 (and SSSE3).
#[inline(always)]
unsafe fn mixed(v: __m128i, a: &[[u8; 16]; 2], r: &[[u8; 16]; 2]) -> __m128i {
    // SAFETY: by the caller.
    unsafe {
        let (lo, hi) = split(v);
        _mm_blendv_epi8(look(a, lo, hi), look(r, lo, hi), ld(&S4_BYTES))
    }
}

/// `Mx`: plain → basis.
#[inline(always)]
unsafe fn mx(v: __m128i) -> __m128i {
    // SAFETY: by the caller (SSE4.1).
    unsafe { mixed(v, &MX_A, &MX_R) }
}

/// `Mx⁻¹`: basis → plain.
#[inline(always)]
unsafe fn mx_inv(v: __m128i) -> __m128i {
    // SAFETY: by the caller (SSE4.1).
    unsafe { mixed(v, &MXI_A, &MXI_R) }
}

/// XOR of the ten shuffles of a basis round and `acc` as a tree of depth four (`acc`,
/// ready early, joins the last pair at the second level). LLVM may reassociate it; with
/// an `asm!` barrier at each level (tried) the time per call did not change: the rounds
/// are bound by the two vector ports that `pshufb`, the shifts and `aesenclast` share,
/// not by the XORs.
#[inline(always)]
fn xor10(s: [__m128i; 10], acc: __m128i) -> __m128i {
    let a = [
        x(s[0], s[1]),
        x(s[2], s[3]),
        x(s[4], s[5]),
        x(s[6], s[7]),
        x(s[8], s[9]),
    ];
    let b = [x(a[0], a[1]), x(a[2], a[3]), x(a[4], acc)];
    x(x(b[0], b[1]), b[2])
}

/// The same for the eight shuffles of a plain round.
#[inline(always)]
fn xor8(s: [__m128i; 8], acc: __m128i) -> __m128i {
    let a = [x(s[0], s[1]), x(s[2], s[3]), x(s[4], s[5]), x(s[6], s[7])];
    let b = [x(a[0], a[1]), x(a[2], a[3])];
    x(x(b[0], b[1]), acc)
}

const _: () = assert!(SB == 10 && SP == 8);

/// One round: `acc ⊕ (P(S(input)) in the output's form)`, the input half in lane `LIN`
/// with its key value folded in; `PLAIN` selects a plain output (else basis).
///
/// # Safety
/// AES-NI and SSSE3.
#[inline(always)]
unsafe fn round<const LIN: usize, const PLAIN: bool>(input: __m128i, acc: __m128i) -> __m128i {
    // SAFETY: by the caller.
    unsafe {
        let w = _mm_aesenclast_si128(input, _mm_setzero_si128());
        let (lo, hi) = split(w);
        if PLAIN {
            let mut q = [_mm_setzero_si128(); NP];
            for (qr, t) in q.iter_mut().zip(&C.tp) {
                *qr = look(t, lo, hi);
            }
            let mut s = [_mm_setzero_si128(); SP];
            for (st, (r, c)) in s.iter_mut().zip(&C.sp[LIN]) {
                *st = _mm_shuffle_epi8(q[*r], ld(c));
            }
            xor8(s, acc)
        } else {
            let mut q = [_mm_setzero_si128(); NB];
            for (qr, t) in q.iter_mut().zip(&C.tb) {
                *qr = look(t, lo, hi);
            }
            let mut s = [_mm_setzero_si128(); SB];
            for (st, (r, c)) in s.iter_mut().zip(&C.sb[LIN]) {
                *st = _mm_shuffle_epi8(q[*r], ld(c));
            }
            xor10(s, acc)
        }
    }
}

/// FL on the half in one lane of `v` (the key in the same lane of `k`).
///
/// # Safety
/// SSE2.
#[inline(always)]
unsafe fn fl(v: __m128i, k: __m128i) -> __m128i {
    // SAFETY: by the caller.
    unsafe {
        // x2 ^= (x1 & k1) <<< 1, x1 the high 32 bits of the lane.
        let t = _mm_and_si128(v, k);
        let t = _mm_or_si128(_mm_slli_epi32::<1>(t), _mm_srli_epi32::<31>(t));
        let v = x(v, _mm_srli_epi64::<32>(t));
        // x1 ^= x2 | k2.
        x(v, _mm_slli_epi64::<32>(_mm_or_si128(v, k)))
    }
}

/// FL⁻¹ on the half in one lane of `v`.
///
/// # Safety
/// SSE2.
#[inline(always)]
unsafe fn fl_inv(v: __m128i, k: __m128i) -> __m128i {
    // SAFETY: by the caller.
    unsafe {
        let v = x(v, _mm_slli_epi64::<32>(_mm_or_si128(v, k)));
        let t = _mm_and_si128(v, k);
        let t = _mm_or_si128(_mm_slli_epi32::<1>(t), _mm_srli_epi32::<31>(t));
        x(v, _mm_srli_epi64::<32>(t))
    }
}

/// Two consecutive `u64`s from `s` at `i` in one register (lane 0 = `s[i]`).
#[inline(always)]
fn pair(s: &[u64], i: usize) -> __m128i {
    let (a, b) = (s[i], s[i + 1]);
    // SAFETY: SSE2.
    unsafe { _mm_set_epi64x(b as i64, a as i64) }
}

/// Lanes swapped.
#[inline(always)]
fn swap(v: __m128i) -> __m128i {
    // SAFETY: SSE2.
    unsafe { _mm_shuffle_epi32::<0x4e>(v) }
}

/// Encrypts (`DEC = false`) or decrypts (`DEC = true`) one block with the encryption
/// schedule `kw`, `k`, `ke` of `rounds` rounds (18 or 24). With `DEC = false` and an
/// inverse schedule this decrypts too.
///
/// # Safety
/// AES-NI, SSE4.1 and SSSE3.
#[inline(always)]
pub(super) unsafe fn crypt<const DEC: bool>(
    kw: &[u64; 4],
    k: &[u64; 24],
    ke: &[u64; 6],
    rounds: usize,
    block: &mut [u8; 16],
) {
    if rounds == 18 {
        // SAFETY: by the caller.
        unsafe { network::<DEC, 3>(kw, k, ke, block) }
    } else {
        // SAFETY: by the caller.
        unsafe { network::<DEC, 4>(kw, k, ke, block) }
    }
}

/// The round keys of round pair `m` (rounds 2m, 2m + 1 in this direction), d1's in d1's
/// lane, as basis values with the pre-filter constant.
///
/// # Safety
/// SSE4.1 and SSSE3.
#[inline(always)]
unsafe fn key_pair<const DEC: bool>(k: &[u64; 24], n: usize, m: usize, pre_c: __m128i) -> __m128i {
    let v = if DEC {
        pair(k, n - 2 - 2 * m)
    } else {
        pair(k, 2 * m)
    };
    // SAFETY: by the caller.
    x(unsafe { mx(v) }, pre_c)
}

/// Six rounds from plain halves `p1` (d1) and `p2` (d2) to plain halves, then the FL
/// layer unless `last`: group `g` of a network of `n` rounds.
///
/// # Safety
/// AES-NI, SSE4.1 and SSSE3.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn group<const DEC: bool>(
    k: &[u64; 24],
    ke: &[u64; 6],
    n: usize,
    g: usize,
    last: bool,
    p1: __m128i,
    p2: __m128i,
    (cb, cp, pre_c): (__m128i, __m128i, __m128i),
) -> (__m128i, __m128i) {
    // SAFETY: by the caller.
    unsafe {
        let k0 = key_pair::<DEC>(k, n, 3 * g, pre_c);
        let k1 = key_pair::<DEC>(k, n, 3 * g + 1, pre_c);
        let k2 = key_pair::<DEC>(k, n, 3 * g + 2, pre_c);
        let m1 = mx(p1);
        let m2 = mx(p2);
        // Even rounds read d1 (lane L) into d2; odd rounds d2 into d1.
        macro_rules! even {
            ($i:expr, $a:expr) => {
                if DEC {
                    round::<1, false>($i, $a)
                } else {
                    round::<0, false>($i, $a)
                }
            };
        }
        macro_rules! odd {
            ($i:expr, $a:expr, $p:literal) => {
                if DEC {
                    round::<0, $p>($i, $a)
                } else {
                    round::<1, $p>($i, $a)
                }
            };
        }
        let b2 = even!(x(m1, k0), x(x(m2, k0), cb));
        let b1 = odd!(b2, x(x(m1, k1), cb), false);
        let b2 = even!(b1, x(b2, x(x(k0, k1), cb)));
        let c12 = x(x(k1, k2), cb);
        let b1 = odd!(b2, x(b1, c12), false);
        let b2 = even!(b1, x(b2, c12));
        let mut p1 = odd!(b2, x(mx_inv(x(b1, k2)), cp), true);
        let mut p2 = mx_inv(x(b2, k2));
        if !last {
            let fls = n / 3 - 2;
            let i = if DEC { fls - 2 - 2 * g } else { 2 * g };
            let kf = pair(ke, i);
            p1 = fl(p1, kf);
            p2 = fl_inv(p2, kf);
        }
        (p1, p2)
    }
}

/// The network with `G` six-round groups.
#[inline(always)]
unsafe fn network<const DEC: bool, const G: usize>(
    kw: &[u64; 4],
    k: &[u64; 24],
    ke: &[u64; 6],
    block: &mut [u8; 16],
) {
    let n = 6 * G;
    // SAFETY: by the caller.
    unsafe {
        let cb = ld(&C.cb);
        let cp = ld(&C.cp);
        let pre_c = ld(&C.pre_c);
        let (kw_in, kw_out) = if DEC {
            (swap(pair(kw, 2)), pair(kw, 0))
        } else {
            (pair(kw, 0), swap(pair(kw, 2)))
        };
        let b = _mm_loadu_si128(block.as_ptr().cast());
        let v = x(
            _mm_shuffle_epi8(b, ld(if DEC { &REV128 } else { &REV64 })),
            kw_in,
        );
        // d1 in lane L (0 encrypting, 1 decrypting), d2 in the other. The groups are
        // written out (each call's indices are constants).
        let k3 = (cb, cp, pre_c);
        let (p1, p2) = group::<DEC>(k, ke, n, 0, G == 1, v, v, k3);
        let (p1, p2) = group::<DEC>(k, ke, n, 1, G == 2, p1, p2, k3);
        let (p1, p2) = group::<DEC>(k, ke, n, 2, G == 3, p1, p2, k3);
        let (p1, p2) = if G == 4 {
            group::<DEC>(k, ke, n, 3, true, p1, p2, k3)
        } else {
            (p1, p2)
        };
        // d2 ⊕ kw3 ‖ d1 ⊕ kw4 (this direction's whitening keys).
        let lane_l = if DEC {
            _mm_blend_epi32::<0b1100>(p2, p1)
        } else {
            _mm_blend_epi32::<0b0011>(p2, p1)
        };
        let out = _mm_shuffle_epi8(x(lane_l, kw_out), ld(if DEC { &REV64 } else { &REV128 }));
        _mm_storeu_si128(block.as_mut_ptr().cast(), out);
    }
}
