//! The base field of P-256, GF(p) with p = 2^256 − 2^224 + 2^192 + 2^96 − 1 (FIPS 186-5,
//! SP 800-186 §3.2.1.3), in Montgomery form over fiat-crypto's `p256_64`.

use fiat_crypto::p256_64 as fiat;

use crate::ec::arith::field::fiat_field;

fiat_field!(
    /// An element of GF(p), p the P-256 prime, in Montgomery form (`a·2^256 mod p`).
    FieldElement,
    limbs: 4,
    bytes: 32,
    modulus: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    mont: fiat_p256_montgomery_domain_field_element,
    non_mont: fiat_p256_non_montgomery_domain_field_element,
    mul: mul_dispatch,
    square: square_dispatch,
    add: add_dispatch,
    sub: sub_dispatch,
    opp: fiat_p256_opp,
    from_mont: fiat_p256_from_montgomery,
    to_mont: fiat_p256_to_montgomery,
    set_one: fiat_p256_set_one,
    signed62_limbs: 5,
);

/// Defines `$name(out, a, b)`: the `adc`/`sbb` assembly `x86::$asm` on x86-64 (any CPU),
/// the portable `$portable` elsewhere or with `--cfg tsubaki_ec_backend="portable"`.
///
/// Unlike the multiplication, no run-time switch: the assembly needs no CPU feature, and a
/// switch per addition measured 15 % slower verification (with a call to an out-of-line
/// fallback on the cold side, LLVM keeps fewer values in registers around every addition).
/// In valgrind harness builds only, it follows the multiplication's switch, so that the
/// harness's portable run (`ct::force_p256_adx(false)`) checks the portable code too.
macro_rules! add_sub_dispatch {
    ($(#[$doc:meta])* $name:ident, $asm:ident, $portable:ident) => {
        $(#[$doc])*
        #[inline(always)]
        fn $name(
            out: &mut fiat::fiat_p256_montgomery_domain_field_element,
            a: &fiat::fiat_p256_montgomery_domain_field_element,
            b: &fiat::fiat_p256_montgomery_domain_field_element,
        ) {
            #[cfg(all(target_arch = "x86_64", not(tsubaki_ec_backend = "portable")))]
            {
                #[cfg(feature = "ct-valgrind")]
                if crate::ec::arith::x86::adx().is_none() {
                    return $portable(out, a, b);
                }
                out.0 = crate::ec::arith::x86::$asm(&a.0, &b.0);
            }
            #[cfg(not(all(target_arch = "x86_64", not(tsubaki_ec_backend = "portable"))))]
            $portable(out, a, b)
        }
    };
}

add_sub_dispatch!(
    /// `out = a + b mod p` (see [`add_sub_dispatch!`]).
    add_dispatch,
    p256_add,
    mont_add
);
add_sub_dispatch!(
    /// `out = a − b mod p` (see [`add_sub_dispatch!`]).
    sub_dispatch,
    p256_sub,
    mont_sub
);

/// `out = a·b·2^−256 mod p`: the BMI2/ADX code of [`crate::ec::arith::x86`] where the CPU
/// has it (detected once, cached), [`mont_mul`] otherwise.
#[inline(always)]
fn mul_dispatch(
    out: &mut fiat::fiat_p256_montgomery_domain_field_element,
    a: &fiat::fiat_p256_montgomery_domain_field_element,
    b: &fiat::fiat_p256_montgomery_domain_field_element,
) {
    #[cfg(target_arch = "x86_64")]
    if let Some(adx) = crate::ec::arith::x86::adx() {
        out.0 = adx.p256_mul(&a.0, &b.0);
        return;
    }
    mul_fallback(out, a, b)
}

/// [`mont_mul`], kept out of line on x86-64 so that each of the hundreds of inlined call
/// sites carries only the assembly and a call, not a second copy of the multiplication
/// (the code of one point doubling would otherwise double in size); inlined elsewhere,
/// where it is the only path.
#[cfg_attr(target_arch = "x86_64", inline(never))]
#[cfg_attr(not(target_arch = "x86_64"), inline(always))]
fn mul_fallback(
    out: &mut fiat::fiat_p256_montgomery_domain_field_element,
    a: &fiat::fiat_p256_montgomery_domain_field_element,
    b: &fiat::fiat_p256_montgomery_domain_field_element,
) {
    mont_mul(out, a, b)
}

/// [`mont_square`], out of line on x86-64 as [`mul_fallback`].
#[cfg_attr(target_arch = "x86_64", inline(never))]
#[cfg_attr(not(target_arch = "x86_64"), inline(always))]
fn square_fallback(
    out: &mut fiat::fiat_p256_montgomery_domain_field_element,
    a: &fiat::fiat_p256_montgomery_domain_field_element,
) {
    mont_square(out, a)
}

/// `out = a²·2^−256 mod p`, dispatched as [`mul_dispatch`].
#[inline(always)]
fn square_dispatch(
    out: &mut fiat::fiat_p256_montgomery_domain_field_element,
    a: &fiat::fiat_p256_montgomery_domain_field_element,
) {
    #[cfg(target_arch = "x86_64")]
    if let Some(adx) = crate::ec::arith::x86::adx() {
        out.0 = adx.p256_square(&a.0);
        return;
    }
    square_fallback(out, a)
}

/// `out = a·b·2^−256 mod p`, a drop-in for `fiat_p256_mul` (same representation, same
/// bounds: inputs and output below p), measured ≈1.3× faster.
///
/// Operand scanning (CIOS) with the reduction specialised to the shape of p:
/// `−p⁻¹ ≡ 1 (mod 2^64)` because p ≡ −1 (mod 2^64), so each round's quotient digit is the
/// low limb `q = t₀` itself; and p's limbs are `[2^64 − 1, 2^32 − 1, 0, 2^64 − 2^32 + 1]`,
/// so `t₀ + q·p₀ = q·2^64` exactly (the low limb vanishes and carries q), the `p₂ = 0`
/// product disappears, and only `q·p₁` and `q·p₃` remain as multiplications.
///
/// Bounds: with a, b < p, every round keeps `t < 2p` (the usual CIOS invariant,
/// `t ← (t + a·bᵢ + q·p)/2^64 < (2p + (2^64−1)·p + (2^64−1)·p)/2^64 < 2p`), so t fits in
/// four limbs plus one carry bit and one conditional subtraction of p finishes. Tested
/// against fiat-crypto in `tests::p256_field_mul_matches_fiat`.
#[inline(always)]
pub(crate) const fn mont_mul(
    out: &mut fiat::fiat_p256_montgomery_domain_field_element,
    a: &fiat::fiat_p256_montgomery_domain_field_element,
    b: &fiat::fiat_p256_montgomery_domain_field_element,
) {
    const P: [u64; 4] = FieldElement::MODULUS;
    let (a, b) = (&a.0, &b.0);
    let (mut t0, mut t1, mut t2, mut t3, mut t4) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut i = 0;
    while i < 4 {
        let bi = b[i];
        // t += a·bᵢ (t4 ≤ 1 before, so s4 + c5 fits)
        let (s0, c) = mac(t0, a[0], bi, 0);
        let (s1, c) = mac(t1, a[1], bi, c);
        let (s2, c) = mac(t2, a[2], bi, c);
        let (s3, c) = mac(t3, a[3], bi, c);
        let (s4, c5) = adc(t4, c, 0);
        // t = (t + q·p) / 2^64 with q = s0: the low limb becomes q·2^64 → carry q.
        let q = s0;
        let (r1, c) = mac(s1, q, P[1], q);
        let (r2, c) = adc(s2, 0, c);
        let (r3, c) = mac(s3, q, P[3], c);
        let (r4, c) = adc(s4, 0, c);
        t0 = r1;
        t1 = r2;
        t2 = r3;
        t3 = r4;
        t4 = c + c5;
        i += 1;
    }
    // t < 2p: subtract p unless that borrows.
    let (d0, br) = sbb(t0, P[0], 0);
    let (d1, br) = sbb(t1, P[1], br);
    let (d2, br) = sbb(t2, P[2], br);
    let (d3, br) = sbb(t3, P[3], br);
    let (_, br) = sbb(t4, 0, br);
    // br is all ones iff t < p: keep t.
    out.0 = [
        (t0 & br) | (d0 & !br),
        (t1 & br) | (d1 & !br),
        (t2 & br) | (d2 & !br),
        (t3 & br) | (d3 & !br),
    ];
}

/// `out = a²·2^−256 mod p`, a drop-in for `fiat_p256_square`.
///
/// The 512-bit square is formed with the six cross products computed once and doubled
/// (10 multiplications instead of 16), then reduced by four Montgomery rounds with the same
/// p-specific shortcuts as [`mont_mul`] (separated operand scanning). Each round adds
/// `q·p·2^(64i)` with `q` the current low limb, which clears that limb; the carry out of
/// limb `i + 4` is held back and added in the next round. With `a < p` the input is below
/// p², so the result `(a² + Q·p)/2^256 < (p² + 2^256·p)/2^256 < 2p` fits four limbs and a
/// carry bit, and one conditional subtraction finishes. Tested against fiat-crypto.
#[inline(always)]
pub(crate) const fn mont_square(
    out: &mut fiat::fiat_p256_montgomery_domain_field_element,
    a: &fiat::fiat_p256_montgomery_domain_field_element,
) {
    const P: [u64; 4] = FieldElement::MODULUS;
    let [a0, a1, a2, a3] = a.0;
    // Cross products a_i·a_j, i < j, at limbs 1..6.
    let (r1, c) = mac(0, a0, a1, 0);
    let (r2, c) = mac(0, a0, a2, c);
    let (r3, r4) = mac(0, a0, a3, c);
    let (r3, c) = mac(r3, a1, a2, 0);
    let (r4, r5) = mac(r4, a1, a3, c);
    let (r5, r6) = mac(r5, a2, a3, 0);
    // Doubled (the top bit moves into limb 7).
    let r7 = r6 >> 63;
    let r6 = (r6 << 1) | (r5 >> 63);
    let r5 = (r5 << 1) | (r4 >> 63);
    let r4 = (r4 << 1) | (r3 >> 63);
    let r3 = (r3 << 1) | (r2 >> 63);
    let r2 = (r2 << 1) | (r1 >> 63);
    let r1 = r1 << 1;
    // Plus the squares a_i² at limbs 2i, 2i+1.
    let (r0, hi) = mac(0, a0, a0, 0);
    let (r1, c) = adc(r1, hi, 0);
    let (lo, hi) = mac(0, a1, a1, c);
    let (r2, c) = adc(r2, lo, 0);
    let (r3, c) = adc(r3, hi, c);
    let (lo, hi) = mac(0, a2, a2, c);
    let (r4, c) = adc(r4, lo, 0);
    let (r5, c) = adc(r5, hi, c);
    let (lo, hi) = mac(0, a3, a3, c);
    let (r6, c) = adc(r6, lo, 0);
    let (r7, _) = adc(r7, hi, c); // a² < 2^512: no carry out
    // Four reduction rounds; q = the low limb, which becomes q·2^64 and carries q.
    let q = r0;
    let (r1, c) = mac(r1, q, P[1], q);
    let (r2, c) = adc(r2, 0, c);
    let (r3, c) = mac(r3, q, P[3], c);
    let (r4, k0) = adc(r4, c, 0);
    let q = r1;
    let (r2, c) = mac(r2, q, P[1], q);
    let (r3, c) = adc(r3, 0, c);
    let (r4, c) = mac(r4, q, P[3], c);
    let (r5, k1) = adc(r5, c, k0);
    let q = r2;
    let (r3, c) = mac(r3, q, P[1], q);
    let (r4, c) = adc(r4, 0, c);
    let (r5, c) = mac(r5, q, P[3], c);
    let (r6, k2) = adc(r6, c, k1);
    let q = r3;
    let (r4, c) = mac(r4, q, P[1], q);
    let (r5, c) = adc(r5, 0, c);
    let (r6, c) = mac(r6, q, P[3], c);
    let (r7, k3) = adc(r7, c, k2);
    // (r4, r5, r6, r7, k3) < 2p: subtract p unless that borrows.
    let (d0, br) = sbb(r4, P[0], 0);
    let (d1, br) = sbb(r5, P[1], br);
    let (d2, br) = sbb(r6, P[2], br);
    let (d3, br) = sbb(r7, P[3], br);
    let (_, br) = sbb(k3, 0, br);
    out.0 = [
        (r4 & br) | (d0 & !br),
        (r5 & br) | (d1 & !br),
        (r6 & br) | (d2 & !br),
        (r7 & br) | (d3 & !br),
    ];
}

/// `out = a + b mod p`, a drop-in for `fiat_p256_add` (inputs and output below p).
///
/// `s = a + b < 2p` takes four limbs and a carry bit; `d = s − p` is kept unless it
/// borrows past the carry bit (then `s < p` already). The borrow is the high half of a
/// 128-bit difference, a 0/all-ones word, and selects with AND/OR (the form LLVM leaves as
/// mask arithmetic; see [`mont_mul`]). About half the instructions of fiat's version,
/// whose selection goes through a byte-wide `cmovznz` per limb. Tested against fiat-crypto.
#[inline(always)]
#[allow(dead_code)] // x86-64 uses the assembly; the tests compare both with fiat
pub(crate) const fn mont_add(
    out: &mut fiat::fiat_p256_montgomery_domain_field_element,
    a: &fiat::fiat_p256_montgomery_domain_field_element,
    b: &fiat::fiat_p256_montgomery_domain_field_element,
) {
    const P: [u64; 4] = FieldElement::MODULUS;
    let (a, b) = (&a.0, &b.0);
    let (s0, c) = adc(a[0], b[0], 0);
    let (s1, c) = adc(a[1], b[1], c);
    let (s2, c) = adc(a[2], b[2], c);
    let (s3, c) = adc(a[3], b[3], c);
    let (d0, br) = sbb(s0, P[0], 0);
    let (d1, br) = sbb(s1, P[1], br);
    let (d2, br) = sbb(s2, P[2], br);
    let (d3, br) = sbb(s3, P[3], br);
    // All ones iff c·2^256 + s < p: keep s.
    let (_, keep) = sbb(c, 0, br);
    out.0 = [
        (s0 & keep) | (d0 & !keep),
        (s1 & keep) | (d1 & !keep),
        (s2 & keep) | (d2 & !keep),
        (s3 & keep) | (d3 & !keep),
    ];
}

/// `out = a − b mod p`, a drop-in for `fiat_p256_sub` (inputs and output below p): the
/// 256-bit difference, plus p masked by the borrow (0 or all ones), so the result is
/// `a − b` or `a − b + p`, both below p. Tested against fiat-crypto.
#[inline(always)]
#[allow(dead_code)] // as `mont_add`
pub(crate) const fn mont_sub(
    out: &mut fiat::fiat_p256_montgomery_domain_field_element,
    a: &fiat::fiat_p256_montgomery_domain_field_element,
    b: &fiat::fiat_p256_montgomery_domain_field_element,
) {
    const P: [u64; 4] = FieldElement::MODULUS;
    let (a, b) = (&a.0, &b.0);
    let (d0, br) = sbb(a[0], b[0], 0);
    let (d1, br) = sbb(a[1], b[1], br);
    let (d2, br) = sbb(a[2], b[2], br);
    let (d3, br) = sbb(a[3], b[3], br);
    // br is all ones iff a < b: add p back (modulo 2^256, the carry out is dropped).
    let (r0, c) = adc(d0, P[0] & br, 0);
    let (r1, c) = adc(d1, P[1] & br, c);
    let (r2, c) = adc(d2, P[2] & br, c);
    let (r3, _) = adc(d3, P[3] & br, c);
    out.0 = [r0, r1, r2, r3];
}

/// `acc + a·b + c` as (low, high); cannot overflow 128 bits.
#[inline(always)]
const fn mac(acc: u64, a: u64, b: u64, c: u64) -> (u64, u64) {
    let t = acc as u128 + (a as u128) * (b as u128) + c as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a + b + c` as (sum, carry).
#[inline(always)]
const fn adc(a: u64, b: u64, c: u64) -> (u64, u64) {
    let t = a as u128 + b as u128 + c as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a − b − borrow` with `borrow` 0 or all ones; returns (difference, 0 or all ones).
#[inline(always)]
const fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = (a as u128).wrapping_sub(b as u128 + (borrow >> 63) as u128);
    (t as u64, (t >> 64) as u64)
}
