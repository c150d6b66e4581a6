//! Shamir secret sharing for C (`tsubaki_shamir_*`): byte strings over GF(2⁸) and vectors
//! of Goldilocks elements (p = 2⁶⁴ − 2³² + 1), each share in tsubaki's share encoding
//! (`tsubaki::shamir::Share::to_bytes`: version, field, set id, threshold, index,
//! payload), so shares written here are read by the Rust library and the reverse.
//!
//! Conventions: those of every `tsubaki_*` function ([`crate::abi`]). Several shares
//! travel as one buffer: `count` shares of equal length, one after another. The secret
//! of a Goldilocks split is `8·k` bytes: k elements, each 8 bytes big-endian and below p.
//! Randomness comes from the operating system.

use tsubaki_core::shamir::{Goldilocks, PrimeField, Share, gf256, prime};
use zeroize::Zeroizing;

use crate::abi::{call, input, non_null};
use crate::error::TsubakiStatus;

/// A sharing field (`TSUBAKI_SHAMIR_*`).
pub type TsubakiShamirField = u32;
/// GF(2⁸): the secret is any byte string (1 byte or more); shares are as long as it plus
/// the header.
pub const TSUBAKI_SHAMIR_GF256: TsubakiShamirField = 1;
/// The Goldilocks prime field: the secret is k big-endian 8-byte elements below p.
pub const TSUBAKI_SHAMIR_GOLDILOCKS: TsubakiShamirField = 2;

/// Splits `secret` into `count` shares, any `threshold` of which rebuild it
/// (2 ≤ threshold ≤ count ≤ 255, else `TSUBAKI_STATUS_INVALID_ARGUMENT`). The shares go to
/// `shares` one after another, `*shares_len / count` bytes each. A size query still
/// draws the shares (and discards them): the size is exact.
///
/// # Safety
/// `secret` readable for `secret_len` bytes; `shares`/`shares_len` as in the convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_shamir_split(
    field: TsubakiShamirField,
    secret: *const u8,
    secret_len: usize,
    threshold: u8,
    count: u8,
    shares: *mut u8,
    shares_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(shares, shares_len)], |o| {
            let secret = input(non_null(secret)?, secret_len)?;
            let mut rng = tsubaki_core::OsRng;
            let split = match field {
                TSUBAKI_SHAMIR_GF256 => gf256::split(&mut rng, secret, threshold, count)?,
                TSUBAKI_SHAMIR_GOLDILOCKS => {
                    let values = elements(secret)?;
                    prime::split_vec(&mut rng, &values, threshold.into(), count.into())?
                }
                _ => return Err(TsubakiStatus::InvalidArgument),
            };
            let encoded: Vec<Zeroizing<Vec<u8>>> =
                split.iter().map(|s| Zeroizing::new(s.to_bytes())).collect();
            let total = encoded.iter().map(|e| e.len()).sum();
            if !o.reserve([total])? {
                return Ok(());
            }
            let out = o.slice(0);
            let mut at = 0;
            for e in &encoded {
                out[at..at + e.len()].copy_from_slice(e);
                at += e.len();
            }
            Ok(())
        })
    }
}

/// Rebuilds the secret from `count` shares of `share_len` bytes each, one after another
/// in `shares` (the first `threshold` of them are used, after all are checked). Errors:
/// `TSUBAKI_STATUS_INVALID_ENCODING` for a malformed share, `TSUBAKI_STATUS_REJECTED`
/// for too few shares, shares of different sets or fields, or a repeated index.
///
/// # Safety
/// `shares` readable for `share_len · count` bytes; `secret`/`secret_len` as in the
/// convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_shamir_combine(
    field: TsubakiShamirField,
    shares: *const u8,
    share_len: usize,
    count: usize,
    secret: *mut u8,
    secret_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY: the caller's contract.
    unsafe {
        call([(secret, secret_len)], |o| {
            let total = share_len
                .checked_mul(count)
                .ok_or(TsubakiStatus::InvalidLength)?;
            if share_len == 0 || count == 0 {
                return Err(TsubakiStatus::InvalidLength);
            }
            let all = input(non_null(shares)?, total)?;
            let parsed = all
                .chunks_exact(share_len)
                .map(Share::from_bytes)
                .collect::<Result<Vec<Share>, _>>()?;
            let bytes: Zeroizing<Vec<u8>> = match field {
                TSUBAKI_SHAMIR_GF256 => gf256::combine(&parsed)?,
                TSUBAKI_SHAMIR_GOLDILOCKS => {
                    let v = prime::combine_vec::<Goldilocks, _>(&parsed)?;
                    let mut b = Zeroizing::new(vec![0u8; v.len() * Goldilocks::BYTES]);
                    for (x, chunk) in v.iter().zip(b.chunks_exact_mut(Goldilocks::BYTES)) {
                        x.write_bytes(chunk);
                    }
                    b
                }
                _ => return Err(TsubakiStatus::InvalidArgument),
            };
            o.reserve_write(&bytes)
        })
    }
}

/// The Goldilocks elements of a secret: 8-byte big-endian, each below p.
fn elements(secret: &[u8]) -> Result<Zeroizing<Vec<Goldilocks>>, TsubakiStatus> {
    if secret.is_empty() || !secret.len().is_multiple_of(Goldilocks::BYTES) {
        return Err(TsubakiStatus::InvalidLength);
    }
    let mut v = Zeroizing::new(Vec::with_capacity(secret.len() / Goldilocks::BYTES));
    for chunk in secret.chunks_exact(Goldilocks::BYTES) {
        let x = Option::<Goldilocks>::from(Goldilocks::read_bytes(chunk))
            .ok_or(TsubakiStatus::InvalidArgument)?;
        v.push(x);
    }
    Ok(v)
}
