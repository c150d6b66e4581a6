//! Residues modulo a prime in Montgomery form, as thin newtypes over fiat-crypto's
//! word-by-word Montgomery arithmetic (Erbsen et al., "Simple High-Level Code for
//! Cryptographic Arithmetic — With Proofs, Without Compromises", IEEE S&P 2019).
//!
//! One macro, [`fiat_field!`], stamps out a type per modulus (the two base fields and the
//! two group orders). Every type holds `a·R mod m` with `R = 2^(64·LIMBS)`, fully reduced
//! (fiat's outputs are always below `m`), so the limbs of a value are unique and the
//! canonical integer is reachable only through `to_canonical` / `to_be_bytes`. Mixing the
//! forms up is therefore a type error rather than a silent wrong answer.
//!
//! The arithmetic is `const fn` (fiat's functions are), which is what lets the fixed-base
//! tables be computed by the compiler. Everything here is constant-time in the values,
//! except what says `vartime` in its name.

/// Little-endian 64-bit limbs of a big-endian hexadecimal constant of exactly `16·N`
/// digits; evaluated at compile time for the curve constants (so they read as in the spec).
pub(crate) const fn hex_limbs<const N: usize>(hex: &str) -> [u64; N] {
    let digits = hex.as_bytes();
    assert!(
        digits.len() == 16 * N,
        "constant has the wrong number of hex digits"
    );
    let mut limbs = [0u64; N];
    let mut i = 0;
    while i < digits.len() {
        let c = digits[i];
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("not a hex digit"),
        };
        // Nibble position counted from the least significant end.
        let pos = digits.len() - 1 - i;
        limbs[pos / 16] |= (v as u64) << ((pos % 16) * 4);
        i += 1;
    }
    limbs
}

/// m⁻¹ mod 2^64 for odd `m0`, by Newton's iteration: x = m0 is correct to 3 bits and each
/// step doubles the correct low bits (3 → 6 → … → 96 ≥ 64 after five steps).
pub(crate) const fn inv_mod_2_64(m0: u64) -> u64 {
    assert!(m0 & 1 == 1);
    let mut inv = m0;
    let mut i = 0;
    while i < 5 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(m0.wrapping_mul(inv)));
        i += 1;
    }
    assert!(m0.wrapping_mul(inv) == 1);
    inv
}

/// `a − b` over `N` limbs and the final borrow (0 or 1). Constant-time.
#[inline(always)]
pub(crate) const fn sbb_limbs<const N: usize>(a: &[u64; N], b: &[u64; N]) -> ([u64; N], u64) {
    let mut out = [0u64; N];
    let mut borrow = 0u64;
    let mut i = 0;
    while i < N {
        let d = (a[i] as u128).wrapping_sub(b[i] as u128 + borrow as u128);
        out[i] = d as u64;
        borrow = ((d >> 64) as u64) & 1;
        i += 1;
    }
    (out, borrow)
}

/// `a + b` over `N` limbs and the final carry (0 or 1). Constant-time.
#[inline(always)]
pub(crate) const fn adc_limbs<const N: usize>(a: &[u64; N], b: &[u64; N]) -> ([u64; N], u64) {
    let mut out = [0u64; N];
    let mut carry = 0u64;
    let mut i = 0;
    while i < N {
        let s = a[i] as u128 + b[i] as u128 + carry as u128;
        out[i] = s as u64;
        carry = (s >> 64) as u64;
        i += 1;
    }
    (out, carry)
}

/// Little-endian limbs of a big-endian byte string of length `8·N` (public length).
#[inline(always)]
pub(crate) const fn limbs_from_be<const N: usize>(bytes: &[u8]) -> [u64; N] {
    assert!(bytes.len() == 8 * N);
    let mut limbs = [0u64; N];
    let mut i = 0;
    while i < N {
        let mut w = 0u64;
        let mut j = 0;
        while j < 8 {
            w = (w << 8) | bytes[8 * (N - 1 - i) + j] as u64;
            j += 1;
        }
        limbs[i] = w;
        i += 1;
    }
    limbs
}

/// Writes little-endian limbs as big-endian bytes (`out.len() == 8·N`).
#[inline(always)]
pub(crate) fn limbs_to_be<const N: usize>(limbs: &[u64; N], out: &mut [u8]) {
    assert_eq!(out.len(), 8 * N);
    for (i, chunk) in out.chunks_exact_mut(8).enumerate() {
        chunk.copy_from_slice(&limbs[N - 1 - i].to_be_bytes());
    }
}

/// `true` iff `a < b`, variable-time (for public values and compile-time checks).
pub(crate) const fn lt_vartime<const N: usize>(a: &[u64; N], b: &[u64; N]) -> bool {
    sbb_limbs(a, b).1 == 1
}

/// Defines a Montgomery-form residue type over one fiat-crypto module.
///
/// The caller has `use fiat_crypto::<module> as fiat;` in scope and names the module's
/// types and functions. Generated items: `ZERO`, `ONE`, `MODULUS`, conversions to and
/// from canonical limbs and big-endian bytes, `add`/`sub`/`neg`/`double`/`mul`/`square`,
/// `pow_vartime_exponent` (square-and-multiply, variable-time in the *exponent* only),
/// `invert` (safegcd, constant-time), `invert_vartime` (public values), `invert_fermat`
/// (for cross-checks), `sqrt` (for m ≡ 3 mod 4), plus `subtle` and `zeroize` trait impls
/// and an opaque `Debug`.
macro_rules! fiat_field {
    (
        $(#[$attr:meta])*
        $name:ident,
        limbs: $n:literal,
        bytes: $b:literal,
        modulus: $modulus:literal,
        mont: $Mont:ident,
        non_mont: $NonMont:ident,
        mul: $mul:path,
        square: $square:path,
        add: $add:path,
        sub: $sub:path,
        opp: $opp:ident,
        from_mont: $from_mont:ident,
        to_mont: $to_mont:ident,
        set_one: $set_one:ident,
        signed62_limbs: $l:literal $(,)?
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy)]
        pub struct $name {
            /// `a·R mod m`, fully reduced.
            mont: [u64; $n],
        }

        #[allow(dead_code)] // not every residue type uses every operation
        impl $name {
            /// Number of 64-bit limbs.
            pub(crate) const LIMBS: usize = $n;
            /// The modulus `m`, little-endian limbs.
            pub(crate) const MODULUS: [u64; $n] = $crate::ec::arith::field::hex_limbs($modulus);
            /// 0.
            pub(crate) const ZERO: Self = Self { mont: [0; $n] };
            /// 1 (that is, `R mod m` in the limbs).
            pub(crate) const ONE: Self = {
                let mut out = fiat::$Mont([0; $n]);
                fiat::$set_one(&mut out);
                Self { mont: out.0 }
            };

            // `m` fills its top limb, so 2^(64·LIMBS) < 2m: one conditional subtraction
            // reduces any LIMBS-limb integer (used by `from_be_bytes_reduced`).
            const _TOP_BIT_SET: () = assert!(Self::MODULUS[$n - 1] >> 63 == 1);

            /// From canonical little-endian limbs, which must be below `m`.
            #[inline(always)]
            pub(crate) const fn from_canonical(limbs: &[u64; $n]) -> Self {
                let mut out = fiat::$Mont([0; $n]);
                fiat::$to_mont(&mut out, &fiat::$NonMont(*limbs));
                Self { mont: out.0 }
            }

            /// From a big-endian hex constant below `m` (compile-time constants).
            pub(crate) const fn from_hex(hex: &str) -> Self {
                let limbs = $crate::ec::arith::field::hex_limbs::<$n>(hex);
                assert!($crate::ec::arith::field::lt_vartime(&limbs, &Self::MODULUS));
                Self::from_canonical(&limbs)
            }

            /// The canonical integer, little-endian limbs, below `m`.
            #[inline(always)]
            pub(crate) const fn to_canonical(self) -> [u64; $n] {
                let mut out = fiat::$NonMont([0; $n]);
                fiat::$from_mont(&mut out, &fiat::$Mont(self.mont));
                out.0
            }

            /// The raw Montgomery limbs (for masked table lookups).
            #[inline(always)]
            pub(crate) const fn mont_limbs(&self) -> &[u64; $n] {
                &self.mont
            }

            /// From raw Montgomery limbs that came out of [`Self::mont_limbs`].
            #[inline(always)]
            pub(crate) const fn from_mont_limbs(mont: [u64; $n]) -> Self {
                Self { mont }
            }

            /// `Some` iff the big-endian integer is below `m`; constant-time.
            pub(crate) fn from_be_bytes(bytes: &[u8; $b]) -> subtle::CtOption<Self> {
                let limbs = $crate::ec::arith::field::limbs_from_be::<$n>(bytes);
                let (_, borrow) = $crate::ec::arith::field::sbb_limbs(&limbs, &Self::MODULUS);
                // borrow = 1 iff limbs < m. On failure the (unreduced) value is
                // converted anyway; fiat's to_montgomery tolerates any input limbs and the
                // CtOption hides the result.
                subtle::CtOption::new(Self::from_canonical(&limbs), subtle::Choice::from(borrow as u8))
            }

            /// The big-endian integer reduced modulo `m`: below 2^(64·LIMBS) < 2m, so a
            /// single constant-time conditional subtraction suffices.
            pub(crate) fn from_be_bytes_reduced(bytes: &[u8; $b]) -> Self {
                let () = Self::_TOP_BIT_SET;
                let limbs = $crate::ec::arith::field::limbs_from_be::<$n>(bytes);
                let (diff, borrow) = $crate::ec::arith::field::sbb_limbs(&limbs, &Self::MODULUS);
                // borrow = 1: limbs < m, keep them; borrow = 0: take limbs − m.
                let keep = core::hint::black_box(0u64.wrapping_sub(borrow));
                let mut reduced = [0u64; $n];
                for i in 0..$n {
                    reduced[i] = (limbs[i] & keep) | (diff[i] & !keep);
                }
                Self::from_canonical(&reduced)
            }

            /// Big-endian bytes of the canonical integer.
            pub(crate) fn to_be_bytes(self) -> [u8; $b] {
                let mut out = [0u8; $b];
                $crate::ec::arith::field::limbs_to_be(&self.to_canonical(), &mut out);
                out
            }

            /// `self + rhs`.
            #[inline(always)]
            pub(crate) fn add(&self, rhs: &Self) -> Self {
                let mut out = fiat::$Mont([0; $n]);
                $add(&mut out, &fiat::$Mont(self.mont), &fiat::$Mont(rhs.mont));
                Self { mont: out.0 }
            }

            /// `self − rhs`.
            #[inline(always)]
            pub(crate) fn sub(&self, rhs: &Self) -> Self {
                let mut out = fiat::$Mont([0; $n]);
                $sub(&mut out, &fiat::$Mont(self.mont), &fiat::$Mont(rhs.mont));
                Self { mont: out.0 }
            }

            /// `−self`.
            #[inline(always)]
            pub(crate) const fn neg(&self) -> Self {
                let mut out = fiat::$Mont([0; $n]);
                fiat::$opp(&mut out, &fiat::$Mont(self.mont));
                Self { mont: out.0 }
            }

            /// `2·self`.
            #[inline(always)]
            pub(crate) fn double(&self) -> Self {
                self.add(self)
            }

            /// `self · rhs`.
            #[inline(always)]
            pub(crate) fn mul(&self, rhs: &Self) -> Self {
                let mut out = fiat::$Mont([0; $n]);
                $mul(&mut out, &fiat::$Mont(self.mont), &fiat::$Mont(rhs.mont));
                Self { mont: out.0 }
            }

            /// `self²`.
            #[inline(always)]
            pub(crate) fn square(&self) -> Self {
                let mut out = fiat::$Mont([0; $n]);
                $square(&mut out, &fiat::$Mont(self.mont));
                Self { mont: out.0 }
            }

            /// `self^(2^k)`.
            #[inline(always)]
            pub(crate) fn square_n(&self, k: u32) -> Self {
                let mut x = *self;
                let mut i = 0;
                while i < k {
                    x = x.square();
                    i += 1;
                }
                x
            }

            /// `self^exp` by left-to-right fixed 4-bit windows. Constant-time in `self`;
            /// the exponent is public (a constant of the curve) and decides the
            /// schedule, hence the name.
            pub(crate) fn pow_vartime_exponent(&self, exp: &[u64; $n]) -> Self {
                // table[i] = self^i
                let mut table = [Self::ONE; 16];
                let mut i = 1;
                while i < 16 {
                    table[i] = table[i - 1].mul(self);
                    i += 1;
                }
                let mut acc = Self::ONE;
                let mut started = false;
                let mut limb = $n;
                while limb > 0 {
                    limb -= 1;
                    let mut nib = 16;
                    while nib > 0 {
                        nib -= 1;
                        let d = ((exp[limb] >> (4 * nib)) & 0xf) as usize;
                        if started {
                            acc = acc.square_n(4);
                        }
                        if d != 0 {
                            acc = if started { acc.mul(&table[d]) } else { table[d] };
                            started = true;
                        }
                    }
                }
                acc
            }

            /// `self^(m−2)`, i.e. `self⁻¹` for prime `m` (and 0 for 0), by Fermat's little
            /// theorem. Constant-time.
            pub(crate) fn invert_fermat(&self) -> Self {
                let m = Self::MODULUS;
                let (e, _) = $crate::ec::arith::field::sbb_limbs(&m, &{
                    let mut two = [0u64; $n];
                    two[0] = 2;
                    two
                });
                self.pow_vartime_exponent(&e)
            }

            /// A square root `self^((m+1)/4)` if `self` is a square, for `m ≡ 3 (mod 4)`;
            /// constant-time. The exponent is `(m >> 2) + 1`.
            pub(crate) fn sqrt(&self) -> subtle::CtOption<Self> {
                debug_assert!(Self::MODULUS[0] & 3 == 3);
                let mut quarter = [0u64; $n];
                for i in 0..$n {
                    quarter[i] = (Self::MODULUS[i] >> 2)
                        | if i + 1 < $n { Self::MODULUS[i + 1] << 62 } else { 0 };
                }
                let mut one = [0u64; $n];
                one[0] = 1;
                let (e, _) = $crate::ec::arith::field::adc_limbs(&quarter, &one);
                let root = self.pow_vartime_exponent(&e);
                subtle::CtOption::new(root, subtle::ConstantTimeEq::ct_eq(&root.square(), self))
            }

            /// The modulus prepared for safegcd inversion.
            const SAFEGCD: $crate::ec::arith::safegcd::SafegcdModulus<$n, $l> =
                $crate::ec::arith::safegcd::SafegcdModulus::new(&Self::MODULUS);

            /// `R³ mod m` as Montgomery limbs, i.e. the element whose canonical value is
            /// `R² mod m`: doubling 1 (limbs `R`) `64·LIMBS` times gives the element `R`,
            /// whose limbs are `R² mod m`; converting that integer gives limbs `R³`.
            const R_CUBED: [u64; $n] = {
                // `double` is not `const` (it may be assembly): double by limbs here.
                let mut x = Self::ONE.mont;
                let mut i = 0;
                while i < 64 * $n {
                    let (s, carry) = $crate::ec::arith::field::adc_limbs(&x, &x);
                    let (d, borrow) = $crate::ec::arith::field::sbb_limbs(&s, &Self::MODULUS);
                    x = if carry == 1 || borrow == 0 { d } else { s };
                    i += 1;
                }
                Self::from_canonical(&x).mont
            };

            /// `self⁻¹` (0 for 0), constant-time, by safegcd on the Montgomery limbs:
            /// with `self` held as `x·R`, safegcd returns the integer `(x·R)⁻¹`, and one
            /// Montgomery multiplication by `R³` turns it into `x⁻¹·R`.
            pub(crate) fn invert(&self) -> Self {
                let raw = $crate::ec::arith::safegcd::invert(&self.mont, &Self::SAFEGCD);
                Self::from_mont_limbs(Self::R_CUBED).mul(&Self::from_mont_limbs(raw))
            }

            /// `self⁻¹` (0 for 0) in **variable time**: for public values only (the
            /// signature's s in ECDSA verification). Same Montgomery handling as `invert`.
            pub(crate) fn invert_vartime(&self) -> Self {
                let raw = $crate::ec::arith::safegcd::invert_vartime(&self.mont, &Self::SAFEGCD);
                Self::from_mont_limbs(Self::R_CUBED).mul(&Self::from_mont_limbs(raw))
            }

            /// `self = 0`, constant-time.
            #[inline]
            pub(crate) fn is_zero(&self) -> subtle::Choice {
                subtle::ConstantTimeEq::ct_eq(self, &Self::ZERO)
            }

            /// `self = 0`, variable-time (public values, const evaluation).
            #[inline]
            pub(crate) const fn is_zero_vartime(&self) -> bool {
                let mut acc = 0u64;
                let mut i = 0;
                while i < $n {
                    acc |= self.mont[i];
                    i += 1;
                }
                acc == 0
            }

            /// `self = rhs`, variable-time (public values, const evaluation).
            #[inline]
            pub(crate) const fn eq_vartime(&self, rhs: &Self) -> bool {
                let mut acc = 0u64;
                let mut i = 0;
                while i < $n {
                    acc |= self.mont[i] ^ rhs.mont[i];
                    i += 1;
                }
                acc == 0
            }

            /// The canonical integer is odd, constant-time.
            #[inline]
            pub(crate) fn is_odd(&self) -> subtle::Choice {
                subtle::Choice::from((self.to_canonical()[0] & 1) as u8)
            }
        }

        impl subtle::ConditionallySelectable for $name {
            #[inline(always)]
            fn conditional_select(a: &Self, b: &Self, choice: subtle::Choice) -> Self {
                let mask = 0u64.wrapping_sub(u64::from(choice.unwrap_u8()));
                let mut mont = [0u64; $n];
                for i in 0..$n {
                    mont[i] = a.mont[i] ^ (mask & (a.mont[i] ^ b.mont[i]));
                }
                Self { mont }
            }
        }

        impl subtle::ConstantTimeEq for $name {
            #[inline]
            fn ct_eq(&self, other: &Self) -> subtle::Choice {
                subtle::ConstantTimeEq::ct_eq(&self.mont[..], &other.mont[..])
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                subtle::ConstantTimeEq::ct_eq(self, other).into()
            }
        }

        impl Eq for $name {}

        impl Default for $name {
            fn default() -> Self {
                Self::ZERO
            }
        }

        impl zeroize::Zeroize for $name {
            fn zeroize(&mut self) {
                self.mont.zeroize();
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                // Opaque: scalars are secrets, and so may field elements derived from them.
                f.write_str(concat!(stringify!($name), "(..)"))
            }
        }
    };
}

pub(crate) use fiat_field;
