//! GHASH on x86-64 carry-less multiplication: PCLMULQDQ on xmm, and VPCLMULQDQ on ymm
//! (two blocks per instruction) where the CPU has it. The algebra — POLYVAL form,
//! Montgomery reduction by x¹²⁸, eight blocks per reduction with the powers H⁸…H — is
//! `camellia::aead::ghash`'s; this file only maps it onto the instructions.
//!
//! Per block: four `pclmulqdq` (schoolbook: low×low, high×high and the two cross
//! products) summed unreduced across the group; per group one reduction of two
//! `pclmulqdq` by the constant 0xC200_0000_0000_0000 (`x⁶³ + x⁶² + x⁵⁷`) and two qword
//! swaps. Blocks are byte-reversed with `pshufb` to become POLYVAL elements.
//!
//! Constant-time: carry-less multiplication, shuffles and XORs have fixed latency; no
//! branch or address depends on data.

use core::arch::x86_64::*;

use crate::camellia::aead::ghash::POWERS;

cpufeatures::new!(cpuid_pclmul, "pclmulqdq", "sse2", "ssse3");

/// A carry-less multiplication backend, holding the proof that this CPU runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Clmul {
    /// PCLMULQDQ on xmm (with SSSE3 for the byte reversal).
    Pclmul(()),
    /// VPCLMULQDQ on ymm (with AVX2).
    VpclmulAvx2(()),
}

impl Clmul {
    /// The fastest one this CPU runs.
    pub(crate) fn detect() -> Option<Self> {
        Self::all().next()
    }

    /// Every one this CPU runs, fastest first.
    pub(crate) fn all() -> impl Iterator<Item = Clmul> {
        let v = super::has_vpclmul_avx2().then_some(Clmul::VpclmulAvx2(()));
        let p = cpuid_pclmul::get().then_some(Clmul::Pclmul(()));
        v.into_iter().chain(p)
    }

    /// Folds `blocks` into `acc` with the powers of H (H at index 0).
    pub(crate) fn update(self, powers: &[u128; POWERS], acc: &mut u128, blocks: &[[u8; 16]]) {
        match self {
            // SAFETY: `self` proves PCLMULQDQ, SSE2 and SSSE3 (`all`).
            Clmul::Pclmul(()) => unsafe { update_xmm(powers, acc, blocks) },
            // SAFETY: `self` proves AVX2, VPCLMULQDQ and PCLMULQDQ (`all`).
            Clmul::VpclmulAvx2(()) => unsafe { update_ymm(powers, acc, blocks) },
        }
    }
}

/// The 16-byte reversal that turns a GHASH block into a POLYVAL element (per lane).
#[inline(always)]
fn bswap_mask() -> __m128i {
    // SAFETY: SSE2 is part of x86-64.
    unsafe { _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) }
}

/// `(hi·x¹²⁸ + lo)·x⁻¹²⁸ mod Q` (see `ghash::reduce`).
#[inline]
#[target_feature(enable = "pclmulqdq,sse2")]
fn reduce(lo: __m128i, hi: __m128i) -> __m128i {
    let poly = _mm_set_epi64x(0xC200_0000_0000_0000_u64 as i64, 0);
    // lo.low64 · (x⁶³ + x⁶² + x⁵⁷), then the qwords swapped: L₁ + L₀·x⁶⁴ + that.
    let t = _mm_clmulepi64_si128(lo, poly, 0x10);
    let lo = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4E), t);
    let t = _mm_clmulepi64_si128(lo, poly, 0x10);
    let lo = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4E), t);
    _mm_xor_si128(hi, lo)
}

/// Adds the schoolbook product `x·h` to the unreduced sums.
#[inline]
#[target_feature(enable = "pclmulqdq,sse2")]
fn mul_acc(x: __m128i, h: __m128i, lo: &mut __m128i, mid: &mut __m128i, hi: &mut __m128i) {
    *lo = _mm_xor_si128(*lo, _mm_clmulepi64_si128(x, h, 0x00));
    *hi = _mm_xor_si128(*hi, _mm_clmulepi64_si128(x, h, 0x11));
    *mid = _mm_xor_si128(*mid, _mm_clmulepi64_si128(x, h, 0x01));
    *mid = _mm_xor_si128(*mid, _mm_clmulepi64_si128(x, h, 0x10));
}

/// Folds the middle sum into the low and high halves and reduces.
#[inline]
#[target_feature(enable = "pclmulqdq,sse2")]
fn finish(lo: __m128i, mid: __m128i, hi: __m128i) -> __m128i {
    let lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
    let hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
    reduce(lo, hi)
}

#[inline]
#[target_feature(enable = "sse2")]
fn load_u128(v: &u128) -> __m128i {
    // SAFETY: `v` is 16 readable bytes; unaligned load.
    unsafe { _mm_loadu_si128((v as *const u128).cast()) }
}

#[inline]
#[target_feature(enable = "sse2,ssse3")]
fn load_block(b: &[u8; 16]) -> __m128i {
    // SAFETY: `b` is 16 readable bytes; unaligned load.
    _mm_shuffle_epi8(unsafe { _mm_loadu_si128(b.as_ptr().cast()) }, bswap_mask())
}

/// Single blocks (fewer than a group) one multiplication and reduction each.
#[inline]
#[target_feature(enable = "pclmulqdq,sse2,ssse3")]
fn update_singles(h: __m128i, mut y: __m128i, blocks: &[[u8; 16]]) -> __m128i {
    let zero = _mm_setzero_si128();
    for b in blocks {
        let x = _mm_xor_si128(y, load_block(b));
        let (mut lo, mut mid, mut hi) = (zero, zero, zero);
        mul_acc(x, h, &mut lo, &mut mid, &mut hi);
        y = finish(lo, mid, hi);
    }
    y
}

#[target_feature(enable = "pclmulqdq,sse2,ssse3")]
fn update_xmm(powers: &[u128; POWERS], acc: &mut u128, blocks: &[[u8; 16]]) {
    let h: [__m128i; POWERS] = core::array::from_fn(|i| load_u128(&powers[i]));
    let zero = _mm_setzero_si128();
    let mut y = load_u128(acc);
    let (groups, rest) = blocks.as_chunks::<POWERS>();
    for g in groups {
        let (mut lo, mut mid, mut hi) = (zero, zero, zero);
        let x0 = _mm_xor_si128(y, load_block(&g[0]));
        mul_acc(x0, h[7], &mut lo, &mut mid, &mut hi);
        mul_acc(load_block(&g[1]), h[6], &mut lo, &mut mid, &mut hi);
        mul_acc(load_block(&g[2]), h[5], &mut lo, &mut mid, &mut hi);
        mul_acc(load_block(&g[3]), h[4], &mut lo, &mut mid, &mut hi);
        mul_acc(load_block(&g[4]), h[3], &mut lo, &mut mid, &mut hi);
        mul_acc(load_block(&g[5]), h[2], &mut lo, &mut mid, &mut hi);
        mul_acc(load_block(&g[6]), h[1], &mut lo, &mut mid, &mut hi);
        mul_acc(load_block(&g[7]), h[0], &mut lo, &mut mid, &mut hi);
        y = finish(lo, mid, hi);
    }
    y = update_singles(h[0], y, rest);
    // SAFETY: `acc` is 16 writable bytes; unaligned store.
    unsafe { _mm_storeu_si128((acc as *mut u128).cast(), y) };
}

#[target_feature(enable = "avx2,vpclmulqdq,pclmulqdq")]
fn update_ymm(powers: &[u128; POWERS], acc: &mut u128, blocks: &[[u8; 16]]) {
    const _: () = assert!(POWERS == 8);
    // Pairs of powers, the earlier block's in the low lane: (H⁸, H⁷), (H⁶, H⁵), …
    let h: [__m256i; 4] = core::array::from_fn(|i| {
        _mm256_set_m128i(
            load_u128(&powers[POWERS - 2 - 2 * i]),
            load_u128(&powers[POWERS - 1 - 2 * i]),
        )
    });
    let mask = _mm256_broadcastsi128_si256(bswap_mask());
    let load2 = |p: &[[u8; 16]]| -> __m256i {
        debug_assert!(p.len() >= 2);
        // SAFETY: `p` holds at least two blocks (32 readable bytes); unaligned load.
        _mm256_shuffle_epi8(unsafe { _mm256_loadu_si256(p.as_ptr().cast()) }, mask)
    };
    let zero = _mm256_setzero_si256();
    let mut y = load_u128(acc);
    let (groups, rest) = blocks.as_chunks::<POWERS>();
    for g in groups {
        let (mut lo, mut mid, mut hi) = (zero, zero, zero);
        let mut acc2 = |x: __m256i, h: __m256i| {
            lo = _mm256_xor_si256(lo, _mm256_clmulepi64_epi128(x, h, 0x00));
            hi = _mm256_xor_si256(hi, _mm256_clmulepi64_epi128(x, h, 0x11));
            mid = _mm256_xor_si256(mid, _mm256_clmulepi64_epi128(x, h, 0x01));
            mid = _mm256_xor_si256(mid, _mm256_clmulepi64_epi128(x, h, 0x10));
        };
        acc2(
            _mm256_xor_si256(load2(&g[0..2]), _mm256_zextsi128_si256(y)),
            h[0],
        );
        acc2(load2(&g[2..4]), h[1]);
        acc2(load2(&g[4..6]), h[2]);
        acc2(load2(&g[6..8]), h[3]);
        let fold =
            |v: __m256i| _mm_xor_si128(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        y = finish(fold(lo), fold(mid), fold(hi));
    }
    y = update_singles(h_low(powers), y, rest);
    // SAFETY: `acc` is 16 writable bytes; unaligned store.
    unsafe { _mm_storeu_si128((acc as *mut u128).cast(), y) };
}

#[inline]
#[target_feature(enable = "sse2")]
fn h_low(powers: &[u128; POWERS]) -> __m128i {
    load_u128(&powers[0])
}
