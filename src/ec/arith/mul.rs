//! Scalar multiplication.
//!
//! - `mul_base` (k·G, constant-time): a fixed-base comb without doublings, as in
//!   Gueron–Krasnov, "Fast prime field elliptic-curve cryptography with 256-bit primes"
//!   (J. Cryptogr. Eng. 2015): the scalar is cut into `W`-bit Booth digits `d_i`, window
//!   `i` has its own table of `j·2^(W·i)·G` for `j = 1 … 2^(W−1)` (affine, computed by the
//!   compiler), and k·G = Σ d_i·2^(W·i)·G is one masked lookup, one conditional negation and
//!   one complete mixed addition per window.
//! - `mul` (k·P, constant-time): signed 5-bit fixed windows over a run-time table of
//!   `0·P … 16·P`, five doublings and one complete addition per window.
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
        g_wnaf_window: $gw:literal $(,)?
    ) => {
        /// The generator G.
        pub(crate) const GENERATOR: AffinePoint = $g;

        /// Bits per fixed-base window.
        pub(crate) const BASE_W: u32 = $bw;
        /// Entries per fixed-base window: 1·B … 2^(W−1)·B.
        pub(crate) const BASE_ENTRIES: usize = 1 << ($bw - 1);
        /// Number of fixed-base windows; `W · windows` exceeds the bit length of n, so the
        /// top Booth digit is non-negative.
        const BASE_WINDOWS: usize = $bwins;
        const _BASE_COVERS_N: () = assert!(BASE_WINDOWS * $bw > 64 * <$fe>::LIMBS);

        /// Window width of the variable-base multiplication.
        const VAR_W: u32 = 5;
        const VAR_WINDOWS: usize = $vwins;
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
        pub(crate) fn lookup_affine(row: &[BaseEntry; BASE_ENTRIES], idx: u64) -> AffinePoint {
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

        /// `entries[idx]`, reading all entries.
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

        /// k·G, constant-time, in projective form (the identity for k = 0).
        pub(crate) fn mul_base_projective(k: &$scalar) -> ProjectivePoint {
            let () = _BASE_COVERS_N;
            let limbs = k.to_canonical();
            let digit = |i: usize| {
                let (abs, neg) = $crate::ec::arith::recode::booth_digit(&limbs, BASE_W, i);
                let mut p = lookup_affine(&BASE_TABLE[i], abs);
                p.y = negate_if(&p.y, neg);
                // Digit 0: the lookup gave the filler, which Algorithm 5 cannot take.
                let zero = subtle::Choice::from(($crate::ec::arith::recode::eq_mask(abs, 0) & 1) as u8);
                (p, zero)
            };
            // Window 0 needs no addition: the accumulator is its point or the identity.
            let (p, zero) = digit(0);
            let mut acc = ProjectivePoint::conditional_select(
                &ProjectivePoint::from_affine(&p),
                &ProjectivePoint::IDENTITY,
                zero,
            );
            for i in 1..BASE_WINDOWS {
                let (p, zero) = digit(i);
                let sum = acc.add_affine(&p);
                acc = ProjectivePoint::conditional_select(&sum, &acc, zero);
            }
            acc
        }

        /// k·P, constant-time, in projective form.
        pub(crate) fn mul_projective(k: &$scalar, p: &AffinePoint) -> ProjectivePoint {
            let () = _VAR_COVERS_N;
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

        $crate::ec::arith::jacobian::jacobian_vartime!($fe);

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
