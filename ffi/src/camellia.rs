//! OpenSSL's `camellia.h` API over tsubaki's constant-time Camellia.
//!
//! Names, types, constants and the behaviour a correct caller sees are OpenSSL 3.0's
//! (`crypto/camellia/cmll_*.c` over `crypto/modes/*128.c`), checked by the differential
//! test in `ffi/tests/c_abi.rs`, which runs one C program against both libraries:
//! - `Camellia_ecb_encrypt` encrypts only when `enc == CAMELLIA_ENCRYPT`; every other mode
//!   function encrypts for any nonzero `enc`;
//! - `Camellia_cbc_encrypt` with a `length` that is not a multiple of 16 encrypts the last
//!   partial block as if padded with zero bytes and writes the whole 16-byte block (`out`
//!   needs room for `length` rounded up); decrypting it reads a whole 16-byte block of `in`
//!   and writes `length` bytes; `ivec` ends as the last (whole) ciphertext block;
//! - `Camellia_cfb128_encrypt` and `Camellia_ofb128_encrypt` set `*num = -1` and do nothing
//!   else when `*num < 0`;
//! - `Camellia_cfb8_encrypt` and `Camellia_cfb1_encrypt` ignore `num`;
//!   `Camellia_cfb1_encrypt` counts `length` in bits and leaves the bits of `out` past
//!   `length` as they were;
//! - `Camellia_ctr128_encrypt` increments the whole 16-byte `ivec` as a big-endian counter.
//!
//! Where OpenSSL's behaviour is undefined, ours is defined (and tested):
//! - a NULL pointer makes a `void` function do nothing (`num` of CFB8/CFB1 may be NULL,
//!   as it is never read);
//! - `*num >= 16` makes CFB128/OFB set `*num = -1` and do nothing else (as for a negative
//!   `num`), and makes CTR do nothing at all;
//! - a `CAMELLIA_KEY` whose round count is not one `Camellia_set_key` writes (never set,
//!   zeroed, corrupted) makes every function do nothing; a corrupted backend code falls
//!   back to the default constant-time backend;
//! - a `length` above `PTRDIFF_MAX` (no such buffer exists) makes a function do nothing.
//!
//! The key is expanded for the backend `tsubaki::camellia::Camellia128::new` would choose:
//! the fastest constant-time one on this CPU.

#![allow(non_snake_case)]

use core::ffi::{c_int, c_uchar, c_uint};
use core::{ptr, slice};

use tsubaki_core::camellia::modes::{self, BlockCipher};
use tsubaki_core::camellia::raw::{ExpandedCipher, ExpandedKey};
use zeroize::Zeroize;

use crate::{OnUnwind, boundary};

/// The block size in bytes (`CAMELLIA_BLOCK_SIZE`).
pub const CAMELLIA_BLOCK_SIZE: usize = 16;
/// `enc` value selecting encryption (`CAMELLIA_ENCRYPT`).
pub const CAMELLIA_ENCRYPT: c_int = 1;
/// `enc` value selecting decryption (`CAMELLIA_DECRYPT`).
pub const CAMELLIA_DECRYPT: c_int = 0;
/// Bytes of key table in a `CAMELLIA_KEY` (`CAMELLIA_TABLE_BYTE_LEN`).
pub const CAMELLIA_TABLE_BYTE_LEN: usize = 272;
/// The same in 32-bit words (`CAMELLIA_TABLE_WORD_LEN`).
pub const CAMELLIA_TABLE_WORD_LEN: usize = CAMELLIA_TABLE_BYTE_LEN / 4;

/// OpenSSL's `KEY_TABLE_TYPE`: the key table as C sees it.
#[allow(non_camel_case_types)]
pub type KEY_TABLE_TYPE = [c_uint; CAMELLIA_TABLE_WORD_LEN];

/// `CAMELLIA_KEY`: 280 bytes aligned to 8, laid out as
/// [`ExpandedKey`] documents (the key table, then `grand_rounds`, then a backend code in
/// the 4 bytes OpenSSL leaves as padding).
#[allow(non_camel_case_types)]
pub type CAMELLIA_KEY = ExpandedKey;

const _: () = {
    // OpenSSL: union { double; unsigned int[68]; } (272 bytes, align 8) + int, padded.
    assert!(core::mem::size_of::<CAMELLIA_KEY>() == 280);
    assert!(core::mem::align_of::<CAMELLIA_KEY>() == 8);
    assert!(core::mem::size_of::<KEY_TABLE_TYPE>() == CAMELLIA_TABLE_BYTE_LEN);
    // Copying the key as bytes needs every byte to belong to a field: 34 u64 + i32 + u32.
    assert!(ExpandedKey::SIZE == CAMELLIA_TABLE_BYTE_LEN + 8);
};

/// `Camellia_set_key`'s result for a caught panic (unreachable; OpenSSL has no such
/// case). The key is zeroed then, which makes every other function a no-op on it.
const INTERNAL_ERROR: c_int = -3;

/// The largest buffer Rust (and C: `PTRDIFF_MAX`) can describe.
const MAX_LEN: usize = isize::MAX as usize;

// ---------------------------------------------------------------------------------------
// Helpers. Each `unsafe fn` repeats the part of the caller's contract it relies on.
// ---------------------------------------------------------------------------------------

/// Rebuilds the cipher from the caller's key, or `None` if its round count is invalid.
///
/// # Safety
/// `key` is non-null and points to `sizeof(CAMELLIA_KEY)` readable bytes (any alignment,
/// any content).
unsafe fn load(key: *const CAMELLIA_KEY) -> Option<ExpandedCipher> {
    if key.is_aligned() {
        // The usual case (a C `CAMELLIA_KEY` is 8-aligned): read the caller's key in
        // place, with no copy of its 280 bytes to wipe afterwards.
        // SAFETY: non-null, aligned, SIZE readable bytes (contract), every bit pattern a
        // valid `ExpandedKey` (integer fields, no padding, asserted above); the reference
        // lives only for this call, which only reads.
        return unsafe { &*key }.cipher();
    }
    let mut local = ExpandedKey::zeroed();
    // SAFETY: `key` is readable for SIZE bytes (contract); `local` is a distinct local of
    // exactly SIZE bytes, all of them fields (no padding, asserted above) of integer type,
    // so any byte pattern is a valid value.
    unsafe {
        ptr::copy_nonoverlapping(
            key.cast::<u8>(),
            (&raw mut local).cast::<u8>(),
            ExpandedKey::SIZE,
        );
    }
    local.cipher()
    // `local` is zeroized when dropped here; the cipher zeroizes its own schedules.
}

/// Reads a 16-byte block from caller memory.
///
/// # Safety
/// `p` is non-null and points to 16 readable bytes.
unsafe fn read16(p: *const u8) -> [u8; 16] {
    let mut b = [0u8; 16];
    // SAFETY: 16 readable bytes at `p` (contract); `b` is a distinct local.
    unsafe { ptr::copy_nonoverlapping(p, b.as_mut_ptr(), 16) };
    b
}

/// Writes a 16-byte block to caller memory.
///
/// # Safety
/// `p` is non-null and points to 16 writable bytes.
unsafe fn write16(p: *mut u8, b: &[u8; 16]) {
    // SAFETY: 16 writable bytes at `p` (contract); `b` is a distinct local.
    unsafe { ptr::copy_nonoverlapping(b.as_ptr(), p, 16) };
}

/// Copies `len` bytes from `in_` to `out` (the ranges may overlap, as `memmove`), and
/// returns `out` as a slice to work on in place.
///
/// # Safety
/// `in_` is readable and `out` writable for `len <= isize::MAX` bytes, both non-null, and
/// nothing else accesses `out[..len]` while the slice is alive.
unsafe fn stage<'a>(in_: *const u8, out: *mut u8, len: usize) -> &'a mut [u8] {
    // SAFETY: the contract above; `ptr::copy` allows overlap.
    unsafe {
        ptr::copy(in_, out, len);
        slice::from_raw_parts_mut(out, len)
    }
}

/// A guard that zeroes `out[..len]` if the function unwinds, so that a caught panic never
/// leaves a half-processed buffer (for in-place encryption: plaintext) where the caller
/// expects its result.
///
/// # Safety
/// `out` is writable for `len` bytes for as long as the guard lives.
unsafe fn wipe_on_unwind(out: *mut u8, len: usize) -> OnUnwind<impl FnMut()> {
    // SAFETY (of the closure, which runs only while unwinding, after every slice over
    // `out` is dead): the contract above.
    OnUnwind(move || unsafe { ptr::write_bytes(out, 0, len) })
}

/// `Camellia_encrypt` / `Camellia_decrypt` / `Camellia_ecb_encrypt`.
///
/// # Safety
/// As [`Camellia_encrypt`].
unsafe fn one_block(
    in_: *const c_uchar,
    out: *mut c_uchar,
    key: *const CAMELLIA_KEY,
    encrypt: bool,
) {
    if in_.is_null() || out.is_null() || key.is_null() {
        return;
    }
    if key.is_aligned() {
        // The usual case: run the network on the caller's key in place (no cipher object,
        // no copy of the schedule; decryption walks the encryption schedule backwards).
        // SAFETY: non-null, aligned, SIZE readable bytes (contract), every bit pattern a
        // valid `ExpandedKey`; the reference lives only for this call, which only reads.
        let k = unsafe { &*key };
        // SAFETY: `out` is writable for 16 bytes (caller's contract).
        let _wipe = unsafe { wipe_on_unwind(out, 16) };
        // SAFETY: `in_` is readable for 16 bytes (caller's contract); the block is read
        // whole before anything is written.
        let mut block = unsafe { read16(in_) };
        let done = if encrypt {
            k.encrypt_block(&mut block)
        } else {
            k.decrypt_block(&mut block)
        };
        if done {
            // SAFETY: as for `_wipe`.
            unsafe { write16(out, &block) };
        }
        block.zeroize();
        return;
    }
    // SAFETY: non-null, and a whole CAMELLIA_KEY is readable (caller's contract).
    let Some(cipher) = (unsafe { load(key) }) else {
        return;
    };
    // SAFETY: `out` is writable for 16 bytes (caller's contract).
    let _wipe = unsafe { wipe_on_unwind(out, 16) };
    // SAFETY: `in_` is readable for 16 bytes (caller's contract). Reading the whole block
    // before writing makes any overlap of `in_` and `out` harmless.
    let mut block = unsafe { read16(in_) };
    if encrypt {
        cipher.encrypt_block(&mut block);
    } else {
        cipher.decrypt_block(&mut block);
    }
    // SAFETY: as for `_wipe`.
    unsafe { write16(out, &block) };
    block.zeroize();
}

// ---------------------------------------------------------------------------------------
// The exported functions.
// ---------------------------------------------------------------------------------------

/// Expands `userKey` (`bits` = 128, 192 or 256 bits) into `*key`.
///
/// Returns 0 on success, −1 if `userKey` or `key` is NULL, −2 if `bits` is not 128, 192
/// or 256 (in both cases `*key` is left untouched), and −3 if an internal panic was
/// caught (unreachable; `*key` is then zeroed, which makes it unusable).
///
/// The expanded key is secret: clearing `*key` after use is the caller's job, as with
/// OpenSSL.
///
/// # Safety
/// `userKey` must point to `bits / 8` readable bytes and `key` to a writable
/// `CAMELLIA_KEY` (any alignment), or be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_set_key(
    userKey: *const c_uchar,
    bits: c_int,
    key: *mut CAMELLIA_KEY,
) -> c_int {
    boundary(INTERNAL_ERROR, || {
        if userKey.is_null() || key.is_null() {
            return -1;
        }
        let len = match bits {
            128 => 16,
            192 => 24,
            256 => 32,
            _ => return -2,
        };
        // SAFETY: `key` is writable for SIZE bytes (contract).
        let _poison = OnUnwind(|| unsafe {
            ptr::write_bytes(key.cast::<u8>(), 0, ExpandedKey::SIZE);
        });
        // SAFETY: `userKey` is readable for `bits / 8` bytes (contract); the slice is only
        // read, and is dead before `key` is written.
        let user = unsafe { slice::from_raw_parts(userKey, len) };
        if key.is_aligned() {
            // Expand straight into the caller's (8-aligned) key: no local copy to wipe.
            // SAFETY: non-null, aligned, SIZE writable bytes (contract) of a type every
            // bit pattern of which is valid; `userKey` may not overlap `key` (OpenSSL's
            // contract too) and `user` is only read.
            let k = unsafe { &mut *key };
            return if k.set(user).is_ok() { 0 } else { -2 };
        }
        let mut local = ExpandedKey::zeroed();
        if local.set(user).is_err() {
            return -2;
        }
        // SAFETY: `key` is writable for SIZE bytes (contract); `local` is a distinct local
        // whose SIZE bytes are all initialised fields.
        unsafe {
            ptr::copy_nonoverlapping(
                (&raw const local).cast::<u8>(),
                key.cast::<u8>(),
                ExpandedKey::SIZE,
            );
        }
        0
        // `local` is zeroized when dropped.
    })
}

/// Encrypts the 16-byte block at `in` into `out` (which may equal or overlap `in`).
///
/// Does nothing if a pointer is NULL or `*key` was not set by [`Camellia_set_key`]. If an
/// internal panic were caught, `out` would be zeroed.
///
/// # Safety
/// `in` must point to 16 readable bytes, `out` to 16 writable bytes, `key` to a readable
/// `CAMELLIA_KEY` (any alignment), or be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_encrypt(
    in_: *const c_uchar,
    out: *mut c_uchar,
    key: *const CAMELLIA_KEY,
) {
    // SAFETY: the caller's contract is `one_block`'s.
    boundary((), || unsafe { one_block(in_, out, key, true) })
}

/// Decrypts the 16-byte block at `in` into `out`, with the key set by
/// [`Camellia_set_key`] (the same key serves both directions).
///
/// Does nothing if a pointer is NULL or `*key` is not set; `out` zeroed on a caught panic.
///
/// # Safety
/// As [`Camellia_encrypt`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_decrypt(
    in_: *const c_uchar,
    out: *mut c_uchar,
    key: *const CAMELLIA_KEY,
) {
    // SAFETY: the caller's contract is `one_block`'s.
    boundary((), || unsafe { one_block(in_, out, key, false) })
}

/// One block of ECB: encrypts if `enc == CAMELLIA_ENCRYPT` (1), decrypts for any other
/// value (OpenSSL's test).
///
/// Does nothing if a pointer is NULL or `*key` is not set; `out` zeroed on a caught panic.
///
/// # Safety
/// As [`Camellia_encrypt`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_ecb_encrypt(
    in_: *const c_uchar,
    out: *mut c_uchar,
    key: *const CAMELLIA_KEY,
    enc: c_int,
) {
    // SAFETY: the caller's contract is `one_block`'s.
    boundary((), || unsafe {
        one_block(in_, out, key, enc == CAMELLIA_ENCRYPT)
    })
}

/// CBC over `length` bytes; encrypts if `enc != 0`. `ivec` is the chaining value, updated
/// to the last ciphertext block.
///
/// As OpenSSL: a partial last block is encrypted as if zero-padded and written whole (16
/// bytes), and decrypting one reads a whole 16-byte block of `in` but writes only
/// `length` bytes. Does nothing if `length` is 0, a pointer is NULL, `*key` is not set or
/// `length` exceeds `PTRDIFF_MAX`; the bytes it would write are zeroed on a caught panic.
///
/// # Safety
/// `in` must be readable and `out` writable for `length` bytes (encryption: `out` for
/// `length` rounded up to 16; decryption: `in` for `length` rounded up to 16), `ivec`
/// read-writable for 16 bytes, `key` a readable `CAMELLIA_KEY`, or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_cbc_encrypt(
    in_: *const c_uchar,
    out: *mut c_uchar,
    length: usize,
    key: *const CAMELLIA_KEY,
    ivec: *mut c_uchar,
    enc: c_int,
) {
    boundary((), || {
        if in_.is_null() || out.is_null() || key.is_null() || ivec.is_null() || length == 0 {
            return;
        }
        let Some(span) = length
            .checked_next_multiple_of(16)
            .filter(|&s| s <= MAX_LEN)
        else {
            return;
        };
        // SAFETY: a whole readable CAMELLIA_KEY (contract).
        let Some(cipher) = (unsafe { load(key) }) else {
            return;
        };
        let encrypt = enc != 0;
        let (full, rem) = (length - length % 16, length % 16);
        // SAFETY: `out` is writable for `span` bytes when encrypting, `length` otherwise.
        let _wipe = unsafe { wipe_on_unwind(out, if encrypt { span } else { length }) };
        // SAFETY: `ivec` is readable for 16 bytes (contract).
        let mut iv = unsafe { read16(ivec) };
        // The last, partial block of input, read before `out` is written in case they
        // overlap: `rem` bytes then zeros when encrypting, 16 bytes when decrypting.
        let mut last = [0u8; 16];
        if rem != 0 {
            let n = if encrypt { rem } else { 16 };
            // SAFETY: `in_` is readable for `full + n` bytes (`length`, or `length` rounded
            // up when decrypting: contract); `last` is a distinct local.
            unsafe { ptr::copy_nonoverlapping(in_.add(full), last.as_mut_ptr(), n) };
        }
        // SAFETY: `in_`/`out` readable/writable for `full <= length` bytes; `out[..full]`
        // is touched only through `data` while it lives.
        let data = unsafe { stage(in_, out, full) };
        let (blocks, _) = data.as_chunks_mut::<16>();
        if encrypt {
            modes::cbc_encrypt(&cipher, &mut iv, blocks);
        } else {
            modes::cbc_decrypt(&cipher, &mut iv, blocks);
        }
        if rem != 0 {
            if encrypt {
                for (b, v) in last.iter_mut().zip(&iv) {
                    *b ^= v;
                }
                cipher.encrypt_block(&mut last);
                iv = last;
                // SAFETY: `out` is writable for `full + 16 == span` bytes when encrypting;
                // this range is disjoint from `data`.
                unsafe { write16(out.add(full), &last) };
            } else {
                let mut plain = last;
                cipher.decrypt_block(&mut plain);
                for (p, v) in plain.iter_mut().zip(&iv) {
                    *p ^= v;
                }
                // SAFETY: `out` is writable for `full + rem == length` bytes; this range
                // is disjoint from `data`; `plain` is a distinct local.
                unsafe { ptr::copy_nonoverlapping(plain.as_ptr(), out.add(full), rem) };
                plain.zeroize();
                iv = last;
            }
        }
        // SAFETY: `ivec` is writable for 16 bytes (contract).
        unsafe { write16(ivec, &iv) };
        iv.zeroize();
        last.zeroize();
    })
}

/// The shared part of CFB128, OFB and CFB8 after their pointer and length checks: loads the
/// key (`false`, nothing done, if it is not set), then `f(cipher, iv, data)` on `out`
/// holding a copy of `in`, and writes the IV back. On a caught panic `out[..length]` is
/// zeroed.
///
/// # Safety
/// `in_`, `out`, `key` and `ivec` non-null, `length <= MAX_LEN`; otherwise as
/// [`Camellia_cfb8_encrypt`].
unsafe fn with_iv_stream(
    in_: *const c_uchar,
    out: *mut c_uchar,
    length: usize,
    key: *const CAMELLIA_KEY,
    ivec: *mut c_uchar,
    f: impl FnOnce(&ExpandedCipher, &mut [u8; 16], &mut [u8]),
) -> bool {
    // SAFETY: a whole readable CAMELLIA_KEY (contract).
    let Some(cipher) = (unsafe { load(key) }) else {
        return false;
    };
    // SAFETY: `out` writable for `length` bytes (contract).
    let _wipe = unsafe { wipe_on_unwind(out, length) };
    // SAFETY: `ivec` readable for 16 bytes (contract).
    let mut iv = unsafe { read16(ivec) };
    // SAFETY: `in_`/`out` readable/writable for `length` bytes (contract), and `out` is
    // touched only through `data` while it lives.
    let data = unsafe { stage(in_, out, length) };
    f(&cipher, &mut iv, data);
    // SAFETY: `ivec` writable for 16 bytes (contract).
    unsafe { write16(ivec, &iv) };
    iv.zeroize();
    true
}

/// The shared part of CFB128 and OFB: `num` checks, then `f(cipher, iv, pos, data)` on
/// `out` holding a copy of `in` ([`with_iv_stream`]).
///
/// # Safety
/// As [`Camellia_cfb128_encrypt`].
unsafe fn with_num_stream(
    in_: *const c_uchar,
    out: *mut c_uchar,
    length: usize,
    key: *const CAMELLIA_KEY,
    ivec: *mut c_uchar,
    num: *mut c_int,
    f: impl FnOnce(&ExpandedCipher, &mut [u8; 16], &mut usize, &mut [u8]),
) {
    if in_.is_null() || out.is_null() || key.is_null() || ivec.is_null() || num.is_null() {
        return;
    }
    // SAFETY: `num` is read-writable (contract). Read once: the value checked is the value
    // used.
    let n = unsafe { num.read_unaligned() };
    let Ok(mut pos @ 0..16) = usize::try_from(n) else {
        // OpenSSL's answer to a negative `num` (for ≥ 16 it reads out of bounds; we don't).
        // SAFETY: as above.
        unsafe { num.write_unaligned(-1) };
        return;
    };
    if length > MAX_LEN {
        return;
    }
    // SAFETY: `num` writable (contract).
    let _invalidate = OnUnwind(|| unsafe { num.write_unaligned(-1) });
    // SAFETY: the pointers are non-null and `length <= MAX_LEN` (checked above); the rest
    // is the caller's contract.
    let done = unsafe {
        with_iv_stream(in_, out, length, key, ivec, |c, iv, data| {
            f(c, iv, &mut pos, data)
        })
    };
    if done {
        // SAFETY: `num` writable (contract); pos < 16.
        unsafe { num.write_unaligned(pos as c_int) };
    }
}

/// CFB with 128-bit feedback over `length` bytes, continuing from (`ivec`, `*num`);
/// encrypts if `enc != 0`.
///
/// `*num` (0–15) is how many bytes of the current keystream block are used, updated on
/// return. If `*num` is negative or above 15, sets `*num = -1` and does nothing else.
/// Does nothing if a pointer is NULL, `*key` is not set or `length` exceeds
/// `PTRDIFF_MAX`. On a caught panic, `out[0..length]` is zeroed and `*num` set to −1.
///
/// # Safety
/// `in` must be readable and `out` writable for `length` bytes, `ivec` read-writable for 16
/// bytes, `num` a read-writable `int`, `key` a readable `CAMELLIA_KEY`, or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_cfb128_encrypt(
    in_: *const c_uchar,
    out: *mut c_uchar,
    length: usize,
    key: *const CAMELLIA_KEY,
    ivec: *mut c_uchar,
    num: *mut c_int,
    enc: c_int,
) {
    boundary((), || {
        // SAFETY: the caller's contract is `with_num_stream`'s.
        unsafe {
            with_num_stream(in_, out, length, key, ivec, num, |c, iv, pos, data| {
                if enc != 0 {
                    modes::cfb128_encrypt(c, iv, pos, data);
                } else {
                    modes::cfb128_decrypt(c, iv, pos, data);
                }
            })
        }
    })
}

/// OFB over `length` bytes, continuing from (`ivec`, `*num`); the same call encrypts and
/// decrypts. `ivec` holds the current keystream block.
///
/// `*num` as for [`Camellia_cfb128_encrypt`] (negative or above 15: `*num = -1`, nothing
/// else). Does nothing if a pointer is NULL, `*key` is not set or `length` exceeds
/// `PTRDIFF_MAX`. On a caught panic, `out[0..length]` is zeroed and `*num` set to −1.
///
/// # Safety
/// As [`Camellia_cfb128_encrypt`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_ofb128_encrypt(
    in_: *const c_uchar,
    out: *mut c_uchar,
    length: usize,
    key: *const CAMELLIA_KEY,
    ivec: *mut c_uchar,
    num: *mut c_int,
) {
    boundary((), || {
        // SAFETY: the caller's contract is `with_num_stream`'s.
        unsafe {
            with_num_stream(in_, out, length, key, ivec, num, |c, iv, pos, data| {
                modes::ofb128_apply(c, iv, pos, data)
            })
        }
    })
}

/// CFB with 8-bit feedback over `length` bytes, continuing from `ivec`; encrypts if
/// `enc != 0`. `num` is not used (as in OpenSSL) and may be NULL.
///
/// Does nothing if `in`, `out`, `key` or `ivec` is NULL, `*key` is not set or `length`
/// exceeds `PTRDIFF_MAX`. On a caught panic, `out[0..length]` is zeroed.
///
/// # Safety
/// `in` must be readable and `out` writable for `length` bytes, `ivec` read-writable for 16
/// bytes, `key` a readable `CAMELLIA_KEY`, or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_cfb8_encrypt(
    in_: *const c_uchar,
    out: *mut c_uchar,
    length: usize,
    key: *const CAMELLIA_KEY,
    ivec: *mut c_uchar,
    _num: *mut c_int,
    enc: c_int,
) {
    boundary((), || {
        if in_.is_null() || out.is_null() || key.is_null() || ivec.is_null() {
            return;
        }
        if length > MAX_LEN {
            return;
        }
        // SAFETY: the pointers are non-null and `length <= MAX_LEN` (checked above); the
        // rest is the caller's contract.
        let _done = unsafe {
            with_iv_stream(in_, out, length, key, ivec, |c, iv, data| {
                if enc != 0 {
                    modes::cfb8_encrypt(c, iv, data);
                } else {
                    modes::cfb8_decrypt(c, iv, data);
                }
            })
        };
    })
}

/// CFB with 1-bit feedback over the first `length` **bits** of `in` (most significant
/// bit of each byte first), continuing from `ivec`; encrypts if `enc != 0`. The bits of
/// `out` past `length` are left as they were. `num` is not used (as in OpenSSL) and may
/// be NULL.
///
/// Does nothing if `in`, `out`, `key` or `ivec` is NULL or `*key` is not set. On a caught
/// panic, the `(length + 7) / 8` bytes of `out` it would write are zeroed.
///
/// # Safety
/// `in` must be readable and `out` read-writable for `(length + 7) / 8` bytes, `ivec`
/// read-writable for 16 bytes, `key` a readable `CAMELLIA_KEY`, or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_cfb1_encrypt(
    in_: *const c_uchar,
    out: *mut c_uchar,
    length: usize,
    key: *const CAMELLIA_KEY,
    ivec: *mut c_uchar,
    _num: *mut c_int,
    enc: c_int,
) {
    boundary((), || {
        if in_.is_null() || out.is_null() || key.is_null() || ivec.is_null() {
            return;
        }
        let (full, rem_bits) = (length / 8, length % 8);
        let bytes = full + usize::from(rem_bits != 0); // ≤ usize::MAX / 8 + 1: no overflow
        // SAFETY: a whole readable CAMELLIA_KEY (contract).
        let Some(cipher) = (unsafe { load(key) }) else {
            return;
        };
        // SAFETY: `out` writable for `bytes` bytes (contract).
        let _wipe = unsafe { wipe_on_unwind(out, bytes) };
        // SAFETY: `ivec` readable for 16 bytes (contract).
        let mut iv = unsafe { read16(ivec) };
        // The byte holding the last bits, read before `out` is written (overlap).
        // SAFETY: `in_` readable for `bytes` bytes (contract).
        let last_in = if rem_bits != 0 {
            unsafe { in_.add(full).read() }
        } else {
            0
        };
        // SAFETY: `in_`/`out` readable/writable for `full` bytes (contract); `ptr::copy`
        // allows overlap.
        unsafe { ptr::copy(in_, out, full) };
        if rem_bits != 0 {
            // Input bits where they will be processed, `out`'s own bits after them.
            let mask = 0xFFu8 << (8 - rem_bits);
            // SAFETY: `out` read-writable for `bytes = full + 1` bytes (contract).
            unsafe {
                let o = out.add(full);
                o.write((last_in & mask) | (o.read() & !mask));
            }
        }
        // SAFETY: `out` read-writable for `bytes` bytes (contract), touched only through
        // `data` while it lives.
        let data = unsafe { slice::from_raw_parts_mut(out, bytes) };
        // `length <= 8 * bytes` by construction, so these cannot fail.
        let _ = if enc != 0 {
            modes::cfb1_encrypt(&cipher, &mut iv, data, length)
        } else {
            modes::cfb1_decrypt(&cipher, &mut iv, data, length)
        };
        // SAFETY: `ivec` writable for 16 bytes (contract).
        unsafe { write16(ivec, &iv) };
        iv.zeroize();
    })
}

/// CTR over `length` bytes with the 16-byte big-endian counter `ivec` (incremented over
/// its whole width), the current keystream block `ecount_buf` and `*num` keystream bytes
/// of it used; the same call encrypts and decrypts. Start a message with `*num = 0`.
///
/// Does nothing if a pointer is NULL, `*num > 15`, `*key` is not set or `length` exceeds
/// `PTRDIFF_MAX`. On a caught panic, `out[0..length]` is zeroed.
///
/// # Safety
/// `in` must be readable and `out` writable for `length` bytes, `ivec` and `ecount_buf`
/// read-writable for 16 bytes, `num` a read-writable `unsigned int`, `key` a readable
/// `CAMELLIA_KEY`, or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Camellia_ctr128_encrypt(
    in_: *const c_uchar,
    out: *mut c_uchar,
    length: usize,
    key: *const CAMELLIA_KEY,
    ivec: *mut c_uchar,
    ecount_buf: *mut c_uchar,
    num: *mut c_uint,
) {
    boundary((), || {
        if in_.is_null()
            || out.is_null()
            || key.is_null()
            || ivec.is_null()
            || ecount_buf.is_null()
            || num.is_null()
        {
            return;
        }
        // SAFETY: `num` readable (contract); read once.
        let n = unsafe { num.read_unaligned() };
        if n > 15 || length > MAX_LEN {
            return;
        }
        // SAFETY: a whole readable CAMELLIA_KEY (contract).
        let Some(cipher) = (unsafe { load(key) }) else {
            return;
        };
        // SAFETY: `out` writable for `length` bytes (contract).
        let _wipe = unsafe { wipe_on_unwind(out, length) };
        // SAFETY: `ivec` and `ecount_buf` readable for 16 bytes (contract).
        let (mut counter, mut ks) = unsafe { (read16(ivec), read16(ecount_buf)) };
        let mut pos = n as usize;
        // SAFETY: `in_`/`out` readable/writable for `length` bytes (contract).
        let data = unsafe { stage(in_, out, length) };
        modes::ctr128_apply(&cipher, &mut counter, &mut ks, &mut pos, data);
        // SAFETY: `ivec`, `ecount_buf` writable for 16 bytes, `num` writable (contract).
        unsafe {
            write16(ivec, &counter);
            write16(ecount_buf, &ks);
            num.write_unaligned(pos as c_uint);
        }
        ks.zeroize();
        counter.zeroize();
    })
}
