//! The `tsubaki_camellia_*` AEAD, MAC and key-wrap functions: Camellia-GCM, Camellia-CCM,
//! CMAC and RFC 3394/3657 key wrap, each one call over caller buffers.
//!
//! Conventions: those of every `tsubaki_*` function ([`crate::abi`]: size query with a
//! NULL output, `TSUBAKI_STATUS_BUFFER_TOO_SMALL` with the size, outputs wiped on
//! failure, no panic into C), and here also:
//! - `out` may be the input buffer (in place) or overlap it exactly: inputs are copied
//!   into `out` with `memmove` semantics before any work;
//! - no plaintext is released unless its tag verified.

use core::ptr;

use tsubaki_core::camellia::aead::{CamelliaCcm, CamelliaGcm};
use tsubaki_core::camellia::mac;

use crate::abi::{call, input};
use crate::error::TsubakiStatus;

/// Copies `len` bytes from `src` to `dst` (they may overlap, as `memmove`) and returns
/// `dst` as a slice to work on in place.
///
/// # Safety
/// `dst` writable for `len` bytes and accessed through nothing else while the slice
/// lives; `src` readable for `len` bytes (or anything with `len` 0).
unsafe fn stage<'a>(src: *const u8, dst: *mut u8, len: usize) -> &'a mut [u8] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the contract above; `ptr::copy` allows overlap.
    unsafe {
        ptr::copy(src, dst, len);
        core::slice::from_raw_parts_mut(dst, len)
    }
}

/// Camellia-GCM encryption (NIST SP 800-38D): writes ciphertext ‖ 16-byte tag
/// (`plaintext_len + 16` bytes) to `out`. `key_len` is 16, 24 or 32; the nonce should be
/// 12 bytes (any length from 1 is accepted, as SP 800-38D allows). Never reuse a nonce
/// under one key.
///
/// # Safety
/// Every pointer is NULL or valid for its length (`out` for `*out_len` bytes); see the
/// module conventions.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_camellia_gcm_seal(
    key: *const u8,
    key_len: usize,
    nonce: *const u8,
    nonce_len: usize,
    aad: *const u8,
    aad_len: usize,
    plaintext: *const u8,
    plaintext_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    let needed = plaintext_len.saturating_add(16);
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            let gcm = CamelliaGcm::new(key)?;
            if !o.reserve([needed])? {
                return Ok(());
            }
            let out = o.ptr(0);
            let _ = input(plaintext, plaintext_len)?;
            let buf = stage(plaintext, out, plaintext_len);
            let tag = gcm.seal_in_place_detached_with_iv(nonce, aad, buf)?;
            ptr::copy_nonoverlapping(tag.as_ptr(), out.add(plaintext_len), 16);
            Ok(())
        })
    }
}

/// Camellia-GCM decryption: `sealed` is ciphertext ‖ 16-byte tag; writes the plaintext
/// (`sealed_len − 16` bytes) to `out` only if the tag verifies, else returns
/// `TSUBAKI_STATUS_AUTHENTICATION_FAILED` with `out` wiped.
///
/// # Safety
/// As [`tsubaki_camellia_gcm_seal`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_camellia_gcm_open(
    key: *const u8,
    key_len: usize,
    nonce: *const u8,
    nonce_len: usize,
    aad: *const u8,
    aad_len: usize,
    sealed: *const u8,
    sealed_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    let needed = sealed_len.saturating_sub(16);
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            let gcm = CamelliaGcm::new(key)?;
            let sealed_in = input(sealed, sealed_len)?;
            if sealed_len < 16 {
                return Err(TsubakiStatus::InvalidLength);
            }
            let mut tag = [0u8; 16];
            tag.copy_from_slice(&sealed_in[needed..]);
            if !o.reserve([needed])? {
                return Ok(());
            }
            let out = o.ptr(0);
            let buf = stage(sealed, out, needed);
            gcm.open_in_place_detached_with_iv(nonce, aad, buf, &tag)?;
            Ok(())
        })
    }
}

/// Camellia-CCM encryption (RFC 3610): nonce of 7..=13 bytes, `tag_len` 4, 6, …, 16;
/// writes ciphertext ‖ tag (`plaintext_len + tag_len` bytes).
///
/// # Safety
/// As [`tsubaki_camellia_gcm_seal`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_camellia_ccm_seal(
    key: *const u8,
    key_len: usize,
    nonce: *const u8,
    nonce_len: usize,
    tag_len: usize,
    aad: *const u8,
    aad_len: usize,
    plaintext: *const u8,
    plaintext_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    let needed = plaintext_len.saturating_add(tag_len.min(16));
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            let ccm = CamelliaCcm::new(key, nonce_len, tag_len)?;
            if !o.reserve([needed])? {
                return Ok(());
            }
            let out = o.ptr(0);
            let _ = input(plaintext, plaintext_len)?;
            let buf = stage(plaintext, out, plaintext_len);
            let mut tag = [0u8; 16];
            ccm.seal_in_place_detached(nonce, aad, buf, &mut tag[..tag_len])?;
            ptr::copy_nonoverlapping(tag.as_ptr(), out.add(plaintext_len), tag_len);
            Ok(())
        })
    }
}

/// Camellia-CCM decryption: `sealed` is ciphertext ‖ tag (`tag_len` bytes); the
/// plaintext is written only if the tag verifies.
///
/// # Safety
/// As [`tsubaki_camellia_gcm_seal`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_camellia_ccm_open(
    key: *const u8,
    key_len: usize,
    nonce: *const u8,
    nonce_len: usize,
    tag_len: usize,
    aad: *const u8,
    aad_len: usize,
    sealed: *const u8,
    sealed_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    let needed = sealed_len.saturating_sub(tag_len);
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            let ccm = CamelliaCcm::new(key, nonce_len, tag_len)?;
            let sealed_in = input(sealed, sealed_len)?;
            if sealed_len < tag_len {
                return Err(TsubakiStatus::InvalidLength);
            }
            let mut tag = [0u8; 16];
            tag[..tag_len].copy_from_slice(&sealed_in[needed..]);
            if !o.reserve([needed])? {
                return Ok(());
            }
            let out = o.ptr(0);
            let buf = stage(sealed, out, needed);
            ccm.open_in_place_detached(nonce, aad, buf, &tag[..tag_len])?;
            Ok(())
        })
    }
}

/// CMAC with Camellia (NIST SP 800-38B): writes the 16-byte tag of `msg` to `tag`
/// (`*tag_len` ≥ 16; a size query with `tag` NULL).
///
/// # Safety
/// `key` and `msg` NULL or readable for their lengths; `tag` as in the module
/// conventions.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_camellia_cmac(
    key: *const u8,
    key_len: usize,
    msg: *const u8,
    msg_len: usize,
    tag: *mut u8,
    tag_len: *mut usize,
) -> TsubakiStatus {
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(tag, tag_len)], |o| {
            let (key, msg) = (input(key, key_len)?, input(msg, msg_len)?);
            if !matches!(key.len(), 16 | 24 | 32) {
                return Err(TsubakiStatus::InvalidKeyLength);
            }
            if !o.reserve([16])? {
                return Ok(());
            }
            o.write(0, &mac::cmac(key, msg)?)
        })
    }
}

/// Key wrap (RFC 3394 with Camellia, RFC 3657): wraps `key` (16 bytes or more, a
/// multiple of 8) under `kek` into `key_len + 8` bytes.
///
/// # Safety
/// As [`tsubaki_camellia_gcm_seal`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_camellia_wrap(
    kek: *const u8,
    kek_len: usize,
    key: *const u8,
    key_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    let needed = key_len.saturating_add(8);
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (kek, key_in) = (input(kek, kek_len)?, input(key, key_len)?);
            if !matches!(kek.len(), 16 | 24 | 32) {
                return Err(TsubakiStatus::InvalidKeyLength);
            }
            if key_in.len() < 16 || !key_in.len().is_multiple_of(8) {
                return Err(TsubakiStatus::InvalidLength);
            }
            if !o.reserve([needed])? {
                return Ok(());
            }
            let out = o.ptr(0);
            // `key` may overlap `out` (in place, as `memmove`): move it up 8 bytes first.
            let buf = core::slice::from_raw_parts_mut(out, needed);
            ptr::copy(key, out.add(8), key_len);
            mac::wrap_in_place(kek, buf)?;
            Ok(())
        })
    }
}

/// Key unwrap: checks and unwraps `wrapped` (24 bytes or more, a multiple of 8) into
/// `wrapped_len − 8` bytes; on a failed integrity check nothing is written
/// (`TSUBAKI_STATUS_AUTHENTICATION_FAILED`).
///
/// # Safety
/// As [`tsubaki_camellia_gcm_seal`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_camellia_unwrap(
    kek: *const u8,
    kek_len: usize,
    wrapped: *const u8,
    wrapped_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> TsubakiStatus {
    let needed = wrapped_len.saturating_sub(8);
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (kek, w) = (input(kek, kek_len)?, input(wrapped, wrapped_len)?);
            if !matches!(kek.len(), 16 | 24 | 32) {
                return Err(TsubakiStatus::InvalidKeyLength);
            }
            if w.len() < 24 || !w.len().is_multiple_of(8) {
                return Err(TsubakiStatus::InvalidLength);
            }
            if !o.reserve([needed])? {
                return Ok(());
            }
            let out = o.ptr(0);
            // Work on a private copy: `out` is 8 bytes shorter than the wrapped key.
            let mut local = w.to_vec();
            let r = mac::unwrap_in_place(kek, &mut local);
            if r.is_ok() {
                ptr::copy_nonoverlapping(local[8..].as_ptr(), out, needed);
            }
            for b in local.iter_mut() {
                // SAFETY: `b` is a valid byte of `local`; volatile so the wipe stays.
                ptr::write_volatile(b, 0);
            }
            r.map_err(Into::into)
        })
    }
}
