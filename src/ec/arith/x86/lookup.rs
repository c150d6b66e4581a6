//! The masked full-table scan of the fixed-base comb on AVX2: every entry is loaded and
//! ANDed with a mask that is all ones for the wanted entry and zero elsewhere, and the
//! results are ORed together, 256 bits at a time. The mask is computed in the vector unit
//! (`vpcmpeqq` of the entry's position against the broadcast index), so no general
//! register or flag ever depends on the index and the compiler has no scalar selection
//! to turn into a branch or `cmov`. Every entry is read whatever the index.

use core::arch::x86_64::{
    __m256i, _mm256_add_epi64, _mm256_and_si256, _mm256_cmpeq_epi64, _mm256_loadu_si256,
    _mm256_or_si256, _mm256_set1_epi64x, _mm256_setzero_si256, _mm256_storeu_si256,
};

/// Up to this many 256-bit words per entry (P-384 affine points: 12 limbs = 3 words).
const MAX_WORDS: usize = 4;

/// `table[idx − 1]` (zero for `idx = 0` or beyond the table), reading every entry.
/// `N` must be a multiple of 4 and at most `4·MAX_WORDS` (checked at compile time).
///
/// # Safety
/// The CPU must support AVX2 ([`super::Avx2`] is the proof).
#[target_feature(enable = "avx2")]
pub(super) unsafe fn select<const N: usize>(table: &[[u64; N]], idx: u64) -> [u64; N] {
    const { assert!(N.is_multiple_of(4) && N / 4 <= MAX_WORDS) };
    let words = N / 4;
    let mut acc = [_mm256_setzero_si256(); MAX_WORDS];
    let want = _mm256_set1_epi64x(idx as i64);
    let one = _mm256_set1_epi64x(1);
    // The position of the current entry, 1-based, in every lane.
    let mut pos = one;
    for entry in table {
        let mask = _mm256_cmpeq_epi64(pos, want);
        for (w, a) in acc.iter_mut().enumerate().take(words) {
            // SAFETY: `w < N/4`, so the 32 bytes at limb 4w lie inside `entry`; the load
            // is unaligned.
            let v = unsafe { _mm256_loadu_si256(entry.as_ptr().add(4 * w).cast::<__m256i>()) };
            *a = _mm256_or_si256(*a, _mm256_and_si256(v, mask));
        }
        pos = _mm256_add_epi64(pos, one);
    }
    let mut out = [0u64; N];
    for (w, a) in acc.iter().enumerate().take(words) {
        // SAFETY: as above, 32 bytes at limb 4w lie inside `out`.
        unsafe { _mm256_storeu_si256(out.as_mut_ptr().add(4 * w).cast::<__m256i>(), *a) };
    }
    out
}
