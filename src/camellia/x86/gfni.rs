//! Byte-sliced S-boxes through GFNI: `vgf2p8affineqb` (the pre-filter) then
//! `vgf2p8affineinvqb` (AES-field inversion and the post-filter), two instructions per
//! S-box per plane ([`super::sbox::GFNI`]), on 512-, 256- and 128-bit vectors; and the
//! one-block F-function on GFNI.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

use super::sbox::GFNI;
use super::single::{OneBlock, P_ROWS, Places, S_OF, p_counts, p_shuffles};
use super::width::{Gfni, GfniVl, Sboxes, Xmm};

/// The GFNI S-box `which` (0..4) as an expression over one vector, choosing the
/// instructions' immediates by a `match` on the constant `which`.
macro_rules! gfni_sbox {
    ($a:expr, $which:expr, $set1:ident, $aff:ident, $affinv:ident) => {
        match $which {
            0 => gfni_sbox!(@one $a, 0, $set1, $aff, $affinv),
            1 => gfni_sbox!(@one $a, 1, $set1, $aff, $affinv),
            2 => gfni_sbox!(@one $a, 2, $set1, $aff, $affinv),
            _ => gfni_sbox!(@one $a, 3, $set1, $aff, $affinv),
        }
    };
    (@one $a:expr, $i:literal, $set1:ident, $aff:ident, $affinv:ident) => {
        $affinv::<{ GFNI[$i].post_c as i32 }>(
            $aff::<{ GFNI[$i].pre_c as i32 }>($a, $set1(GFNI[$i].pre as i64)),
            $set1(GFNI[$i].post as i64),
        )
    };
}

impl Sboxes<__m512i> for Gfni {
    const SHIFT_ROWS: bool = false;

    #[inline(always)]
    unsafe fn sbox(a: __m512i, which: usize) -> __m512i {
        // SAFETY: the caller's token proves AVX-512F and GFNI.
        unsafe {
            gfni_sbox!(
                a,
                which,
                _mm512_set1_epi64,
                _mm512_gf2p8affine_epi64_epi8,
                _mm512_gf2p8affineinv_epi64_epi8
            )
        }
    }
}

impl Sboxes<__m256i> for Gfni {
    const SHIFT_ROWS: bool = false;

    #[inline(always)]
    unsafe fn sbox(a: __m256i, which: usize) -> __m256i {
        // SAFETY: the caller's token proves AVX and GFNI.
        unsafe {
            gfni_sbox!(
                a,
                which,
                _mm256_set1_epi64x,
                _mm256_gf2p8affine_epi64_epi8,
                _mm256_gf2p8affineinv_epi64_epi8
            )
        }
    }
}

impl Sboxes<__m128i> for Gfni {
    const SHIFT_ROWS: bool = false;

    #[inline(always)]
    unsafe fn sbox(a: __m128i, which: usize) -> __m128i {
        // SAFETY: the caller's token proves GFNI.
        unsafe {
            gfni_sbox!(
                a,
                which,
                _mm_set1_epi64x,
                _mm_gf2p8affine_epi64_epi8,
                _mm_gf2p8affineinv_epi64_epi8
            )
        }
    }
}

/// Where the GFNI S-layer of the one-block path leaves `y_j`: register 0 holds `s1` of
/// every byte in lane 0 and `s4` in lane 1, register 1 `s2` in lane 0 and `s3` in lane 1.
const ONE_PLACES: Places = {
    let mut at = [(0, 0); 8];
    let mut j = 0;
    while j < 8 {
        let (lane0, lane1) = (7 - j as u8, 15 - j as u8);
        at[j] = match S_OF[j] {
            0 => (0, lane0),
            3 => (0, lane1),
            1 => (1, lane0),
            _ => (1, lane1),
        };
        j += 1;
    }
    at
};
const ONE_COUNTS: [usize; 2] = p_counts(&ONE_PLACES);
const ONE_SHUFFLES: [[[u8; 16]; 4]; 2] = p_shuffles(&ONE_PLACES);

/// Register 1's instruction applies two post-filters with different constants (`s2`'s
/// and `s3`'s) but takes one immediate, so it adds none; this is what the missing
/// constants contribute to `z` through P (in both lanes).
const ONE_FIX: [u8; 16] = {
    let mut z = [0u8; 16];
    let mut i = 0;
    while i < 8 {
        let mut j = 0;
        while j < 8 {
            if (P_ROWS[i] >> j) & 1 == 1 && (S_OF[j] == 1 || S_OF[j] == 2) {
                z[7 - i] ^= GFNI[S_OF[j]].post_c;
                z[15 - i] ^= GFNI[S_OF[j]].post_c;
            }
            j += 1;
        }
        i += 1;
    }
    z
};

// The one-block S-layer shares one immediate per instruction between its lanes.
const _: () = assert!(GFNI[0].pre_c == GFNI[3].pre_c && GFNI[0].pre_c == GFNI[1].pre_c);
const _: () = assert!(GFNI[0].post == GFNI[3].post && GFNI[0].post_c == GFNI[3].post_c);
const _: () = assert!(ONE_COUNTS[0] == 4 && ONE_COUNTS[1] == 4);

/// The one-block S-layer and the P-layer's shuffles: the eight terms whose XOR, with
/// [`ONE_FIX`], is `P(S(x))`.
///
/// # Safety
/// The CPU must support GFNI and SSSE3.
#[inline(always)]
unsafe fn one_block_terms(x: __m128i) -> [__m128i; 8] {
    // SAFETY: GFNI and SSSE3, by the caller; the loads read 16-byte constants.
    unsafe {
        // Pre-filters: lane 0 of `pa` for s1, lane 1 for s4; `pb` for s2/s3.
        let pa = _mm_gf2p8affine_epi64_epi8::<{ GFNI[0].pre_c as i32 }>(
            x,
            _mm_set_epi64x(GFNI[3].pre as i64, GFNI[0].pre as i64),
        );
        let pb = _mm_gf2p8affine_epi64_epi8::<{ GFNI[0].pre_c as i32 }>(
            x,
            _mm_set1_epi64x(GFNI[1].pre as i64),
        );
        // Inversions and post-filters: q0 = (s1 | s4), q1 = (s2 | s3) without constants.
        let q = [
            _mm_gf2p8affineinv_epi64_epi8::<{ GFNI[0].post_c as i32 }>(
                pa,
                _mm_set1_epi64x(GFNI[0].post as i64),
            ),
            _mm_gf2p8affineinv_epi64_epi8::<0>(
                pb,
                _mm_set_epi64x(GFNI[2].post as i64, GFNI[1].post as i64),
            ),
        ];
        macro_rules! sh {
            ($r:literal, $m:literal) => {
                _mm_shuffle_epi8(q[$r], _mm_loadu_si128(ONE_SHUFFLES[$r][$m].as_ptr().cast()))
            };
        }
        [
            sh!(0, 0),
            sh!(0, 1),
            sh!(0, 2),
            sh!(0, 3),
            sh!(1, 0),
            sh!(1, 1),
            sh!(1, 2),
            sh!(1, 3),
        ]
    }
}

impl OneBlock for Xmm<Gfni> {
    #[inline(always)]
    fn f_into(self, x: __m128i, d: __m128i) -> __m128i {
        // SAFETY: GFNI and AVX2, proved by the token; the load reads a 16-byte constant.
        unsafe {
            let t = one_block_terms(x);
            let d = _mm_xor_si128(d, _mm_loadu_si128(ONE_FIX.as_ptr().cast()));
            let a = _mm_xor_si128(_mm_xor_si128(t[0], t[1]), _mm_xor_si128(t[2], t[3]));
            let b = _mm_xor_si128(_mm_xor_si128(t[4], t[5]), _mm_xor_si128(t[6], t[7]));
            _mm_xor_si128(_mm_xor_si128(a, b), d)
        }
    }
}

impl OneBlock for Xmm<GfniVl> {
    #[inline(always)]
    fn f_into(self, x: __m128i, d: __m128i) -> __m128i {
        // SAFETY: GFNI, AVX-512F and AVX-512VL, proved by the token; the load reads a
        // 16-byte constant.
        unsafe {
            let t = one_block_terms(x);
            let d = _mm_xor_si128(d, _mm_loadu_si128(ONE_FIX.as_ptr().cast()));
            // Three-input XORs (truth table 0x96), as a tree of depth two.
            let a = _mm_ternarylogic_epi64::<0x96>(t[0], t[1], t[2]);
            let b = _mm_ternarylogic_epi64::<0x96>(t[3], t[4], t[5]);
            let c = _mm_ternarylogic_epi64::<0x96>(t[6], t[7], d);
            _mm_ternarylogic_epi64::<0x96>(a, b, c)
        }
    }
}
