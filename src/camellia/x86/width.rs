//! The three vector widths as [`Slicer`]s: everything but the S-boxes, which come from an
//! S-box kind `K` ([`Sboxes`]: GFNI in `gfni.rs`, AES-NI in `aesni.rs`).
//!
//! [`Zmm<K>`], [`Ymm<K>`] and [`Xmm<K>`] are zero-sized proof tokens: each has `unsafe`
//! constructors only for the kinds it supports, whose contract is that the CPU has the
//! features of both the width and the kind. Their methods are safe because a token exists
//! only where those features were detected.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;
use core::marker::PhantomData;

use super::sbox::SHIFT_ROWS;
use super::sliced::{Slicer, block_index_table};

/// The S-box instructions of one kind on vector type `V`.
pub(super) trait Sboxes<V>: Copy {
    /// Whether `sbox` moves the bytes by ShiftRows (see `sliced::network`).
    const SHIFT_ROWS: bool;
    /// S-box `s1`..`s4` (`which` = 0..4, a constant after inlining) on every byte, then
    /// ShiftRows on each 128-bit lane if `SHIFT_ROWS`.
    ///
    /// # Safety
    /// The CPU must have the features the width token that calls this was made for.
    unsafe fn sbox(a: V, which: usize) -> V;
}

/// GFNI S-boxes (`gfni.rs`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Gfni;
/// GFNI where AVX-512VL is also present: the one-block path XORs with `vpternlogq`
/// (`gfni.rs`).
#[derive(Clone, Copy, Debug)]
pub(super) struct GfniVl;
/// AES-NI S-boxes, `aesenclast` on each 128-bit lane (`aesni.rs`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Aes;
/// AES-NI S-boxes, `vaesenclast` on whole 256-bit vectors (`aesni.rs`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Vaes;

/// 512-bit vectors: 64 blocks per batch.
#[derive(Clone, Copy)]
pub(super) struct Zmm<K>(PhantomData<K>);
/// 256-bit vectors: 32 blocks per batch.
#[derive(Clone, Copy)]
pub(super) struct Ymm<K>(PhantomData<K>);
/// 128-bit vectors: 16 blocks per batch (and the one-block path's registers).
#[derive(Clone, Copy)]
pub(super) struct Xmm<K>(PhantomData<K>);

impl Zmm<Gfni> {
    /// # Safety
    /// The CPU must support AVX-512F, AVX-512BW and GFNI (and the OS the zmm state).
    #[inline(always)]
    pub(super) const unsafe fn new() -> Self {
        Zmm(PhantomData)
    }
}

impl Ymm<Gfni> {
    /// # Safety
    /// The CPU must support AVX2 and GFNI (and the OS the ymm state).
    #[inline(always)]
    pub(super) const unsafe fn new() -> Self {
        Ymm(PhantomData)
    }
}

impl Ymm<Aes> {
    /// # Safety
    /// The CPU must support AVX2 and AES-NI (and the OS the ymm state).
    #[inline(always)]
    pub(super) const unsafe fn new() -> Self {
        Ymm(PhantomData)
    }
}

impl Ymm<Vaes> {
    /// # Safety
    /// The CPU must support AVX2 and VAES (and the OS the ymm state).
    #[inline(always)]
    pub(super) const unsafe fn new() -> Self {
        Ymm(PhantomData)
    }
}

impl Xmm<Gfni> {
    /// # Safety
    /// The CPU must support AVX2 and GFNI (and the OS the ymm state).
    #[inline(always)]
    pub(super) const unsafe fn new() -> Self {
        Xmm(PhantomData)
    }
}

impl Xmm<GfniVl> {
    /// # Safety
    /// The CPU must support AVX-512F, AVX-512VL and GFNI (and the OS the zmm state).
    #[inline(always)]
    pub(super) const unsafe fn new() -> Self {
        Xmm(PhantomData)
    }
}

impl Xmm<Aes> {
    /// # Safety
    /// The CPU must support AVX2 and AES-NI (and the OS the ymm state).
    #[inline(always)]
    pub(super) const unsafe fn new() -> Self {
        Xmm(PhantomData)
    }
}

/// One block from memory, or zeros.
///
/// # Safety
/// None beyond SSE2, which x86-64 always has; `unsafe` only because the intrinsics are.
#[inline(always)]
unsafe fn block(b: Option<&[u8; 16]>) -> __m128i {
    // SAFETY: SSE2; `b` is 16 readable bytes, and the load has no alignment requirement.
    unsafe {
        match b {
            Some(b) => _mm_loadu_si128(b.as_ptr().cast()),
            None => _mm_setzero_si128(),
        }
    }
}

/// `pshufb` selector reversing the 16 bytes of a lane: a little-endian `u128` (low
/// 64-bit word first) becomes its big-endian bytes, a CTR counter block.
const BSWAP128: [u8; 16] = [15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];

/// The low and high 64-bit words of a counter, as the `_mm*_set_epi64*` intrinsics take
/// them.
#[inline(always)]
fn words(c: u128) -> (i64, i64) {
    (c as u64 as i64, (c >> 64) as u64 as i64)
}

impl<K: Sboxes<__m512i>> Slicer for Zmm<K> {
    type V = __m512i;
    type Block = __m128i;
    const BLOCKS: usize = 64;

    #[inline(always)]
    fn splat(self, k: u32) -> __m512i {
        // SAFETY (here and in every method of this impl): a `Zmm` exists only where
        // AVX-512F and AVX-512BW were detected, with its kind's features (`Zmm::new`).
        unsafe { _mm512_set1_epi32(k as i32) }
    }
    #[inline(always)]
    fn xor(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512F, proved by the token.
        unsafe { _mm512_xor_si512(a, b) }
    }
    #[inline(always)]
    fn and(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512F, proved by the token.
        unsafe { _mm512_and_si512(a, b) }
    }
    #[inline(always)]
    fn or(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512F, proved by the token.
        unsafe { _mm512_or_si512(a, b) }
    }
    #[inline(always)]
    fn shl1(self, a: __m512i) -> __m512i {
        // SAFETY: AVX-512BW, proved by the token.
        unsafe { _mm512_add_epi8(a, a) }
    }
    #[inline(always)]
    fn shr7(self, a: __m512i) -> __m512i {
        // SAFETY: AVX-512F and AVX-512BW, proved by the token.
        unsafe { _mm512_and_si512(_mm512_srli_epi16::<7>(a), _mm512_set1_epi8(1)) }
    }
    #[inline(always)]
    fn unpack_lo(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512BW, proved by the token.
        unsafe { _mm512_unpacklo_epi8(a, b) }
    }
    #[inline(always)]
    fn unpack_hi(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512BW, proved by the token.
        unsafe { _mm512_unpackhi_epi8(a, b) }
    }
    #[inline(always)]
    fn sbox(self, a: __m512i, which: usize) -> __m512i {
        // SAFETY: the token proves the kind's features.
        unsafe { K::sbox(a, which) }
    }
    #[inline(always)]
    fn shift_rows(self, a: __m512i, n: usize) -> __m512i {
        if !K::SHIFT_ROWS || n.is_multiple_of(4) {
            return a;
        }
        // SAFETY: AVX-512BW, proved by the token; the load reads a 16-byte constant.
        unsafe {
            _mm512_shuffle_epi8(
                a,
                _mm512_broadcast_i32x4(_mm_loadu_si128(SHIFT_ROWS[n % 4].as_ptr().cast())),
            )
        }
    }
    #[inline(always)]
    fn load(self, blocks: &[[u8; 16]]) -> [__m512i; 16] {
        map16!(|i| {
            let v: &[[u8; 16]; 4] = blocks[4 * i..4 * i + 4].try_into().unwrap();
            // SAFETY: AVX-512F, proved by the token; `v` is 64 readable bytes, and the
            // load has no alignment requirement.
            unsafe { _mm512_loadu_si512(v.as_ptr().cast()) }
        })
    }
    #[inline(always)]
    fn store(self, v: &[__m512i; 16], blocks: &mut [[u8; 16]]) {
        for16!(i => {
            let d: &mut [[u8; 16]; 4] = (&mut blocks[4 * i..4 * i + 4]).try_into().unwrap();
            // SAFETY: AVX-512F, proved by the token; `d` is 64 writable bytes, and the
            // store has no alignment requirement.
            unsafe { _mm512_storeu_si512(d.as_mut_ptr().cast(), v[i]) }
        });
    }
    #[inline(always)]
    fn block(self, b: Option<&[u8; 16]>) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { block(b) }
    }
    #[inline(always)]
    fn put_block(self, x: __m128i, b: &mut [u8; 16]) {
        // SAFETY: SSE2, x86-64 baseline; `b` is 16 writable bytes.
        unsafe { _mm_storeu_si128(b.as_mut_ptr().cast(), x) }
    }
    #[inline(always)]
    fn join(self, x: [__m128i; 4]) -> __m512i {
        // SAFETY: AVX-512F, proved by the token.
        unsafe {
            let lo = _mm512_castsi256_si512(_mm256_set_m128i(x[1], x[0]));
            _mm512_inserti64x4::<1>(lo, _mm256_set_m128i(x[3], x[2]))
        }
    }
    #[inline(always)]
    fn split(self, v: __m512i) -> [__m128i; 4] {
        // SAFETY: AVX-512F, proved by the token.
        unsafe {
            [
                _mm512_castsi512_si128(v),
                _mm512_extracti32x4_epi32::<1>(v),
                _mm512_extracti32x4_epi32::<2>(v),
                _mm512_extracti32x4_epi32::<3>(v),
            ]
        }
    }

    #[inline(always)]
    fn counters(self, c: u128) -> [__m512i; 16] {
        let (lo, hi) = words(c);
        let l = |n: i64| lo.wrapping_add(n);
        // SAFETY: AVX-512F and AVX-512BW, proved by the token; the load reads a 16-byte
        // constant.
        unsafe {
            // Lane `l` of vector `i` is block `4i + l`: low word `lo + 4i + l`, high `hi`.
            let base = _mm512_set_epi64(hi, l(3), hi, l(2), hi, l(1), hi, lo);
            let swap = _mm512_broadcast_i32x4(_mm_loadu_si128(BSWAP128.as_ptr().cast()));
            map16!(|i| {
                let k = 4 * i as i64;
                let v = _mm512_add_epi64(base, _mm512_set_epi64(0, k, 0, k, 0, k, 0, k));
                _mm512_shuffle_epi8(v, swap)
            })
        }
    }
    #[inline(always)]
    fn add8(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512BW, proved by the token.
        unsafe { _mm512_add_epi8(a, b) }
    }
    #[inline(always)]
    fn subs_u8(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512BW, proved by the token.
        unsafe { _mm512_subs_epu8(a, b) }
    }
    #[inline(always)]
    fn min_u8(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512BW, proved by the token.
        unsafe { _mm512_min_epu8(a, b) }
    }
    #[inline(always)]
    fn block_index(self) -> __m512i {
        const T: [u8; 64] = block_index_table::<64>();
        // SAFETY: AVX-512F, proved by the token; the load reads a 64-byte constant.
        unsafe { _mm512_loadu_si512(T.as_ptr().cast()) }
    }
}

impl<K: Sboxes<__m256i>> Slicer for Ymm<K> {
    type V = __m256i;
    type Block = __m128i;
    const BLOCKS: usize = 32;

    #[inline(always)]
    fn splat(self, k: u32) -> __m256i {
        // SAFETY (here and in every method of this impl): a `Ymm` exists only where AVX2
        // was detected, with its kind's features (`Ymm::new`).
        unsafe { _mm256_set1_epi32(k as i32) }
    }
    #[inline(always)]
    fn xor(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_xor_si256(a, b) }
    }
    #[inline(always)]
    fn and(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_and_si256(a, b) }
    }
    #[inline(always)]
    fn or(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_or_si256(a, b) }
    }
    #[inline(always)]
    fn shl1(self, a: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_add_epi8(a, a) }
    }
    #[inline(always)]
    fn shr7(self, a: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_and_si256(_mm256_srli_epi16::<7>(a), _mm256_set1_epi8(1)) }
    }
    #[inline(always)]
    fn unpack_lo(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_unpacklo_epi8(a, b) }
    }
    #[inline(always)]
    fn unpack_hi(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_unpackhi_epi8(a, b) }
    }
    #[inline(always)]
    fn sbox(self, a: __m256i, which: usize) -> __m256i {
        // SAFETY: the token proves the kind's features.
        unsafe { K::sbox(a, which) }
    }
    #[inline(always)]
    fn shift_rows(self, a: __m256i, n: usize) -> __m256i {
        if !K::SHIFT_ROWS || n.is_multiple_of(4) {
            return a;
        }
        // SAFETY: AVX2, proved by the token; the load reads a 16-byte constant.
        unsafe {
            _mm256_shuffle_epi8(
                a,
                _mm256_broadcastsi128_si256(_mm_loadu_si128(SHIFT_ROWS[n % 4].as_ptr().cast())),
            )
        }
    }
    #[inline(always)]
    fn load(self, blocks: &[[u8; 16]]) -> [__m256i; 16] {
        map16!(|i| {
            let v: &[[u8; 16]; 2] = blocks[2 * i..2 * i + 2].try_into().unwrap();
            // SAFETY: AVX, proved by the token; `v` is 32 readable bytes, and the load has
            // no alignment requirement.
            unsafe { _mm256_loadu_si256(v.as_ptr().cast()) }
        })
    }
    #[inline(always)]
    fn store(self, v: &[__m256i; 16], blocks: &mut [[u8; 16]]) {
        for16!(i => {
            let d: &mut [[u8; 16]; 2] = (&mut blocks[2 * i..2 * i + 2]).try_into().unwrap();
            // SAFETY: AVX, proved by the token; `d` is 32 writable bytes, and the store
            // has no alignment requirement.
            unsafe { _mm256_storeu_si256(d.as_mut_ptr().cast(), v[i]) }
        });
    }
    #[inline(always)]
    fn block(self, b: Option<&[u8; 16]>) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { block(b) }
    }
    #[inline(always)]
    fn put_block(self, x: __m128i, b: &mut [u8; 16]) {
        // SAFETY: SSE2, x86-64 baseline; `b` is 16 writable bytes.
        unsafe { _mm_storeu_si128(b.as_mut_ptr().cast(), x) }
    }
    #[inline(always)]
    fn join(self, x: [__m128i; 4]) -> __m256i {
        // SAFETY: AVX, proved by the token.
        unsafe { _mm256_set_m128i(x[1], x[0]) }
    }
    #[inline(always)]
    fn split(self, v: __m256i) -> [__m128i; 4] {
        // SAFETY: AVX2, proved by the token.
        unsafe {
            let (lo, hi) = (_mm256_castsi256_si128(v), _mm256_extracti128_si256::<1>(v));
            [lo, hi, hi, hi]
        }
    }

    #[inline(always)]
    fn counters(self, c: u128) -> [__m256i; 16] {
        let (lo, hi) = words(c);
        // SAFETY: AVX2, proved by the token; the load reads a 16-byte constant.
        unsafe {
            // Lane `l` of vector `i` is block `2i + l`: low word `lo + 2i + l`, high `hi`.
            let base = _mm256_set_epi64x(hi, lo.wrapping_add(1), hi, lo);
            let swap = _mm256_broadcastsi128_si256(_mm_loadu_si128(BSWAP128.as_ptr().cast()));
            map16!(|i| {
                let k = 2 * i as i64;
                let v = _mm256_add_epi64(base, _mm256_set_epi64x(0, k, 0, k));
                _mm256_shuffle_epi8(v, swap)
            })
        }
    }
    #[inline(always)]
    fn add8(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_add_epi8(a, b) }
    }
    #[inline(always)]
    fn subs_u8(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_subs_epu8(a, b) }
    }
    #[inline(always)]
    fn min_u8(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2, proved by the token.
        unsafe { _mm256_min_epu8(a, b) }
    }
    #[inline(always)]
    fn block_index(self) -> __m256i {
        const T: [u8; 32] = block_index_table::<32>();
        // SAFETY: AVX, proved by the token; the load reads a 32-byte constant.
        unsafe { _mm256_loadu_si256(T.as_ptr().cast()) }
    }
}

impl<K: Sboxes<__m128i>> Slicer for Xmm<K> {
    type V = __m128i;
    type Block = __m128i;
    const BLOCKS: usize = 16;

    #[inline(always)]
    fn splat(self, k: u32) -> __m128i {
        // SAFETY (here and in every method of this impl): SSE2 is part of x86-64, and an
        // `Xmm` exists only where AVX2 was detected, with its kind's features (`Xmm::new`).
        unsafe { _mm_set1_epi32(k as i32) }
    }
    #[inline(always)]
    fn xor(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_xor_si128(a, b) }
    }
    #[inline(always)]
    fn and(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_and_si128(a, b) }
    }
    #[inline(always)]
    fn or(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_or_si128(a, b) }
    }
    #[inline(always)]
    fn shl1(self, a: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_add_epi8(a, a) }
    }
    #[inline(always)]
    fn shr7(self, a: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_and_si128(_mm_srli_epi16::<7>(a), _mm_set1_epi8(1)) }
    }
    #[inline(always)]
    fn unpack_lo(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_unpacklo_epi8(a, b) }
    }
    #[inline(always)]
    fn unpack_hi(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_unpackhi_epi8(a, b) }
    }
    #[inline(always)]
    fn sbox(self, a: __m128i, which: usize) -> __m128i {
        // SAFETY: the token proves the kind's features.
        unsafe { K::sbox(a, which) }
    }
    #[inline(always)]
    fn shift_rows(self, a: __m128i, n: usize) -> __m128i {
        if !K::SHIFT_ROWS || n.is_multiple_of(4) {
            return a;
        }
        // SAFETY: SSSE3 (AVX2), proved by the token; the load reads a 16-byte constant.
        unsafe { _mm_shuffle_epi8(a, _mm_loadu_si128(SHIFT_ROWS[n % 4].as_ptr().cast())) }
    }
    #[inline(always)]
    fn load(self, blocks: &[[u8; 16]]) -> [__m128i; 16] {
        // SAFETY: SSE2, x86-64 baseline (a panic on a short slice comes before the load).
        map16!(|i| unsafe { block(Some(&blocks[i])) })
    }
    #[inline(always)]
    fn store(self, v: &[__m128i; 16], blocks: &mut [[u8; 16]]) {
        for16!(i => self.put_block(v[i], &mut blocks[i]));
    }
    #[inline(always)]
    fn block(self, b: Option<&[u8; 16]>) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { block(b) }
    }
    #[inline(always)]
    fn put_block(self, x: __m128i, b: &mut [u8; 16]) {
        // SAFETY: SSE2, x86-64 baseline; `b` is 16 writable bytes.
        unsafe { _mm_storeu_si128(b.as_mut_ptr().cast(), x) }
    }
    #[inline(always)]
    fn join(self, x: [__m128i; 4]) -> __m128i {
        x[0]
    }
    #[inline(always)]
    fn split(self, v: __m128i) -> [__m128i; 4] {
        [v; 4]
    }
    #[inline(always)]
    fn counters(self, c: u128) -> [__m128i; 16] {
        let (lo, hi) = words(c);
        // SAFETY: SSE2 and SSSE3 (AVX2), proved by the token; the load reads a 16-byte
        // constant.
        unsafe {
            let base = _mm_set_epi64x(hi, lo);
            let swap = _mm_loadu_si128(BSWAP128.as_ptr().cast());
            map16!(|i| _mm_shuffle_epi8(_mm_add_epi64(base, _mm_set_epi64x(0, i as i64)), swap))
        }
    }
    #[inline(always)]
    fn add8(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_add_epi8(a, b) }
    }
    #[inline(always)]
    fn subs_u8(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_subs_epu8(a, b) }
    }
    #[inline(always)]
    fn min_u8(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2, x86-64 baseline.
        unsafe { _mm_min_epu8(a, b) }
    }
    #[inline(always)]
    fn block_index(self) -> __m128i {
        const T: [u8; 16] = block_index_table::<16>();
        // SAFETY: SSE2, x86-64 baseline; the load reads a 16-byte constant.
        unsafe { _mm_loadu_si128(T.as_ptr().cast()) }
    }
}
