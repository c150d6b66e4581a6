//! Feldman verifiable secret sharing over P-256 (Feldman 1987, "A practical scheme for
//! non-interactive verifiable secret sharing").
//!
//! The dealer shares a secret s ∈ Z/nZ (n the P-256 group order) with a polynomial
//! f(x) = a₀ + a₁x + … + a_{t−1}x^{t−1}, a₀ = s, and publishes the commitments
//! Cⱼ = aⱼ·G. The holder of share (i, f(i)) checks f(i)·G = Σⱼ iʲ·Cⱼ: a dealer who hands
//! out values that do not lie on one polynomial of degree below t (or commitments that do
//! not match it) is caught, with overwhelming probability, by every cheated holder.
//!
//! C₀ = s·G reveals s·G: Feldman's scheme hides s only computationally (discrete
//! logarithm), unlike plain Shamir sharing.
//!
//! Constant time: dealing computes every aⱼ·G with the constant-time fixed-base comb of
//! the ECDSA code; in [`verify_share`] the holder's f(i)·G is constant-time and compared in
//! constant time (the verdict alone is public), while Σ iʲ·Cⱼ is computed from public
//! values only (commitments and index), by Horner's rule whose doublings and additions
//! follow the bits of the public index (`eval_commitments_vartime`).
//!
//! Encoding of [`Commitments`] (public data): version 1, field byte 3, the 16-byte set
//! identifier, the threshold t, then t points of 65 bytes each, SEC 1 uncompressed
//! (`04 ‖ x ‖ y`); a commitment to a zero coefficient (the identity) is 65 zero bytes.

use alloc::vec;
use alloc::vec::Vec;

use rand_core::CryptoRng;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, Zeroizing};

use super::prime::{fill_random, horner_small};
use super::share::{VERSION, random_set_id};
use super::{FieldId, P256Scalar, PrimeField, Share, check_params};
use crate::Error;
use crate::ec::arith::p256::{
    AffinePoint, FieldElement, ProjectivePoint, mul_base_jacobian, mul_base_projective,
};

/// The dealer's public commitments C₀ … C_{t−1} to the coefficients of one split, with the
/// split's set identifier and threshold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commitments {
    set_id: [u8; 16],
    threshold: u8,
    /// aⱼ·G; the identity (aⱼ = 0) is held as the off-curve filler (0, 0).
    points: Vec<AffinePoint>,
}

/// Bytes of one encoded point.
const POINT_BYTES: usize = 65;
/// Bytes before the points.
const HEADER: usize = 19;

impl Commitments {
    /// The threshold of the split.
    pub fn threshold(&self) -> u8 {
        self.threshold
    }

    /// The set identifier of the split (the same as in its shares).
    pub fn set_id(&self) -> &[u8; 16] {
        &self.set_id
    }

    /// C₀ = s·G, SEC 1 uncompressed (65 zero bytes if s = 0).
    pub fn secret_commitment(&self) -> [u8; 65] {
        encode_point(&self.points[0])
    }

    /// The encoding described in the [module documentation](self).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + POINT_BYTES * self.points.len());
        out.push(VERSION);
        out.push(FieldId::P256Scalar.to_byte());
        out.extend_from_slice(&self.set_id);
        out.push(self.threshold);
        for p in &self.points {
            out.extend_from_slice(&encode_point(p));
        }
        out
    }

    /// Parses [`Self::to_bytes`] exactly: [`Error::UnsupportedVersion`] for another
    /// version; [`Error::InvalidThreshold`] for t < 2; [`Error::InvalidEncoding`] for a
    /// wrong field byte or length, a bad point tag; [`Error::InvalidPublicKey`] for a
    /// coordinate not below p or a point off the curve.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let (&version, _) = bytes.split_first().ok_or(Error::InvalidEncoding)?;
        if version != VERSION {
            return Err(Error::UnsupportedVersion);
        }
        let Some((header, body)) = bytes.split_at_checked(HEADER) else {
            return Err(Error::InvalidEncoding);
        };
        if header[1] != FieldId::P256Scalar.to_byte() {
            return Err(Error::InvalidEncoding);
        }
        let threshold = header[18];
        if threshold < 2 {
            return Err(Error::InvalidThreshold);
        }
        if body.len() != POINT_BYTES * usize::from(threshold) {
            return Err(Error::InvalidEncoding);
        }
        let mut set_id = [0u8; 16];
        set_id.copy_from_slice(&header[2..18]);
        let points = body
            .chunks_exact(POINT_BYTES)
            .map(decode_point_vartime)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            set_id,
            threshold,
            points,
        })
    }
}

fn encode_point(p: &AffinePoint) -> [u8; 65] {
    let mut out = [0u8; 65];
    if *p != AffinePoint::FILLER {
        out[0] = 4;
        out[1..33].copy_from_slice(&p.x.to_be_bytes());
        out[33..].copy_from_slice(&p.y.to_be_bytes());
    }
    out
}

/// Public data: variable-time checks.
fn decode_point_vartime(b: &[u8]) -> Result<AffinePoint, Error> {
    if b.iter().all(|&v| v == 0) {
        return Ok(AffinePoint::FILLER);
    }
    if b[0] != 4 {
        return Err(Error::InvalidEncoding);
    }
    let coord = |s: &[u8]| -> Result<FieldElement, Error> {
        let arr = <&[u8; 32]>::try_from(s).map_err(|_| Error::InvalidEncoding)?;
        Option::from(FieldElement::from_be_bytes(arr)).ok_or(Error::InvalidPublicKey)
    };
    let p = AffinePoint {
        x: coord(&b[1..33])?,
        y: coord(&b[33..65])?,
    };
    if bool::from(p.is_on_curve()) {
        Ok(p)
    } else {
        Err(Error::InvalidPublicKey)
    }
}

fn to_projective(p: &AffinePoint) -> ProjectivePoint {
    if *p == AffinePoint::FILLER {
        ProjectivePoint::IDENTITY
    } else {
        ProjectivePoint::from_affine(p)
    }
}

/// Splits `secret` like [`prime::split`](super::prime::split) over the P-256 scalar field
/// and returns, with the shares, the commitments to the polynomial's coefficients.
///
/// Errors: [`Error::InvalidThreshold`] unless 2 ≤ threshold ≤ count ≤ 255;
/// [`Error::RngFailure`] if `rng` is broken (see [`PrimeField::random`]).
pub fn split<R: CryptoRng + ?Sized>(
    rng: &mut R,
    secret: &P256Scalar,
    threshold: usize,
    count: usize,
) -> Result<(Vec<Share>, Commitments), Error> {
    check_params(threshold, count)?;
    let set_id = random_set_id(rng);
    let mut coeffs = Zeroizing::new(vec![P256Scalar::ZERO; threshold]);
    coeffs[0] = *secret;
    {
        let mut buf = Zeroizing::new(vec![0u8; (threshold - 1) * P256Scalar::BYTES]);
        fill_random(rng, &mut coeffs[1..], &mut buf)?;
    }
    let shares = (1..=count)
        .map(|i| {
            let mut y = horner_small(&coeffs, i as u32);
            let payload = y.to_be_bytes().to_vec();
            y.zeroize();
            Share {
                field: FieldId::P256Scalar,
                set_id,
                threshold: threshold as u8,
                index: i as u8,
                payload,
            }
        })
        .collect();
    let mut points: Vec<AffinePoint> = coeffs
        .iter()
        .map(|a| mul_base_jacobian(&a.0).to_affine())
        .collect();
    // The commitments are published: public from here on (for the valgrind check).
    crate::ct::declassify(points.as_slice());
    let _ = core::hint::black_box(&mut points);
    Ok((
        shares,
        Commitments {
            set_id,
            threshold: threshold as u8,
            points,
        },
    ))
}

/// Checks a share against the dealer's commitments: f(i)·G = Σⱼ iʲ·Cⱼ.
///
/// Errors: [`Error::ShareMismatch`] if the share is not a single P-256 scalar of the same
/// set and threshold as the commitments; [`Error::InvalidShare`] if it is, but does not lie
/// on the committed polynomial.
pub fn verify_share(commitments: &Commitments, share: &Share) -> Result<(), Error> {
    if share.field != FieldId::P256Scalar
        || share.set_id != commitments.set_id
        || share.threshold != commitments.threshold
        || share.payload.len() != P256Scalar::BYTES
        || commitments.points.len() != usize::from(commitments.threshold)
    {
        return Err(Error::ShareMismatch);
    }
    let value = P256Scalar::read_bytes(&share.payload).unwrap_or(P256Scalar::ZERO);
    let lhs = mul_base_projective(&value.0);
    let rhs = eval_commitments_vartime(&commitments.points, share.index);
    // Same projective point iff X₁Z₂ = X₂Z₁ and Y₁Z₂ = Y₂Z₁ (true for two identities,
    // false for the identity against any other point, as Y ≠ 0 on the identity).
    let same: Choice =
        lhs.x.mul(&rhs.z).ct_eq(&rhs.x.mul(&lhs.z)) & lhs.y.mul(&rhs.z).ct_eq(&rhs.y.mul(&lhs.z));
    if crate::ct::declassify_choice(same) {
        Ok(())
    } else {
        Err(Error::InvalidShare)
    }
}

/// Σⱼ xʲ·Cⱼ by Horner's rule, multiplying by the small public x with double-and-add on
/// its bits (public inputs only).
fn eval_commitments_vartime(points: &[AffinePoint], x: u8) -> ProjectivePoint {
    let mut acc = ProjectivePoint::IDENTITY;
    for c in points.iter().rev() {
        acc = mul_small_vartime(&acc, x).add(&to_projective(c));
    }
    acc
}

/// x·P for a public byte x, double-and-add from the top bit.
fn mul_small_vartime(p: &ProjectivePoint, x: u8) -> ProjectivePoint {
    let mut acc = ProjectivePoint::IDENTITY;
    for i in (0..8).rev() {
        acc = acc.double();
        if (x >> i) & 1 == 1 {
            acc = acc.add(p);
        }
    }
    acc
}
