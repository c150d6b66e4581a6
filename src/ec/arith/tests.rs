//! Tests of the curve arithmetic: known-answer vectors (ring's point-multiplication files,
//! NIST CAVP key pairs) and differential tests against RustCrypto's `p256`/`p384`.

use std::string::String;
use std::vec::Vec;
use std::{format, println};

use proptest::prelude::*;
use subtle::ConstantTimeEq;

use super::{NistP256, NistP384};
use crate::ec::curve::Curve;

// --- helpers ------------------------------------------------------------------------

fn unhex(s: &str) -> Vec<u8> {
    let s = if s.len() % 2 == 1 {
        format!("0{s}")
    } else {
        String::from(s)
    };
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Left-pads a big-endian integer to the curve's width.
fn bytes_of<C: Curve>(v: &[u8]) -> C::Bytes {
    let mut out = C::ZERO_BYTES;
    let n = out.as_ref().len();
    assert!(v.len() <= n, "value wider than the field");
    out.as_mut()[n - v.len()..].copy_from_slice(v);
    out
}

fn hex<T: AsRef<[u8]>>(v: T) -> String {
    v.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// `key = value` blocks separated by blank lines; `#` comments and `[section]` lines are
/// returned as a `section` key on the blocks that follow.
fn blocks(text: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut cur: Vec<(String, String)> = Vec::new();
    let mut section = String::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !cur.is_empty() {
                cur.push((String::from("section"), section.clone()));
                out.push(core::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('[') {
            if line.starts_with("[P-") {
                section = String::from(line.trim_matches(|c| c == '[' || c == ']'));
            }
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            cur.push((String::from(k.trim()), String::from(v.trim())));
        }
    }
    if !cur.is_empty() {
        cur.push((String::from("section"), section));
        out.push(cur);
    }
    out
}

fn get<'a>(block: &'a [(String, String)], key: &str) -> Option<&'a str> {
    block
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn scalar<C: Curve>(v: &[u8]) -> C::Scalar {
    Option::from(C::scalar_from_bytes(&bytes_of::<C>(v))).expect("scalar below n")
}

fn coords<C: Curve>(p: &C::Point) -> Vec<u8> {
    let (x, y) = C::point_to_coordinates(p);
    let mut v = Vec::from(x.as_ref());
    v.extend_from_slice(y.as_ref());
    v
}

// --- oracle -------------------------------------------------------------------------

/// RustCrypto's implementation of the same curve, for differential tests.
trait Oracle: Curve {
    /// x ‖ y of k·G, or empty for the identity; `k` big-endian, below n.
    fn oracle_mul_base(k: &[u8]) -> Vec<u8>;
    /// x ‖ y of k·P.
    fn oracle_mul(k: &[u8], p: &[u8]) -> Vec<u8>;
    /// x ‖ y of a·G + b·P.
    fn oracle_mul2(a: &[u8], b: &[u8], p: &[u8]) -> Vec<u8>;
    /// a·b, a⁻¹ (0 for 0), a + b, −a as big-endian bytes.
    fn oracle_scalar_ops(a: &[u8], b: &[u8]) -> [Vec<u8>; 4];
}

macro_rules! oracle {
    ($marker:ident, $krate:ident) => {
        impl Oracle for $marker {
            fn oracle_mul_base(k: &[u8]) -> Vec<u8> {
                use $krate::elliptic_curve::sec1::ToSec1Point;
                let k = oracle_scalar::<$krate::Scalar>(k);
                let p = ($krate::ProjectivePoint::GENERATOR * k).to_affine();
                Vec::from(&p.to_sec1_point(false).as_bytes()[1..])
            }

            fn oracle_mul(k: &[u8], p: &[u8]) -> Vec<u8> {
                use $krate::elliptic_curve::sec1::ToSec1Point;
                let k = oracle_scalar::<$krate::Scalar>(k);
                let p = oracle_point::<$krate::AffinePoint>(p);
                let r = ($krate::ProjectivePoint::from(p) * k).to_affine();
                Vec::from(&r.to_sec1_point(false).as_bytes()[1..])
            }

            fn oracle_mul2(a: &[u8], b: &[u8], p: &[u8]) -> Vec<u8> {
                use $krate::elliptic_curve::sec1::ToSec1Point;
                let a = oracle_scalar::<$krate::Scalar>(a);
                let b = oracle_scalar::<$krate::Scalar>(b);
                let p = oracle_point::<$krate::AffinePoint>(p);
                let r = ($krate::ProjectivePoint::GENERATOR * a
                    + $krate::ProjectivePoint::from(p) * b)
                    .to_affine();
                let enc = r.to_sec1_point(false);
                if enc.as_bytes().len() == 1 {
                    Vec::new()
                } else {
                    Vec::from(&enc.as_bytes()[1..])
                }
            }

            fn oracle_scalar_ops(a: &[u8], b: &[u8]) -> [Vec<u8>; 4] {
                use $krate::elliptic_curve::ff::PrimeField;
                let a = oracle_scalar::<$krate::Scalar>(a);
                let b = oracle_scalar::<$krate::Scalar>(b);
                let inv = a.invert().into_option().unwrap_or($krate::Scalar::ZERO);
                [
                    Vec::from(&(a * b).to_repr()[..]),
                    Vec::from(&inv.to_repr()[..]),
                    Vec::from(&(a + b).to_repr()[..]),
                    Vec::from(&(-a).to_repr()[..]),
                ]
            }
        }
    };
}

fn oracle_scalar<S: elliptic_curve_ff::PrimeField>(k: &[u8]) -> S {
    let mut repr = S::Repr::default();
    repr.as_mut().copy_from_slice(k);
    S::from_repr(repr).into_option().expect("oracle scalar")
}

fn oracle_point<P: OraclePoint>(xy: &[u8]) -> P {
    P::from_xy(xy)
}

/// Builds an oracle affine point from x ‖ y.
trait OraclePoint {
    fn from_xy(xy: &[u8]) -> Self;
}

macro_rules! oracle_point {
    ($krate:ident, $curve:ident) => {
        impl OraclePoint for $krate::AffinePoint {
            fn from_xy(xy: &[u8]) -> Self {
                use $krate::elliptic_curve::sec1::FromSec1Point;
                let mut enc = Vec::from([4u8]);
                enc.extend_from_slice(xy);
                let enc =
                    $krate::elliptic_curve::sec1::Sec1Point::<$krate::$curve>::from_bytes(&enc)
                        .expect("sec1");
                $krate::AffinePoint::from_sec1_point(&enc)
                    .into_option()
                    .expect("oracle point")
            }
        }
    };
}

use p256::elliptic_curve::ff as elliptic_curve_ff;

oracle!(NistP256, p256);
oracle!(NistP384, p384);
oracle_point!(p256, NistP256);
oracle_point!(p384, NistP384);

// --- known-answer vectors ------------------------------------------------------------

/// ring's `p*_point_mul_base_tests.txt`: `g_scalar` → `r = x, y` or `inf`.
fn mul_base_vectors<C: Curve>(text: &str) -> (usize, usize) {
    let (mut checked, mut identities) = (0, 0);
    for (i, b) in blocks(text).iter().enumerate() {
        let k = unhex(get(b, "g_scalar").expect("g_scalar"));
        let r = get(b, "r").expect("r");
        let kb = bytes_of::<C>(&k);
        if r == "inf" {
            // The identity has no affine form: the scalar must be 0 mod n, which callers
            // never pass to mul_base.
            let s = C::scalar_reduce_bytes(&kb);
            assert!(
                bool::from(C::scalar_is_zero(&s)),
                "vector {i}: inf for a non-zero scalar"
            );
            identities += 1;
            continue;
        }
        let s: C::Scalar = Option::from(C::scalar_from_bytes(&kb)).expect("scalar below n");
        let (x, y) = r.split_once(',').expect("x, y");
        let mut want = unhex(x.trim());
        want.extend(unhex(y.trim()));
        let got = coords::<C>(&C::mul_base(&s));
        assert_eq!(hex(&got), hex(&want), "vector {i}: g_scalar = {}", hex(&k));
        checked += 1;
    }
    (checked, identities)
}

#[test]
fn p256_mul_base_ring_vectors() {
    let (n, inf) = mul_base_vectors::<NistP256>(include_str!(
        "../../../vectors/ecdsa/ring/p256_point_mul_base_tests.txt"
    ));
    println!("P-256 mul_base: {n} vectors checked, {inf} identity vectors (k = 0) skipped");
    assert_eq!((n, inf), (383, 1));
}

#[test]
fn p384_mul_base_ring_vectors() {
    let (n, inf) = mul_base_vectors::<NistP384>(include_str!(
        "../../../vectors/ecdsa/ring/p384_point_mul_base_tests.txt"
    ));
    println!("P-384 mul_base: {n} vectors checked, {inf} identity vectors (k = 0) skipped");
    assert_eq!((n, inf), (383, 1));
}

/// CAVP key pairs: d·G = Q, for both mul_base and mul(d, G).
fn keypair_vectors<C: Curve>(section: &str) -> usize {
    let text = include_str!("../../../vectors/ecdsa/cavp/KeyPair_P256_P384.rsp");
    let mut n = 0;
    for (i, b) in blocks(text).iter().enumerate() {
        if get(b, "section") != Some(section) || get(b, "d").is_none() {
            continue;
        }
        let d = scalar::<C>(&unhex(get(b, "d").unwrap()));
        let mut want = unhex(get(b, "Qx").unwrap());
        want.extend(unhex(get(b, "Qy").unwrap()));
        assert_eq!(
            hex(coords::<C>(&C::mul_base(&d))),
            hex(&want),
            "key pair {i}"
        );
        let g = C::mul_base(&scalar::<C>(&[1]));
        let q: C::Point = Option::from(C::mul(&d, &g)).expect("non-zero");
        assert_eq!(hex(coords::<C>(&q)), hex(&want), "key pair {i} via mul");
        n += 1;
    }
    n
}

#[test]
fn cavp_key_pairs() {
    let n256 = keypair_vectors::<NistP256>("P-256");
    let n384 = keypair_vectors::<NistP384>("P-384");
    println!("CAVP key pairs: {n256} P-256, {n384} P-384");
    assert_eq!((n256, n384), (10, 10));
}

#[test]
fn p256_mul_serialized_vectors() {
    let text = include_str!("../../../vectors/ecdsa/ring/p256_point_mul_serialized_tests.txt");
    let mut n = 0;
    for (i, b) in blocks(text).iter().enumerate() {
        let k = scalar::<NistP256>(&unhex(get(b, "p_scalar").unwrap()));
        let p = unhex(get(b, "p").unwrap());
        let r = unhex(get(b, "r").unwrap());
        assert_eq!((p[0], r[0]), (4, 4));
        let pt = NistP256::point_from_coordinates(
            &bytes_of::<NistP256>(&p[1..33]),
            &bytes_of::<NistP256>(&p[33..]),
        )
        .expect("valid point");
        let got: <NistP256 as Curve>::Point =
            Option::from(NistP256::mul(&k, &pt)).expect("non-zero");
        assert_eq!(hex(coords::<NistP256>(&got)), hex(&r[1..]), "vector {i}");
        n += 1;
    }
    println!("P-256 mul (serialized): {n} vectors checked");
    assert_eq!(n, 2);
}

// --- the compile-time tables -----------------------------------------------------------

/// Rebuilds each fixed-base table with the run-time complete formulas (independent of the
/// compile-time builder's Jacobian code) and compares every entry.
macro_rules! table_test {
    ($name:ident, $m:ident) => {
        #[test]
        fn $name() {
            use super::$m::{BASE_ENTRIES, BASE_TABLE, BASE_W, G_ODD_TABLE, GENERATOR, ProjectivePoint};
            let g = ProjectivePoint::from_affine(&GENERATOR);
            let mut base = g;
            let mut n = 0;
            for row in BASE_TABLE.iter() {
                let mut acc = base;
                let mut col = [ProjectivePoint::IDENTITY; BASE_ENTRIES];
                for c in col.iter_mut() {
                    *c = acc;
                    acc = acc.add(&base);
                }
                let want = super::$m::batch_to_affine(&col);
                let got = row.map(|e| super::$m::entry_point(&e));
                assert!(got == want, "fixed-base table row {n} differs");
                base = base.double_n(BASE_W);
                n += 1;
            }
            let g2 = g.double();
            let mut acc = g;
            for (j, entry) in G_ODD_TABLE.iter().enumerate() {
                assert!(entry == &acc.to_affine(), "odd-multiples entry {j} differs");
                acc = acc.add(&g2);
            }
            println!(
                "{}: {n} comb rows × {BASE_ENTRIES} and {} odd multiples match the run-time formulas",
                stringify!($m),
                G_ODD_TABLE.len()
            );
        }
    };
}

table_test!(p256_tables_match_runtime, p256);
table_test!(p384_tables_match_runtime, p384);

// --- the comb's incomplete addition -----------------------------------------------------

/// Integers below 2^448, little-endian limbs: wide enough for every value the comb proof
/// (mul.rs, above `mul_base_jacobian`) talks about on either curve.
type Wide = [u64; 7];

fn wide(limbs: &[u64]) -> Wide {
    let mut w = [0u64; 7];
    w[..limbs.len()].copy_from_slice(limbs);
    w
}

fn pow2(e: usize) -> Wide {
    let mut w = [0u64; 7];
    w[e / 64] = 1 << (e % 64);
    w
}

fn wide_add(a: &Wide, b: &Wide) -> Wide {
    let (s, carry) = super::field::adc_limbs(a, b);
    assert_eq!(carry, 0);
    s
}

fn wide_sub(a: &Wide, b: &Wide) -> Wide {
    let (d, borrow) = super::field::sbb_limbs(a, b);
    assert_eq!(borrow, 0);
    d
}

fn wide_mul_small(a: &Wide, m: u64) -> Wide {
    let mut out = [0u64; 7];
    let mut carry = 0u128;
    for (o, x) in out.iter_mut().zip(a) {
        let t = u128::from(*x) * u128::from(m) + carry;
        *o = t as u64;
        carry = t >> 64;
    }
    assert_eq!(carry, 0);
    out
}

/// `a mod n` by repeated subtraction (the values here are at most a few thousand n).
fn wide_mod(a: &Wide, n: &Wide) -> Wide {
    let mut a = *a;
    while !super::field::lt_vartime(&a, n) {
        a = wide_sub(&a, n);
    }
    a
}

/// `Σ digits[i]·2^(w·i) mod n` for signed digits.
fn from_digits(digits: &[i64], w: usize, n: &Wide) -> Wide {
    let (mut pos, mut neg) = ([0u64; 7], [0u64; 7]);
    for (i, &d) in digits.iter().enumerate() {
        let term = wide_mod(&wide_mul_small(&pow2(w * i), d.unsigned_abs()), n);
        if d >= 0 {
            pos = wide_mod(&wide_add(&pos, &term), n);
        } else {
            neg = wide_mod(&wide_add(&neg, &term), n);
        }
    }
    wide_mod(&wide_sub(&wide_add(&pos, n), &neg), n)
}

macro_rules! comb_tests {
    ($unreachable:ident, $matches:ident, $m:ident) => {
        /// The integer facts the proof of the incomplete comb rests on, checked exactly:
        /// (b) the partial sums stay below n; (d) no middle window can reach a multiple
        /// of n; (e) in the last window, for every digit d, the only scalar below n with
        /// acc = p (k ≡ 2·d·2^B) does not have d as its top digit.
        #[test]
        fn $unreachable() {
            use super::$m::{BASE_W, BASE_WINDOWS, Scalar};
            let (w, l) = (BASE_W as usize, BASE_WINDOWS);
            let n = wide(&Scalar::MODULUS);
            let lt = |a: &Wide, b: &Wide| super::field::lt_vartime(a, b);
            // (b): |m_i| ≤ 2^(W·(L−1)−1) < n.
            assert!(lt(&pow2(w * (l - 1) - 1), &n));
            // (d): 2^(W·(L−2)−1)·(2^W + 1) < n.
            assert!(lt(
                &wide_mul_small(&pow2(w * (l - 2) - 1), (1 << w) + 1),
                &n
            ));
            // ... and it fails one window later, which is why (e) is separate.
            assert!(!lt(
                &wide_mul_small(&pow2(w * (l - 1) - 1), (1 << w) + 1),
                &n
            ));
            // (e): every digit value, not only those a scalar below n can produce.
            let b = w * (l - 1);
            for d in 1..=(1u64 << (w - 1)) {
                let k = wide_mod(&wide_mul_small(&pow2(b + 1), d), &n);
                let (top, neg) = super::recode::booth_digit(&k, BASE_W, l - 1);
                assert!(
                    k == [0; 7] || neg != 0 || top != d,
                    "{}: k = 2·{d}·2^{b} mod n would double in the last window",
                    stringify!($m)
                );
            }
        }

        /// The incomplete comb against the complete one (RCB16) and against the
        /// variable-base ladder, on scalars that push the partial sums m_i and the
        /// window terms D_i of the proof to their extremes, and on random ones.
        #[test]
        fn $matches() {
            use super::$m::{
                BASE_W, BASE_WINDOWS, GENERATOR, Scalar, mul_base_complete, mul_base_jacobian,
                mul_projective,
            };
            let (w, l) = (BASE_W as usize, BASE_WINDOWS);
            let n = wide(&Scalar::MODULUS);
            let one = pow2(0);
            let to_scalar = |v: &Wide| -> Scalar {
                let v = wide_mod(v, &n);
                let limbs = &v[..Scalar::LIMBS];
                let mut bytes = [0u8; 8 * Scalar::LIMBS];
                for (chunk, limb) in bytes.chunks_mut(8).zip(limbs.iter().rev()) {
                    chunk.copy_from_slice(&limb.to_be_bytes());
                }
                Option::from(Scalar::from_be_bytes(&bytes)).expect("below n")
            };
            let neg = |v: &Wide| wide_mod(&wide_sub(&n, &wide_mod(v, &n)), &n);
            let half = 1u64 << (w - 1);

            // Special scalars, also checked against the ladder.
            let mut special: Vec<Wide> = Vec::new();
            for small in 0..4u64 {
                special.push(wide(&[small]));
                special.push(neg(&wide(&[small])));
            }
            let half_n = {
                // (n − 1)/2, n odd.
                let mut h = wide_sub(&n, &one);
                for i in 0..7 {
                    h[i] = (h[i] >> 1) | if i + 1 < 7 { h[i + 1] << 63 } else { 0 };
                }
                h
            };
            for v in [half_n, wide_add(&half_n, &one), wide_add(&half_n, &pow2(1))] {
                special.push(v);
            }
            // All digits equal (±1, ±2^(W−1)) and alternating extremes.
            for pattern in [
                [1i64, 1],
                [-1, -1],
                [half as i64, half as i64],
                [-(half as i64), -(half as i64)],
                [half as i64, -(half as i64)],
                [-(half as i64), half as i64],
            ] {
                let digits: Vec<i64> = (0..l).map(|i| pattern[i % 2]).collect();
                special.push(from_digits(&digits, w, &n));
                // and with the top digit dropped, so the value is below 2^(W·(L−1)).
                special.push(from_digits(&digits[..l - 1], w, &n));
            }
            // Last window: the would-be doubling scalars 2·d·2^B mod n and neighbours.
            let b = w * (l - 1);
            for d in 1..=half {
                let k = wide_mod(&wide_mul_small(&pow2(b + 1), d), &n);
                special.push(k);
                special.push(wide_add(&k, &one));
                special.push(wide_mod(&wide_sub(&wide_add(&k, &n), &one), &n));
            }
            special.push(wide_mod(&wide_sub(&n, &pow2(b - 1)), &n));
            for i in 1..l {
                let wi = w * i;
                // m_i = 0 (identity path), ±1 around it.
                special.push(pow2(wi));
                special.push(wide_add(&pow2(wi), &one));
                special.push(wide_sub(&pow2(wi), &one));
                // m_i = −2^(W·i−1), d_i = +2^(W−1): the largest |m_i − D_i|.
                let a = wide_add(&pow2(wi - 1), &wide_mul_small(&pow2(wi), half - 1));
                // m_i = 2^(W·i−1) − 1, d_i = −2^(W−1): the same on the other side.
                let c = wide_add(&wide_sub(&pow2(wi - 1), &one), &pow2(wi + w - 1));
                for v in [a, c] {
                    special.push(v);
                    special.push(neg(&v));
                }
                special.push(neg(&pow2(wi)));
            }
            for v in &special {
                let k = to_scalar(v);
                let got = mul_base_jacobian(&k);
                let want = mul_base_complete(&k);
                let ladder = mul_projective(&k, &GENERATOR);
                assert!(
                    got.to_projective().eq_vartime(&want),
                    "{}: k = {v:x?}",
                    stringify!($m)
                );
                assert!(
                    want.eq_vartime(&ladder),
                    "{}: k = {v:x?} (ladder)",
                    stringify!($m)
                );
                if !bool::from(want.is_identity()) {
                    assert!(got.to_affine() == want.to_affine());
                }
            }

            // Every digit value in every window, with the partial sum at both extremes.
            let mut swept = 0;
            for i in 1..l {
                let wi = w * i;
                for d in 1..=half {
                    let dd = wide_mul_small(&pow2(wi), d);
                    for v in [
                        dd,
                        wide_sub(&dd, &pow2(wi - 1)),
                        wide_add(&dd, &wide_sub(&pow2(wi - 1), &one)),
                        neg(&dd),
                    ] {
                        let k = to_scalar(&v);
                        assert!(
                            mul_base_jacobian(&k)
                                .to_projective()
                                .eq_vartime(&mul_base_complete(&k)),
                            "{}: k = {v:x?}",
                            stringify!($m)
                        );
                        swept += 1;
                    }
                }
            }

            // Random scalars (SplitMix64, fixed seed).
            let mut state = 0x9e37_79b9_7f4a_7c15u64;
            let mut next = || {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            };
            for _ in 0..256 {
                let mut v = [0u64; 7];
                for limb in v.iter_mut().take(Scalar::LIMBS) {
                    *limb = next();
                }
                let k = to_scalar(&v);
                assert!(
                    mul_base_jacobian(&k)
                        .to_projective()
                        .eq_vartime(&mul_base_complete(&k))
                );
            }
            println!(
                "{}: {} special, {swept} window-sweep and 256 random scalars agree",
                stringify!($m),
                special.len()
            );
        }
    };
}

comb_tests!(
    p256_comb_exceptional_cases_unreachable,
    p256_comb_incomplete_matches_complete,
    p256
);
comb_tests!(
    p384_comb_exceptional_cases_unreachable,
    p384_comb_incomplete_matches_complete,
    p384
);

/// The variable-base k·P (`mul_jacobian`, incomplete mixed additions) against the
/// complete-formula `mul_projective`, on the scalars the proof in `mul.rs` singles out and
/// on random ones, on G and on a second point.
macro_rules! var_mul_tests {
    ($matches:ident, $m:ident) => {
        #[test]
        fn $matches() {
            use super::$m::{
                GENERATOR, Scalar, VAR_WINDOWS, mul_base_jacobian, mul_jacobian, mul_projective,
            };
            let (w, l) = (5usize, VAR_WINDOWS);
            let n = wide(&Scalar::MODULUS);
            let one = pow2(0);
            let to_scalar = |v: &Wide| -> Scalar {
                let v = wide_mod(v, &n);
                let mut bytes = [0u8; 8 * Scalar::LIMBS];
                for (chunk, limb) in bytes.chunks_mut(8).zip(v[..Scalar::LIMBS].iter().rev()) {
                    chunk.copy_from_slice(&limb.to_be_bytes());
                }
                Option::from(Scalar::from_be_bytes(&bytes)).expect("below n")
            };
            let neg = |v: &Wide| wide_mod(&wide_sub(&n, &wide_mod(v, &n)), &n);
            let mut special: Vec<Wide> = Vec::new();
            // k and n − k for k = 0 … 256: the small cases of (b)–(d), every last digit.
            for small in 0..=256u64 {
                special.push(wide(&[small]));
                special.push(neg(&wide(&[small])));
            }
            // (d): k = n + 2·d for every negative digit value, and neighbours.
            for d in 1..=16u64 {
                let k = wide_sub(&n, &wide(&[2 * d]));
                special.push(k);
                special.push(wide_add(&k, &one));
                special.push(wide_sub(&k, &one));
            }
            // Window boundaries: 2^(W·i) ± 1, ±2^(W·i), all-equal and alternating digits.
            for i in 1..l {
                let wi = w * i;
                if wi >= 64 * Scalar::LIMBS {
                    continue;
                }
                for v in [
                    pow2(wi),
                    wide_add(&pow2(wi), &one),
                    wide_sub(&pow2(wi), &one),
                ] {
                    special.push(v);
                    special.push(neg(&v));
                }
            }
            for pattern in [
                [1i64, 1],
                [-1, -1],
                [16, 16],
                [-16, -16],
                [16, -16],
                [-16, 16],
            ] {
                let digits: Vec<i64> = (0..l - 1).map(|i| pattern[i % 2]).collect();
                special.push(from_digits(&digits, w, &n));
                special.push(neg(&from_digits(&digits, w, &n)));
            }
            // A second base point: 0x1234567·G.
            let q = mul_base_jacobian(&to_scalar(&wide(&[0x123_4567]))).to_affine();
            let mut checked = 0;
            for v in &special {
                let k = to_scalar(v);
                for p in [&GENERATOR, &q] {
                    let got = mul_jacobian(&k, p);
                    let want = mul_projective(&k, p);
                    assert_eq!(
                        bool::from(got.z.is_zero()),
                        bool::from(want.is_identity()),
                        "{}: k = {v:x?}",
                        stringify!($m)
                    );
                    if !bool::from(want.is_identity()) {
                        assert!(
                            got.to_affine() == want.to_affine(),
                            "{}: k = {v:x?}",
                            stringify!($m)
                        );
                    }
                    checked += 1;
                }
            }
            // Random scalars (SplitMix64, fixed seed).
            let mut state = 0x5151_7e57_0000_0001u64;
            let mut next = || {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            };
            for _ in 0..256 {
                let mut v = [0u64; 7];
                for limb in v.iter_mut().take(Scalar::LIMBS) {
                    *limb = next();
                }
                let k = to_scalar(&v);
                assert!(mul_jacobian(&k, &q).to_affine() == mul_projective(&k, &q).to_affine());
                checked += 1;
            }
            println!(
                "{}: {checked} k·P agree with the complete formulas",
                stringify!($m)
            );
        }
    };
}

var_mul_tests!(p256_var_mul_matches_complete, p256);
var_mul_tests!(p384_var_mul_matches_complete, p384);

// --- differential tests ------------------------------------------------------------------

fn random_scalar<C: Curve>(seed: &[u8]) -> C::Scalar {
    C::scalar_reduce_bytes(&bytes_of::<C>(seed))
}

fn check_scalar_ops<C: Oracle>(a: &[u8], b: &[u8]) -> Result<(), TestCaseError> {
    let (sa, sb) = (random_scalar::<C>(a), random_scalar::<C>(b));
    let (ab, bb) = (C::scalar_to_bytes(&sa), C::scalar_to_bytes(&sb));
    let [mul, inv, add, neg] = C::oracle_scalar_ops(ab.as_ref(), bb.as_ref());
    prop_assert_eq!(hex(C::scalar_to_bytes(&C::scalar_mul(&sa, &sb))), hex(&mul));
    prop_assert_eq!(hex(C::scalar_to_bytes(&C::scalar_invert(&sa))), hex(&inv));
    prop_assert_eq!(hex(C::scalar_to_bytes(&C::scalar_add(&sa, &sb))), hex(&add));
    prop_assert_eq!(hex(C::scalar_to_bytes(&C::scalar_neg(&sa))), hex(&neg));
    // Round trip, zero test, high-S: a is high iff a > −a as integers.
    let back: Option<C::Scalar> = C::scalar_from_bytes(&ab).into();
    prop_assert!(bool::from(back.expect("canonical").ct_eq(&sa)));
    prop_assert_eq!(
        bool::from(C::scalar_is_zero(&sa)),
        ab.as_ref().iter().all(|&x| x == 0)
    );
    prop_assert_eq!(
        bool::from(C::scalar_is_high(&sa)),
        ab.as_ref() > neg.as_slice()
    );
    Ok(())
}

fn check_mul<C: Oracle>(k: &[u8], j: &[u8]) -> Result<(), TestCaseError> {
    let (sk, sj) = (random_scalar::<C>(k), random_scalar::<C>(j));
    prop_assume!(!bool::from(C::scalar_is_zero(&sk)) && !bool::from(C::scalar_is_zero(&sj)));
    let (kb, jb) = (C::scalar_to_bytes(&sk), C::scalar_to_bytes(&sj));
    let p = C::mul_base(&sj);
    prop_assert_eq!(hex(coords::<C>(&p)), hex(C::oracle_mul_base(jb.as_ref())));
    let kp: C::Point = Option::from(C::mul(&sk, &p)).expect("k ≠ 0");
    prop_assert_eq!(
        hex(coords::<C>(&kp)),
        hex(C::oracle_mul(kb.as_ref(), &coords::<C>(&p)))
    );
    let zero = C::scalar_reduce_bytes(&C::ZERO_BYTES);
    prop_assert!(bool::from(C::mul(&zero, &p).is_none()));
    Ok(())
}

fn check_points<C: Oracle>(j: &[u8], x: &[u8]) -> Result<(), TestCaseError> {
    let sj = random_scalar::<C>(j);
    prop_assume!(!bool::from(C::scalar_is_zero(&sj)));
    let p = C::mul_base(&sj);
    let (px, py) = C::point_to_coordinates(&p);
    prop_assert_eq!(C::point_from_coordinates(&px, &py), Ok(p));
    let odd = py.as_ref()[py.as_ref().len() - 1] & 1 == 1;
    prop_assert_eq!(C::point_decompress(&px, odd), Ok(p));
    let other = C::point_decompress(&px, !odd).expect("the other root");
    prop_assert_eq!(
        coords::<C>(&other)[..px.as_ref().len()].to_vec(),
        px.as_ref().to_vec()
    );
    prop_assert!(other != p);
    // Off the curve: y + 1 (mod 2^bits; still below p or rejected by the range check).
    let mut bad_y = py;
    let last = bad_y.as_ref().len() - 1;
    bad_y.as_mut()[last] ^= 1;
    prop_assert!(C::point_from_coordinates(&px, &bad_y).is_err());
    // Random x: decompression succeeds iff x³ − 3x + b is a square, and then both
    // parities round-trip through point_from_coordinates.
    let xb = bytes_of::<C>(x);
    if let Ok(q) = C::point_decompress(&xb, true) {
        let (qx, qy) = C::point_to_coordinates(&q);
        prop_assert_eq!(qx, xb);
        prop_assert_eq!(qy.as_ref()[last] & 1, 1);
        prop_assert_eq!(C::point_from_coordinates(&qx, &qy), Ok(q));
    } else {
        prop_assert!(C::point_decompress(&xb, false).is_err());
    }
    Ok(())
}

fn check_verify<C: Oracle>(a: &[u8], b: &[u8], j: &[u8]) -> Result<(), TestCaseError> {
    let (u1, u2, sj) = (
        random_scalar::<C>(a),
        random_scalar::<C>(b),
        random_scalar::<C>(j),
    );
    prop_assume!(!bool::from(C::scalar_is_zero(&sj)));
    let q = C::mul_base(&sj);
    let (b1, b2) = (C::scalar_to_bytes(&u1), C::scalar_to_bytes(&u2));
    let want = C::oracle_mul2(b1.as_ref(), b2.as_ref(), &coords::<C>(&q));
    prop_assume!(!want.is_empty());
    let r = C::scalar_reduce_bytes(&bytes_of::<C>(&want[..want.len() / 2]));
    prop_assert!(C::verify_vartime(&u1, &u2, &q, &r));
    let one = C::scalar_reduce_bytes(&bytes_of::<C>(&[1]));
    prop_assert!(!C::verify_vartime(&u1, &u2, &q, &C::scalar_add(&r, &one)));
    prop_assert!(!C::verify_vartime(&u2, &u1, &q, &r) || bool::from(u1.ct_eq(&u2)));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn p256_scalar_ops(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
        check_scalar_ops::<NistP256>(&a, &b)?;
    }

    #[test]
    fn p384_scalar_ops(a in proptest::collection::vec(any::<u8>(), 48), b in proptest::collection::vec(any::<u8>(), 48)) {
        check_scalar_ops::<NistP384>(&a, &b)?;
    }

    #[test]
    fn p256_mul(k in any::<[u8; 32]>(), j in any::<[u8; 32]>()) {
        check_mul::<NistP256>(&k, &j)?;
    }

    #[test]
    fn p384_mul(k in proptest::collection::vec(any::<u8>(), 48), j in proptest::collection::vec(any::<u8>(), 48)) {
        check_mul::<NistP384>(&k, &j)?;
    }

    #[test]
    fn p256_points(j in any::<[u8; 32]>(), x in any::<[u8; 32]>()) {
        check_points::<NistP256>(&j, &x)?;
    }

    #[test]
    fn p384_points(j in proptest::collection::vec(any::<u8>(), 48), x in proptest::collection::vec(any::<u8>(), 48)) {
        check_points::<NistP384>(&j, &x)?;
    }

    #[test]
    fn p256_verify(a in any::<[u8; 32]>(), b in any::<[u8; 32]>(), j in any::<[u8; 32]>()) {
        check_verify::<NistP256>(&a, &b, &j)?;
    }

    #[test]
    fn p384_verify(
        a in proptest::collection::vec(any::<u8>(), 48),
        b in proptest::collection::vec(any::<u8>(), 48),
        j in proptest::collection::vec(any::<u8>(), 48),
    ) {
        check_verify::<NistP384>(&a, &b, &j)?;
    }

    #[test]
    fn p256_scalar_reduce(v in any::<[u8; 32]>()) {
        check_reduce::<NistP256>(&v)?;
    }

    #[test]
    fn p384_scalar_reduce(v in proptest::collection::vec(any::<u8>(), 48)) {
        check_reduce::<NistP384>(&v)?;
    }
}

/// `reduce(v + n) = v` for `v < 2^bits − n`, and `reduce(v) = from_bytes(v)` for `v < n`.
fn check_reduce<C: Curve>(v: &[u8]) -> Result<(), TestCaseError> {
    let vb = bytes_of::<C>(v);
    let direct: Option<C::Scalar> = C::scalar_from_bytes(&vb).into();
    let reduced = C::scalar_reduce_bytes(&vb);
    if let Some(s) = direct {
        prop_assert!(bool::from(s.ct_eq(&reduced)));
    }
    // Keep v below 2^160 < 2^bits − n (≈ 2^224 for P-256, 2^190 for P-384) so v + n fits.
    let mut small = vb;
    let len = small.as_ref().len();
    small.as_mut()[..len - 20].fill(0);
    let n_bytes = n_of::<C>();
    let sum = add_be(small.as_ref(), &n_bytes);
    let from_sum = C::scalar_reduce_bytes(&bytes_of::<C>(&sum));
    let want: Option<C::Scalar> = C::scalar_from_bytes(&small).into();
    prop_assert!(bool::from(want.expect("below n").ct_eq(&from_sum)));
    Ok(())
}

/// n as big-endian bytes: −1 + 1 computed as (n − 1) + 1 by hand.
fn n_of<C: Curve>() -> Vec<u8> {
    let minus_one = C::scalar_neg(&C::scalar_reduce_bytes(&bytes_of::<C>(&[1])));
    add_be(C::scalar_to_bytes(&minus_one).as_ref(), &[1])
}

/// Big-endian addition, result as wide as the wider input (the tests keep it in range).
fn add_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let len = a.len().max(b.len());
    let mut out = std::vec![0u8; len];
    let mut carry = 0u16;
    for i in 0..len {
        let x = if i < a.len() { a[a.len() - 1 - i] } else { 0 } as u16;
        let y = if i < b.len() { b[b.len() - 1 - i] } else { 0 } as u16;
        let s = x + y + carry;
        out[len - 1 - i] = s as u8;
        carry = s >> 8;
    }
    assert_eq!(carry, 0);
    out
}

// --- verification edge cases ----------------------------------------------------------

/// x(R) ≥ n: a point whose x is n + t, so r = t and only the r + n comparison can match.
fn verify_r_plus_n<C: Oracle>() -> usize {
    let n = n_of::<C>();
    let mut found = 0;
    for t in 1u8..=64 {
        let x = add_be(&n, &[t]);
        let Ok(big_r) = C::point_decompress(&bytes_of::<C>(&x), false) else {
            continue;
        };
        let r = C::scalar_reduce_bytes(&bytes_of::<C>(&[t]));
        let zero = C::scalar_reduce_bytes(&C::ZERO_BYTES);
        let one = C::scalar_reduce_bytes(&bytes_of::<C>(&[1]));
        assert!(
            C::verify_vartime(&zero, &one, &big_r, &r),
            "R = Q, x = n + {t}"
        );
        // R = a·G + Q with Q = R − a·G.
        let a = C::scalar_reduce_bytes(&bytes_of::<C>(&[t, 7, 9]));
        let neg_a = C::scalar_to_bytes(&C::scalar_neg(&a));
        let q_bytes = C::oracle_mul2(
            neg_a.as_ref(),
            bytes_of::<C>(&[1]).as_ref(),
            &coords::<C>(&big_r),
        );
        let half = q_bytes.len() / 2;
        let q = C::point_from_coordinates(
            &bytes_of::<C>(&q_bytes[..half]),
            &bytes_of::<C>(&q_bytes[half..]),
        )
        .expect("on curve");
        assert!(
            C::verify_vartime(&a, &one, &q, &r),
            "x = n + {t} via a·G + Q"
        );
        let r_wrong = C::scalar_add(&r, &one);
        assert!(!C::verify_vartime(&a, &one, &q, &r_wrong));
        found += 1;
    }
    found
}

#[test]
fn verify_r_plus_n_both_curves() {
    let (a, b) = (verify_r_plus_n::<NistP256>(), verify_r_plus_n::<NistP384>());
    println!("verify r + n case: {a} P-256 points, {b} P-384 points with x(R) ≥ n");
    assert!(a > 0 && b > 0);
}

/// R = identity (u2·Q = −u1·G) is rejected whatever r is; u1 = 0 or u2 = 0 work.
fn verify_edges<C: Oracle>() {
    let g = C::mul_base(&C::scalar_reduce_bytes(&bytes_of::<C>(&[1])));
    let u1 = C::scalar_reduce_bytes(&bytes_of::<C>(&[0x12, 0x34, 0x56]));
    let u2 = C::scalar_neg(&u1);
    let zero = C::scalar_reduce_bytes(&C::ZERO_BYTES);
    assert!(!C::verify_vartime(&u1, &u2, &g, &zero));
    assert!(!C::verify_vartime(&zero, &zero, &g, &zero));
    // u2 = 0: R = u1·G.
    let r1 = C::mul_base(&u1);
    let x1 = C::scalar_reduce_bytes(&C::point_to_coordinates(&r1).0);
    assert!(C::verify_vartime(&u1, &zero, &g, &x1));
    // u1 = 0: R = u1·Q.
    assert!(C::verify_vartime(&zero, &u1, &g, &x1));
    // Doubling inside the sum: u1·G + u1·G with Q = G.
    let two_u1 = C::scalar_add(&u1, &u1);
    let x2 = C::scalar_reduce_bytes(&C::point_to_coordinates(&C::mul_base(&two_u1)).0);
    assert!(C::verify_vartime(&u1, &u1, &g, &x2));
}

#[test]
fn verify_edge_cases() {
    verify_edges::<NistP256>();
    verify_edges::<NistP384>();
}

#[test]
fn field_inversion_and_sqrt() {
    macro_rules! check {
        ($m:ident) => {{
            use super::$m::FieldElement as Fe;
            let mut x = Fe::from_canonical(&[3; Fe::LIMBS]);
            let mut n = 0;
            for _ in 0..200 {
                let inv = x.invert();
                assert!(inv.mul(&x) == Fe::ONE);
                assert!(inv == x.invert_fermat());
                let s =
                    super::$m::Scalar::from_canonical(&x.to_canonical()[..].try_into().unwrap());
                assert!(s.invert() == s.invert_fermat());
                assert!(s.invert().mul(&s) == super::$m::Scalar::ONE);
                let sq = x.square();
                let root: Fe = Option::from(sq.sqrt()).expect("a square");
                assert!(root == x || root == x.neg());
                // −1 is a non-square for p ≡ 3 mod 4, so −x² has no root.
                assert!(bool::from(sq.neg().sqrt().is_none()));
                x = x.square().add(&Fe::ONE);
                n += 1;
            }
            assert!(Fe::ZERO.invert() == Fe::ZERO);
            n
        }};
    }
    let (a, b) = (check!(p256), check!(p384));
    println!("field inversion and sqrt: {a} P-256, {b} P-384 elements");
}

/// Inputs for the inversion tests over an `N`-limb modulus `m`: 1, 2, m − 1, m − 2, m/2,
/// every power of two below m, limb patterns with long runs of zeros and ones, and
/// pseudo-random values (xorshift, fixed seed), all reduced below m.
fn inversion_inputs<const N: usize>(m: &[u64; N], random: usize) -> Vec<[u64; N]> {
    use crate::ec::arith::field::{lt_vartime, sbb_limbs};
    let small = |x: u64| {
        let mut v = [0u64; N];
        v[0] = x;
        v
    };
    let mut out = std::vec![
        small(1),
        small(2),
        sbb_limbs(m, &small(1)).0,
        sbb_limbs(m, &small(2)).0
    ];
    let mut half = [0u64; N];
    for i in 0..N {
        half[i] = (m[i] >> 1) | if i + 1 < N { m[i + 1] << 63 } else { 0 };
    }
    out.push(half);
    for k in 0..64 * N {
        let mut v = [0u64; N];
        v[k / 64] = 1 << (k % 64);
        out.push(v);
    }
    // Runs: k low ones, k high ones (below the top bit), alternating whole limbs,
    // one set bit at each end, sparse high bits.
    for k in (1..64 * N - 1).step_by(7) {
        let mut lo = [0u64; N];
        let mut hi = [0u64; N];
        for b in 0..k {
            lo[b / 64] |= 1 << (b % 64);
            let t = 64 * N - 2 - b;
            hi[t / 64] |= 1 << (t % 64);
        }
        out.push(lo);
        out.push(hi);
    }
    let mut alt = [0u64; N];
    let mut ends = [0u64; N];
    for (i, a) in alt.iter_mut().enumerate() {
        *a = if i % 2 == 0 { u64::MAX } else { 0 };
    }
    ends[0] = 1;
    ends[N - 1] = 1 << 62;
    out.push(alt);
    out.push(ends);
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..random {
        let mut v = [0u64; N];
        for limb in v.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *limb = x;
        }
        out.push(v);
    }
    // Reduce: m fills its top limb, so one subtraction brings any value below m.
    for v in out.iter_mut() {
        if !lt_vartime(v, m) {
            *v = sbb_limbs(v, m).0;
        }
    }
    out
}

#[test]
fn inversion_all_moduli() {
    // Each value goes in twice: as the canonical integer and as the raw Montgomery limbs, so
    // the edge patterns reach safegcd itself (which sees the Montgomery limbs).
    macro_rules! check {
        ($t:ty) => {{
            type T = $t;
            let mut n = 0;
            for v in inversion_inputs(&T::MODULUS, 2000) {
                for x in [T::from_canonical(&v), T::from_mont_limbs(v)] {
                    let inv = x.invert();
                    assert!(inv == x.invert_fermat(), "{v:x?}");
                    assert!(inv == x.invert_vartime(), "{v:x?}");
                    assert!(inv.mul(&x) == T::ONE, "{v:x?}");
                    n += 1;
                }
            }
            // 0 has no inverse: all three return 0 (safegcd keeps d = 0 when g starts at 0,
            // Fermat computes 0^(m−2) = 0).
            assert!(T::ZERO.invert() == T::ZERO);
            assert!(T::ZERO.invert_vartime() == T::ZERO);
            assert!(T::ZERO.invert_fermat() == T::ZERO);
            n
        }};
    }
    let counts = [
        check!(super::p256::FieldElement),
        check!(super::p256::Scalar),
        check!(super::p384::FieldElement),
        check!(super::p384::Scalar),
    ];
    println!("inversion: {counts:?} values (P-256 p, n; P-384 p, n)");
}

// --- timing (by hand: `cargo test --release --lib ec::arith::tests::timing -- --ignored --nocapture`)

fn time_it<T>(label: &str, iters: u32, mut f: impl FnMut() -> T) {
    // The machine is shared: report the best of several rounds.
    let _ = core::hint::black_box(f());
    let mut best = f64::MAX;
    for _ in 0..9 {
        let start = std::time::Instant::now();
        for _ in 0..iters {
            let _ = core::hint::black_box(f());
        }
        best = best.min(start.elapsed().as_nanos() as f64 / f64::from(iters));
    }
    println!("{label:>28}: {:>10.3} µs", best / 1000.0);
}

macro_rules! timing {
    ($marker:ident, $m:ident) => {{
        use super::$m::FieldElement as Fe;
        type C = $marker;
        let k = C::scalar_reduce_bytes(&bytes_of::<C>(&[0xa5; 48][..<C as Curve>::BYTES]));
        let k2 = C::scalar_reduce_bytes(&bytes_of::<C>(&[0x3c; 48][..<C as Curve>::BYTES]));
        let p = C::mul_base(&k);
        let x = Fe::from_canonical(&[0x1234_5678_9abc_def1; Fe::LIMBS]);
        let y = x.square();
        println!("{}", C::NAME);
        time_it("field mul", 20_000, || {
            core::hint::black_box(&x).mul(core::hint::black_box(&y))
        });
        time_it("field square", 20_000, || {
            core::hint::black_box(&x).square()
        });
        time_it("field add", 20_000, || {
            core::hint::black_box(&x).add(core::hint::black_box(&y))
        });
        time_it("field sub", 20_000, || {
            core::hint::black_box(&x).sub(core::hint::black_box(&y))
        });
        time_it("10 dependent muls", 20_000, || {
            let mut a = *core::hint::black_box(&x);
            for _ in 0..10 {
                a = a.mul(&y);
            }
            a
        });
        time_it("10 dependent adds", 20_000, || {
            let mut a = *core::hint::black_box(&x);
            for _ in 0..10 {
                a = a.add(&y);
            }
            a
        });
        time_it("field invert (safegcd)", 300, || {
            core::hint::black_box(&x).invert()
        });
        time_it("field invert (Fermat)", 300, || {
            core::hint::black_box(&x).invert_fermat()
        });
        time_it("scalar mul", 20_000, || {
            C::scalar_mul(core::hint::black_box(&k), &k2)
        });
        time_it("scalar invert", 300, || {
            C::scalar_invert(core::hint::black_box(&k))
        });
        time_it("scalar invert (vartime)", 300, || {
            C::scalar_invert_vartime(core::hint::black_box(&k))
        });
        time_it("mul_base (affine)", 200, || {
            C::mul_base(core::hint::black_box(&k))
        });
        time_it("mul_base (projective)", 200, || {
            super::$m::mul_base_projective(core::hint::black_box(&k))
        });
        time_it("mul_base (Jacobian)", 200, || {
            super::$m::mul_base_jacobian(core::hint::black_box(&k))
        });
        time_it("mul_base (complete, old)", 200, || {
            super::$m::mul_base_complete(core::hint::black_box(&k))
        });
        time_it("mul_base lookups only", 200, || {
            let mut acc = 0u64;
            for (i, row) in super::$m::BASE_TABLE.iter().enumerate() {
                let e =
                    super::$m::lookup_affine(row, core::hint::black_box((i as u64 * 7) % 33 + 1));
                // Fold every limb in, or the optimiser reads only the limbs used.
                acc ^=
                    e.x.mont_limbs()
                        .iter()
                        .chain(e.y.mont_limbs())
                        .fold(0, |a, l| a ^ l);
            }
            acc
        });
        time_it("mul (affine)", 50, || C::mul(core::hint::black_box(&k), &p));
        time_it("verify_vartime", 50, || {
            C::verify_vartime(core::hint::black_box(&k), &k2, &p, &k)
        });
        {
            // Scalars without the repeating byte pattern above (which recodes sparsely).
            let r1 = C::scalar_reduce_bytes(&bytes_of::<C>(
                &[
                    0x5f, 0x13, 0x9e, 0x77, 0x21, 0xc4, 0x08, 0xbd, 0x6a, 0x93, 0x3e, 0xf1, 0x52,
                    0x0c, 0xa8, 0x47, 0xd9, 0x65, 0x1b, 0xe2, 0x7f, 0x34, 0x90, 0xcb, 0x16, 0x5d,
                    0xa3, 0x48, 0xee, 0x02, 0x79, 0xb1, 0x44, 0x8c, 0x2d, 0xf6, 0x61, 0x0e, 0x97,
                    0x3a, 0xd5, 0x28, 0xbc, 0x73, 0x0f, 0xc1, 0x56, 0x9a,
                ][..<C as Curve>::BYTES],
            ));
            let r2 = C::scalar_mul(&r1, &r1);
            time_it("verify_vartime (random-looking)", 50, || {
                C::verify_vartime(core::hint::black_box(&r1), &r2, &p, &k)
            });
            let j = super::$m::JacobianPoint::from_affine(&p).double_vartime();
            time_it("256 Jacobian doublings", 50, || {
                let mut a = *core::hint::black_box(&j);
                for _ in 0..256 {
                    a = a.double_vartime();
                }
                a.x
            });
            let j2 = j.double_vartime();
            time_it("43 Jacobian additions", 50, || {
                let mut a = *core::hint::black_box(&j);
                for _ in 0..43 {
                    a = a.add_vartime(&j2);
                }
                a.x
            });
            time_it("28 Jacobian mixed additions", 50, || {
                let mut a = *core::hint::black_box(&j);
                for _ in 0..28 {
                    a = a.add_affine_vartime(&p);
                }
                a.x
            });
        }
    }};
}

#[test]
#[ignore = "timing, run by hand with --release"]
fn timing() {
    // Calibration on a shared machine: ring's P-256 / P-384 signing in the same process.
    for (name, alg) in [
        (
            "ring P-256 sign",
            &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        ),
        (
            "ring P-384 sign",
            &ring::signature::ECDSA_P384_SHA384_FIXED_SIGNING,
        ),
    ] {
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(alg, &rng).expect("keygen");
        let key =
            ring::signature::EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).expect("key");
        time_it(name, 100, || key.sign(&rng, b"message").expect("sign"));
    }
    #[cfg(target_arch = "x86_64")]
    if let Some(adx) = super::x86::adx() {
        use fiat_crypto::p256_64::fiat_p256_montgomery_domain_field_element as M;
        let x = [0x1234_5678_9abc_def1u64, 2, 3, 0x4000_0000_0000_0000];
        time_it("P-256 portable mul, 10 dep", 20_000, || {
            let mut a = M(*core::hint::black_box(&x));
            for _ in 0..10 {
                let mut o = M([0; 4]);
                super::p256::mont_mul(&mut o, &a, &M(x));
                a = o;
            }
            a.0
        });
        time_it("P-256 ADX mul, 10 dep", 20_000, || {
            let mut a = *core::hint::black_box(&x);
            for _ in 0..10 {
                a = adx.p256_mul(&a, &x);
            }
            a
        });
        time_it("P-256 portable mul, 8 indep", 20_000, || {
            let a = core::hint::black_box([x; 8]);
            a.map(|v| {
                let mut o = M([0; 4]);
                super::p256::mont_mul(&mut o, &M(v), &M(x));
                o.0
            })
        });
        time_it("P-256 ADX mul, 8 indep", 20_000, || {
            let a = core::hint::black_box([x; 8]);
            a.map(|v| adx.p256_mul(&v, &x))
        });
        println!("--- forced portable");
        super::x86::force_adx(false);
        timing!(NistP256, p256);
        println!("--- BMI2/ADX");
        super::x86::force_adx(true);
    }
    timing!(NistP256, p256);
    timing!(NistP384, p384);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn p256_field_mul_matches_fiat(a in any::<[u64; 4]>(), b in any::<[u64; 4]>()) {
        use fiat_crypto::p256_64::{fiat_p256_montgomery_domain_field_element as M, fiat_p256_mul};
        use super::p256::FieldElement as Fe;
        // Reduce the random limbs below p first (both sides need inputs < p).
        let a = *Fe::from_canonical(&a).mont_limbs();
        let b = *Fe::from_canonical(&b).mont_limbs();
        let (mut want, mut got) = (M([0; 4]), M([0; 4]));
        fiat_p256_mul(&mut want, &M(a), &M(b));
        super::p256::mont_mul(&mut got, &M(a), &M(b));
        prop_assert_eq!(want.0, got.0);
        fiat_crypto::p256_64::fiat_p256_square(&mut want, &M(a));
        super::p256::mont_square(&mut got, &M(a));
        prop_assert_eq!(want.0, got.0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn p384_field_mul_matches_fiat(a in any::<[u64; 6]>(), b in any::<[u64; 6]>()) {
        use fiat_crypto::p384_64::{fiat_p384_montgomery_domain_field_element as M, fiat_p384_mul};
        use super::p384::FieldElement as Fe;
        let a = *Fe::from_canonical(&a).mont_limbs();
        let b = *Fe::from_canonical(&b).mont_limbs();
        let (mut want, mut got) = (M([0; 6]), M([0; 6]));
        fiat_p384_mul(&mut want, &M(a), &M(b));
        super::p384::mont_mul(&mut got, &M(a), &M(b));
        prop_assert_eq!(want.0, got.0);
    }
}

#[test]
fn p384_field_mul_edges() {
    use fiat_crypto::p384_64::{fiat_p384_montgomery_domain_field_element as M, fiat_p384_mul};
    let p = super::p384::FieldElement::MODULUS;
    let mut pm1 = p;
    pm1[0] -= 1;
    let mut pm2 = p;
    pm2[0] -= 2;
    let edges = [
        [0u64; 6],
        [1, 0, 0, 0, 0, 0],
        pm1,
        pm2,
        [u64::MAX, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 1 << 63],
    ];
    for a in edges {
        for b in edges {
            let (mut want, mut got) = (M([0; 6]), M([0; 6]));
            fiat_p384_mul(&mut want, &M(a), &M(b));
            super::p384::mont_mul(&mut got, &M(a), &M(b));
            assert_eq!(want.0, got.0, "{a:x?} · {b:x?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn p256_field_add_sub_match_fiat(a in any::<[u64; 4]>(), b in any::<[u64; 4]>(), near in 0u8..4) {
        use fiat_crypto::p256_64::{fiat_p256_montgomery_domain_field_element as M, fiat_p256_add, fiat_p256_sub};
        use super::p256::FieldElement as Fe;
        let mut a = *Fe::from_canonical(&a).mont_limbs();
        let b = *Fe::from_canonical(&b).mont_limbs();
        if near == 0 {
            // Close below p, where the sum's carry and the final subtraction meet.
            a = crate::ec::arith::field::sbb_limbs(&Fe::MODULUS, &[b[0] & 0xff, 0, 0, 0]).0;
            a = crate::ec::arith::field::sbb_limbs(&a, &[1, 0, 0, 0]).0;
        } else if near == 1 {
            // Just below p − b: the sum's final subtraction is decided by the low bits.
            let pb = crate::ec::arith::field::sbb_limbs(&Fe::MODULUS, &b).0;
            a = crate::ec::arith::field::sbb_limbs(&pb, &[b[1] & 3, 0, 0, 0]).0;
            a = if crate::ec::arith::field::lt_vartime(&a, &Fe::MODULUS) { a } else { [0; 4] };
        }
        for (x, y) in [(a, b), (b, a)] {
            let (mut sum, mut diff, mut got) = (M([0; 4]), M([0; 4]), M([0; 4]));
            fiat_p256_add(&mut sum, &M(x), &M(y));
            fiat_p256_sub(&mut diff, &M(x), &M(y));
            super::p256::mont_add(&mut got, &M(x), &M(y));
            prop_assert_eq!(sum.0, got.0);
            super::p256::mont_sub(&mut got, &M(x), &M(y));
            prop_assert_eq!(diff.0, got.0);
            // The `adc`/`sbb` assembly (no CPU feature needed, so always compared here).
            #[cfg(target_arch = "x86_64")]
            {
                prop_assert_eq!(super::x86::p256_add(&x, &y), sum.0);
                prop_assert_eq!(super::x86::p256_sub(&x, &y), diff.0);
            }
        }
    }
}

#[test]
fn p256_field_add_sub_edges() {
    use fiat_crypto::p256_64::{
        fiat_p256_add, fiat_p256_montgomery_domain_field_element as M, fiat_p256_sub,
    };
    let p = super::p256::FieldElement::MODULUS;
    let all_ones_reduced = crate::ec::arith::field::sbb_limbs(&[u64::MAX; 4], &p).0;
    let edges = [
        [0u64; 4],
        [1, 0, 0, 0],
        [p[0] - 1, p[1], p[2], p[3]],
        [p[0] - 2, p[1], p[2], p[3]],
        [u64::MAX, 0, 0, 0],
        [0, 0, 0, 1 << 63],
        all_ones_reduced,
        [u64::MAX, u64::MAX, u64::MAX, 0],
    ];
    for a in edges {
        for b in edges {
            let (mut want, mut got) = (M([0; 4]), M([0; 4]));
            fiat_p256_add(&mut want, &M(a), &M(b));
            super::p256::mont_add(&mut got, &M(a), &M(b));
            assert_eq!(want.0, got.0, "{a:x?} + {b:x?}");
            #[cfg(target_arch = "x86_64")]
            assert_eq!(super::x86::p256_add(&a, &b), want.0, "asm {a:x?} + {b:x?}");
            fiat_p256_sub(&mut want, &M(a), &M(b));
            super::p256::mont_sub(&mut got, &M(a), &M(b));
            assert_eq!(want.0, got.0, "{a:x?} − {b:x?}");
            #[cfg(target_arch = "x86_64")]
            assert_eq!(super::x86::p256_sub(&a, &b), want.0, "asm {a:x?} − {b:x?}");
        }
    }
}

#[test]
fn p256_field_mul_edges() {
    use fiat_crypto::p256_64::{fiat_p256_montgomery_domain_field_element as M, fiat_p256_mul};
    let p = super::p256::FieldElement::MODULUS;
    let pm1 = [p[0] - 1, p[1], p[2], p[3]];
    let edges = [
        [0u64; 4],
        [1, 0, 0, 0],
        pm1,
        [p[0] - 2, p[1], p[2], p[3]],
        [u64::MAX, 0, 0, 0],
        [0, 0, 0, 1 << 63],
    ];
    for a in edges {
        for b in edges {
            let (mut want, mut got) = (M([0; 4]), M([0; 4]));
            fiat_p256_mul(&mut want, &M(a), &M(b));
            super::p256::mont_mul(&mut got, &M(a), &M(b));
            assert_eq!(want.0, got.0, "{a:x?} · {b:x?}");
        }
        let (mut want, mut got) = (M([0; 4]), M([0; 4]));
        fiat_crypto::p256_64::fiat_p256_square(&mut want, &M(a));
        super::p256::mont_square(&mut got, &M(a));
        assert_eq!(want.0, got.0, "{a:x?}²");
    }
}

/// The exceptional cases of the variable-time Jacobian formulas, against the complete
/// projective ones.
macro_rules! jacobian_edges {
    ($name:ident, $m:ident) => {
        #[test]
        fn $name() {
            use super::$m::{FieldElement as Fe, GENERATOR, JacobianPoint, ProjectivePoint};
            let to_proj = |j: &JacobianPoint| {
                // (X/Z², Y/Z³) → (X·Z : Y : Z³)
                if j.z.is_zero_vartime() {
                    ProjectivePoint::IDENTITY
                } else {
                    ProjectivePoint {
                        x: j.x.mul(&j.z),
                        y: j.y,
                        z: j.z.square().mul(&j.z),
                    }
                }
            };
            let g = JacobianPoint::from_affine(&GENERATOR);
            let gp = ProjectivePoint::from_affine(&GENERATOR);
            // A Jacobian 3G with Z ≠ 1, and the same point rescaled by λ².
            let g3 = g.double_vartime().add_vartime(&g);
            let lambda = Fe::from_canonical(&[7; Fe::LIMBS]);
            let (l2, l3) = (lambda.square(), lambda.square().mul(&lambda));
            let g3b = JacobianPoint {
                x: g3.x.mul(&l2),
                y: g3.y.mul(&l3),
                z: g3.z.mul(&lambda),
            };
            let g3p = gp.double().add(&gp);
            assert!(to_proj(&g3).eq_vartime(&g3p));
            // P + P = 2P, P + (−P) = O, O + P = P, P + O = P.
            assert!(to_proj(&g3.add_vartime(&g3b)).eq_vartime(&g3p.double()));
            assert!(g3.add_vartime(&g3b.neg()).z.is_zero_vartime());
            assert!(to_proj(&JacobianPoint::IDENTITY.add_vartime(&g3)).eq_vartime(&g3p));
            assert!(to_proj(&g3.add_vartime(&JacobianPoint::IDENTITY)).eq_vartime(&g3p));
            assert!(JacobianPoint::IDENTITY.double_vartime().z.is_zero_vartime());
            // Mixed: P + P, P + (−P), O + P.
            let g1b = JacobianPoint {
                x: g.x.mul(&l2),
                y: g.y.mul(&l3),
                z: lambda,
            };
            assert!(to_proj(&g1b.add_affine_vartime(&GENERATOR)).eq_vartime(&gp.double()));
            assert!(g1b.add_affine_vartime(&GENERATOR.neg()).z.is_zero_vartime());
            assert!(
                to_proj(&JacobianPoint::IDENTITY.add_affine_vartime(&GENERATOR)).eq_vartime(&gp)
            );
            // Generic: 3G + G = 4G both ways.
            assert!(to_proj(&g3.add_affine_vartime(&GENERATOR)).eq_vartime(&gp.double().double()));
            assert!(to_proj(&g3.add_vartime(&g1b)).eq_vartime(&gp.double().double()));
        }
    };
}

jacobian_edges!(p256_jacobian_exceptional_cases, p256);
jacobian_edges!(p384_jacobian_exceptional_cases, p384);

// --- constant-time check (by hand, under valgrind) -------------------------------------
//
// cargo test --release --features ct-valgrind --lib --no-run, then
// valgrind --error-exitcode=1 <test binary> ec::arith::tests::ct_taint --ignored
// Secrets are marked undefined; any branch or index on them is reported by memcheck.

fn ct_taint_curve<C: Curve>(seed: u8) {
    use crate::ct::{declassify, secret};
    let mut bytes = C::ZERO_BYTES;
    for (i, b) in bytes.as_mut().iter_mut().enumerate() {
        *b = seed.wrapping_mul(31).wrapping_add(i as u8 * 7) | 1;
    }
    bytes.as_mut()[0] &= 0x7f; // below n
    secret(&bytes);
    let k = C::scalar_from_bytes(&bytes);
    declassify(&k);
    let k: C::Scalar = Option::from(k).expect("below n");
    secret(&k);
    let reduced = C::scalar_reduce_bytes(&bytes);
    let inv = C::scalar_invert(&k);
    let high = C::scalar_is_high(&k);
    let zero = C::scalar_is_zero(&k);
    let prod = C::scalar_mul(&inv, &reduced);
    let p = C::mul_base(&k);
    let g = C::mul_base(&C::scalar_reduce_bytes(&bytes_of::<C>(&[1])));
    let kp = C::mul(&k, &g);
    let out = C::scalar_to_bytes(&prod);
    declassify(&inv);
    declassify(&high);
    declassify(&out);
    declassify(&p);
    // Declassify the values the checks below branch on, in memory, and reload them from
    // there (register copies would keep their taint).
    let outs = (kp, zero);
    declassify(&outs);
    let (kp, zero) = *core::hint::black_box(&outs);
    let kp: C::Point = Option::from(kp).expect("k ≠ 0");
    assert_eq!(C::point_to_coordinates(&kp), C::point_to_coordinates(&p));
    assert!(!bool::from(zero));
    let _ = core::hint::black_box((inv, high, out));
}

#[test]
#[ignore = "run by hand under valgrind with --features ct-valgrind"]
fn ct_taint() {
    ct_taint_curve::<NistP256>(3);
    ct_taint_curve::<NistP384>(5);
    // Field inversion on its own (the affine conversions above use it too).
    let mut x = super::p256::FieldElement::from_canonical(&[5, 6, 7, 8]);
    crate::ct::secret(&x);
    x = x.invert();
    crate::ct::declassify(&x);
    let mut y = super::p384::FieldElement::from_canonical(&[5, 6, 7, 8, 9, 10]);
    crate::ct::secret(&y);
    y = y.invert();
    crate::ct::declassify(&y);
    let _ = core::hint::black_box((x, y));
    println!(
        "ct_taint: scalar_from_bytes, reduce, invert, is_high, is_zero, mul, mul_base, mul, field invert ran on marked secrets"
    );
}

// --- the x86-64 fast paths against the portable code and fiat-crypto ---------------------

#[cfg(target_arch = "x86_64")]
mod x86_paths {
    use super::super::p256::FieldElement as Fe;
    use super::super::x86;
    use fiat_crypto::p256_64::{
        fiat_p256_montgomery_domain_field_element as M, fiat_p256_mul, fiat_p256_square,
    };
    use proptest::prelude::*;
    use std::{println, vec, vec::Vec};

    fn adx() -> Option<x86::Adx> {
        let t = x86::adx();
        if t.is_none() {
            println!("BMI2/ADX not available here (or forced portable): nothing to compare");
        }
        t
    }

    /// Edge values below p: 0, 1, 2, p − 1, p − 2, 2^64 − 1, 2^255, 2^256 − 1 − p
    /// (2^256 − 1 reduced), and limbs of all ones except the top.
    fn edges() -> Vec<[u64; 4]> {
        let p = Fe::MODULUS;
        let all_ones_reduced = crate::ec::arith::field::sbb_limbs(&[u64::MAX; 4], &p).0;
        vec![
            [0; 4],
            [1, 0, 0, 0],
            [2, 0, 0, 0],
            [p[0] - 1, p[1], p[2], p[3]],
            [p[0] - 2, p[1], p[2], p[3]],
            [u64::MAX, 0, 0, 0],
            [0, 0, 0, 1 << 63],
            all_ones_reduced,
            [u64::MAX, u64::MAX, u64::MAX, 0],
            [u64::MAX, p[1], 0, p[3] - 1],
        ]
    }

    #[test]
    fn p256_adx_edges() {
        let Some(adx) = adx() else { return };
        let edges = edges();
        for a in &edges {
            assert!(crate::ec::arith::field::lt_vartime(a, &Fe::MODULUS));
            for b in &edges {
                let mut want = M([0; 4]);
                fiat_p256_mul(&mut want, &M(*a), &M(*b));
                assert_eq!(adx.p256_mul(a, b), want.0, "{a:x?} · {b:x?}");
                assert_eq!(adx.p256_mul_rb(a, b), want.0, "{a:x?} · {b:x?}");
            }
            let mut want = M([0; 4]);
            fiat_p256_square(&mut want, &M(*a));
            assert_eq!(adx.p256_square(a), want.0, "{a:x?}²");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn p256_adx_mul_matches_fiat(a in any::<[u64; 4]>(), b in any::<[u64; 4]>(), top in 0u64..4) {
            let Some(adx) = x86::adx() else { return Ok(()) };
            // Inputs below p, biased a quarter of the time towards p (the carries' edge).
            let mut a = *Fe::from_canonical(&a).mont_limbs();
            let b = *Fe::from_canonical(&b).mont_limbs();
            if top == 0 {
                a = crate::ec::arith::field::sbb_limbs(&Fe::MODULUS, &[b[0] & 0xffff, 1, 0, 0]).0;
            }
            let (mut want, mut want_sq) = (M([0; 4]), M([0; 4]));
            fiat_p256_mul(&mut want, &M(a), &M(b));
            fiat_p256_square(&mut want_sq, &M(a));
            prop_assert_eq!(adx.p256_mul(&a, &b), want.0);
            prop_assert_eq!(adx.p256_mul_rb(&a, &b), want.0);
            prop_assert_eq!(adx.p256_mul_rb(&b, &a), want.0);
            prop_assert_eq!(adx.p256_square(&a), want_sq.0);
            let h = x86::p256_half(&a);
            prop_assert_eq!(x86::p256_add(&h, &h), a);
        }
    }

    #[test]
    fn p256_half_edges() {
        for a in &edges() {
            let h = x86::p256_half(a);
            assert!(
                crate::ec::arith::field::lt_vartime(&h, &Fe::MODULUS),
                "{a:x?}/2"
            );
            assert_eq!(x86::p256_add(&h, &h), *a, "{a:x?}/2");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The P-256 doubling and mixed addition of `x86::p256_point` give the same
        /// Jacobian triples as the generic `JacobianPoint` formulas (the same X3, Y3, Z3 by
        /// construction, see that module), on points with random Z, including the
        /// identity's image under the doubling.
        #[test]
        fn p256_adx_point_formulas_match_generic(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
            use super::super::p256::{Scalar, mul_base_jacobian};
            let Some(adx) = x86::adx() else { return Ok(()) };
            let limbs = |p: &super::super::p256::JacobianPoint| {
                [*p.x.mont_limbs(), *p.y.mont_limbs(), *p.z.mont_limbs()]
            };
            let ka = Scalar::from_be_bytes_reduced(&a);
            let kb = Scalar::from_be_bytes_reduced(&b);
            let p = mul_base_jacobian(&ka).double(); // Z neither 0 nor 1 (unless k = 0)
            let q = mul_base_jacobian(&kb).to_affine();
            prop_assert_eq!(adx.p256_double_n(&limbs(&p), 1), limbs(&p.double()));
            let p5 = p.double().double().double().double().double();
            prop_assert_eq!(adx.p256_double_n(&limbs(&p), 5), limbs(&p5));
            if !ka.is_zero_vartime() && !kb.is_zero_vartime() && ka.double() != kb && ka.double().neg() != kb {
                let qa = [*q.x.mont_limbs(), *q.y.mont_limbs()];
                prop_assert_eq!(
                    adx.p256_add_affine_incomplete(&limbs(&p), &qa),
                    limbs(&p.add_affine_incomplete(&q))
                );
            }
            let id = super::super::p256::JacobianPoint::IDENTITY;
            prop_assert_eq!(adx.p256_double_n(&limbs(&id), 5)[2], [0u64; 4]);
        }
    }

    #[test]
    fn avx2_select_matches_portable() {
        let Some(avx2) = x86::avx2() else {
            println!("AVX2 not available here (or forced portable)");
            return;
        };
        fn check<const N: usize>(avx2: x86::Avx2, row: &[[u64; N]], name: &str) {
            for idx in 0..=(row.len() as u64 + 2) {
                let want = row
                    .get((idx as usize).wrapping_sub(1))
                    .copied()
                    .unwrap_or([0; N]);
                assert_eq!(avx2.select(row, idx), want, "{name} index {idx}");
            }
        }
        check(avx2, &super::super::p256::BASE_TABLE[5], "P-256");
        check(avx2, &super::super::p384::BASE_TABLE[7], "P-384");
    }
}
