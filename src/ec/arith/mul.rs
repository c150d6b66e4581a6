//! Scalar multiplication.
//!
//! - `mul_base` (k·G, constant-time): a fixed-base comb without doublings, as in
//!   Gueron–Krasnov, "Fast prime field elliptic-curve cryptography with 256-bit primes"
//!   (J. Cryptogr. Eng. 2015): the scalar is cut into `W`-bit Booth digits `d_i`, window
//!   `i` has its own table of `j·2^(W·i)·G` for `j = 1 … 2^(W−1)` (affine, computed by the
//!   compiler), and k·G = Σ d_i·2^(W·i)·G is one masked lookup, one conditional negation and
//!   one Jacobian mixed addition per window. That addition (madd-2004-hmv, 8M + 3S) is
//!   branch-free but incomplete: the accumulator's identity case is masked, and the
//!   doubling and inverse cases are proved impossible for every scalar below n (the
//!   comment on `mul_base_jacobian`), which is what makes it safe on secrets. It replaced
//!   the complete Renes–Costello–Batina mixed addition (11M + 2·b + 23a), kept for the
//!   tests as `mul_base_complete`.
//! - `mul` (k·P, constant-time): signed 5-bit fixed windows over a run-time affine table
//!   of `1·P … 16·P` (one inversion for all sixteen), five Jacobian doublings (dbl-2001-b)
//!   and one incomplete mixed addition per window, the identity masked and the other
//!   exceptional cases proved unreachable for every scalar below n (the comment above
//!   `mul_jacobian`). It replaced RCB16's complete formulas (12M per addition, 8M + 3S per
//!   doubling), kept for the tests as `mul_projective`. P-256 on BMI2/ADX runs the same
//!   window loop (`mul_jacobian_with`) on the formulas of `x86::p256_point`, written
//!   directly on the assembly field operations (same results, checked once per k·P).
//! - `verify_vartime` (u1·G + u2·Q, public inputs): interleaved width-w NAF (Shamir's
//!   trick; Hankerson–Menezes–Vanstone Alg. 3.51) in Jacobian coordinates with a
//!   compile-time table of odd multiples of G and a run-time one of Q. The x-coordinate
//!   check avoids the inversion (SEC 1 §4.1.4 steps 5–7 with x(R) = X/Z²).
//!
//! All secret-indexed lookups read every table entry and select with masks.

/// Defines the scalar multiplications for one curve (in the module that holds the
/// `AffinePoint`/`ProjectivePoint` types of [`point_arith!`](super::point::point_arith)).
macro_rules! scalar_mul {
    (
        fe: $fe:ident,
        scalar: $scalar:ident,
        generator: $g:expr,
        base_window: $bw:literal,
        base_windows: $bwins:literal,
        base_rows: [$($row:literal)*],
        var_windows: $vwins:literal,
        g_wnaf_window: $gw:literal
        $(, var_mul_fast: $fast:path)? $(,)?
    ) => {
        /// The generator G.
        pub(crate) const GENERATOR: AffinePoint = $g;

        /// Bits per fixed-base window.
        pub(crate) const BASE_W: u32 = $bw;
        /// Entries per fixed-base window: 1·B … 2^(W−1)·B.
        pub(crate) const BASE_ENTRIES: usize = 1 << ($bw - 1);
        /// Number of fixed-base windows; `W · windows` exceeds the bit length of n, so the
        /// top Booth digit is non-negative.
        pub(crate) const BASE_WINDOWS: usize = $bwins;
        const _BASE_COVERS_N: () = assert!(BASE_WINDOWS * $bw > 64 * <$fe>::LIMBS);

        /// Window width of the variable-base multiplication.
        const VAR_W: u32 = 5;
        /// Entries of its table: 1·P … 2^(W−1)·P.
        const VAR_ENTRIES: usize = 1 << (5 - 1);
        pub(crate) const VAR_WINDOWS: usize = $vwins;
        const _VAR_COVERS_N: () = assert!(VAR_WINDOWS * 5 > 64 * <$fe>::LIMBS);

        /// wNAF width for G in verification, and the size of its odd-multiples table.
        const G_WNAF_W: u32 = $gw;
        pub(crate) const G_ODD_ENTRIES: usize = 1 << ($gw - 2);
        /// wNAF width for the public key in verification.
        const Q_WNAF_W: u32 = 5;
        const Q_ODD_ENTRIES: usize = 1 << (5 - 2);
        /// Length of a wNAF digit string: one more than the bits of a scalar.
        const NAF_LEN: usize = 64 * <$fe>::LIMBS + 1;

        /// The base field modulus for the compile-time table builder.
        const CONST_P: $crate::ec::arith::table::ConstModulus<{ <$fe>::LIMBS }> =
            $crate::ec::arith::table::ConstModulus::new(<$fe>::MODULUS);

        /// G as raw Montgomery limbs.
        const G_RAW: $crate::ec::arith::table::RawAffine<{ <$fe>::LIMBS }> =
            (*GENERATOR.x.mont_limbs(), *GENERATOR.y.mont_limbs());

        /// `2^(W·i)·G` for each window.
        const BASE_POINTS: [$crate::ec::arith::table::RawAffine<{ <$fe>::LIMBS }>; BASE_WINDOWS] =
            CONST_P.window_bases(&G_RAW, BASE_W);

        /// Typed points from raw Montgomery limbs.
        const fn to_points<const E: usize>(
            raw: &[$crate::ec::arith::table::RawAffine<{ <$fe>::LIMBS }>; E],
        ) -> [AffinePoint; E] {
            let mut out = [AffinePoint::FILLER; E];
            let mut i = 0;
            while i < E {
                out[i] = AffinePoint {
                    x: <$fe>::from_mont_limbs(raw[i].0),
                    y: <$fe>::from_mont_limbs(raw[i].1),
                };
                i += 1;
            }
            out
        }

        /// One window of the comb, `(j + 1)·2^(W·I)·G`. A separate constant per window
        /// keeps each const evaluation short.
        struct BaseRow<const I: usize>;

        impl<const I: usize> BaseRow<I> {
            const ROW: [BaseEntry; BASE_ENTRIES] = to_entries(&CONST_P.multiples(&BASE_POINTS[I]));
        }

        /// One comb entry as raw Montgomery limbs, x then y: the form the masked scans
        /// (portable and AVX2) read.
        pub(crate) type BaseEntry = [u64; 2 * <$fe>::LIMBS];

        /// Comb entries from raw affine points.
        const fn to_entries<const E: usize>(
            raw: &[$crate::ec::arith::table::RawAffine<{ <$fe>::LIMBS }>; E],
        ) -> [BaseEntry; E] {
            const N: usize = <$fe>::LIMBS;
            let mut out = [[0u64; 2 * N]; E];
            let mut i = 0;
            while i < E {
                let mut k = 0;
                while k < N {
                    out[i][k] = raw[i].0[k];
                    out[i][N + k] = raw[i].1[k];
                    k += 1;
                }
                i += 1;
            }
            out
        }

        /// The point of a comb entry.
        #[inline(always)]
        pub(crate) fn entry_point(e: &BaseEntry) -> AffinePoint {
            const N: usize = <$fe>::LIMBS;
            let mut x = [0u64; N];
            let mut y = [0u64; N];
            x.copy_from_slice(&e[..N]);
            y.copy_from_slice(&e[N..]);
            AffinePoint { x: <$fe>::from_mont_limbs(x), y: <$fe>::from_mont_limbs(y) }
        }

        /// The fixed-base comb table, `BASE_TABLE[i][j] = (j + 1)·2^(W·i)·G`, affine,
        /// computed by the compiler.
        pub(crate) static BASE_TABLE: [[BaseEntry; BASE_ENTRIES]; BASE_WINDOWS] =
            [$(BaseRow::<$row>::ROW),*];

        /// Odd multiples of G for verification, `G_ODD_TABLE[j] = (2j + 1)·G`, computed by
        /// the compiler.
        pub(crate) static G_ODD_TABLE: [AffinePoint; G_ODD_ENTRIES] =
            to_points(&CONST_P.odd_multiples(&G_RAW));

        /// The entry `idx` (1-based; 0 gives the zero filler) of one window, reading all
        /// entries and keeping the matching one with a mask: 256 bits at a time on AVX2
        /// (`x86::Avx2::select`), a word at a time otherwise.
        #[inline(always)]
        pub(crate) fn lookup_affine<const E: usize>(row: &[BaseEntry; E], idx: u64) -> AffinePoint {
            #[cfg(target_arch = "x86_64")]
            if let Some(avx2) = $crate::ec::arith::x86::avx2() {
                return entry_point(&avx2.select(row, idx));
            }
            let mut acc: BaseEntry = [0u64; 2 * <$fe>::LIMBS];
            let salt = $crate::ec::arith::recode::opaque_zero();
            for (j, entry) in row.iter().enumerate() {
                let mask = $crate::ec::arith::recode::eq_mask(j as u64 + 1, idx) ^ salt;
                for (a, e) in acc.iter_mut().zip(entry) {
                    *a |= e & mask;
                }
            }
            entry_point(&acc)
        }

        /// `entries[idx]`, reading all entries (the complete-formula reference only).
        #[cfg(test)]
        #[inline(always)]
        fn lookup_projective<const E: usize>(
            entries: &[ProjectivePoint; E],
            idx: u64,
        ) -> ProjectivePoint {
            const N: usize = <$fe>::LIMBS;
            let mut x = [0u64; N];
            let mut y = [0u64; N];
            let mut z = [0u64; N];
            let salt = $crate::ec::arith::recode::opaque_zero();
            for (j, entry) in entries.iter().enumerate() {
                let mask = $crate::ec::arith::recode::eq_mask(j as u64, idx) ^ salt;
                let (ex, ey, ez) = (entry.x.mont_limbs(), entry.y.mont_limbs(), entry.z.mont_limbs());
                for k in 0..N {
                    x[k] |= ex[k] & mask;
                    y[k] |= ey[k] & mask;
                    z[k] |= ez[k] & mask;
                }
            }
            ProjectivePoint {
                x: <$fe>::from_mont_limbs(x),
                y: <$fe>::from_mont_limbs(y),
                z: <$fe>::from_mont_limbs(z),
            }
        }

        /// `y` or `−y` by a mask (all ones: negate).
        #[inline(always)]
        fn negate_if(y: &$fe, mask: u64) -> $fe {
            <$fe>::conditional_select(y, &y.neg(), subtle::Choice::from((mask & 1) as u8))
        }

        /// The Booth digit of comb window `i` as its table point, conditionally negated,
        /// and whether the digit is 0 (the point is then the zero filler, not a point of
        /// the curve, and the caller must not add it).
        #[inline(always)]
        fn base_digit(limbs: &[u64; <$fe>::LIMBS], i: usize) -> (AffinePoint, subtle::Choice) {
            let (abs, neg) = $crate::ec::arith::recode::booth_digit(limbs, BASE_W, i);
            let mut p = lookup_affine(&BASE_TABLE[i], abs);
            p.y = negate_if(&p.y, neg);
            let zero = subtle::Choice::from(($crate::ec::arith::recode::eq_mask(abs, 0) & 1) as u8);
            (p, zero)
        }

        // Why the incomplete addition below is safe for every scalar 0 ≤ k < n.
        //
        // Notation: L = BASE_WINDOWS, k = Σ_{i<L} d_i·2^(W·i) the Booth recoding
        // (recode.rs: |d_i| ≤ 2^(W−1), d_(L−1) ≥ 0 because W·L exceeds the bit length of
        // n), b_j bit j of k, m_i = Σ_{j<i} d_j·2^(W·j) the multiple of G the accumulator
        // holds before window i, D_i = d_i·2^(W·i) the multiple added in window i ≥ 1.
        // P-256: W = 7, L = 37; P-384: W = 6, L = 65.
        //
        // (a) Digits below i read bits up to W·i − 1 only and telescope (recode.rs), so
        //     m_i = (k mod 2^(W·i)) − b_(W·i−1)·2^(W·i). Hence −2^(W·i−1) ≤ m_i < 2^(W·i−1),
        //     and m_i = 0 exactly when the low W·i bits of k are 0, i.e. when
        //     d_0 = … = d_(i−1) = 0.
        // (b) For i ≤ L − 1, |m_i| ≤ 2^(W·(L−1)−1), which is 2^251 < n for P-256 and
        //     2^383 < n for P-384. So acc = m_i·G is the identity exactly when m_i = 0, i.e.
        //     when every digit so far was 0: that is the mask `at_identity`, under which
        //     the window's point (Z = 1) replaces the formula's output. A zero digit keeps
        //     acc by a second mask. What is left: acc ≠ identity and d_i ≠ 0.
        // (c) acc = −p, i.e. m_i + D_i ≡ 0 (mod n). But m_i + D_i is m_(i+1) for i < L − 1,
        //     below n in absolute value by (b), and k itself for i = L − 1, in [0, n). So it
        //     is 0 as an integer, and by (a) (or k = Σ d_j·2^(W·j) = 0, whose digits are all
        //     0) d_i = 0: excluded.
        // (d) acc = p, i.e. t = m_i − D_i ≡ 0 (mod n), with t ≠ 0 as
        //     |m_i| ≤ 2^(W·i−1) < 2^(W·i) ≤ |D_i|. For 1 ≤ i ≤ L − 2,
        //     |t| ≤ 2^(W·i−1) + 2^(W−1)·2^(W·i) = 2^(W·i−1)·(2^W + 1) ≤ 2^(W·(L−2)−1)·(2^W + 1):
        //     for P-256 2^244·129 < 2^252 < n, for P-384 2^377·65 = 2^383 + 2^377 < n
        //     (n > 2^384 − 2^192). A non-zero multiple of n below n: impossible.
        // (e) acc = p in the last window i = L − 1, where (d) fails: write B = W·(L−1),
        //     m = m_(L−1), d = d_(L−1) ≥ 1, D = d·2^B.
        //     P-384: B = 384 and k < 2^384, so d = b_383 = 1 and m = k − 2^384 < 0. With
        //     c = 2^384 − n (0 < c < 2^192), m ≡ D means m ≡ c, and m − c lies in
        //     [−2^383 − 2^192, 0): negative, above −n, so not a multiple of n.
        //     P-256: B = 252, d ≤ 16 (k < 2^256: d = (k >> 252) + b_251). Then
        //     t = m − D ∈ [−2^256 − 2^251, −2^251), and 2n > 2^256 + 2^251, so t = −n:
        //     D = n + m, and k = m + D = n + 2m < n forces m < 0, so D ∈ [n − 2^251, n).
        //     n = 2^256 − 2^224 + c with 0 < c < 2^192 puts that interval strictly
        //     between 15·2^252 and 16·2^252 (bit 251 of n is 1): no multiple of 2^252 lies
        //     in it, so no digit d fits.
        // So every addition the formula sees is generic (H ≠ 0), and its output has Z ≠ 0.
        // `tests::p*_comb_exceptional_cases_unreachable` re-check (b), (d) and (e) with
        // exact integers, and `tests::p*_comb_incomplete_matches_complete` run scalars built
        // to push m_i and D_i to the edges of (a)–(e) against the complete formulas.

        /// k·G, constant-time, in Jacobian form (the identity `(1 : 1 : 0)` for k = 0):
        /// the comb with the incomplete mixed addition, safe by the proof above.
        pub(crate) fn mul_base_jacobian(k: &$scalar) -> JacobianPoint {
            let () = _BASE_COVERS_N;
            let limbs = k.to_canonical();
            // Window 0 needs no addition: the accumulator is its point or the identity.
            let (p, zero) = base_digit(&limbs, 0);
            let mut acc = JacobianPoint::conditional_select(
                &JacobianPoint::from_affine(&p),
                &JacobianPoint::IDENTITY,
                zero,
            );
            // acc is the identity: all digits so far were 0 (proof, (a) and (b)).
            let mut at_identity = zero;
            for i in 1..BASE_WINDOWS {
                let (p, zero) = base_digit(&limbs, i);
                let sum = acc.add_affine_incomplete(&p);
                let sum = JacobianPoint::conditional_select(
                    &sum,
                    &JacobianPoint::from_affine(&p),
                    at_identity,
                );
                acc = JacobianPoint::conditional_select(&sum, &acc, zero);
                at_identity &= zero;
            }
            acc
        }

        /// k·G, constant-time, in homogeneous projective form (the identity for k = 0),
        /// for callers that compare it projectively (Feldman commitments: P-256 with
        /// `alloc` only, hence the `allow`).
        #[allow(dead_code)]
        pub(crate) fn mul_base_projective(k: &$scalar) -> ProjectivePoint {
            mul_base_jacobian(k).to_projective()
        }

        /// k·G by the comb with the complete mixed addition of RCB16 (Algorithm 5): the
        /// previous `mul_base`, kept as the reference the incomplete one is tested and
        /// timed against.
        #[cfg(test)]
        pub(crate) fn mul_base_complete(k: &$scalar) -> ProjectivePoint {
            let limbs = k.to_canonical();
            let (p, zero) = base_digit(&limbs, 0);
            let mut acc = ProjectivePoint::conditional_select(
                &ProjectivePoint::from_affine(&p),
                &ProjectivePoint::IDENTITY,
                zero,
            );
            for i in 1..BASE_WINDOWS {
                // Digit 0: the filler, which Algorithm 5 cannot take; keep acc.
                let (p, zero) = base_digit(&limbs, i);
                let sum = acc.add_affine(&p);
                acc = ProjectivePoint::conditional_select(&sum, &acc, zero);
            }
            acc
        }

        /// `[(j + 1)·P for j in 0..16]` in affine form, as comb entries (x then y), for the
        /// variable-base multiplication: the even multiples by doubling (`2jP = 2·jP`,
        /// exact as `jP` is not the identity), the odd ones by the incomplete mixed
        /// addition `2jP + P` (safe: `2jP = ±P` would need `2j ∓ 1 ≡ 0 (mod n)`, and
        /// 1 ≤ j ≤ 7), and one constant-time inversion for all sixteen Z (Montgomery's
        /// trick). P is public, but nothing here branches on it either.
        fn var_table(p: &AffinePoint) -> [BaseEntry; VAR_ENTRIES] {
            const N: usize = <$fe>::LIMBS;
            let mut jac = [JacobianPoint::from_affine(p); VAR_ENTRIES];
            // jac[j] = (j + 1)·P.
            for j in 1..VAR_ENTRIES {
                jac[j] = if j % 2 == 1 {
                    jac[j / 2].double()
                } else {
                    jac[j - 1].add_affine_incomplete(p)
                };
            }
            // prefix[j] = Z_0 · … · Z_j; every Z is non-zero (no multiple below 17 of a
            // point of prime order n is the identity).
            let mut prefix = [<$fe>::ONE; VAR_ENTRIES];
            let mut acc = <$fe>::ONE;
            for j in 0..VAR_ENTRIES {
                acc = acc.mul(&jac[j].z);
                prefix[j] = acc;
            }
            let mut inv = acc.invert();
            let mut out = [[0u64; 2 * N]; VAR_ENTRIES];
            for j in (0..VAR_ENTRIES).rev() {
                // inv = (Z_0 · … · Z_j)⁻¹ here.
                let zinv = if j == 0 { inv } else { inv.mul(&prefix[j - 1]) };
                inv = inv.mul(&jac[j].z);
                let zinv2 = zinv.square();
                let x = jac[j].x.mul(&zinv2);
                let y = jac[j].y.mul(&zinv2.mul(&zinv));
                out[j][..N].copy_from_slice(x.mont_limbs());
                out[j][N..].copy_from_slice(y.mont_limbs());
            }
            out
        }

        // Why the incomplete addition in `mul_jacobian` is safe for every scalar
        // 0 ≤ k < n (the variable-base counterpart of the comb's proof above).
        //
        // Notation: W = 5, L = VAR_WINDOWS (52 for P-256, 77 for P-384; W·L exceeds the
        // bit length of n, so the top Booth digit is ≥ 0), k = Σ_{i<L} d_i·2^(W·i) with
        // |d_i| ≤ 16, and M_i = Σ_{j≥i} d_j·2^(W·(j−i)) the multiple of P that acc holds
        // after window i (windows run from L − 1 down to 0; M_0 = k).
        //
        // (a) The low digits telescope (recode.rs): Σ_{j<i} d_j·2^(W·j) =
        //     (k mod 2^(W·i)) − b_(W·i−1)·2^(W·i), so M_i = ⌊k/2^(W·i)⌋ + b_(W·i−1): a
        //     non-negative integer, at most k/2^(W·i) + 1. M_i = 0 only if every digit
        //     from i up is 0 (else the lowest non-zero one, at most 16 in absolute value,
        //     would have to be a multiple of 2^W = 32).
        // (b) Window i < L − 1 adds D = d_i·P to A·P, A = 2^W·M_(i+1) = M_i − d_i, where
        //     0 ≤ A ≤ k/32 + 1 + 16 < n − 16. acc is the identity iff A ≡ 0, i.e. A = 0,
        //     i.e. every digit above i was 0: the mask `at_identity`, under which D's
        //     point (Z = 1) replaces the formula's output. A zero digit keeps acc by a
        //     second mask (the table has no entry 0). What is left: A ≠ 0, d_i ≠ 0.
        // (c) A·P = ±d_i·P means A ≡ ±d_i (mod n). With s = ±d_i ∈ [−16, 16] \ {0}: for
        //     s > 0, A = s ≤ 16, but A is a positive multiple of 32; for s < 0,
        //     A = n + s ≥ n − 16, above the bound of (b). So for i ≥ 1, never.
        // (d) The last window, i = 0, where A = k − d_0 and k < n (but A may exceed the
        //     bound of (b)): A ≡ −d_0 means k ≡ 0, excluded (k = 0 has all digits 0 and
        //     stays the identity by the masks). A ≡ d_0 means k ≡ 2·d_0 (mod n): for
        //     d_0 > 0, k = 2·d_0 and A = d_0 ≤ 16, a positive multiple of 32: no. For
        //     d_0 < 0, k = n + 2·d_0 and A = n + d_0 must be a multiple of 32, so
        //     d_0 ≡ −n (mod 32). The digits in [−16, −1] are the residues 16 … 31, and
        //     −n mod 32 = 32 − (n mod 32) lies there iff n mod 32 ≤ 16. But n ≡ 17
        //     (mod 32) for P-256 (n ends in 0x…51) and n ≡ 19 for P-384 (0x…73), checked
        //     at compile time below: no such digit.
        // So every addition the formula sees is generic (H ≠ 0) and its output has Z ≠ 0;
        // the doublings are exact on every point but the identity (no point has y = 0).
        // `tests::p*_var_mul_matches_complete` run the scalars these cases single out
        // (1 … 2^12, n − 2^12 … n − 1, n + 2·d for every d, window-boundary patterns)
        // and random ones against the complete-formula `mul_projective`.
        const _N_MOD_32: () = assert!(VAR_W == 5 && <$scalar>::MODULUS[0] % 32 >= 17);

        /// The Booth digit of variable-base window `i` as its table point, conditionally
        /// negated, and whether the digit is 0 (the point is then the zero filler).
        #[inline(always)]
        fn var_digit(
            table: &[BaseEntry; VAR_ENTRIES],
            limbs: &[u64; <$fe>::LIMBS],
            i: usize,
        ) -> (AffinePoint, subtle::Choice) {
            let (abs, neg) = $crate::ec::arith::recode::booth_digit(limbs, VAR_W, i);
            let mut p = lookup_affine(table, abs);
            p.y = negate_if(&p.y, neg);
            let zero = subtle::Choice::from(($crate::ec::arith::recode::eq_mask(abs, 0) & 1) as u8);
            (p, zero)
        }

        /// k·P, constant-time, in Jacobian form (the identity, Z = 0, for k = 0): signed
        /// 5-bit windows from the top, five doublings and one incomplete mixed addition
        /// (madd-2004-hmv) of a masked lookup in an affine table of 1·P … 16·P per window.
        /// Safe by the proof above. A curve may name a faster path (`var_mul_fast`: P-256
        /// on BMI2/ADX, which runs [`mul_jacobian_with`] on formulas written for its
        /// assembly); it returns `None` where it cannot run, and the generic
        /// `JacobianPoint` formulas run instead.
        pub(crate) fn mul_jacobian(k: &$scalar, p: &AffinePoint) -> JacobianPoint {
            $(
                if let Some(r) = $fast(k, p) {
                    return r;
                }
            )?
            mul_jacobian_with(
                k,
                p,
                |a| {
                    let mut a = *a;
                    for _ in 0..VAR_W {
                        a = a.double();
                    }
                    a
                },
                JacobianPoint::add_affine_incomplete,
            )
        }

        /// The window loop of [`mul_jacobian`] over a given run of `VAR_W` doublings and
        /// incomplete mixed addition (which must compute what `VAR_W` times
        /// `JacobianPoint::double` and `JacobianPoint::add_affine_incomplete` do,
        /// constant-time).
        #[inline(always)]
        pub(crate) fn mul_jacobian_with(
            k: &$scalar,
            p: &AffinePoint,
            double_w: impl Fn(&JacobianPoint) -> JacobianPoint,
            add_affine_incomplete: impl Fn(&JacobianPoint, &AffinePoint) -> JacobianPoint,
        ) -> JacobianPoint {
            let () = _VAR_COVERS_N;
            let () = _N_MOD_32;
            let limbs = k.to_canonical();
            let table = var_table(p);
            let (q, zero) = var_digit(&table, &limbs, VAR_WINDOWS - 1);
            let mut acc = JacobianPoint::conditional_select(
                &JacobianPoint::from_affine(&q),
                &JacobianPoint::IDENTITY,
                zero,
            );
            let mut at_identity = zero;
            for i in (0..VAR_WINDOWS - 1).rev() {
                acc = double_w(&acc);
                let (q, zero) = var_digit(&table, &limbs, i);
                let sum = add_affine_incomplete(&acc, &q);
                let sum = JacobianPoint::conditional_select(
                    &sum,
                    &JacobianPoint::from_affine(&q),
                    at_identity,
                );
                acc = JacobianPoint::conditional_select(&sum, &acc, zero);
                at_identity &= zero;
            }
            acc
        }

        /// k·P with the complete formulas of RCB16 over a projective table of 0·P … 16·P:
        /// the previous `mul`, kept as the reference `mul_jacobian` is tested against.
        #[cfg(test)]
        pub(crate) fn mul_projective(k: &$scalar, p: &AffinePoint) -> ProjectivePoint {
            let limbs = k.to_canonical();
            // table[j] = j·P, j = 0 … 16
            let mut table = [ProjectivePoint::IDENTITY; 17];
            table[1] = ProjectivePoint::from_affine(p);
            for j in 2..17 {
                table[j] = if j % 2 == 0 { table[j / 2].double() } else { table[j - 1].add_affine(p) };
            }
            let mut acc = ProjectivePoint::IDENTITY;
            for i in (0..VAR_WINDOWS).rev() {
                if i + 1 != VAR_WINDOWS {
                    acc = acc.double_n(VAR_W);
                }
                let (abs, neg) = $crate::ec::arith::recode::booth_digit(&limbs, VAR_W, i);
                let mut t = lookup_projective(&table, abs);
                t.y = negate_if(&t.y, neg);
                acc = acc.add(&t);
            }
            acc
        }

        $crate::ec::arith::jacobian::jacobian_arith!($fe);

        /// u1·G + u2·Q by interleaved wNAF in Jacobian coordinates, variable-time
        /// (public inputs only).
        pub(crate) fn mul2_vartime(u1: &$scalar, u2: &$scalar, q: &AffinePoint) -> JacobianPoint {
            let naf1: [i8; NAF_LEN] =
                $crate::ec::arith::recode::wnaf_vartime(&u1.to_canonical(), G_WNAF_W);
            let naf2: [i8; NAF_LEN] =
                $crate::ec::arith::recode::wnaf_vartime(&u2.to_canonical(), Q_WNAF_W);
            // Odd multiples Q, 3Q, …, 15Q.
            let qj = JacobianPoint::from_affine(q);
            let q2 = qj.double_vartime();
            let mut q_odd = [qj; Q_ODD_ENTRIES];
            for j in 1..Q_ODD_ENTRIES {
                q_odd[j] = q_odd[j - 1].add_vartime(&q2);
            }
            let top = match naf1.iter().zip(naf2.iter()).rposition(|(a, b)| *a != 0 || *b != 0) {
                Some(top) => top,
                None => return JacobianPoint::IDENTITY,
            };
            let mut acc = JacobianPoint::IDENTITY;
            for i in (0..=top).rev() {
                acc = acc.double_vartime();
                let d1 = naf1[i];
                if d1 > 0 {
                    acc = acc.add_affine_vartime(&G_ODD_TABLE[(d1 / 2) as usize]);
                } else if d1 < 0 {
                    acc = acc.add_affine_vartime(&G_ODD_TABLE[(-d1 / 2) as usize].neg());
                }
                let d2 = naf2[i];
                if d2 > 0 {
                    acc = acc.add_vartime(&q_odd[(d2 / 2) as usize]);
                } else if d2 < 0 {
                    acc = acc.add_vartime(&q_odd[(-d2 / 2) as usize].neg());
                }
            }
            acc
        }

        /// ECDSA's final check: R = u1·G + u2·Q is not the identity and x(R) mod n = r,
        /// tested as X = r·Z² (and X = (r + n)·Z² when r + n < p) without inverting Z.
        pub(crate) fn verify_vartime(u1: &$scalar, u2: &$scalar, q: &AffinePoint, r: &$scalar) -> bool {
            const _N_BELOW_P: () = assert!($crate::ec::arith::field::lt_vartime(
                &<$scalar>::MODULUS,
                &<$fe>::MODULUS
            ));
            let () = _N_BELOW_P;
            let big_r = mul2_vartime(u1, u2, q);
            if big_r.z.is_zero_vartime() {
                return false;
            }
            let zz = big_r.z.square();
            let r_limbs = r.to_canonical();
            // r < n < p, so r is a field element as it stands.
            if <$fe>::from_canonical(&r_limbs).mul(&zz).eq_vartime(&big_r.x) {
                return true;
            }
            let (r_plus_n, carry) = $crate::ec::arith::field::adc_limbs(&r_limbs, &<$scalar>::MODULUS);
            if carry == 0 && $crate::ec::arith::field::lt_vartime(&r_plus_n, &<$fe>::MODULUS) {
                return <$fe>::from_canonical(&r_plus_n).mul(&zz).eq_vartime(&big_r.x);
            }
            false
        }
    };
}

pub(crate) use scalar_mul;
