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

/// Each byte lane of the secret `w` multiplied by the *public* constant `c`: the loop and
/// its branches follow `c`'s bits only.
#[inline(always)]
fn mul8_public(w: u64, c: u8) -> u64 {
    let mut acc = 0u64;
    let mut p = w;
    let mut c = c;
    while c != 0 {
        if c & 1 == 1 {
            acc ^= p;
        }
        c >>= 1;
        if c != 0 {
            p = xtime8(p);
        }
    }
    acc
}

/// `a / b` for public values, variable-time (Lagrange coefficients of public indices).
fn div_vartime(a: u8, b: u8) -> u8 {
    mul(a, invert(b))
}

/// Words of 8 little-endian bytes, the last one zero-padded.
fn load_words(bytes: &[u8], words: &mut [u64]) {
    for (w, chunk) in words.iter_mut().zip(bytes.chunks(8)) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        *w = u64::from_le_bytes(b);
        b.zeroize();
    }
}

/// The inverse of [`load_words`] (`bytes.len()` bytes written).
fn store_words(words: &[u64], bytes: &mut [u8]) {
    for (w, chunk) in words.iter().zip(bytes.chunks_mut(8)) {
        let mut b = w.to_le_bytes();
        chunk.copy_from_slice(&b[..chunk.len()]);
        b.zeroize();
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
    // coefficient 0 is the secret.
    let mut coeffs = Zeroizing::new(vec![0u64; t * nw]);
    {
        let mut random = Zeroizing::new(vec![0u8; (t - 1) * len]);
        rng.fill_bytes(&mut random);
        load_words(secret, &mut coeffs[..nw]);
        for (j, chunk) in random.chunks_exact(len).enumerate() {
            load_words(chunk, &mut coeffs[(j + 1) * nw..(j + 2) * nw]);
        }
    }
    let mut y = Zeroizing::new(vec![0u64; nw]);
    let mut shares = Vec::with_capacity(usize::from(count));
    for x in 1..=count {
        for (w, yw) in y.iter_mut().enumerate() {
            let mut acc = coeffs[(t - 1) * nw + w];
            for j in (0..t - 1).rev() {
                acc = mul8_public(acc, x) ^ coeffs[j * nw + w];
            }
            *yw = acc;
        }
        let mut payload = vec![0u8; len];
        store_words(&y, &mut payload);
        shares.push(Share {
            field: FieldId::Gf256,
            set_id,
            threshold,
            index: x,
            payload,
        });
    }
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
    let nw = len.div_ceil(8);
    let mut acc = Zeroizing::new(vec![0u64; nw]);
    let mut y = Zeroizing::new(vec![0u64; nw]);
    for (i, si) in used.iter().enumerate() {
        let xi = si.borrow().index;
        // λᵢ = Π_{j≠i} xⱼ / (xⱼ + xᵢ): public.
        let (mut num, mut den) = (1u8, 1u8);
        for (j, sj) in used.iter().enumerate() {
            if i != j {
                let xj = sj.borrow().index;
                num = mul(num, xj);
                den = mul(den, xj ^ xi);
            }
        }
        let lambda = div_vartime(num, den);
        load_words(&si.borrow().payload, &mut y);
        for (a, w) in acc.iter_mut().zip(y.iter()) {
            *a ^= mul8_public(*w, lambda);
        }
    }
    let mut out = Zeroizing::new(vec![0u8; len]);
    store_words(&acc, &mut out);
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
                let lanes = mul8_public(w, b).to_le_bytes();
                let expect = [a, b, a ^ b, 0, 1, 0x80, a, 0xff].map(|v| mul_ref(v, b));
                assert_eq!(lanes, expect);
            }
            if a != 0 {
                assert_eq!(mul(a, invert(a)), 1, "{a}");
            }
        }
        assert_eq!(invert(0), 0);
        // FIPS 197 §4.2: {57}·{83} = {c1}.
        assert_eq!(mul(0x57, 0x83), 0xc1);
    }
}
