//! The base field of P-384, GF(p) with p = 2^384 − 2^128 − 2^96 + 2^32 − 1 (FIPS 186-5,
//! SP 800-186 §3.2.1.4), in Montgomery form over fiat-crypto's `p384_64`.

use fiat_crypto::p384_64 as fiat;

use crate::ec::arith::field::fiat_field;

fiat_field!(
    /// An element of GF(p), p the P-384 prime, in Montgomery form (`a·2^384 mod p`).
    FieldElement,
    limbs: 6,
    bytes: 48,
    modulus: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
    mont: fiat_p384_montgomery_domain_field_element,
    non_mont: fiat_p384_non_montgomery_domain_field_element,
    mul: mont_mul,
    square: mont_square,
    add: fiat::fiat_p384_add,
    sub: fiat::fiat_p384_sub,
    opp: fiat_p384_opp,
    from_mont: fiat_p384_from_montgomery,
    to_mont: fiat_p384_to_montgomery,
    set_one: fiat_p384_set_one,
    signed62_limbs: 7,
);

/// `out = a·b·2^−384 mod p`, a drop-in for `fiat_p384_mul` (same representation, inputs
/// and output below p); measured ≈15% faster than fiat's code for this prime.
///
/// Operand-scanning Montgomery multiplication (CIOS; Koç–Acar–Kaliski 1996). The
/// quotient digit is `q = t₀·m′ mod 2^64` with `m′ = −p⁻¹ mod 2^64 = 2^32 + 1` (p ≡ 2^32 − 1
/// mod 2^64, and (2^32 − 1)(2^32 + 1) = 2^64 − 1 ≡ −1). Invariant: with a, b < p the
/// running value stays below 2p after every round, as
/// `(t + a·bᵢ + q·p)/2^64 < (2p + (2^64 − 1)·p + (2^64 − 1)·p)/2^64 = 2p`, so it fits six
/// limbs plus a carry bit; one conditional subtraction of p finishes. Tested against
/// fiat-crypto in `tests::p384_field_mul_matches_fiat`.
#[inline(always)]
pub(crate) const fn mont_mul(
    out: &mut fiat::fiat_p384_montgomery_domain_field_element,
    a: &fiat::fiat_p384_montgomery_domain_field_element,
    b: &fiat::fiat_p384_montgomery_domain_field_element,
) {
    const P: [u64; 6] = FieldElement::MODULUS;
    const M_PRIME: u64 = 0x1_0000_0001;
    let (a, b) = (&a.0, &b.0);
    let mut t = [0u64; 6];
    let mut t6 = 0u64;
    let mut i = 0;
    while i < 6 {
        // t += a·bᵢ
        let bi = b[i];
        let mut c = 0u64;
        let mut j = 0;
        while j < 6 {
            let s = t[j] as u128 + (a[j] as u128) * (bi as u128) + c as u128;
            t[j] = s as u64;
            c = (s >> 64) as u64;
            j += 1;
        }
        let s = t6 as u128 + c as u128;
        let (top_lo, top_hi) = (s as u64, (s >> 64) as u64);
        // t = (t + q·p) / 2^64, q chosen to clear the low limb.
        let q = t[0].wrapping_mul(M_PRIME);
        let s = t[0] as u128 + (q as u128) * (P[0] as u128);
        let mut c = (s >> 64) as u64;
        let mut j = 1;
        while j < 6 {
            let s = t[j] as u128 + (q as u128) * (P[j] as u128) + c as u128;
            t[j - 1] = s as u64;
            c = (s >> 64) as u64;
            j += 1;
        }
        let s = top_lo as u128 + c as u128;
        t[5] = s as u64;
        t6 = top_hi + (s >> 64) as u64;
        i += 1;
    }
    // t < 2p: subtract p unless that borrows. The borrow is carried as a 0/all-ones word
    // (the high half of a 128-bit difference), the form the optimiser leaves as mask
    // arithmetic rather than turning the selection below into conditional moves.
    let mut d = [0u64; 6];
    let mut borrow = 0u64;
    let mut j = 0;
    while j < 6 {
        let s = (t[j] as u128).wrapping_sub(P[j] as u128 + (borrow >> 63) as u128);
        d[j] = s as u64;
        borrow = (s >> 64) as u64;
        j += 1;
    }
    // keep = all ones iff t6·2^384 + t < p, i.e. the subtraction borrows past t6.
    let keep = ((t6 as u128).wrapping_sub((borrow >> 63) as u128) >> 64) as u64;
    let mut j = 0;
    while j < 6 {
        out.0[j] = (t[j] & keep) | (d[j] & !keep);
        j += 1;
    }
}

/// `out = a²·2^−384 mod p` (see [`mont_mul`]).
#[inline(always)]
pub(crate) const fn mont_square(
    out: &mut fiat::fiat_p384_montgomery_domain_field_element,
    a: &fiat::fiat_p384_montgomery_domain_field_element,
) {
    mont_mul(out, a, a)
}
