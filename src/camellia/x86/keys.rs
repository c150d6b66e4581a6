//! The subkeys as the byte-sliced network consumes them, built once per bulk call.
//!
//! A subkey's byte `j` (most significant first, matching the planes) is XORed into a whole
//! plane, so it must be a vector with that byte everywhere. Keeping each byte repeated in
//! a `u32` makes that a 32-bit broadcast, which AVX-512 folds into the XOR itself
//! (`vpxord zmm, zmm, [mem]{1to16}`) and AVX2 does with a load (`vpbroadcastd`). Building
//! the 34 rows costs one byte shuffle per subkey ([`fill`]); wiping them, one 256-bit
//! store per row.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::super::key_schedule::RoundKeys;

/// One subkey: `u32` number `j` is byte `j` of the subkey repeated four times.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(C, align(32))]
pub(super) struct Row(pub(super) [u32; 8]);

impl Row {
    /// The row of subkey `k` (the portable reference for [`fill`]).
    #[cfg(test)]
    pub(super) fn spread(k: u64) -> Row {
        Row(k.to_be_bytes().map(|b| u32::from(b) * 0x0101_0101))
    }
}

/// The subkeys of one direction as rows: kw1..kw4, k1..k24, ke1..ke6 (the order of
/// `RoundKeys`'s fields; unused ones are zero). Wiped on drop.
pub(super) struct SlicedKeys {
    pub(super) rows: [Row; 34],
    pub(super) rounds: usize,
}

impl SlicedKeys {
    /// The row of k1.
    pub(super) const K: usize = 4;
    /// The row of ke1.
    pub(super) const KE: usize = 28;

    /// All-zero rows for `rk`'s round count.
    pub(super) fn zeroed(rk: &RoundKeys) -> SlicedKeys {
        SlicedKeys {
            rows: [Row([0; 8]); 34],
            rounds: rk.rounds,
        }
    }

    /// The rows of `rk`, portably.
    #[cfg(test)]
    pub(super) fn new_portable(rk: &RoundKeys) -> SlicedKeys {
        let mut s = SlicedKeys::zeroed(rk);
        let subkeys = rk.kw.iter().chain(&rk.k).chain(&rk.ke).copied();
        for (row, k) in s.rows.iter_mut().zip(subkeys) {
            *row = Row::spread(k);
        }
        s
    }
}

/// Fills `keys` with `rk`'s subkeys, one AVX2 byte shuffle per subkey.
#[target_feature(enable = "avx2")]
pub(super) fn fill(keys: &mut SlicedKeys, rk: &RoundKeys) {
    // Byte j of the big-endian subkey is byte 7 - j of the little-endian u64, in both
    // 128-bit lanes; u32 j takes it four times.
    let spread = _mm256_setr_epi8(
        7, 7, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0,
        0, 0,
    );
    let (kw, rest) = keys.rows.split_at_mut(SlicedKeys::K);
    let (k, ke) = rest.split_at_mut(SlicedKeys::KE - SlicedKeys::K);
    for (rows, subkeys) in [(kw, &rk.kw[..]), (k, &rk.k[..]), (ke, &rk.ke[..])] {
        for (row, &k) in rows.iter_mut().zip(subkeys) {
            let v = _mm256_shuffle_epi8(_mm256_set1_epi64x(k as i64), spread);
            // SAFETY: AVX (this function's features); `row` is 32 writable bytes, and the
            // store has no alignment requirement.
            unsafe { _mm256_storeu_si256(row.0.as_mut_ptr().cast(), v) }
        }
    }
}

impl Drop for SlicedKeys {
    fn drop(&mut self) {
        for row in &mut self.rows {
            // SAFETY: `Row` and `__m256i` have the same size (32) and alignment (32), and
            // every bit pattern is valid for both; the reference lives only for the
            // volatile write of `Zeroize for __m256i` (no CPU feature needed: without
            // AVX the compiler writes it as two 128-bit stores).
            unsafe { (*(row as *mut Row).cast::<__m256i>()).zeroize() }
        }
        self.rounds.zeroize();
    }
}

impl ZeroizeOnDrop for SlicedKeys {}

const _: () = assert!(
    core::mem::size_of::<Row>() == core::mem::size_of::<__m256i>()
        && core::mem::align_of::<Row>() == core::mem::align_of::<__m256i>()
);

#[cfg(test)]
mod tests {
    use super::super::super::soft::table;
    use super::*;

    #[test]
    fn simd_rows_equal_the_portable_ones() {
        if !super::super::cpuid_avx2::get() {
            extern crate std;
            std::println!("note: no AVX2 here, keys::fill not tested");
            return;
        }
        for len in [16, 24, 32] {
            let key: [u8; 32] = core::array::from_fn(|i| (i * 29 + len) as u8);
            let rk = table::expand_vartime(&key[..len]);
            let mut keys = SlicedKeys::zeroed(&rk);
            // SAFETY: AVX2 was just detected.
            unsafe { fill(&mut keys, &rk) };
            assert_eq!(keys.rows, SlicedKeys::new_portable(&rk).rows);
        }
    }

    #[test]
    fn drop_wipes() {
        let rk = table::expand_vartime(&[0x5a; 16]);
        let mut keys = core::mem::ManuallyDrop::new(SlicedKeys::new_portable(&rk));
        assert!(keys.rows.iter().any(|r| r.0 != [0; 8]));
        // SAFETY: dropped once, then only read (its fields are plain integers).
        unsafe { core::mem::ManuallyDrop::drop(&mut keys) };
        assert!(keys.rows.iter().all(|r| r.0 == [0; 8]));
    }
}
