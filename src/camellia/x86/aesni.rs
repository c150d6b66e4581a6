//! Byte-sliced S-boxes through AES-NI: `aesenclast` with a zero round key computes the AES
//! S-box of each byte (then ShiftRows), and affine filters before and after turn it into
//! Camellia's ([`super::sbox::NIBBLE`]). A filter is two 16-entry table lookups with
//! `pshufb`, one per nibble.
//!
//! Per S-box and plane: split into nibbles (3 instructions), look up and combine (3),
//! `aesenclast` (1 with VAES on 256-bit vectors, 4 without: the two 128-bit lanes go
//! through it one at a time), the post-filter (6). The bytes come out moved by ShiftRows;
//! the network undoes that for half the planes every other round (`sliced::network`).
//! And the one-block F-function on AES-NI.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

use super::sbox::{NIBBLE, Nibbles, SHIFT_ROWS_DEST};
use super::single::{OneBlock, Places, S_OF, p_counts, p_shuffles};
use super::width::{Aes, Sboxes, Vaes, Xmm};

/// A nibble filter with each table repeated for both 128-bit lanes.
struct Wide {
    lo: [u8; 32],
    hi: [u8; 32],
}

const fn dup(t: &[u8; 16]) -> [u8; 32] {
    let mut d = [0; 32];
    let mut i = 0;
    while i < 32 {
        d[i] = t[i % 16];
        i += 1;
    }
    d
}

const fn wide(n: &Nibbles) -> Wide {
    Wide {
        lo: dup(&n.lo),
        hi: dup(&n.hi),
    }
}

/// Pre-filters (`PRE[i]`) and post-filters (`POST[i]`) of `s1..s4` for 256-bit vectors.
static PRE: [Wide; 4] = [
    wide(&NIBBLE[0].pre),
    wide(&NIBBLE[1].pre),
    wide(&NIBBLE[2].pre),
    wide(&NIBBLE[3].pre),
];
static POST: [Wide; 4] = [
    wide(&NIBBLE[0].post),
    wide(&NIBBLE[1].post),
    wide(&NIBBLE[2].post),
    wide(&NIBBLE[3].post),
];

/// `x ↦ lo[x & 15] ⊕ hi[x >> 4]` on every byte of a 256-bit vector.
///
/// # Safety
/// The CPU must support AVX2.
#[inline(always)]
unsafe fn filter256(x: __m256i, t: &Wide) -> __m256i {
    // SAFETY: AVX2, by the caller; the loads read 32-byte statics.
    unsafe {
        let mask = _mm256_set1_epi8(0x0f);
        let lo = _mm256_and_si256(x, mask);
        let hi = _mm256_and_si256(_mm256_srli_epi16::<4>(x), mask);
        let tlo = _mm256_loadu_si256(t.lo.as_ptr().cast());
        let thi = _mm256_loadu_si256(t.hi.as_ptr().cast());
        _mm256_xor_si256(_mm256_shuffle_epi8(tlo, lo), _mm256_shuffle_epi8(thi, hi))
    }
}

impl Sboxes<__m256i> for Aes {
    const SHIFT_ROWS: bool = true;

    #[inline(always)]
    unsafe fn sbox(a: __m256i, which: usize) -> __m256i {
        // SAFETY: the caller's token proves AVX2 and AES-NI.
        unsafe {
            let x = filter256(a, &PRE[which]);
            let lo = _mm_aesenclast_si128(_mm256_castsi256_si128(x), _mm_setzero_si128());
            let hi = _mm_aesenclast_si128(_mm256_extracti128_si256::<1>(x), _mm_setzero_si128());
            filter256(_mm256_set_m128i(hi, lo), &POST[which])
        }
    }
}

impl Sboxes<__m256i> for Vaes {
    const SHIFT_ROWS: bool = true;

    #[inline(always)]
    unsafe fn sbox(a: __m256i, which: usize) -> __m256i {
        // SAFETY: the caller's token proves AVX2 and VAES.
        unsafe {
            let x = filter256(a, &PRE[which]);
            let z = _mm256_aesenclast_epi128(x, _mm256_setzero_si256());
            filter256(z, &POST[which])
        }
    }
}

/// `x ↦ lo[x & 15] ⊕ hi[x >> 4]` on every byte of a 128-bit vector.
///
/// # Safety
/// The CPU must support SSSE3.
#[inline(always)]
unsafe fn filter(x: __m128i, t: &Nibbles) -> __m128i {
    // SAFETY: SSE2 and SSSE3, by the caller; the loads read 16-byte constants.
    unsafe {
        let mask = _mm_set1_epi8(0x0f);
        let lo = _mm_and_si128(x, mask);
        let hi = _mm_and_si128(_mm_srli_epi16::<4>(x), mask);
        let tlo = _mm_loadu_si128(t.lo.as_ptr().cast());
        let thi = _mm_loadu_si128(t.hi.as_ptr().cast());
        _mm_xor_si128(_mm_shuffle_epi8(tlo, lo), _mm_shuffle_epi8(thi, hi))
    }
}

impl Sboxes<__m128i> for Aes {
    const SHIFT_ROWS: bool = true;

    #[inline(always)]
    unsafe fn sbox(a: __m128i, which: usize) -> __m128i {
        // SAFETY: the caller's token proves AES-NI and AVX2 (so SSSE3); the load reads a
        // 16-byte constant.
        unsafe {
            let x = filter(a, &NIBBLE[which].pre);
            filter(
                _mm_aesenclast_si128(x, _mm_setzero_si128()),
                &NIBBLE[which].post,
            )
        }
    }
}

/// Where the AES-NI S-layer of the one-block path leaves `y_j`. Lane 0 of the
/// `aesenclast` input holds every `t_j` through the pre-filter of s1 (= s2's = s3's),
/// lane 1 through s4's; ShiftRows moves byte `p` to `SHIFT_ROWS_DEST[p]`; then register 0
/// is the post-filter of s1 (= s4's), register 1 of s2 and register 2 of s3.
const ONE_PLACES: Places = {
    let mut at = [(0, 0); 8];
    let mut j = 0;
    while j < 8 {
        let (lane0, lane1) = (SHIFT_ROWS_DEST[7 - j], SHIFT_ROWS_DEST[15 - j]);
        at[j] = match S_OF[j] {
            0 => (0, lane0),
            3 => (0, lane1),
            1 => (1, lane0),
            _ => (2, lane0),
        };
        j += 1;
    }
    at
};
const ONE_COUNTS: [usize; 3] = p_counts(&ONE_PLACES);
const ONE_SHUFFLES: [[[u8; 16]; 4]; 3] = p_shuffles(&ONE_PLACES);

// The pre-filters of s1, s2 and s3 are one map, and so are the post-filters of s1 and s4.
const _: () = {
    let mut i = 0;
    while i < 16 {
        assert!(NIBBLE[0].pre.lo[i] == NIBBLE[1].pre.lo[i]);
        assert!(NIBBLE[0].pre.hi[i] == NIBBLE[2].pre.hi[i]);
        assert!(NIBBLE[0].pre.lo[i] == NIBBLE[2].pre.lo[i]);
        assert!(NIBBLE[0].pre.hi[i] == NIBBLE[1].pre.hi[i]);
        assert!(NIBBLE[0].post.lo[i] == NIBBLE[3].post.lo[i]);
        assert!(NIBBLE[0].post.hi[i] == NIBBLE[3].post.hi[i]);
        i += 1;
    }
    assert!(ONE_COUNTS[0] == 4 && ONE_COUNTS[1] == 2 && ONE_COUNTS[2] == 2);
};

impl OneBlock for Xmm<Aes> {
    #[inline(always)]
    fn f_into(self, x: __m128i, d: __m128i) -> __m128i {
        // SAFETY: AVX2 and AES-NI, proved by the token; the loads read 16-byte constants.
        unsafe {
            let pa = filter(x, &NIBBLE[0].pre);
            let pr = filter(x, &NIBBLE[3].pre);
            let z = _mm_aesenclast_si128(_mm_blend_epi32::<0b1100>(pa, pr), _mm_setzero_si128());
            let q = [
                filter(z, &NIBBLE[0].post),
                filter(z, &NIBBLE[1].post),
                filter(z, &NIBBLE[2].post),
            ];
            macro_rules! sh {
                ($r:literal, $m:literal) => {
                    _mm_shuffle_epi8(q[$r], _mm_loadu_si128(ONE_SHUFFLES[$r][$m].as_ptr().cast()))
                };
            }
            let a = _mm_xor_si128(
                _mm_xor_si128(sh!(0, 0), sh!(0, 1)),
                _mm_xor_si128(sh!(0, 2), sh!(0, 3)),
            );
            let b = _mm_xor_si128(
                _mm_xor_si128(sh!(1, 0), sh!(1, 1)),
                _mm_xor_si128(sh!(2, 0), sh!(2, 1)),
            );
            _mm_xor_si128(_mm_xor_si128(a, b), d)
        }
    }
}
