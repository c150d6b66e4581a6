//! The AVX-512 IFMA almost-Montgomery multiplication kernel (see the parent module).

use core::arch::x86_64::{
    _mm_cvtsi64_si128, _mm_cvtsi128_si64, _mm512_add_epi64, _mm512_alignr_epi64,
    _mm512_castsi512_si128, _mm512_loadu_si512, _mm512_madd52hi_epu64, _mm512_madd52lo_epu64,
    _mm512_set1_epi64, _mm512_setzero_si512, _mm512_storeu_si512, _mm512_zextsi128_si512,
};

use super::MASK52;

/// out = a·b·2^(−52·8N) mod m, almost reduced, all values 8N digits of 52 bits (a, b < 2m,
/// 4m ≤ 2^(52·8N)); m0 = −m⁻¹ mod 2⁵². Lane bound: each lane receives at most four
/// 52-bit addends plus a carry per step over at most 8N ≤ 160 steps: < 2⁶² — no overflow.
///
/// # Safety
/// The CPU must support AVX512F and AVX512-IFMA.
#[target_feature(enable = "avx512f,avx512ifma")]
#[allow(clippy::needless_range_loop)] // parallel arrays of registers, indexed alike
pub(super) unsafe fn amm<const N: usize>(
    out: &mut [u64],
    a: &[u64],
    b: &[u64],
    m: &[u64],
    m0: u64,
) {
    let l = 8 * N;
    assert!(out.len() == l && a.len() == l && b.len() == l && m.len() == l);
    let zero = _mm512_setzero_si512();
    let mut av = [zero; N];
    let mut mv = [zero; N];
    for j in 0..N {
        // SAFETY: a and m have 8N u64s (asserted); unaligned 64-byte loads of chunk j.
        unsafe {
            av[j] = _mm512_loadu_si512(a.as_ptr().add(8 * j).cast());
            mv[j] = _mm512_loadu_si512(m.as_ptr().add(8 * j).cast());
        }
    }
    let m_low = m[0];
    let mut acc = [zero; N];
    for &bi in b.iter() {
        let bv = _mm512_set1_epi64(bi as i64);
        for j in 0..N {
            acc[j] = _mm512_madd52lo_epu64(acc[j], av[j], bv);
        }
        let a0 = _mm_cvtsi128_si64(_mm512_castsi512_si128(acc[0])) as u64;
        let u = a0.wrapping_mul(m0) & MASK52;
        let uv = _mm512_set1_epi64(u as i64);
        for j in 0..N {
            acc[j] = _mm512_madd52lo_epu64(acc[j], mv[j], uv);
        }
        // Lane 0 is now ≡ 0 mod 2⁵²: its carry moves to lane 1, then everything shifts down.
        let carry = (a0 + (m_low.wrapping_mul(u) & MASK52)) >> 52;
        for j in 0..N - 1 {
            acc[j] = _mm512_alignr_epi64::<1>(acc[j + 1], acc[j]);
        }
        acc[N - 1] = _mm512_alignr_epi64::<1>(zero, acc[N - 1]);
        acc[0] = _mm512_add_epi64(
            acc[0],
            _mm512_zextsi128_si512(_mm_cvtsi64_si128(carry as i64)),
        );
        // High halves of the products belong one lane up: after the shift, in place.
        for j in 0..N {
            acc[j] = _mm512_madd52hi_epu64(acc[j], av[j], bv);
            acc[j] = _mm512_madd52hi_epu64(acc[j], mv[j], uv);
        }
    }
    for j in 0..N {
        // SAFETY: out has 8N u64s (asserted).
        unsafe { _mm512_storeu_si512(out.as_mut_ptr().add(8 * j).cast(), acc[j]) };
    }
    // Normalize to 52-bit digits (the value is < 2m < 2^(52·8N), so no carry leaves).
    let mut carry = 0u64;
    for d in out.iter_mut() {
        let v = *d + carry;
        *d = v & MASK52;
        carry = v >> 52;
    }
}
