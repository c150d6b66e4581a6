//! Key wrap: RFC 3394's algorithm with Camellia as RFC 3657 specifies it.
//!
//! A key of `n` ≥ 2 blocks of 8 bytes is wrapped into `n + 1` blocks by six rounds of
//! `B = E(K, A ‖ Rᵢ)`, `A = MSB₆₄(B) ⊕ t`, `Rᵢ = LSB₆₄(B)` with `t = n·j + i`, starting
//! from `A = A6A6A6A6A6A6A6A6`. Unwrapping runs the rounds backwards and checks, in
//! constant time, that `A` returns to that value; if not, nothing is returned and the
//! buffer is wiped.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;
#[cfg(feature = "alloc")]
use zeroize::Zeroizing;

use crate::Error;
use crate::camellia::aead::{Cipher, wipe};
use crate::camellia::modes::BlockCipher;

/// The default initial value of RFC 3394 §2.2.3.1.
const IV: [u8; 8] = [0xA6; 8];

/// Wraps `key` (16 bytes or more, a multiple of 8) under `kek` (16, 24 or 32 bytes):
/// the result is 8 bytes longer. [`Error::InvalidLength`] for a key of another length.
#[cfg(feature = "alloc")]
pub fn wrap(kek: &[u8], key: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = alloc::vec![0u8; key.len() + 8];
    out[8..].copy_from_slice(key);
    wrap_in_place(kek, &mut out)?;
    Ok(out)
}

/// Unwraps `wrapped` (24 bytes or more, a multiple of 8) under `kek`.
/// [`Error::InvalidLength`] for another length, [`Error::AuthenticationFailed`] if the
/// integrity check fails (wrong key-encryption key, or changed data).
#[cfg(feature = "alloc")]
pub fn unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let mut buf = Zeroizing::new(wrapped.to_vec());
    unwrap_in_place(kek, &mut buf)?;
    Ok(Zeroizing::new(buf[8..].to_vec()))
}

/// Wraps in place: `buf` is 8 bytes of space followed by the key (so 24 bytes or more,
/// a multiple of 8); afterwards it holds the wrapped key.
pub fn wrap_in_place(kek: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    let cipher = Cipher::new(kek, None)?;
    let n = blocks(buf.len())?;
    let (a, r) = buf.split_at_mut(8);
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&IV);
    let r = r.as_chunks_mut::<8>().0;
    for j in 0..6u64 {
        for (i, ri) in r.iter_mut().enumerate() {
            b[8..].copy_from_slice(ri);
            cipher.encrypt_block(&mut b);
            let t = n * j + i as u64 + 1;
            xor_t(&mut b, t);
            ri.copy_from_slice(&b[8..]);
        }
    }
    a.copy_from_slice(&b[..8]);
    b.zeroize();
    Ok(())
}

/// Unwraps in place: on success `buf[8..]` holds the key (and `buf[..8]` the check
/// value); on failure the whole of `buf` is wiped.
pub fn unwrap_in_place(kek: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    let cipher = Cipher::new(kek, None)?;
    let n = blocks(buf.len())?;
    let (a, r) = buf.split_at_mut(8);
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(a);
    let r = r.as_chunks_mut::<8>().0;
    for j in (0..6u64).rev() {
        for (i, ri) in r.iter_mut().enumerate().rev() {
            let t = n * j + i as u64 + 1;
            xor_t(&mut b, t);
            b[8..].copy_from_slice(ri);
            cipher.decrypt_block(&mut b);
            ri.copy_from_slice(&b[8..]);
        }
    }
    let ok = b[..8].ct_eq(&IV);
    a.copy_from_slice(&b[..8]);
    b.zeroize();
    if crate::ct::declassify_choice(ok) {
        Ok(())
    } else {
        wipe(buf);
        Err(Error::AuthenticationFailed)
    }
}

/// `A ⊕= t` on the first 8 bytes of `b`.
fn xor_t(b: &mut [u8; 16], t: u64) {
    for (x, t) in b[..8].iter_mut().zip(t.to_be_bytes()) {
        *x ^= t;
    }
}

/// The number `n` of key blocks for a wrapped length: at least 2, whole 8-byte blocks.
fn blocks(wrapped_len: usize) -> Result<u64, Error> {
    if wrapped_len < 24 || wrapped_len % 8 != 0 {
        return Err(Error::InvalidLength);
    }
    Ok((wrapped_len / 8 - 1) as u64)
}
