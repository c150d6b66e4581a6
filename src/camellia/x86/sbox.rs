//! Camellia's S-boxes as AES-field inversions between affine maps, in the forms the x86
//! instructions take: GFNI matrix operands and AES-NI nibble filter tables.
//!
//! `s1` is affine-equivalent to inversion in GF(2⁸) = GF(2)\[t\]/(t⁸ + t⁴ + t³ + t + 1), the
//! AES field (Camellia's designers built it from an inversion in a tower field; every
//! representation of GF(2⁸) is linearly isomorphic to every other). With `inv(0) = 0`:
//!
//! ```text
//! s1(x) = B · inv(A · x ⊕ a) ⊕ b        a = A · 0xC5,  b = 0x6E = s1(0xC5)
//! ```
//!
//! This is the identity Kivilinna's thesis "Block Ciphers: Fast Implementations on x86-64
//! Architecture" (2013) builds AES-NI Camellia on. [`A`] and [`B`] are the matrices
//! `tools/camellia_sbox.py` derives for the bitsliced backend (its module docs print them
//! as rows; here they are columns), so both backends rest on one derivation. They are
//! fixed only up to the field's symmetries (`A → c·Frobⁱ·A` with `B` absorbing the
//! inverse), and any choice serves the instructions below equally. The tests at the end
//! of this file check every S-box and every table exhaustively against `SBOX1`.
//!
//! The other S-boxes differ from `s1` by a rotation (RFC 3713 §2.4.4), which folds into a
//! matrix: `s2 = R·s1`, `s3 = R⁻¹·s1` (rotation of the output, so of `B` and `b`) and
//! `s4 = s1∘R` (rotation of the input, so of `A`), with `R` the rotation left by one bit.
//!
//! - **GFNI**: `vgf2p8affineqb(x, M, c) = M·x ⊕ c` and `vgf2p8affineinvqb(x, M, c) =
//!   M·inv(x) ⊕ c` (AES field, `inv(0) = 0`), so an S-box is exactly two instructions:
//!   [`GFNI`] holds their matrix operands and constants.
//! - **AES-NI**: `aesenclast(x, 0) = ShiftRows(Maes·inv(x) ⊕ 0x63)`. The pre-filter
//!   `x ↦ A·x ⊕ a` and the post-filter `z ↦ B·Maes⁻¹·(z ⊕ 0x63) ⊕ b` (AES's own affine
//!   step undone and folded into `B`) are affine, so each is two 16-entry lookups, one
//!   per nibble, XORed: `f(x) = lo[x & 15] ⊕ hi[x >> 4]` ([`NIBBLE`]). ShiftRows, a fixed
//!   permutation of the 16 bytes of each 128-bit lane, moves the results: [`SHIFT_ROWS`]
//!   holds its powers as byte shuffles for the byte-sliced network, which undoes it for
//!   half the planes every other round, and [`SHIFT_ROWS_DEST`] says where the one-block
//!   path finds each byte.
//!
//! Everything here is computed at compile time by `const fn`s that branch on nothing but
//! loop counters.

/// An 8×8 matrix over GF(2), stored as its columns: `m[j]` is the image of bit `j`
/// (`x = Σ xⱼ·2ʲ`).
pub(super) type Matrix = [u8; 8];

/// The pre-filter's matrix `A` (columns; rows `[1c, fa, 38, 50, 88, bd, be, 01]`).
pub(super) const A: Matrix = [0xa0, 0x42, 0x61, 0x77, 0x6f, 0x66, 0x0a, 0x72];
/// The post-filter's matrix `B` (columns; rows `[a2, 22, 0e, aa, 52, 01, 95, b4]`).
pub(super) const B: Matrix = [0x60, 0x1f, 0xc4, 0x0c, 0xd0, 0x8b, 0x10, 0xc9];
/// The pre-filter's constant: `a = A · 0xC5` (= 0xB9).
pub(super) const A_C: u8 = apply(&A, 0xc5);
/// The post-filter's constant: `b = s1(0xC5)`.
pub(super) const B_C: u8 = 0x6e;

/// `M · x` over GF(2), without branches.
pub(super) const fn apply(m: &Matrix, x: u8) -> u8 {
    let mut r = 0;
    let mut j = 0;
    while j < 8 {
        r ^= m[j] & 0u8.wrapping_sub((x >> j) & 1);
        j += 1;
    }
    r
}

/// The product `M · N` (apply `N` first).
pub(super) const fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    let mut r = [0; 8];
    let mut j = 0;
    while j < 8 {
        r[j] = apply(m, n[j]);
        j += 1;
    }
    r
}

/// The matrix of the rotation left by `left` bits.
const fn rotation(left: u32) -> Matrix {
    let mut r = [0; 8];
    let mut j = 0;
    while j < 8 {
        r[j] = (1u8 << j).rotate_left(left);
        j += 1;
    }
    r
}

/// `R`: rotation left by one bit.
const ROTL1: Matrix = rotation(1);
/// `R⁻¹`: rotation right by one bit.
const ROTR1: Matrix = rotation(7);

/// The inverse of AES's affine matrix (FIPS 197 §5.1.1 defines
/// `Maes·x = x ⊕ x⋘1 ⊕ x⋘2 ⊕ x⋘3 ⊕ x⋘4`): `Maes⁻¹·y = y⋘1 ⊕ y⋘3 ⊕ y⋘6`.
pub(super) const MAES_INV: Matrix = {
    let mut r = [0; 8];
    let mut j = 0;
    while j < 8 {
        let e = 1u8 << j;
        r[j] = e.rotate_left(1) ^ e.rotate_left(3) ^ e.rotate_left(6);
        j += 1;
    }
    r
};

/// One S-box as (pre matrix, pre constant, post matrix, post constant):
/// `s(x) = post · inv(pre · x ⊕ pre_c) ⊕ post_c`.
#[derive(Clone, Copy)]
pub(super) struct Affine {
    pub(super) pre: Matrix,
    pub(super) pre_c: u8,
    pub(super) post: Matrix,
    pub(super) post_c: u8,
}

/// `s1`, `s2`, `s3`, `s4` (index 0..4) in the affine-inversion-affine form.
pub(super) const SBOXES: [Affine; 4] = [
    Affine {
        pre: A,
        pre_c: A_C,
        post: B,
        post_c: B_C,
    },
    Affine {
        pre: A,
        pre_c: A_C,
        post: mul(&ROTL1, &B),
        post_c: B_C.rotate_left(1),
    },
    Affine {
        pre: A,
        pre_c: A_C,
        post: mul(&ROTR1, &B),
        post_c: B_C.rotate_right(1),
    },
    Affine {
        pre: mul(&A, &ROTL1),
        pre_c: A_C,
        post: B,
        post_c: B_C,
    },
];

/// A matrix as the 64-bit operand of `vgf2p8affineqb`: output bit `i` is the parity of
/// `x` AND byte `7 - i` of the operand, so byte `7 - i` holds row `i`.
pub(super) const fn gfni_matrix(m: &Matrix) -> u64 {
    let mut q = 0u64;
    let mut i = 0;
    while i < 8 {
        let mut row = 0u64;
        let mut j = 0;
        while j < 8 {
            row |= (((m[j] >> i) & 1) as u64) << j;
            j += 1;
        }
        q |= row << (8 * (7 - i));
        i += 1;
    }
    q
}

/// The operands of one S-box's two GFNI instructions.
#[derive(Clone, Copy)]
pub(super) struct Gfni {
    /// Matrix of `vgf2p8affineqb` (the pre-filter).
    pub(super) pre: u64,
    /// Its constant (an immediate).
    pub(super) pre_c: u8,
    /// Matrix of `vgf2p8affineinvqb` (the post-filter).
    pub(super) post: u64,
    /// Its constant (an immediate).
    pub(super) post_c: u8,
}

const fn gfni(s: &Affine) -> Gfni {
    Gfni {
        pre: gfni_matrix(&s.pre),
        pre_c: s.pre_c,
        post: gfni_matrix(&s.post),
        post_c: s.post_c,
    }
}

/// GFNI operands of `s1..s4` (index 0..4).
pub(super) const GFNI: [Gfni; 4] = [
    gfni(&SBOXES[0]),
    gfni(&SBOXES[1]),
    gfni(&SBOXES[2]),
    gfni(&SBOXES[3]),
];

/// An affine map `x ↦ M·x ⊕ c` as two nibble tables, `lo[x & 15] ⊕ hi[x >> 4]`
/// (the constant goes into `lo`).
#[derive(Clone, Copy)]
pub(super) struct Nibbles {
    pub(super) lo: [u8; 16],
    pub(super) hi: [u8; 16],
}

pub(super) const fn nibbles(m: &Matrix, c: u8) -> Nibbles {
    let mut t = Nibbles {
        lo: [0; 16],
        hi: [0; 16],
    };
    let mut n = 0;
    while n < 16 {
        t.lo[n] = apply(m, n as u8) ^ c;
        t.hi[n] = apply(m, (n as u8) << 4);
        n += 1;
    }
    t
}

/// The AES-NI filters of one S-box.
#[derive(Clone, Copy)]
pub(super) struct Filters {
    /// `x ↦ pre·x ⊕ pre_c`, applied before `aesenclast`.
    pub(super) pre: Nibbles,
    /// `z ↦ post·Maes⁻¹·(z ⊕ 0x63) ⊕ post_c`, applied after it.
    pub(super) post: Nibbles,
}

const fn filters(s: &Affine) -> Filters {
    let post = mul(&s.post, &MAES_INV);
    Filters {
        pre: nibbles(&s.pre, s.pre_c),
        post: nibbles(&post, apply(&post, 0x63) ^ s.post_c),
    }
}

/// AES-NI filters of `s1..s4` (index 0..4).
pub(super) const NIBBLE: [Filters; 4] = [
    filters(&SBOXES[0]),
    filters(&SBOXES[1]),
    filters(&SBOXES[2]),
    filters(&SBOXES[3]),
];

/// ShiftRows and its powers as byte shuffles (`pshufb` controls): `SHIFT_ROWS[n]` applied
/// to a lane gives `SRⁿ` of it (`SR(x)[q] = x[src(q)]`, `src(4c + r) = 4((c + r) mod 4) + r`).
pub(super) const SHIFT_ROWS: [[u8; 16]; 4] = {
    let mut t = [[0u8; 16]; 4];
    let mut q = 0;
    while q < 16 {
        t[0][q] = q as u8;
        q += 1;
    }
    let mut n = 1;
    while n < 4 {
        let mut q = 0;
        while q < 16 {
            let (c, r) = (q / 4, q % 4);
            // SRⁿ(x)[q] = SRⁿ⁻¹(x)[src(q)]
            t[n][q] = t[n - 1][4 * ((c + r) % 4) + r];
            q += 1;
        }
        n += 1;
    }
    t
};

/// Where ShiftRows sends byte `p` of a lane: `SR(x)[SHIFT_ROWS_DEST[p]] = x[p]`. Since
/// `SR(x)[q] = x[src(q)]`, this is `src⁻¹ = src³`, the control of `SR³`.
pub(super) const SHIFT_ROWS_DEST: [u8; 16] = SHIFT_ROWS[3];

#[cfg(test)]
mod tests {
    use super::super::super::consts::sbox_vartime;
    use super::*;

    /// AES's affine matrix: `Maes·x = x ⊕ x⋘1 ⊕ x⋘2 ⊕ x⋘3 ⊕ x⋘4` (FIPS 197 §5.1.1).
    const MAES: Matrix = {
        let mut r = [0; 8];
        let mut j = 0;
        while j < 8 {
            let e = 1u8 << j;
            r[j] = e ^ e.rotate_left(1) ^ e.rotate_left(2) ^ e.rotate_left(3) ^ e.rotate_left(4);
            j += 1;
        }
        r
    };

    /// Multiplication in the AES field (test reference, variable-time).
    fn gmul(mut a: u8, mut b: u8) -> u8 {
        let mut r = 0;
        while b != 0 {
            if b & 1 == 1 {
                r ^= a;
            }
            a = (a << 1) ^ if a & 0x80 != 0 { 0x1b } else { 0 };
            b >>= 1;
        }
        r
    }

    fn inv(x: u8) -> u8 {
        (1..=255u8).find(|&y| gmul(x, y) == 1).unwrap_or(0)
    }

    /// The AES S-box from its definition (FIPS 197 §5.1.1).
    fn aes_sbox(x: u8) -> u8 {
        apply(&MAES, inv(x)) ^ 0x63
    }

    /// The GFNI instruction semantics, from the Intel SDM's pseudocode.
    fn gf2p8affine(x: u8, m: u64, c: u8) -> u8 {
        let mut r = 0;
        for i in 0..8 {
            let row = (m >> (8 * (7 - i))) as u8;
            r |= (((row & x).count_ones() & 1) as u8) << i;
        }
        r ^ c
    }

    #[test]
    fn constants_are_the_derivations() {
        // tools/camellia_sbox.py's A, a, B, b, as printed in soft/bitsliced/sbox.rs (rows).
        let rows = |m: &Matrix| -> [u8; 8] {
            core::array::from_fn(|i| (0..8).fold(0, |r, j| r | ((m[j] >> i) & 1) << j))
        };
        assert_eq!(rows(&A), [0x1c, 0xfa, 0x38, 0x50, 0x88, 0xbd, 0xbe, 0x01]);
        assert_eq!(rows(&B), [0xa2, 0x22, 0x0e, 0xaa, 0x52, 0x01, 0x95, 0xb4]);
        assert_eq!((A_C, B_C), (0xb9, 0x6e));
    }

    #[test]
    fn matrices_are_invertible_and_aes_affine_inverts() {
        assert_eq!(mul(&MAES, &MAES_INV), rotation(0));
        assert_eq!(mul(&ROTL1, &ROTR1), rotation(0));
        assert_eq!(aes_sbox(0), 0x63);
        assert_eq!(aes_sbox(0x53), 0xed); // FIPS 197 §5.1.1 example
        for m in [A, B] {
            let mut seen = [false; 256];
            for x in 0..=255u8 {
                seen[apply(&m, x) as usize] = true;
            }
            assert!(seen.iter().all(|&s| s));
        }
    }

    #[test]
    fn affine_forms_equal_the_sboxes() {
        for (i, s) in SBOXES.iter().enumerate() {
            for x in 0..=255u8 {
                let y = apply(&s.post, inv(apply(&s.pre, x) ^ s.pre_c)) ^ s.post_c;
                assert_eq!(y, sbox_vartime(i + 1, x), "s{} at {x:#04x}", i + 1);
            }
        }
    }

    #[test]
    fn gfni_operands_equal_the_sboxes() {
        for (i, g) in GFNI.iter().enumerate() {
            for x in 0..=255u8 {
                let y = gf2p8affine(inv(gf2p8affine(x, g.pre, g.pre_c)), g.post, g.post_c);
                assert_eq!(y, sbox_vartime(i + 1, x), "s{} at {x:#04x}", i + 1);
            }
        }
    }

    #[test]
    fn nibble_filters_around_the_aes_sbox_equal_the_sboxes() {
        for (i, f) in NIBBLE.iter().enumerate() {
            for x in 0..=255u8 {
                let pre = f.pre.lo[usize::from(x & 15)] ^ f.pre.hi[usize::from(x >> 4)];
                let z = aes_sbox(pre);
                let y = f.post.lo[usize::from(z & 15)] ^ f.post.hi[usize::from(z >> 4)];
                assert_eq!(y, sbox_vartime(i + 1, x), "s{} at {x:#04x}", i + 1);
            }
        }
    }

    #[test]
    fn shift_rows_tables() {
        // ShiftRows of a lane: row r of column c comes from column c + r.
        let sr = |x: [u8; 16]| -> [u8; 16] {
            core::array::from_fn(|p| x[4 * ((p / 4 + p % 4) % 4) + p % 4])
        };
        let x: [u8; 16] = core::array::from_fn(|i| i as u8 * 7 + 1);
        let y = sr(x);
        for p in 0..16 {
            assert_eq!(y[SHIFT_ROWS_DEST[p] as usize], x[p]);
        }
        let mut z = x;
        for n in 0..4 {
            let shuffled: [u8; 16] = core::array::from_fn(|q| x[SHIFT_ROWS[n][q] as usize]);
            assert_eq!(shuffled, z, "SR^{n}");
            z = sr(z);
        }
        assert_eq!(z, x, "SR^4 is the identity");
    }
}
