//! Shamir sharing of byte strings over GF(2⁸), without lookup tables.
//!
//! The field is GF(2)[x]/(x⁸ + x⁴ + x³ + x + 1), the AES polynomial (FIPS 197 §4.2); each
//! byte of the secret is shared with its own polynomial, so a share is as long as the
//! secret. Addition is XOR.
//!
//! Multiplication never reads a table. In split and combine one operand is always public
//! — the evaluation point x, or a Lagrange coefficient computed from the public indices —
//! so the secret side is multiplied by shift-and-XOR whose *schedule* follows the public
//! operand's bits, eight bytes at a time in a `u64` (`xtime` on every byte lane at once:
//! shift, then XOR 0x1b into the lanes whose top bit fell out). The secret bytes only go
//! through shifts, ANDs with constants and XORs: no branch, no index. [`mul`] and
//! [`invert`], for two secret operands, run all eight steps with masks instead.
//!
//! Up to 255 shares (x = 1, …, 255).

use alloc::vec;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::hint::black_box;

use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use super::share::{check_shares, random_set_id};
use super::{FieldId, Share, check_params};
use crate::Error;

/// The reduction byte: x⁸ = x⁴ + x³ + x + 1.
const POLY: u8 = 0x1b;
const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const LSB: u64 = 0x0101_0101_0101_0101;

/// `a · b` in GF(2⁸), constant-time in both operands (eight masked steps).
pub fn mul(a: u8, b: u8) -> u8 {
    let mut acc = 0u8;
    let mut a = a;
    for i in 0..8 {
        let take = black_box(0u8.wrapping_sub((b >> i) & 1));
        acc ^= a & take;
        let carry = black_box(0u8.wrapping_sub(a >> 7));
        a = (a << 1) ^ (POLY & carry);
    }
    acc
}

/// `a⁻¹` in GF(2⁸) as a²⁵⁴, constant-time (0 maps to 0).
pub fn invert(a: u8) -> u8 {
    // 254 = 2 + 4 + … + 128: the product of a^(2^k), k = 1..7.
    let mut sq = a;
    let mut acc = 1u8;
    for _ in 1..8 {
        sq = mul(sq, sq);
        acc = mul(acc, sq);
    }
    acc
}

/// Each byte lane of `w` multiplied by x.
#[inline(always)]
fn xtime8(w: u64) -> u64 {
    ((w & LO7) << 1) ^ (((w >> 7) & LSB) * u64::from(POLY))
}

/// Each byte lane of the secret `w` multiplied by the *public* constant `c < 2^bits`:
/// `bits` steps of masked XOR and `xtime`, whatever `c` is, so that the loop length is the
/// same for every evaluation point of a split (no misprediction from one share to the
/// next) and depends on public values only.
#[inline(always)]
fn mul8_public(w: u64, c: u8, bits: u32) -> u64 {
    debug_assert!(bits == 8 || u32::from(c) < 1 << bits);
    let mut acc = 0u64;
    let mut p = w;
    for k in 0..bits {
        acc ^= p & 0u64.wrapping_sub(u64::from((c >> k) & 1));
        p = xtime8(p);
    }
    acc
}

/// Lane-wise products of eight pairs of bytes: lane `l` of the result is
/// `a[l] · b[l]`, for multipliers `b` below `2^bits` in every lane (`bits` ≤ 8 is public).
/// Shifts, masks and XORs, no branch on the operands: constant-time in both.
#[inline(always)]
fn mul8_lanes(a: u64, b: u64, bits: u32) -> u64 {
    let mut acc = 0u64;
    let mut a = a;
    for k in 0..bits {
        // 0xff in the lanes whose bit k of b is set.
        let m = ((b >> k) & LSB) * 0xff;
        acc ^= a & m;
        a = xtime8(a);
    }
    acc
}

/// x^(2i) mod the field polynomial, i = 0..7: the images of the basis under squaring.
const SQUARES: [u64; 8] = {
    let mut out = [0u64; 8];
    let mut i = 0;
    while i < 8 {
        // x^(2i) by repeated xtime of 1 (compile time).
        let mut v = 1u8;
        let mut k = 0;
        while k < 2 * i {
            v = (v << 1) ^ if v & 0x80 != 0 { POLY } else { 0 };
            k += 1;
        }
        out[i] = v as u64 * LSB;
        i += 1;
    }
    out
};

/// Lane-wise squares. Squaring is GF(2)-linear, so a² = Σ aᵢ·x^(2i): eight independent
/// masked terms (a short dependency chain, unlike a general product).
#[inline(always)]
fn square8_lanes(a: u64) -> u64 {
    let mut acc = 0u64;
    for (i, sq) in SQUARES.iter().enumerate() {
        acc ^= sq & (((a >> i) & LSB) * 0xff);
    }
    acc
}

/// Lane-wise inverses (0 for 0), `b²⁵⁴` by the addition chain 2, 3, 6, 12, 15, 240, 252,
/// 254: 7 squarings and 4 multiplications.
fn invert8_lanes(b: u64) -> u64 {
    let b2 = square8_lanes(b);
    let b3 = mul8_lanes(b2, b, 8);
    let b6 = square8_lanes(b3);
    let b12 = square8_lanes(b6);
    let b15 = mul8_lanes(b12, b3, 8);
    let mut b240 = b15;
    for _ in 0..4 {
        b240 = square8_lanes(b240);
    }
    mul8_lanes(mul8_lanes(b240, b12, 8), b2, 8)
}

/// Lagrange coefficients at 0 of the public, distinct, non-zero indices `xs`, into
/// `out[..xs.len()]`: λᵢ = Π_{j≠i} xⱼ / Π_{j≠i} (xⱼ + xᵢ), eight i at a time in the byte
/// lanes of a `u64` (one lane-wise inversion per eight coefficients). The loops follow
/// the public count only; the arithmetic would be constant-time even on secret indices.
fn lagrange_at_zero_vartime(xs: &[u8], out: &mut [u8; 255]) {
    let t = xs.len();
    // Every factor xⱼ or xⱼ + xᵢ is below 2^bits (public).
    let max = xs.iter().fold(0u8, |m, &x| m | x);
    let bits = 8 - max.leading_zeros();
    for base in (0..t).step_by(8) {
        let lanes = (t - base).min(8);
        let mut xi = [0u8; 8];
        xi[..lanes].copy_from_slice(&xs[base..base + lanes]);
        let xi = u64::from_le_bytes(xi);
        let (mut num, mut den) = (LSB, LSB);
        for (j, &xj) in xs.iter().enumerate() {
            let bx = u64::from(xj) * LSB;
            // The lane with i = j multiplies by 1 (skips its own factor).
            let own = if (base..base + lanes).contains(&j) {
                0xffu64 << (8 * (j - base))
            } else {
                0
            };
            num = mul8_lanes(num, (bx & !own) | (LSB & own), bits);
            den = mul8_lanes(den, ((bx ^ xi) & !own) | (LSB & own), bits);
        }
        let lambda = mul8_lanes(num, invert8_lanes(den), 8).to_le_bytes();
        out[base..base + lanes].copy_from_slice(&lambda[..lanes]);
    }
}

/// The little-endian word of the 8 bytes at `bytes[8w..]`, zero-padded past the end.
#[inline(always)]
fn word_at(bytes: &[u8], w: usize) -> u64 {
    let start = 8 * w;
    match bytes.get(start..start + 8) {
        Some(chunk) => {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            u64::from_le_bytes(b)
        }
        None => {
            let mut b = [0u8; 8];
            let tail = &bytes[start..];
            b[..tail.len()].copy_from_slice(tail);
            u64::from_le_bytes(b)
        }
    }
}

/// Writes the low bytes of `v` at `bytes[8w..]`, as many as fit.
#[inline(always)]
fn put_word(bytes: &mut [u8], w: usize, v: u64) {
    let start = 8 * w;
    match bytes.get_mut(start..start + 8) {
        // A fixed-size copy (one store), not a call to memcpy.
        Some(chunk) => chunk.copy_from_slice(&v.to_le_bytes()),
        None => {
            let tail = &mut bytes[start..];
            let n = tail.len();
            tail.copy_from_slice(&v.to_le_bytes()[..n]);
        }
    }
}

/// Splits `secret` into `count` shares, any `threshold` of which rebuild it; each share is
/// as long as the secret. The coefficients are uniform bytes (zero included), drawn from
/// `rng` in one call, with a 16-byte set identifier.
///
/// Errors: [`Error::InvalidThreshold`] unless 2 ≤ threshold ≤ count (count ≤ 255 by its
/// type); [`Error::InvalidLength`] for an empty secret or one over 4 GiB.
pub fn split<R: CryptoRng + ?Sized>(
    rng: &mut R,
    secret: &[u8],
    threshold: u8,
    count: u8,
) -> Result<Vec<Share>, Error> {
    check_params(usize::from(threshold), usize::from(count))?;
    if secret.is_empty() || u32::try_from(secret.len()).is_err() {
        return Err(Error::InvalidLength);
    }
    let set_id = random_set_id(rng);
    let t = usize::from(threshold);
    let len = secret.len();
    let nw = len.div_ceil(8);
    // coeffs[j·nw .. (j+1)·nw] holds coefficient j of every byte's polynomial;
    // coefficient 0 is the secret. On the stack when it fits (keys), else on the heap.
    const STACK_WORDS: usize = 128;
    let mut stack = [0u64; STACK_WORDS];
    let mut heap = Zeroizing::new(Vec::new());
    let coeffs: &mut [u64] = if t * nw <= STACK_WORDS {
        &mut stack[..t * nw]
    } else {
        heap.resize(t * nw, 0u64);
        &mut heap[..]
    };
    for (w, c) in coeffs[..nw].iter_mut().enumerate() {
        *c = word_at(secret, w);
    }
    // a₁ of every byte, then a₂, …: (t − 1)·len bytes read from the RNG in order, through
    // a small buffer.
    let mut buf = [0u8; 64];
    for j in 1..t {
        for (c, start) in (0..len).step_by(64).enumerate() {
            let n = (len - start).min(64);
            rng.fill_bytes(&mut buf[..n]);
            for k in 0..n.div_ceil(8) {
                coeffs[j * nw + 8 * c + k] = word_at(&buf[..n], k);
            }
        }
    }
    buf.zeroize();
    // Every x is below 2^bits.
    let bits = 8 - count.leading_zeros();
    let mut shares = Vec::with_capacity(usize::from(count));
    for x in 1..=count {
        let mut payload = vec![0u8; len];
        for w in 0..nw {
            let mut acc = coeffs[(t - 1) * nw + w];
            for j in (0..t - 1).rev() {
                acc = mul8_public(acc, x, bits) ^ coeffs[j * nw + w];
            }
            put_word(&mut payload, w, acc);
        }
        shares.push(Share {
            field: FieldId::Gf256,
            set_id,
            threshold,
            index: x,
            payload,
        });
    }
    coeffs.zeroize();
    Ok(shares)
}

/// Rebuilds the secret from at least `threshold` shares (the first `threshold` are used,
/// after every share has been checked).
///
/// Errors, before anything is computed: [`Error::NotEnoughShares`] for no shares or fewer
/// than the threshold; [`Error::ShareMismatch`] for shares of another field or of
/// different sets, thresholds or lengths; [`Error::InvalidShareIndex`] for index 0;
/// [`Error::DuplicateShareIndex`] for an index given twice.
pub fn combine<S: Borrow<Share>>(shares: &[S]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let (t, len) = check_shares(shares, FieldId::Gf256)?;
    let used = &shares[..t];
    let mut xs = [0u8; 255];
    for (x, s) in xs.iter_mut().zip(used) {
        *x = s.borrow().index;
    }
    let mut lambdas = [0u8; 255];
    lagrange_at_zero_vartime(&xs[..t], &mut lambdas);
    let mut out = Zeroizing::new(vec![0u8; len]);
    for w in 0..len.div_ceil(8) {
        let mut acc = 0u64;
        for (s, &lambda) in used.iter().zip(&lambdas) {
            // The step count follows the public λ's length.
            let bits = 8 - lambda.leading_zeros();
            acc ^= mul8_public(word_at(&s.borrow().payload, w), lambda, bits);
        }
        put_word(&mut out, w, acc);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bitwise reference multiplication ("Russian peasant"), variable-time.
    fn mul_ref(mut a: u8, mut b: u8) -> u8 {
        let mut p = 0;
        while b != 0 {
            if b & 1 != 0 {
                p ^= a;
            }
            let hi = a & 0x80 != 0;
            a <<= 1;
            if hi {
                a ^= POLY;
            }
            b >>= 1;
        }
        p
    }

    #[test]
    fn multiplication_and_inversion_agree_with_the_reference() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let r = mul_ref(a, b);
                assert_eq!(mul(a, b), r);
                let w = u64::from_le_bytes([a, b, a ^ b, 0, 1, 0x80, a, 0xff]);
                let lanes = mul8_public(w, b, 8).to_le_bytes();
                let expect = [a, b, a ^ b, 0, 1, 0x80, a, 0xff].map(|v| mul_ref(v, b));
                assert_eq!(lanes, expect);
                let lanes = mul8_lanes(w, u64::from(b) * LSB, 8).to_le_bytes();
                assert_eq!(lanes, expect);
                let sq = square8_lanes(w).to_le_bytes();
                let expect = [a, b, a ^ b, 0, 1, 0x80, a, 0xff].map(|v| mul_ref(v, v));
                assert_eq!(sq, expect);
                let expect = [a, b, a ^ b, 0, 1, 0x80, a, 0xff].map(|v| mul_ref(v, b));
                assert_eq!(lanes, expect);
            }
            if a != 0 {
                let inv = invert8_lanes(u64::from(a) << 16).to_le_bytes();
                assert_eq!(mul(inv[2], a), 1, "{a}");
                assert_eq!(inv[0], 0);
                assert_eq!(mul(a, invert(a)), 1, "{a}");
            }
        }
        let mut l = [0u8; 255];
        // x = 1, 2, 3: λ₁ = 2·3/((2+1)(3+1)) and so on; the λ sum to 1 (interpolating 1).
        lagrange_at_zero_vartime(&[1, 2, 3], &mut l);
        assert_eq!(l[0] ^ l[1] ^ l[2], 1);
        assert_eq!(l[0], mul(mul(2, 3), invert(mul(3, 2))));
        // Twenty indices (three lane groups) against the definition.
        let xs: Vec<u8> = (0..20u8).map(|i| i * 11 + 3).collect();
        lagrange_at_zero_vartime(&xs, &mut l);
        for i in 0..20 {
            let (mut num, mut den) = (1, 1);
            for j in 0..20 {
                if i != j {
                    num = mul(num, xs[j]);
                    den = mul(den, xs[j] ^ xs[i]);
                }
            }
            assert_eq!(l[i], mul(num, invert(den)), "λ{i}");
        }
        assert_eq!(invert(0), 0);
        // FIPS 197 §4.2: {57}·{83} = {c1}.
        assert_eq!(mul(0x57, 0x83), 0xc1);
    }
}
