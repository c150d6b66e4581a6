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

use crate::abi::{Outs, Res, call, input};
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

/// The shared part of the `_seal` functions, once the cipher is made: the size step for
/// `plaintext_len + tag_len` bytes, then the plaintext copied into `out` (`memmove`),
/// sealed there by `seal(buf, tag)`, and the tag (`tag_len` ≤ 16 bytes) written after it.
///
/// # Safety
/// `plaintext` NULL or readable for `plaintext_len` bytes (it may overlap the output).
unsafe fn seal_into(
    o: &mut Outs<1>,
    plaintext: *const u8,
    plaintext_len: usize,
    tag_len: usize,
    seal: impl FnOnce(&mut [u8], &mut [u8]) -> Res,
) -> Res {
    if !o.reserve([plaintext_len.saturating_add(tag_len)])? {
        return Ok(());
    }
    let out = o.ptr(0);
    // SAFETY: the contract above; `out` is writable for `plaintext_len + tag_len` bytes
    // (reserved), the tag range is disjoint from `buf`.
    unsafe {
        let _ = input(plaintext, plaintext_len)?;
        let buf = stage(plaintext, out, plaintext_len);
        let mut tag = [0u8; 16];
        seal(buf, &mut tag[..tag_len])?;
        ptr::copy_nonoverlapping(tag.as_ptr(), out.add(plaintext_len), tag_len);
    }
    Ok(())
}

/// The shared part of the `_open` functions, once the cipher is made: `sealed` split into
/// ciphertext and tag (`tag_len` ≤ 16 bytes; shorter is `TSUBAKI_STATUS_INVALID_LENGTH`),
/// the size step for the ciphertext's length, then the ciphertext copied into `out`
/// (`memmove`) and opened there by `open(buf, tag)`.
///
/// # Safety
/// `sealed` NULL or readable for `sealed_len` bytes (it may overlap the output).
unsafe fn open_into(
    o: &mut Outs<1>,
    sealed: *const u8,
    sealed_len: usize,
    tag_len: usize,
    open: impl FnOnce(&mut [u8], &[u8]) -> Res,
) -> Res {
    // SAFETY: the contract above.
    let sealed_in = unsafe { input(sealed, sealed_len)? };
    if sealed_len < tag_len {
        return Err(TsubakiStatus::InvalidLength);
    }
    let needed = sealed_len - tag_len;
    let mut tag = [0u8; 16];
    tag[..tag_len].copy_from_slice(&sealed_in[needed..]);
    if !o.reserve([needed])? {
        return Ok(());
    }
    // SAFETY: the contract above; `out` is writable for `needed` bytes (reserved).
    let buf = unsafe { stage(sealed, o.ptr(0), needed) };
    open(buf, &tag[..tag_len])
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
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            let gcm = CamelliaGcm::new(key)?;
            seal_into(o, plaintext, plaintext_len, 16, |buf, tag| {
                tag.copy_from_slice(&gcm.seal_in_place_detached_with_iv(nonce, aad, buf)?);
                Ok(())
            })
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
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            let gcm = CamelliaGcm::new(key)?;
            open_into(o, sealed, sealed_len, 16, |buf, tag| {
                Ok(gcm.open_in_place_detached_with_iv(nonce, aad, buf, tag)?)
            })
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
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            // Checks `tag_len` (4..=16).
            let ccm = CamelliaCcm::new(key, nonce_len, tag_len)?;
            seal_into(o, plaintext, plaintext_len, tag_len, |buf, tag| {
                Ok(ccm.seal_in_place_detached(nonce, aad, buf, tag)?)
            })
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
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        call([(out, out_len)], |o| {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            // Checks `tag_len` (4..=16).
            let ccm = CamelliaCcm::new(key, nonce_len, tag_len)?;
            open_into(o, sealed, sealed_len, tag_len, |buf, tag| {
                Ok(ccm.open_in_place_detached(nonce, aad, buf, tag)?)
            })
        })
    }
}

/// A Camellia key length (16, 24 or 32 bytes), else `TSUBAKI_STATUS_INVALID_KEY_LENGTH`.
fn key_length(key: &[u8]) -> Res {
    if matches!(key.len(), 16 | 24 | 32) {
        Ok(())
    } else {
        Err(TsubakiStatus::InvalidKeyLength)
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
            key_length(key)?;
            if !o.reserve([16])? {
                return Ok(());
            }
            o.write(0, &mac::cmac(key, msg)?)
        })
    }
}

/// The inputs of key wrap and unwrap: `kek` a Camellia key ([`key_length`]), `data` of
/// `min` bytes or more and a multiple of 8 (else `TSUBAKI_STATUS_INVALID_LENGTH`).
///
/// # Safety
/// As [`input`] for both.
unsafe fn wrap_inputs<'a>(
    kek: *const u8,
    kek_len: usize,
    data: *const u8,
    data_len: usize,
    min: usize,
) -> Result<[&'a [u8]; 2], TsubakiStatus> {
    // SAFETY: the contract above.
    let (kek, data) = unsafe { (input(kek, kek_len)?, input(data, data_len)?) };
    key_length(kek)?;
    if data.len() < min || !data.len().is_multiple_of(8) {
        return Err(TsubakiStatus::InvalidLength);
    }
    Ok([kek, data])
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
            let [kek, _] = wrap_inputs(kek, kek_len, key, key_len, 16)?;
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
            let [kek, w] = wrap_inputs(kek, kek_len, wrapped, wrapped_len, 24)?;
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
