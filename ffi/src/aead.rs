//! The `tsubaki_camellia_*` AEAD, MAC and key-wrap functions: Camellia-GCM, Camellia-CCM,
//! CMAC and RFC 3394/3657 key wrap, each one call over caller buffers.
//!
//! Conventions (DESIGN §8), the same for every function here:
//! - the result is a [`TsubakiStatus`]: `TSUBAKI_STATUS_OK` (0) or a cause;
//! - an input pointer may be NULL only when its length is 0;
//! - outputs are `out` with capacity `*out_len`: with `out` NULL the call is a **size
//!   query** (`*out_len` is set to the size needed, nothing else happens); a buffer
//!   too small gives `TSUBAKI_STATUS_BUFFER_TOO_SMALL` with `*out_len` set to the size
//!   needed; on success `*out_len` is the size written; on any other failure
//!   `*out_len` is 0 and whatever was written to `out` has been wiped;
//! - `out` may be the input buffer (in place) or overlap it exactly: inputs are copied
//!   into `out` with `memmove` semantics before any work;
//! - no plaintext is released unless its tag verified;
//! - a panic never crosses into C ([`boundary`]): it becomes `TSUBAKI_STATUS_PANIC` with
//!   the output wiped.

use core::{ptr, slice};

use tsubaki_core::camellia::aead::{CamelliaCcm, CamelliaGcm};
use tsubaki_core::camellia::mac;

use crate::error::TsubakiStatus;
use crate::{OnUnwind, boundary};

type Status = Result<(), TsubakiStatus>;

/// An input buffer: NULL is allowed for an empty one.
///
/// # Safety
/// `p` is NULL or readable for `len` bytes, unchanged while the slice lives.
unsafe fn input<'a>(p: *const u8, len: usize) -> Result<&'a [u8], TsubakiStatus> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(TsubakiStatus::NullPointer);
    }
    // SAFETY: the contract above.
    Ok(unsafe { slice::from_raw_parts(p, len) })
}

/// The output convention: `Ok(None)` for a size query (done), `Ok(Some(out))` with the
/// buffer to write `needed` bytes into, or the error (with `*out_len` set as documented).
///
/// # Safety
/// `out_len` is NULL or valid for reads and writes; `out` is NULL or writable for
/// `*out_len` bytes.
unsafe fn output(
    out: *mut u8,
    out_len: *mut usize,
    needed: usize,
) -> Result<Option<*mut u8>, TsubakiStatus> {
    if out_len.is_null() {
        return Err(TsubakiStatus::NullPointer);
    }
    // SAFETY: `out_len` is valid (contract, checked non-NULL).
    unsafe {
        if out.is_null() {
            *out_len = needed;
            return Ok(None);
        }
        if *out_len < needed {
            *out_len = needed;
            return Err(TsubakiStatus::BufferTooSmall);
        }
    }
    Ok(Some(out))
}

/// Copies `src` into `dst` (which may overlap it, as `memmove`) and returns `dst` as a
/// slice of `src.len()` bytes.
///
/// # Safety
/// `dst` is writable for `len` bytes and nothing else accesses them while the slice
/// lives; `src` readable for `len` bytes (or NULL with `len` 0).
unsafe fn stage<'a>(src: *const u8, dst: *mut u8, len: usize) -> &'a mut [u8] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the contract above; `ptr::copy` allows overlap.
    unsafe {
        ptr::copy(src, dst, len);
        slice::from_raw_parts_mut(dst, len)
    }
}

/// Runs `body` inside the panic boundary with `out[..wipe_len]` wiped if it panics or
/// fails (after a failure `*out_len` is set to 0 unless the error is a size problem).
///
/// # Safety
/// `out` is NULL or writable for `wipe_len` bytes; `out_len` NULL or valid.
unsafe fn run(
    out: *mut u8,
    out_len: *mut usize,
    wipe_len: usize,
    body: impl FnOnce() -> Status,
) -> TsubakiStatus {
    let wipe = move || {
        if !out.is_null() && wipe_len > 0 {
            // SAFETY: `out` writable for `wipe_len` bytes (contract); every slice over it
            // is dead by the time this runs.
            unsafe { ptr::write_bytes(out, 0, wipe_len) };
        }
    };
    let status = boundary(TsubakiStatus::Panic, || {
        let _guard = OnUnwind(wipe);
        match body() {
            Ok(()) => TsubakiStatus::Ok,
            Err(e) => e,
        }
    });
    if !matches!(
        status,
        TsubakiStatus::Ok | TsubakiStatus::BufferTooSmall | TsubakiStatus::NullPointer
    ) {
        wipe();
        if !out_len.is_null() {
            // SAFETY: `out_len` valid (contract).
            unsafe { *out_len = 0 };
        }
    }
    status
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
        run(out, out_len, wipe_len(out, out_len, needed), || {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            let gcm = CamelliaGcm::new(key)?;
            let Some(out) = output(out, out_len, needed)? else {
                return Ok(());
            };
            let _ = input(plaintext, plaintext_len)?;
            let buf = stage(plaintext, out, plaintext_len);
            let tag = gcm.seal_in_place_detached_with_iv(nonce, aad, buf)?;
            ptr::copy_nonoverlapping(tag.as_ptr(), out.add(plaintext_len), 16);
            *out_len = needed;
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
        run(out, out_len, wipe_len(out, out_len, needed), || {
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
            let Some(out) = output(out, out_len, needed)? else {
                return Ok(());
            };
            let buf = stage(sealed, out, needed);
            gcm.open_in_place_detached_with_iv(nonce, aad, buf, &tag)?;
            *out_len = needed;
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
        run(out, out_len, wipe_len(out, out_len, needed), || {
            let (key, nonce, aad) = (
                input(key, key_len)?,
                input(nonce, nonce_len)?,
                input(aad, aad_len)?,
            );
            let ccm = CamelliaCcm::new(key, nonce_len, tag_len)?;
            let Some(out) = output(out, out_len, needed)? else {
                return Ok(());
            };
            let _ = input(plaintext, plaintext_len)?;
            let buf = stage(plaintext, out, plaintext_len);
            let mut tag = [0u8; 16];
            ccm.seal_in_place_detached(nonce, aad, buf, &mut tag[..tag_len])?;
            ptr::copy_nonoverlapping(tag.as_ptr(), out.add(plaintext_len), tag_len);
            *out_len = needed;
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
        run(out, out_len, wipe_len(out, out_len, needed), || {
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
            let Some(out) = output(out, out_len, needed)? else {
                return Ok(());
            };
            let buf = stage(sealed, out, needed);
            ccm.open_in_place_detached(nonce, aad, buf, &tag[..tag_len])?;
            *out_len = needed;
            Ok(())
        })
    }
}

/// CMAC with Camellia (NIST SP 800-38B): writes the 16-byte tag of `msg` to `tag`.
///
/// # Safety
/// `key` and `msg` NULL or readable for their lengths; `tag` writable for 16 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsubaki_camellia_cmac(
    key: *const u8,
    key_len: usize,
    msg: *const u8,
    msg_len: usize,
    tag: *mut u8,
) -> TsubakiStatus {
    // SAFETY (all of it): the caller's contract, relayed to each helper.
    unsafe {
        run(
            tag,
            ptr::null_mut(),
            if tag.is_null() { 0 } else { 16 },
            || {
                let (key, msg) = (input(key, key_len)?, input(msg, msg_len)?);
                if tag.is_null() {
                    return Err(TsubakiStatus::NullPointer);
                }
                let t = mac::cmac(key, msg)?;
                ptr::copy_nonoverlapping(t.as_ptr(), tag, 16);
                Ok(())
            },
        )
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
        run(out, out_len, wipe_len(out, out_len, needed), || {
            let (kek, key_in) = (input(kek, kek_len)?, input(key, key_len)?);
            if !matches!(kek.len(), 16 | 24 | 32) {
                return Err(TsubakiStatus::InvalidKeyLength);
            }
            if key_in.len() < 16 || key_in.len() % 8 != 0 {
                return Err(TsubakiStatus::InvalidLength);
            }
            let Some(out) = output(out, out_len, needed)? else {
                return Ok(());
            };
            // `key` may overlap `out` (in place, as `memmove`): move it up 8 bytes first.
            let buf = slice::from_raw_parts_mut(out, needed);
            ptr::copy(key, out.add(8), key_len);
            mac::wrap_in_place(kek, buf)?;
            *out_len = needed;
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
        run(out, out_len, wipe_len(out, out_len, needed), || {
            let (kek, w) = (input(kek, kek_len)?, input(wrapped, wrapped_len)?);
            if !matches!(kek.len(), 16 | 24 | 32) {
                return Err(TsubakiStatus::InvalidKeyLength);
            }
            if w.len() < 24 || w.len() % 8 != 0 {
                return Err(TsubakiStatus::InvalidLength);
            }
            let Some(out) = output(out, out_len, needed)? else {
                return Ok(());
            };
            // Work on a private copy: `out` is 8 bytes shorter than the wrapped key.
            let mut local = w.to_vec();
            let r = mac::unwrap_in_place(kek, &mut local);
            if r.is_ok() {
                ptr::copy_nonoverlapping(local[8..].as_ptr(), out, needed);
                *out_len = needed;
            }
            for b in local.iter_mut() {
                // SAFETY: `b` is a valid byte of `local`; volatile so the wipe stays.
                ptr::write_volatile(b, 0);
            }
            r.map_err(Into::into)
        })
    }
}

/// How much of `out` the failure path may wipe: what the call would write, capped by the
/// caller's capacity (nothing for a size query).
///
/// # Safety
/// `out_len` NULL or valid for reads.
unsafe fn wipe_len(out: *mut u8, out_len: *mut usize, needed: usize) -> usize {
    if out.is_null() || out_len.is_null() {
        0
    } else {
        // SAFETY: `out_len` valid (contract).
        needed.min(unsafe { *out_len })
    }
}
