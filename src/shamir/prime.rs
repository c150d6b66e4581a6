//! Shamir sharing over a [`PrimeField`]: one element or a vector, reconstruction by
//! Lagrange interpolation at 0, and share-wise addition for aggregation.
//!
//! A vector of `m` values is shared with `m` independent polynomials of degree `t − 1`
//! (one per value) evaluated at the same x = 1, …, n; share `i` holds the `m` values at
//! `x = i`. Because evaluation and interpolation are linear, the share-wise sum of the
//! shares of two vectors (same index, same threshold) is a share of the sum of the
//! vectors: servers that each hold one share of every contribution [`add`] them, and `t`
//! of the summed shares rebuild the total and nothing else.
//!
//! Constant time: the secrets, the coefficients and the share values only meet field
//! arithmetic (constant-time in both fields); the evaluation points and the Lagrange
//! coefficients are functions of the public indices.

use alloc::vec;
use alloc::vec::Vec;
use core::borrow::Borrow;

use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use super::share::{check_shares, random_set_id};
use super::{FieldId, PrimeField, Share, check_params};
use crate::Error;

/// Splits one secret element into `count` shares, any `threshold` of which rebuild it.
///
/// Errors: [`Error::InvalidThreshold`] unless 2 ≤ threshold ≤ count ≤ 255;
/// [`Error::RngFailure`] if `rng` is broken (see [`PrimeField::random`]).
pub fn split<F: PrimeField, R: CryptoRng + ?Sized>(
    rng: &mut R,
    secret: &F,
    threshold: usize,
    count: usize,
) -> Result<Vec<Share>, Error> {
    split_vec(rng, core::slice::from_ref(secret), threshold, count)
}

/// Splits a vector of secret elements into `count` shares (each holding one value per
/// element), any `threshold` of which rebuild the vector.
///
/// Errors: [`Error::InvalidThreshold`] unless 2 ≤ threshold ≤ count ≤ 255;
/// [`Error::RngFailure`] if `rng` is broken (see [`PrimeField::random`]);
/// [`Error::InvalidLength`] for an empty vector or one whose share would exceed the
/// encoding's 4 GiB payload.
pub fn split_vec<F: PrimeField, R: CryptoRng + ?Sized>(
    rng: &mut R,
    secrets: &[F],
    threshold: usize,
    count: usize,
) -> Result<Vec<Share>, Error> {
    check_params(threshold, count)?;
    let payload_len = payload_len::<F>(secrets.len())?;
    let set_id = random_set_id(rng);
    let t = threshold;
    let mut shares: Vec<Share> = (1..=count)
        .map(|i| Share {
            field: F::ID,
            set_id,
            threshold: t as u8,
            index: i as u8,
            payload: vec![0u8; payload_len],
        })
        .collect();
    // Values go by blocks of BLOCK: one RNG call draws the coefficients of a whole block.
    // coeffs[k·t] = value k of the block, coeffs[k·t + 1 .. (k+1)·t] its a₁ … a_{t−1},
    // uniform (zero allowed).
    const BLOCK: usize = 32;
    let mut coeffs = Zeroizing::new(vec![F::ZERO; BLOCK * t]);
    let mut random = Zeroizing::new(vec![0u8; BLOCK * (t - 1) * F::BYTES]);
    for (b, block) in secrets.chunks(BLOCK).enumerate() {
        let n = block.len();
        let draws = &mut random[..n * (t - 1) * F::BYTES];
        rng.fill_bytes(draws);
        let mut draws = draws.chunks_exact(F::BYTES);
        for (k, secret) in block.iter().enumerate() {
            coeffs[k * t] = *secret;
            for c in &mut coeffs[k * t + 1..(k + 1) * t] {
                let draw = F::read_bytes(draws.next().unwrap_or(&[]));
                *c = draw.unwrap_or(F::ZERO);
                // Only the verdict is public; a rejected draw (probability < 2⁻³²) is
                // replaced by a fresh one.
                if !crate::ct::declassify_choice(draw.is_some()) {
                    *c = F::random(rng)?;
                }
            }
        }
        random[..].zeroize();
        let at = b * BLOCK * F::BYTES;
        for share in shares.iter_mut() {
            let x = u32::from(share.index);
            let out = &mut share.payload[at..at + n * F::BYTES];
            for (poly, o) in coeffs.chunks_exact(t).zip(out.chunks_exact_mut(F::BYTES)) {
                let mut y = horner_small(poly, x);
                y.write_bytes(o);
                y.zeroize();
            }
        }
    }
    Ok(shares)
}

/// Rebuilds a single element from at least `threshold` shares of it.
///
/// Errors: those of [`combine_vec`], and [`Error::ShareMismatch`] if the shares hold a
/// vector of more than one element.
pub fn combine<F: PrimeField, S: Borrow<Share>>(shares: &[S]) -> Result<F, Error> {
    let values = combine_vec::<F, S>(shares)?;
    match values.as_slice() {
        [v] => Ok(*v),
        _ => Err(Error::ShareMismatch),
    }
}

/// Rebuilds a vector from at least `threshold` shares (the first `threshold` are used,
/// after every share has been checked).
///
/// Errors, before anything is computed: [`Error::NotEnoughShares`] for no shares or fewer
/// than the threshold; [`Error::ShareMismatch`] for shares of another field than `F` or of
/// different sets, thresholds or lengths; [`Error::InvalidShareIndex`] for index 0;
/// [`Error::DuplicateShareIndex`] for an index given twice.
pub fn combine_vec<F: PrimeField, S: Borrow<Share>>(
    shares: &[S],
) -> Result<Zeroizing<Vec<F>>, Error> {
    let (t, len) = check_shares(shares, F::ID)?;
    let used = &shares[..t];
    let lambdas = lagrange_at_zero::<F>(used.iter().map(|s| s.borrow().index));
    let m = len / F::BYTES;
    let mut out = Zeroizing::new(vec![F::ZERO; m]);
    for (share, lambda) in used.iter().zip(lambdas.iter()) {
        let payload = &share.borrow().payload;
        for (acc, chunk) in out.iter_mut().zip(payload.chunks_exact(F::BYTES)) {
            // Canonical by construction (`split_vec`, `add`) or by `Share::from_bytes`.
            let mut y = F::read_bytes(chunk).unwrap_or(F::ZERO);
            *acc = acc.add(&y.mul(lambda));
            y.zeroize();
        }
    }
    Ok(out)
}

/// The share-wise sum of two shares with the same index: a share, at that index, of the
/// sum of the two secrets (or vectors). Works in every field, GF(2⁸) included (where the
/// sum is XOR).
///
/// The result's set identifier is the sum of the two identifiers as 128-bit big-endian
/// integers (mod 2¹²⁸): addition of shares is commutative and associative, so servers that
/// add the same shares in any order obtain shares of one and the same set.
///
/// Errors: [`Error::ShareMismatch`] if the shares differ in field, threshold, index or
/// length.
pub fn add(a: &Share, b: &Share) -> Result<Share, Error> {
    if a.field != b.field
        || a.threshold != b.threshold
        || a.index != b.index
        || a.payload.len() != b.payload.len()
    {
        return Err(Error::ShareMismatch);
    }
    let payload = match a.field {
        FieldId::Gf256 => a
            .payload
            .iter()
            .zip(&b.payload)
            .map(|(x, y)| x ^ y)
            .collect(),
        FieldId::Goldilocks => add_payloads::<super::Goldilocks>(&a.payload, &b.payload),
        FieldId::P256Scalar => add_payloads::<super::P256Scalar>(&a.payload, &b.payload),
    };
    let set = u128::from_be_bytes(a.set_id).wrapping_add(u128::from_be_bytes(b.set_id));
    Ok(Share {
        field: a.field,
        set_id: set.to_be_bytes(),
        threshold: a.threshold,
        index: a.index,
        payload,
    })
}

/// The values of a share over `F`, decoded.
///
/// Errors: [`Error::ShareMismatch`] if the share is over another field.
pub fn values<F: PrimeField>(share: &Share) -> Result<Zeroizing<Vec<F>>, Error> {
    if share.field != F::ID {
        return Err(Error::ShareMismatch);
    }
    Ok(Zeroizing::new(
        share
            .payload
            .chunks_exact(F::BYTES)
            .map(|c| F::read_bytes(c).unwrap_or(F::ZERO))
            .collect(),
    ))
}

fn add_payloads<F: PrimeField>(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    for ((o, x), y) in out
        .chunks_exact_mut(F::BYTES)
        .zip(a.chunks_exact(F::BYTES))
        .zip(b.chunks_exact(F::BYTES))
    {
        let mut s = F::read_bytes(x)
            .unwrap_or(F::ZERO)
            .add(&F::read_bytes(y).unwrap_or(F::ZERO));
        s.write_bytes(o);
        s.zeroize();
    }
    out
}

/// Payload bytes of a share of `m` elements: `m` must be non-zero and the payload must fit
/// the encoding's `u32` length.
fn payload_len<F: PrimeField>(m: usize) -> Result<usize, Error> {
    match m.checked_mul(F::BYTES) {
        Some(len) if m > 0 && u32::try_from(len).is_ok() => Ok(len),
        _ => Err(Error::InvalidLength),
    }
}

/// Fills `out` with uniform elements: one RNG call for all of them, then each draw that is
/// not below p (public verdict) is replaced by a fresh [`PrimeField::random`]
/// ([`Error::RngFailure`] if that gives up).
pub(crate) fn fill_random<F: PrimeField, R: CryptoRng + ?Sized>(
    rng: &mut R,
    out: &mut [F],
    buf: &mut [u8],
) -> Result<(), Error> {
    rng.fill_bytes(buf);
    let mut result = Ok(());
    for (c, bytes) in out.iter_mut().zip(buf.chunks_exact(F::BYTES)) {
        let draw = F::read_bytes(bytes);
        *c = if crate::ct::declassify_choice(draw.is_some()) {
            draw.unwrap_or(F::ZERO)
        } else {
            match F::random(rng) {
                Ok(x) => x,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        };
    }
    buf.zeroize();
    result
}

/// `Σ coeffs[j]·xʲ` by Horner's rule, for a small public x.
#[inline]
pub(crate) fn horner_small<F: PrimeField>(coeffs: &[F], x: u32) -> F {
    let Some((last, rest)) = coeffs.split_last() else {
        return F::ZERO;
    };
    let mut y = *last;
    for c in rest.iter().rev() {
        y = y.mul_small_add(x, c);
    }
    y
}

/// Lagrange coefficients at 0 for the (public, distinct, non-zero) indices:
/// `λᵢ = Π_{j≠i} xⱼ / (xⱼ − xᵢ)`, with one inversion for all denominators (Montgomery's
/// trick).
pub(crate) fn lagrange_at_zero<F: PrimeField>(indices: impl Iterator<Item = u8>) -> Vec<F> {
    let xs: Vec<F> = indices.map(|i| F::from_u64(u64::from(i))).collect();
    let t = xs.len();
    let mut num = vec![F::ONE; t];
    let mut den = vec![F::ONE; t];
    for i in 0..t {
        for j in 0..t {
            if i != j {
                num[i] = num[i].mul(&xs[j]);
                den[i] = den[i].mul(&xs[j].sub(&xs[i]));
            }
        }
    }
    // prefix[i] = den[0]·…·den[i−1]
    let mut prefix = vec![F::ONE; t];
    let mut acc = F::ONE;
    for i in 0..t {
        prefix[i] = acc;
        acc = acc.mul(&den[i]);
    }
    let mut inv = acc.invert();
    let mut out = vec![F::ZERO; t];
    for i in (0..t).rev() {
        out[i] = num[i].mul(&inv.mul(&prefix[i]));
        inv = inv.mul(&den[i]);
    }
    out
}
